"""What readers decided, as the tagger learns from it and is measured against it (issue 29).

Each item a member of staff reads on the read list (/read) is judged: read with no
concern, a safeguarding concern, a problem, or (on something the tagger flagged) not a
concern. Beside its words, that judgement is a label a real reader gave to a real message
from this council's people: `carebot train --risk --with-reviews` adds them to what the
risk model learns from, and `carebot eval --reviews` says how the tagger agreed with
readers lately. The words and judgements come from storage (storage/read_list.py) through
the CLI; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from carebot.understanding.lab.coders import Coded
from carebot.understanding.labels import NO_RISK

REVIEWS = "reviews"  # the name reviews go under beside the coded files


@dataclass(frozen=True)
class Judged:
    """One item a reader judged: its words, whether the reader saw a safeguarding worry
    in it, and whether the tagger had flagged it."""

    words: str
    worrying: bool
    flagged: bool


def as_coded(judged: Sequence[Judged]) -> list[Coded]:
    """Readers' judgements as coded messages, the reader as both coders: a concern is a
    risk (its category unknown: "other"), anything else is none."""
    no_themes: frozenset[str] = frozenset()
    return [Coded(f"review-{n}", REVIEWS, item.words, ("", ""), (no_themes, no_themes),
                  ("concern", "concern") if item.worrying else (NO_RISK, NO_RISK),
                  ("other", "other") if item.worrying else ("", ""))
            for n, item in enumerate(judged)]


@dataclass(frozen=True)
class Agreement:
    """How the tagger agreed with readers."""

    judged: int
    flagged: int            # items the tagger flagged
    confirmed: int          # of those, readers saw a worry too
    missed: int             # worries readers saw that the tagger did not flag
    worries: int            # all worries readers saw

    def lines(self, days: int) -> list[str]:
        def share(part: int, whole: int) -> str:
            return f"{part} of {whole}" + (f" ({100 * part / whole:.0f}%)" if whole else "")
        return [
            f"Judged by readers in the last {days} days: {self.judged}.",
            f"Flagged by the tagger and confirmed as a worry by the reader: "
            f"{share(self.confirmed, self.flagged)}.",
            f"Worries readers saw that the tagger did not flag: "
            f"{share(self.missed, self.worries)}.",
        ]


def agreement(judged: Sequence[Judged]) -> Agreement:
    flagged = [j for j in judged if j.flagged]
    worries = [j for j in judged if j.worrying]
    return Agreement(len(judged), len(flagged), sum(j.worrying for j in flagged),
                     sum(not j.flagged for j in worries), len(worries))
