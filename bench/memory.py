"""carebot's resident memory when idle with a council enrolled, against a bare
python-telegram-bot echo bot, in the same run.

    .venv/bin/python bench/memory.py [--people 30000] [--services 150] [--weeks 52]

`carebot run` starts on a quiet copy of the council-year database from
`bench/council.py` (30,000 enrolled and a year of history by default), against the local
emulator; once its first pass of the periodic job is done and it is waiting for
messages, its resident memory (VmRSS) is read, SETTLE seconds later. The same for PTB's
echo example. Printed: both, three runs, min / median / max, and whether scikit-learn,
SciPy or NLTK were loaded into carebot (a production install has none of them; this
development install has them all). Target: <= 220 MB, the budget with the sentence
encoder (docs/tagger-evaluation.md; 120 MB before it).
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from council import ready, size_from_arguments
from measure import RUNS, in_turn, spread
from processes import (
    bot_process,
    called,
    carebot_run,
    echo_bot,
    emulator,
    libraries_loaded,
    quiet_copy,
    resident_mb,
)

SETTLE = 3.0
HEAVY = ("sklearn", "scipy", "nltk")


async def echo_memory() -> float:
    async with emulator() as api, bot_process(api, echo_bot()) as pid:
        await asyncio.sleep(SETTLE)
        return resident_mb(pid)


async def carebot_memory(council: Path) -> tuple[float, list[str]]:
    with tempfile.TemporaryDirectory() as folder:
        copy = await quiet_copy(council, Path(folder))
        command, env = carebot_run(copy, Path(folder))
        async with emulator() as api, bot_process(api, command, env) as pid:
            await called(api, "setMyCommands")
            await asyncio.sleep(SETTLE)
            return resident_mb(pid), libraries_loaded(pid, HEAVY)


def main() -> None:
    size = size_from_arguments(__doc__.splitlines()[0])
    council = ready(size)
    echo, runs = in_turn(echo_memory, lambda: carebot_memory(council))
    care = [mb for mb, _ in runs]
    loaded = {name for _, heavy in runs for name in heavy}
    print(f"idle resident memory, {size.people:,} enrolled; MB, {RUNS} runs, "
          "min / median / max")
    print(f"  echo bot (PTB example)  {spread(echo, 1)}")
    print(f"  carebot                 {spread(care, 1)}   (target <= 220 MB); "
          f"loaded of {', '.join(HEAVY)}: {', '.join(sorted(loaded)) or 'none'}")


if __name__ == "__main__":
    main()
