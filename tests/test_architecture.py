"""The layout's rules, checked by reading every import in the source with `ast` (lazy ones
inside functions and TYPE_CHECKING ones included): arrows point down only, nothing in
production imports the emulator, the demo, the CLI or the tagger's lab, and no two
modules import each other, however far round. Every part is imported as `carebot.<part>`
(the one installed package), and no two modules share a name. Also, the `carebot`
subcommands are built only from their registry (`@command`), never by hand elsewhere, and
SQL is written only in `storage/`, where each statement has one home."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers import REPO

# Each of carebot's parts, and the parts it may import. `understanding.lab` is a part of
# its own, so that nothing but the CLI can reach it; `storage.models` too, the plain
# records and kinds every part speaks of, so that the care rules can use them and storage
# the care rules.
MODELS = "storage.models"
MAY_IMPORT: dict[str, frozenset[str]] = {
    "settings": frozenset(),
    MODELS: frozenset(),
    "care": frozenset({"settings", MODELS}),
    "storage": frozenset({"care", MODELS}),
    "translations": frozenset(),
    "conversations": frozenset({"settings", "care", MODELS, "translations"}),
    "understanding": frozenset(),
    "understanding.lab": frozenset({"understanding"}),
    "reports": frozenset({"settings", "care", MODELS, "storage", "conversations",
                          "translations", "understanding"}),
    "operations": frozenset({"settings", "care", MODELS, "storage"}),
    "workflow": frozenset({"settings", "care", MODELS, "storage", "conversations",
                           "translations"}),
    "bot": frozenset({"settings", "care", MODELS, "storage", "conversations", "translations",
                      "understanding", "reports", "operations", "workflow"}),
    "emulator": frozenset({"settings", "care", MODELS, "storage", "conversations",
                           "translations", "understanding", "reports", "operations",
                           "workflow", "bot"}),
    "demo": frozenset({"settings", "care", MODELS, "storage", "conversations",
                       "translations", "understanding", "reports", "operations", "workflow",
                       "bot", "emulator"}),
    "cli": frozenset({"settings", "care", MODELS, "storage", "conversations", "translations",
                      "understanding", "understanding.lab", "reports", "operations",
                      "workflow", "bot", "emulator", "demo"}),
}
# Outside libraries only some parts may use: Telegram's only in the adapter and above it,
# aiohttp only in the emulator's web server, the bot's HTTP transport, its health
# endpoint and its webhook server (modules named whole), model training only in the lab.
LIBRARY_USERS: dict[str, frozenset[str]] = {
    "telegram": frozenset({"bot", "emulator", "demo", "cli"}),
    "aiohttp": frozenset({"emulator", "bot.http", "operations.health", "bot.webhook"}),
    "sklearn": frozenset({"understanding.lab"}),
}


# The one module that turns the registered subcommands (cli/registry.py) into parsers.
SUBPARSERS_BUILT_IN = "cli/arguments.py"
# A string that is an SQL statement, written as this project writes SQL (keywords in
# capitals), rather than words that happen to begin "Update" or "Select".
SQL_STATEMENT = re.compile(
    r"^\s*(SELECT\b[\s\S]*\bFROM\b|INSERT\s+(OR\s+[A-Z]+\s+)?INTO\b|UPDATE\s+\w+\s+SET\b|"
    r"DELETE\s+FROM\b|(CREATE|ALTER|DROP)\s+(TABLE|INDEX|TRIGGER|VIEW)\b|PRAGMA\s+\w+|"
    r"WITH\s+\w+\s+AS\s*\()")


# Every part is installed under this one package (carebot/ links to each part's folder).
PACKAGE = "carebot"


def part_of(module: str) -> str | None:
    """Which part a dotted module name belongs to; None for the outside world."""
    for own in ("understanding.lab", MODELS):  # parts inside another part's folder
        if module == own or module.startswith(f"{own}."):
            return own
    top = module.split(".")[0]
    return top if top in MAY_IMPORT else None


def module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


def imports_in(path: Path, module: str) -> Iterator[tuple[str, int]]:
    """Every module `path` imports, with its line, relative imports made absolute and
    named as the source tree names them (`carebot.bot.buttons` as `bot.buttons`)."""
    for name, line in _imports_as_written(path, module):
        yield name.removeprefix(f"{PACKAGE}."), line


def bare_imports(root: Path) -> list[str]:
    """Every import of a part by its folder's name (`from bot import x`), as 'file:line':
    installed, only `carebot.bot` exists."""
    found = []
    checked = {**source_modules(root), **{module_name(p, root): p for folder in ("tests", "bench")
                                          for p in (root / folder).rglob("*.py")}}
    for module, path in checked.items():
        for name, line in _imports_as_written(path, module):
            if part_of(name) is not None:
                found.append(f"{path.relative_to(root).as_posix()}:{line}")
    return sorted(set(found))


def shared_module_names(root: Path) -> list[str]:
    """Module names used in more than one place (`privacy` in storage/ and reports/):
    each name should say which job it does."""
    paths: dict[str, list[str]] = {}
    for path in source_modules(root).values():
        if path.stem not in ("__init__", "__main__"):
            paths.setdefault(path.stem, []).append(path.relative_to(root).as_posix())
    return sorted(" ".join(sorted(found)) for found in paths.values() if len(found) > 1)


def _imports_as_written(path: Path, module: str) -> Iterator[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([PACKAGE, *anchor, base] if base else [PACKAGE, *anchor])
            yield base, node.lineno
            # `from bot import buttons` imports the module bot.buttons
            for alias in node.names:
                yield f"{base}.{alias.name}", node.lineno


def source_modules(root: Path) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for part in {name.split(".")[0] for name in MAY_IMPORT}:
        for path in sorted((root / part).rglob("*.py")):
            found[module_name(path, root)] = path
    return found


def broken_rules(root: Path) -> list[str]:
    """Every import that breaks the layout, as 'file:line: why'."""
    broken = []
    for module, path in source_modules(root).items():
        here = part_of(module)
        assert here is not None
        for imported, line in imports_in(path, module):
            there = part_of(imported)
            top = imported.split(".")[0]
            where = f"{path.relative_to(root)}:{line}"
            if there is not None and there != here and there not in MAY_IMPORT[here]:
                broken.append(f"{where}: {here} must not import {there}")
            if top in LIBRARY_USERS and not LIBRARY_USERS[top] & {here, module}:
                broken.append(f"{where}: {here} must not import {top}")
    return sorted(set(broken))


def import_cycles(root: Path) -> list[list[str]]:
    """Cycles among carebot's own modules (a module importing one that imports it)."""
    modules = source_modules(root)
    graph = {
        module: sorted({name for name, _ in imports_in(path, module) if name in modules}
                       - {module})
        for module, path in modules.items()
    }
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        path.append(module)
        for target in graph[module]:
            if state.get(target) == 1:
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = 2

    for module in graph:
        if module not in state:
            visit(module)
    return cycles


