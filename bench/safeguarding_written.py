"""How many written safeguarding messages the tagger flags, and how many ordinary ones.

    .venv/bin/python bench/safeguarding_written.py

Two sets in bench/data, each a message a duty worker would want to see today ("risk")
or ordinary feedback that only sounds like one ("none": past events dealt with, idioms,
TV stories, praise with a risky word in it):
  - safeguarding-written-cues.csv (60 + 30): written by the developer who wrote the
    December 2026 cues, from the codebook's categories, while writing them: a tuning set,
    so its figure says what the cues were written to catch, not how they generalise;
  - safeguarding-written-blind.csv (80 + 40): written by a helper who never saw the cues,
    the models or the coded data, asked for varied voices (family, text-speak, English as
    a second language, the worry in one sentence of several). Measured before and after
    the cue change, never used to write cues: see docs/tagger-evaluation.md.
The issue 29 target for held-out written sets is 38 of 40 flagged with at most 2 false
alarms (95 %, 5 %).
"""

from __future__ import annotations

import csv
from pathlib import Path

from carebot.understanding.tagger import Tagger

HERE = Path(__file__).resolve().parent
SETS = ("safeguarding-written-cues.csv", "safeguarding-written-blind.csv")


def main() -> None:
    taggers = {"full tagger": Tagger(), "--fast (rules alone)": Tagger(fast=True)}
    for name in SETS:
        with (HERE / "data" / name).open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
        risks = [r["text"] for r in rows if r["risk"] == "risk"]
        ordinary = [r["text"] for r in rows if r["risk"] == "none"]
        for label, tagger in taggers.items():
            flagged = sum(tagger.tag(text).risk != "none" for text in risks)
            alarms = sum(tagger.tag(text).risk != "none" for text in ordinary)
            print(f"{name}, {label}: flagged {flagged}/{len(risks)} "
                  f"({flagged / len(risks):.0%}), false alarms {alarms}/{len(ordinary)} "
                  f"({alarms / len(ordinary):.0%})")


if __name__ == "__main__":
    main()
