"""A production install stays light (issue 14): it does not depend on scikit-learn or
SciPy, and the running bot, having tagged what someone said, has not loaded them, nor
NLTK, even on this development install where all three are present."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib.metadata import PackageNotFoundError, requires

HEAVY = {"scikit-learn", "scipy"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _runtime_closure(package: str) -> set[str]:
    """Every distribution a plain `pip install package` brings in (no extras)."""
    found: set[str] = set()
    waiting = [package]
    while waiting:
        name = waiting.pop()
        try:
            needs = requires(name) or []
        except PackageNotFoundError:
            continue
        for requirement in needs:
            if "extra ==" in requirement:
                continue
            dependency = _name(requirement)
            if dependency not in found:
                found.add(dependency)
                waiting.append(dependency)
    return found


def test_a_production_install_needs_neither_scikit_learn_nor_scipy() -> None:
    closure = _runtime_closure("carebot")
    assert {"python-telegram-bot", "textblob", "numpy"} <= closure
    assert not closure & HEAVY


def test_the_running_bot_loads_neither_them_nor_nltk() -> None:
    script = (
        "import sys\n"
        "import bot.application, cli.main\n"
        "from understanding.tagger import tag_text\n"
        "tag_text('The carer was kind but late, and I fell last night')\n"
        "print(sorted(m for m in ('sklearn', 'scipy', 'nltk') if m in sys.modules))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip() == "[]"
