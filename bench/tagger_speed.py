"""How fast the tagger is, against bare TextBlob polarity in the same run.

    make bench      (or: .venv/bin/python bench/tagger_speed.py [--n 20000])

Tags N comments (the FFT comments in ../shared/data, repeated as needed, or the team's
social-care comments when shared/ is not beside this checkout) with the full tagger and
with `TextBlob(text).sentiment`, and prints texts per second for each and their ratio.
The target is a ratio of at least 0.5. It also prints how long the tagger takes to load.
"""

from __future__ import annotations

import argparse
import csv
import itertools
import sys
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = HERE.parent.parent / "shared" / "data" / "feedback-dev.csv"
TEAM = HERE / "data" / "social-care-comments.csv"


def comments(n: int) -> list[str]:
    source, column = (SHARED, "feedback") if SHARED.exists() else (TEAM, "text")
    with source.open(encoding="utf-8", newline="") as handle:
        texts = [row[column] for row in csv.DictReader(handle) if row[column].strip()]
    return list(itertools.islice(itertools.cycle(texts), n))


def rate(work: list[str], one: Callable[[str], object]) -> float:
    started = time.perf_counter()
    for text in work:
        one(text)
    return len(work) / (time.perf_counter() - started)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=20_000)
    args = parser.parse_args()
    started = time.perf_counter()
    from understanding.tagger import Tagger

    tagger = Tagger()
    loaded = time.perf_counter() - started
    from textblob import TextBlob

    work = comments(args.n)
    tagger.tag(work[0])
    blob = rate(work, lambda text: TextBlob(text).sentiment)
    full = rate(work, tagger.tag)
    print(f"texts: {len(work)}")
    print(f"tagger load: {loaded:.2f} s")
    print(f"TextBlob(text).sentiment: {blob:,.0f} texts/s")
    print(f"full tagger:              {full:,.0f} texts/s")
    print(f"ratio (full / TextBlob):  {full / blob:.2f}  (target: at least 0.50)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
