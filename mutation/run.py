"""`python -m mutation.run [MODULE ...] [--list] [--head] [--leave-out FILE ...] [--keep]`:
the mutation campaign.

The checkout's files (tracked, and new ones not ignored; with --head, as last committed)
are copied once into a temporary folder, so the checkout itself is never changed while
others work in it; a probe test checks that pytest, run there, imports carebot from the
copy. For each module
in `targets.py`: its tests run once unchanged (they must pass; their time sets the
timeout), then once per mutant, written over the copy's module and put back after. A
mutant is killed when the tests fail, or run past three times their usual time. It prints
each module's mutants, killed, survivors and score, and every survivor."""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

from mutation.mutants import Mutant, applied, mutants
from mutation.targets import HARMLESS, TARGETS, Target

REPO = Path(__file__).resolve().parent.parent
TIMEOUT_FACTOR = 3
TIMEOUT_SLACK = 5.0  # seconds: a short suite's time varies more than 3x
GOAL = 0.85
PROBE = "tests/test_zz_mutation_probe.py"  # written only in the copy


@dataclass
class Score:
    target: Target
    mutants: int = 0
    killed: int = 0
    survivors: list[Mutant] = field(default_factory=list)

    @property
    def score(self) -> float:
        return self.killed / self.mutants if self.mutants else 1.0

    def line(self) -> str:
        harmless = sum(1 for m in self.survivors if harmless_why(m))
        return (f"{self.target.path:32} mutants {self.mutants:4}  killed {self.killed:4}  "
                f"survived {len(self.survivors):3} ({harmless} judged harmless)  "
                f"score {self.score:6.1%}")


def harmless_why(mutant: Mutant) -> str | None:
    return HARMLESS.get((mutant.path, mutant.context, mutant.description))


def shown(mutant: Mutant) -> str:
    why = harmless_why(mutant)
    return f"{mutant}" if why is None else f"{mutant}\n      harmless: {why}"


def copy_checkout(into: Path, *, head: bool = False, leave_out: Collection[str] = ()) -> Path:
    """The checkout's files under `into`/main, links (carebot/<part>) kept as links, and
    the ../shared beside the checkout linked beside the copy, as the tests expect. `head`:
    the files as last committed (while others are half-way through changing theirs),
    with the new files not yet committed. `leave_out`: files not copied (e.g. new tests,
    to score the module without them)."""
    root = into / "main"
    root.mkdir(parents=True)
    if head:
        archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=REPO,
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(root)], input=archive, check=True)
    which = ["--others"] if head else ["--cached", "--others"]
    listed = subprocess.run(["git", "ls-files", "-z", *which, "--exclude-standard"],
                            cwd=REPO, check=True, capture_output=True).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source, target = REPO / name, root / name
        if (not source.exists() and not source.is_symlink()) or name in leave_out:
            continue  # deleted, not yet committed; or left out
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target, follow_symlinks=False)
    if (REPO.parent / "shared").exists():
        (into / "shared").symlink_to(REPO.parent / "shared")
    return root


def pytest(root: Path, tests: list[str], timeout: float | None = None) -> tuple[bool, float]:
    """Whether `tests` pass in the copy at `root`, and how long they took (a run past
    `timeout` fails)."""
    started = time.monotonic()
    command = [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", *tests]
    try:
        done = subprocess.run(command, cwd=root, capture_output=True, timeout=timeout,
                              env={**os.environ, "PYTHONHASHSEED": "0"})
    except subprocess.TimeoutExpired:
        return False, time.monotonic() - started
    return done.returncode == 0, time.monotonic() - started


def check_imports_from(root: Path) -> None:
    """Fail loudly unless pytest, run in the copy, imports carebot (and every target) from
    the copy rather than the checkout the venv was installed from."""
    modules = ", ".join(repr("carebot." + t.path.removesuffix(".py").replace("/", "."))
                        for t in TARGETS)
    (root / PROBE).write_text(
        "import importlib\nfrom pathlib import Path\n\n\n"
        "def test_imports_from_the_copy() -> None:\n"
        f"    for name in ('carebot', {modules}):\n"
        "        found = Path(importlib.import_module(name).__file__ or '').resolve()\n"
        f"        assert found.is_relative_to({str(root.resolve())!r}), (name, found)\n")
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                               PROBE], cwd=root, capture_output=True, text=True)
    finally:
        (root / PROBE).unlink()
    if done.returncode != 0:
        sys.exit(f"carebot is not imported from the copy {root}:\n{done.stdout[-2000:]}")


def campaign(root: Path, target: Target) -> Score:
    score = Score(target)
    tests = [t for t in target.tests if (root / t.split("::")[0]).exists()]
    missing = sorted(set(target.tests) - set(tests))
    if missing:
        print(f"  (not there, left out: {', '.join(missing)})")
    passed, took = pytest(root, tests)
    if not passed:
        sys.exit(f"{target.path}: its tests fail before any mutation: {' '.join(tests)}")
    timeout = max(TIMEOUT_FACTOR * took, took + TIMEOUT_SLACK)
    source = (root / target.path).read_text(encoding="utf-8")
    found = mutants(source, target.path, target.functions)
    print(f"  {len(found)} mutants; tests take {took:.1f} s, timeout {timeout:.0f} s",
          flush=True)
    for i, mutant in enumerate(found, 1):
        with applied(mutant, root):
            survived, _ = pytest(root, tests, timeout)
        score.mutants += 1
        if survived:
            score.survivors.append(mutant)
            print(f"  [{i}/{len(found)}] survived  {shown(mutant)}", flush=True)
        else:
            score.killed += 1
    return score


def _stop(signum: int, frame: object) -> None:
    sys.exit(f"stopped by signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mutation.run", description=__doc__)
    parser.add_argument("modules", nargs="*", help="only these (e.g. storage/issues.py)")
    parser.add_argument("--list", action="store_true", help="list the mutants; run nothing")
    parser.add_argument("--head", action="store_true",
                        help="test the last commit (and new files), not the files as they are")
    parser.add_argument("--leave-out", nargs="*", default=[], metavar="FILE",
                        help="files not copied (e.g. new tests, for a score without them)")
    parser.add_argument("--keep", action="store_true", help="keep the copy, and say where")
    args = parser.parse_args(argv)
    chosen = [t for t in TARGETS if not args.modules or t.path in args.modules]
    if not chosen:
        parser.error(f"no such target; choose from {', '.join(t.path for t in TARGETS)}")
    if args.list:
        for target in chosen:
            source = (REPO / target.path).read_text(encoding="utf-8")
            for mutant in mutants(source, target.path, target.functions):
                print(mutant)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="carebot-mutation-"))
    scores = []
    try:
        signal.signal(signal.SIGTERM, _stop)  # killed: still remove the copy
        root = copy_checkout(folder, head=args.head, leave_out=args.leave_out)
        check_imports_from(root)
        for target in chosen:
            print(f"{target.path}: {target.what}", flush=True)
            scores.append(campaign(root, target))
            print("  " + scores[-1].line(), flush=True)
    finally:
        if args.keep:
            print(f"the copy is kept at {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    print("\nmodule                           mutants, killed, survived, score")
    for score in scores:
        print(score.line())
    for score in scores:
        for mutant in score.survivors:
            print(f"  survived: {shown(mutant)}")
    return 0 if all(score.score >= GOAL for score in scores) else 1


if __name__ == "__main__":
    sys.exit(main())
