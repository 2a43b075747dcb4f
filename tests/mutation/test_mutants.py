"""The mutation tool itself (mutation/, run by `make mutation`), on a tiny module: it makes
the mutants it promises and no others, each changes only its own expression or statement,
and writing one over a copy puts the original back afterwards. The campaign itself is not
run here."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mutation.mutants import applied, mutants
from mutation.targets import TARGETS, Target

SOURCE = '''"""A docstring is left alone."""
import logging

log = logging.getLogger(__name__)
LIMIT = 3


def small(count: int, limit: int = LIMIT) -> bool:
    return 0 < count < limit and not count == 2


def total(counts: list[int]) -> int:
    found = 0
    for count in counts:
        if count is None:
            continue
        found += count - 1
    log.info("total %s", found)
    assert found >= 0
    counts[0] = found
    return found


def label(ok: bool = True) -> str:
    return f"{'yes' if ok else 'no'} {1 + 1}" + "SELECT 1"
'''


def _descriptions(source: str, only: tuple[str, ...] = ()) -> list[str]:
    return [f"{m.line}: {m.description}" for m in mutants(source, "tiny.py", only)]


def test_it_makes_the_promised_mutants_of_a_tiny_module() -> None:
    assert _descriptions(SOURCE) == [
        "5: `3` → `4` in `LIMIT = 3`", "5: `3` → `2` in `LIMIT = 3`",
        "9: `return 0 < count < limit and (not count == 2)` → `return None`",
        "9: `0 < count < limit and (not count == 2)` → `0 < count < limit or not count == 2`",
        "9: `0 < count < limit` → `0 <= count < limit`",
        "9: `0 < count < limit` → `0 >= count < limit`",
        "9: `0 < count < limit` → `0 < count <= limit`",
        "9: `0 < count < limit` → `0 < count >= limit`",
        "9: `0` → `1` in `return 0 < count < limit and not count == 2`",
        "9: `0` → `-1` in `return 0 < count < limit and not count == 2`",
        "9: `not count == 2` → `count == 2`",
        "9: `count == 2` → `count != 2`",
        "9: `2` → `3` in `return 0 < count < limit and not count == 2`",
        "9: `2` → `1` in `return 0 < count < limit and not count == 2`",
        "13: `0` → `1` in `found = 0`", "13: `0` → `-1` in `found = 0`",
        "15: `count is None` → `count is not None`",
        "16: left out `continue`",
        "17: left out `found += count - 1`",
        "17: `count - 1` → `count + 1`",
        "17: `1` → `2` in `found += count - 1`", "17: `1` → `0` in `found += count - 1`",
        "20: left out `counts[0] = found`",
        "20: `0` → `1` in `counts[0] = found`", "20: `0` → `-1` in `counts[0] = found`",
        "21: `return found` → `return None`",
        "24: `True` → `False` in `def label(ok: bool = True) -> str:`",
        "25: `return f\"{('yes' if ok else 'no')} {1 + 1}\" + 'SELECT 1'` → `return None`",
    ]


def test_each_mutant_changes_only_its_own_code() -> None:
    first = SOURCE.splitlines()
    for mutant in mutants(SOURCE, "tiny.py"):
        changed = mutant.source.splitlines()
        assert len(changed) == len(first)
        assert [i + 1 for i, (a, b) in enumerate(zip(first, changed, strict=True))
                if a != b] == [mutant.line], mutant


def test_it_can_be_kept_to_named_functions_and_names() -> None:
    assert {d.split(":")[0] for d in _descriptions(SOURCE, ("LIMIT", "small"))} == {"5", "9"}
    method = ("class Rule:\n    def one(self) -> int:\n        return 1\n\n"
              "    def two(self) -> int:\n        return 2\n")
    assert _descriptions(method, ("Rule.two",)) == [
        "6: `return 2` → `return None`", "6: `2` → `3` in `return 2`",
        "6: `2` → `1` in `return 2`"]


def test_an_item_of_a_module_level_table_is_left_out_one_at_a_time() -> None:
    table = ('NEXT = {"a": (A, B), **MORE}\nWORDS = ("x", "y")\n\n\n'
             'def f() -> None:\n    return g((1, 2))\n')
    assert _descriptions(table, ("NEXT", "WORDS")) == [
        "1: left out the entry `'a': (A, B)`", "1: left out the entry `**MORE`",
        "1: left out `A` from `(A, B)`", "1: left out `B` from `(A, B)`"]
    assert "left out" not in " ".join(_descriptions(table, ("f",)))  # not in a function
    changed = {m.description: m.source for m in mutants(table, "t.py")}
    assert changed[["1", "left out `A` from `(A, B)`"][1]].startswith(
        'NEXT = {"a": ((B,)), **MORE}')


def test_a_mutant_is_written_over_a_copy_and_the_original_put_back(tmp_path: Path) -> None:
    module = tmp_path / "tiny.py"
    module.write_text(SOURCE, encoding="utf-8")
    (tmp_path / "__pycache__").mkdir()
    cached = tmp_path / "__pycache__" / "tiny.cpython-311.pyc"
    cached.write_bytes(b"stale")
    mutant = mutants(SOURCE, "tiny.py")[4]
    with applied(mutant, tmp_path) as written:
        assert written.read_text(encoding="utf-8") == mutant.source != SOURCE
        assert "0 <= count < limit" in mutant.source
        assert not cached.exists()  # never run an older mutant's bytecode
    assert module.read_text(encoding="utf-8") == SOURCE
    with pytest.raises(RuntimeError), applied(mutant, tmp_path):
        raise RuntimeError("a test run that breaks")
    assert module.read_text(encoding="utf-8") == SOURCE


@pytest.mark.parametrize("target", TARGETS, ids=lambda t: t.path)
def test_every_target_and_its_tests_are_there(target: Target) -> None:
    root = Path(__file__).resolve().parents[2]
    source = (root / target.path).read_text(encoding="utf-8")
    assert len(mutants(source, target.path, target.functions)) > 5, target.path
    for name in target.functions:  # each named function, method or table is still there
        method = name.rpartition(".")[2]
        assert re.search(rf"^\s*(async def |def |class )?{method}\b", source, re.MULTILINE), name
    for test in target.tests:
        assert (root / test.split("::")[0]).exists(), test
