"""Measuring the tagger against two coders who coded the same social-care messages apart
(shared/data/social-care-dev.tsv), with their agreement beside each figure as the ceiling.

Risk is judged as the issue asks: every message both coders flag must be flagged (recall
on "both risk"), and few of those both call none (false alarms). Sentiment is judged on
the messages where both agree. Themes are scored against each coder and averaged, as the
coders' own agreement is scored one against the other.

The messages are split in two halves by a hash of their id: cues may be written and
checked on the tuning half only; the other half is never read, only counted.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from carebot.understanding.lab.evaluation import Labelled, Scores, _scores, macro
from carebot.understanding.labels import NO_RISK
from carebot.understanding.tagger import Tags
from carebot.understanding.themes import THEME_IDS


@dataclass(frozen=True)
class Coded:
    """One message and what each coder said of it."""
    id: str
    source: str
    text: str
    sentiment: tuple[str, str]
    themes: tuple[frozenset[str], frozenset[str]]
    risk: tuple[str, str]
    category: tuple[str, str]

    @property
    def both_risk(self) -> bool:
        return NO_RISK not in self.risk

    @property
    def both_none(self) -> bool:
        return self.risk == (NO_RISK, NO_RISK)

    @property
    def agreed_sentiment(self) -> str | None:
        return self.sentiment[0] if self.sentiment[0] == self.sentiment[1] else None

    def as_labelled(self, coder: int = 0) -> Labelled:
        """For training: one coder's codes (the first, unless said)."""
        return Labelled(self.id, self.text, self.agreed_sentiment or self.sentiment[coder],
                        self.themes[coder], self.risk[coder])


def load_coded(path: Path) -> list[Coded]:
    def themes(cell: str) -> frozenset[str]:
        found = frozenset(t for t in cell.split(";") if t)
        if not found <= set(THEME_IDS):
            raise ValueError(f"{path.name}: unknown theme in {cell!r}")
        return found

    with path.open(encoding="utf-8", newline="") as handle:
        return [Coded(row["id"], row["source"], row["text"],
                      (row["a_sentiment"], row["b_sentiment"]),
                      (themes(row["a_themes"]), themes(row["b_themes"])),
                      (row["a_risk"], row["b_risk"]),
                      (row["a_risk_category"], row["b_risk_category"]))
                for row in csv.DictReader(handle, delimiter="\t")]


def in_tuning_half(row: Coded) -> bool:
    digest = hashlib.sha256(f"carebot-coded-half:{row.id}".encode()).digest()
    return digest[0] % 2 == 0


def halves(rows: list[Coded]) -> tuple[list[Coded], list[Coded]]:
    """(tuning half, untouched half)."""
    return [r for r in rows if in_tuning_half(r)], [r for r in rows if not in_tuning_half(r)]


@dataclass(frozen=True)
class CodedReport:
    name: str
    size: int
    risk_recall: float          # of messages both coders flag, the share flagged
    both_risk: int
    false_alarms: float         # of messages both call none, the share flagged
    both_none: int
    level_agreement: float      # urgent vs concern, on messages flagged by all three
    sentiment_accuracy: float   # on messages both coders agree on
    sentiment_agreed: int
    themes: dict[str, Scores]   # per theme, averaged over the two coders

    @property
    def themes_macro_f1(self) -> float:
        return macro(self.themes.values())


def _theme_scores(pairs: Sequence[tuple[frozenset[str], frozenset[str]]]) -> dict[str, Scores]:
    """Per theme, from (truth, guess) pairs."""
    return {theme: _scores(sum(theme in t and theme in g for t, g in pairs),
                           sum(theme not in t and theme in g for t, g in pairs),
                           sum(theme in t and theme not in g for t, g in pairs))
            for theme in THEME_IDS}


def _averaged(first: dict[str, Scores], second: dict[str, Scores]) -> dict[str, Scores]:
    return {k: Scores((first[k].precision + second[k].precision) / 2,
                      (first[k].recall + second[k].recall) / 2,
                      (first[k].f1 + second[k].f1) / 2,
                      (first[k].support + second[k].support) // 2) for k in first}


def report(name: str, tagged: Sequence[tuple[Coded, Tags]]) -> CodedReport:
    risky = [(r, t) for r, t in tagged if r.both_risk]
    calm = [(r, t) for r, t in tagged if r.both_none]
    flagged_risky = [(r, t) for r, t in risky if t.risk != NO_RISK]
    same_level = [(r, t) for r, t in flagged_risky if r.risk[0] == r.risk[1]]
    agreed = [(r.agreed_sentiment, t.sentiment) for r, t in tagged if r.agreed_sentiment]
    themes = _averaged(*(_theme_scores([(r.themes[c], frozenset(t.theme_ids))
                                        for r, t in tagged]) for c in (0, 1)))
    return CodedReport(
        name, len(tagged),
        len(flagged_risky) / len(risky) if risky else 1.0, len(risky),
        sum(t.risk != NO_RISK for _, t in calm) / len(calm) if calm else 0.0, len(calm),
        (sum(r.risk[0] == t.risk for r, t in same_level) / len(same_level)
         if same_level else 1.0),
        sum(a == b for a, b in agreed) / len(agreed) if agreed else 0.0, len(agreed),
        themes)


def coders_agreement(rows: Sequence[Coded]) -> CodedReport:
    """Coder B scored as if it were the tagger, against coder A: the ceiling."""
    tagged = []
    for r in rows:
        tags = Tags(r.sentiment[1], 0.0, (), r.risk[1])
        tagged.append((r, tags))
    agreed = [r for r in rows if r.agreed_sentiment]
    flagged = [r for r in rows if r.risk[0] != NO_RISK or r.risk[1] != NO_RISK]
    base = report("coders", tagged)
    return CodedReport(
        "coder A against coder B", len(rows),
        sum(r.both_risk for r in flagged) / len(flagged) if flagged else 1.0, len(flagged),
        0.0, base.both_none, base.level_agreement,
        len(agreed) / len(rows) if rows else 0.0, len(rows),
        _theme_scores([(r.themes[0], r.themes[1]) for r in rows]))


def tag_all(rows: Sequence[Coded], tag: Callable[[str], Tags]) -> list[tuple[Coded, Tags]]:
    return [(r, tag(r.text)) for r in rows]


def format_coded(report: CodedReport, ceiling: CodedReport | None = None) -> str:
    def beside(value: float, ceiling_value: float | None) -> str:
        return f"{value:.3f}" + (f" (coders {ceiling_value:.3f})"
                                 if ceiling_value is not None else "")

    c = ceiling
    lines = [
        f"== {report.name}: {report.size} messages",
        f"risk: flagged {beside(report.risk_recall, c.risk_recall if c else None)} of the "
        f"{report.both_risk} both coders flag; false alarms {report.false_alarms:.3f} of the "
        f"{report.both_none} both call none; level right on "
        f"{beside(report.level_agreement, c.level_agreement if c else None)}",
        "sentiment: accuracy "
        f"{beside(report.sentiment_accuracy, c.sentiment_accuracy if c else None)}"
        f" on the {report.sentiment_agreed} both agree on",
        f"themes: macro-F1 {beside(report.themes_macro_f1, c.themes_macro_f1 if c else None)}",
    ]
    for theme, s in report.themes.items():
        if s.support:
            lines.append(f"  {theme:<19} P {s.precision:.2f}  R {s.recall:.2f}  "
                         f"F1 {s.f1:.2f}  n={s.support}")
    return "\n".join(lines)