def part_graph(root: Path) -> dict[str, set[str]]:
    """Which parts each part really imports (what docs/architecture.md draws)."""
    graph: dict[str, set[str]] = {part: set() for part in MAY_IMPORT}
    for module, path in source_modules(root).items():
        here = part_of(module)
        assert here is not None
        for imported, _ in imports_in(path, module):
            there = part_of(imported)
            if there is not None and there != here:
                graph[here].add(there)
    return graph


def hand_built_subparsers(root: Path) -> list[str]:
    """Every `add_subparsers` or `add_parser` call outside cli/arguments.py, as 'file:line':
    a subcommand made there would miss the registry, its docs and its duplicate check."""
    found = []
    for path in source_modules(root).values():
        where = path.relative_to(root).as_posix()
        if where == SUBPARSERS_BUILT_IN:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("add_subparsers", "add_parser")):
                found.append(f"{where}:{node.lineno}")
    return found


# The one module that routes updates to the handlers the modules declared
# (bot/handlers/declared.py).
HANDLERS_ROUTED_IN = "bot/application.py"
ROUTING_CLASSES = ("CommandHandler", "CallbackQueryHandler", "MessageHandler", "TypeHandler",
                   "ChatMemberHandler")


def hand_routed_handlers(root: Path) -> list[str]:
    """Every PTB handler made outside bot/application.py, as 'file:line': a command or
    button routed there would bypass its declaration, its guard and its duplicate check."""
    found = []
    for path in source_modules(root).values():
        where = path.relative_to(root).as_posix()
        if where == HANDLERS_ROUTED_IN or where.startswith("emulator/"):
            continue  # the emulator plays Telegram: it handles no updates
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call)
                    and ast.unparse(node.func).split(".")[-1] in ROUTING_CLASSES):
                found.append(f"{where}:{node.lineno}")
    return found


def sql_outside_storage(root: Path) -> list[str]:
    """Every string that is an SQL statement in a module outside storage/, as 'file:line'."""
    found = []
    for module, path in source_modules(root).items():
        if part_of(module) == "storage":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and SQL_STATEMENT.match(node.value)):
                found.append(f"{path.relative_to(root).as_posix()}:{node.lineno}")
    return found


def part_file(root: Path, part: str) -> Path:
    """Where a part says what it is for: its package's __init__, or its one module."""
    folder = root / Path(*part.split("."))
    return folder / "__init__.py" if folder.is_dir() else folder.with_suffix(".py")


def calls_outside(root: Path, name: str, home: str) -> list[str]:
    """Every call of `name` (a function or class, or a dotted `Class.method`) outside the
    modules under `home` (a folder or one file), as 'file:line'."""
    found = []
    for path in source_modules(root).values():
        where = path.relative_to(root).as_posix()
        if where == home or where.startswith(f"{home}/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and name in (ast.unparse(node.func),
                                                       ast.unparse(node.func).split(".")[-1]):
                found.append(f"{where}:{node.lineno}")
    return found


def writes_outside(root: Path, table: str, home: str) -> list[str]:
    """Every SQL string that inserts into `table` outside the module `home`."""
    insert = re.compile(rf"INSERT\s+(OR\s+[A-Z]+\s+)?INTO\s+{table}\b")
    found = []
    for path in source_modules(root).values():
        where = path.relative_to(root).as_posix()
        if where == home:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and insert.search(node.value)):
                found.append(f"{where}:{node.lineno}")
    return found


# Every sentence that says something is the only place or the one place for a thing,
# and what checks it (each returns what breaks the claim: nothing, while it is true).
# A claim found in the source or the docs and missing here fails the test: check it, or
# say it another way.
CLAIMS: dict[str, Callable[[Path], list[str]]] = {
    "the only place with SQL": sql_outside_storage,
    "the one place the bot is wired together":
        lambda root: [*calls_outside(root, "ApplicationBuilder", "bot/application.py"),
                      *hand_routed_handlers(root)],
    "the one place that picks settings": lambda root: calls_outside(root, "Config.load", "cli"),
    "the one place events are written": lambda root: writes_outside(root, "events",
                                                                     "storage/events.py"),
    "the one place outbox rows are queued": lambda root: writes_outside(root, "outbox",
                                                                         "storage/outbox.py"),
    "the only user of scikit-learn": lambda root: [
        line for line in broken_rules(root) if line.endswith("must not import sklearn")],
}
CLAIM = re.compile(r"\b(?:the only|the one) (?:place|user|module)\b[^.;:()]*", re.IGNORECASE)


def claims_made(root: Path) -> dict[str, list[str]]:
    """Each "only place" claim in a docstring or the docs, with where it is made."""
    texts = {path.relative_to(root).as_posix(): " ".join(
        ast.get_docstring(node) or "" for node in ast.walk(ast.parse(path.read_text("utf-8")))
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef))
        for path in source_modules(root).values()}
    texts["docs/architecture.md"] = (root / "docs/architecture.md").read_text(encoding="utf-8")
    found: dict[str, list[str]] = {}
    for where, words in texts.items():
        for claim in CLAIM.findall(" ".join(words.split())):
            found.setdefault(claim.strip().lower(), []).append(where)
    return found


def architecture_markdown(root: Path) -> str:
    """A Mermaid graph of the real imports between parts, and each part's job."""
    graph = part_graph(root)
    lines = ["```mermaid", "graph TD"]
    lines += [f"    {here.replace('.', '_')}[{here}] --> {there.replace('.', '_')}[{there}]"
              for here in MAY_IMPORT for there in sorted(graph[here])]
    lines += ["```", "", "| part | its job |", "|---|---|"]
    for part in MAY_IMPORT:
        path = part_file(root, part)
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
        where = (f"{path.parent.relative_to(root).as_posix()}/" if path.name == "__init__.py"
                 else path.relative_to(root).as_posix())
        lines.append(f"| `{where}` | {' '.join(doc.split())} |")
    return "\n".join(lines) + "\n"


def test_every_import_follows_the_layout() -> None:
    assert broken_rules(REPO) == []


def test_no_module_imports_one_that_imports_it() -> None:
    assert import_cycles(REPO) == []


def test_every_part_is_imported_from_the_one_package() -> None:
    assert bare_imports(REPO) == []


def test_the_package_links_every_part() -> None:
    tops = {part.split(".")[0] for part in MAY_IMPORT}
    links = {p.name for p in (REPO / PACKAGE).iterdir() if p.is_symlink()}
    assert links == tops
    assert all((REPO / PACKAGE / top).resolve() == (REPO / top).resolve() for top in tops)


def test_no_two_modules_share_a_name() -> None:
    assert shared_module_names(REPO) == []


def test_every_part_says_what_it_is_for() -> None:
    for part in MAY_IMPORT:
        path = part_file(REPO, part)
        docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert docstring, f"{path.relative_to(REPO)} has no docstring saying its job"


def _tree(root: Path, files: dict[str, str]) -> Path:
    parts = {(f"{p.replace('.', '/')}.py" if p == MODELS
              else f"{p.replace('.', '/')}/__init__.py"): '"""x"""' for p in MAY_IMPORT}
    for name, content in {**parts, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    return root


@pytest.mark.parametrize(("files", "expected"), [
    ({"storage/db.py": "from carebot.bot.context import Runtime\n"}, "storage must not import bot"),
    ({"reports/x.py": "def f():\n    import telegram\n"}, "reports must not import telegram"),
    ({"bot/x.py": "from carebot.emulator.harness import LocalBot\n"},
     "bot must not import emulator"),
    ({"bot/x.py": "from carebot.understanding.lab import training\n"},
     "bot must not import understanding.lab"),
    ({"bot/x.py": "from carebot.understanding import lab\n"},
     "bot must not import understanding.lab"),
    ({"conversations/x.py": "from . import y\nfrom ..storage import db\n"},
     "conversations must not import storage"),
    ({"bot/x.py": "import aiohttp\n"}, "bot must not import aiohttp"),
])
def test_the_rules_catch_a_broken_import(tmp_path: Path, files: dict[str, str],
                                         expected: str) -> None:
    found = broken_rules(_tree(tmp_path, files))
    assert len(found) == 1 and expected in found[0]


def test_a_cycle_is_caught(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"bot/a.py": "from carebot.bot import b\n",
                            "bot/b.py": "import carebot.bot.a\n"})
    assert import_cycles(root) == [["bot.a", "bot.b", "bot.a"]]


def test_a_bare_import_and_a_shared_name_are_caught(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"bot/a.py": "from storage import db\n", "bot/privacy.py": "",
                            "reports/privacy.py": ""})
    assert bare_imports(root) == ["bot/a.py:1"]
    assert shared_module_names(root) == ["bot/privacy.py reports/privacy.py"]


def test_subcommands_are_built_only_from_the_registry() -> None:
    assert hand_built_subparsers(REPO) == []


def test_a_hand_built_subcommand_is_caught(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"cli/extra.py": "def f(top):\n    top.add_subparsers()\n"})
    assert hand_built_subparsers(root) == ["cli/extra.py:2"]


def test_handlers_are_routed_only_from_their_declarations() -> None:
    assert hand_routed_handlers(REPO) == []


def test_a_hand_routed_handler_is_caught(tmp_path: Path) -> None:
    source = "def f(app):\n    app.add_handler(CommandHandler('x', f))\n"
    dotted = "def f(app):\n    app.add_handler(telegram.ext.TypeHandler(int, f))\n"
    root = _tree(tmp_path, {"bot/handlers/extra.py": source, "cli/extra.py": dotted})
    assert sorted(hand_routed_handlers(root)) == ["bot/handlers/extra.py:2", "cli/extra.py:2"]


def test_every_only_place_claim_is_checked_and_true() -> None:
    made = claims_made(REPO)
    unchecked = {claim: where for claim, where in made.items()
                 if not any(claim.startswith(known.lower()) for known in CLAIMS)}
    assert unchecked == {}, "check these claims in CLAIMS, or say them another way"
    assert {known: CLAIMS[known](REPO) for known in CLAIMS} == {known: [] for known in CLAIMS}


def test_an_only_place_claim_nobody_checks_is_caught(tmp_path: Path) -> None:
    root = _tree(tmp_path, {"bot/x.py": '"""Texts."""\ndef f():\n    """The only place '
                                        'with buttons."""\n'})
    (root / "docs").mkdir()
    (root / "docs/architecture.md").write_text("The only user of aiohttp.", encoding="utf-8")
    assert claims_made(root) == {"the only place with buttons": ["bot/x.py"],
                                 "the only user of aiohttp": ["docs/architecture.md"]}


def test_sql_is_written_only_in_storage() -> None:
    assert sql_outside_storage(REPO) == []


@pytest.mark.parametrize("statement", [
    "SELECT COUNT(*) FROM answers", "INSERT OR IGNORE INTO tags (kind) VALUES (?)",
    "UPDATE people SET status = ?", "DELETE FROM drafts", "PRAGMA journal_mode = WAL",
    "WITH typed AS (SELECT 1) SELECT * FROM typed"])
def test_sql_outside_storage_is_caught(tmp_path: Path, statement: str) -> None:
    source = f"WORDS = 'Update your schedule'\nSQL = {statement!r}\n"
    root = _tree(tmp_path, {"bot/counts.py": source})
    assert sql_outside_storage(root) == ["bot/counts.py:2"]
