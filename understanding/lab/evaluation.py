"""How well the tagger does, measured on comments it was never tuned on.

    carebot eval --data ../shared/data/feedback-dev.csv --extra bench/data/social-care.csv

The FFT comments are split once and for all by a hash of their row number: 30 % are the
untouched part, never used for training, thresholds or cue-writing. Sentiment comes from
the coders' criticality (< 0 negative, 0 neutral, > 0 positive); themes from their codes
mapped to carebot's ids (shared/data/README.md). Each comment has one code, so a second
true theme the tagger finds counts against it: "strict". "Credited" scores precision only
on comments whose coded theme the tagger found or that had no carebot theme at all, to
show what that costs. "On comments coded with a theme" leaves out of precision the
comments coded with no carebot theme (care received, staff in general, nothing to
improve), where a theme the tagger finds may be right but cannot be counted so.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from carebot.understanding.labels import SENTIMENTS
from carebot.understanding.tagger import Tagger, Tags, default_tagger
from carebot.understanding.themes import THEME_IDS

UNTOUCHED_PERCENT = 30

CODE_TO_THEME = {
    code: theme
    for theme, codes in {
        "staff_attitude": "sa ce", "staff_competence": "sp", "staffing_time": "sl co",
        "punctuality": "wa wb", "continuity": "tc", "communication": "mi mm ml cs",
        "involvement_choice": "dp cr", "dignity": "dd da", "safety": "ds", "medication": "cm",
        "food_drink": "ef", "personal_care": "cp", "social_activities": "ca",
        "environment": "ee eq ec", "access": "ap al", "transport": "ep", "cost": "xf",
        "family_carers": "cf dc", "coordination": "ti tx tt",
    }.items()
    for code in codes.split()
}


@dataclass(frozen=True)
class Labelled:
    id: str
    text: str
    sentiment: str | None          # None: no usable rating
    themes: frozenset[str]
    risk: str | None = None        # only in the team's social-care set
    source: str = ""               # the trust, for FFT comments


def _sentiment_of(criticality: str) -> str | None:
    try:
        value = int(criticality)
    except ValueError:
        return None
    return "negative" if value < 0 else "positive" if value > 0 else "neutral"


def load_feedback(path: Path) -> list[Labelled]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Labelled(row["row_index"], row["feedback"], _sentiment_of(row["criticality"]),
                     frozenset({CODE_TO_THEME[row["code"]]} if row["code"] in CODE_TO_THEME
                               else ()), source=row["organization"])
            for row in csv.DictReader(handle)
            if row["feedback"].strip()
        ]


def load_team_set(path: Path) -> list[Labelled]:
    """The team's social-care comments: text, sentiment, themes (;-joined), risk.
    A label that is not one of carebot's is refused, so a typo cannot skew the scores."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = [
            Labelled(row["id"], row["text"], row["sentiment"],
                     frozenset(t for t in row["themes"].split(";") if t), row["risk"])
            for row in csv.DictReader(handle)
        ]
    for row in rows:
        if (row.sentiment not in SENTIMENTS or not row.themes <= set(THEME_IDS)
                or row.risk not in ("none", "concern", "urgent")):
            raise ValueError(f"{path.name}: row {row.id} has a label carebot does not use")
    return rows


def is_untouched(row: Labelled) -> bool:
    digest = hashlib.sha256(f"carebot-split:{row.id}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % 100 < UNTOUCHED_PERCENT


def split(rows: list[Labelled]) -> tuple[list[Labelled], list[Labelled]]:
    """(tuning, untouched)."""
    return [r for r in rows if not is_untouched(r)], [r for r in rows if is_untouched(r)]


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    support: int


def _scores(tp: int, fp: int, fn: int) -> Scores:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, tp + fn)


def _class_scores(pairs: Sequence[tuple[str | None, str]], label: str) -> Scores:
    """One class of a single-label task, from (truth, guess) pairs."""
    return _scores(sum(truth == label == guess for truth, guess in pairs),
                   sum(truth != label == guess for truth, guess in pairs),
                   sum(truth == label != guess for truth, guess in pairs))


def macro(scores: Iterable[Scores]) -> float:
    counted = [s.f1 for s in scores if s.support]
    return sum(counted) / len(counted) if counted else 0.0


@dataclass(frozen=True)
class Report:
    name: str
    size: int
    sentiment_accuracy: float
    sentiment: dict[str, Scores]
    themes: dict[str, Scores]
    themes_credited: dict[str, Scores]
    themes_coded_only: dict[str, Scores]
    risk: dict[str, Scores]

    @property
    def sentiment_macro_f1(self) -> float:
        return macro(self.sentiment.values())

    @property
    def themes_macro_f1(self) -> float:
        return macro(self.themes.values())

    @property
    def themes_credited_macro_f1(self) -> float:
        return macro(self.themes_credited.values())

    @property
    def themes_coded_only_macro_f1(self) -> float:
        return macro(self.themes_coded_only.values())


def evaluate(rows: list[Labelled], name: str, tagger: Tagger | None = None) -> Report:
    tagger = tagger or default_tagger()
    return report_on(name, [(row, tagger.tag(row.text)) for row in rows])


def report_on(name: str, tagged: Sequence[tuple[Labelled, Tags]]) -> Report:
    """Scores for comments already tagged, whichever taggers tagged them."""
    rated = [(row.sentiment, tags.sentiment) for row, tags in tagged
             if row.sentiment is not None]
    sentiment = {label: _class_scores(rated, label) for label in SENTIMENTS}
    accuracy = sum(truth == guess for truth, guess in rated) / len(rated) if rated else 0.0
    themes, credited, coded_only = {}, {}, {}
    for theme in THEME_IDS:
        tp = sum(theme in r.themes and theme in t.theme_ids for r, t in tagged)
        fn = sum(theme in r.themes and theme not in t.theme_ids for r, t in tagged)
        fp = sum(theme not in r.themes and theme in t.theme_ids for r, t in tagged)
        fp_credited = sum(theme not in r.themes and theme in t.theme_ids
                          and not (r.themes & set(t.theme_ids)) for r, t in tagged)
        fp_coded = sum(theme not in r.themes and theme in t.theme_ids and bool(r.themes)
                       for r, t in tagged)
        themes[theme] = _scores(tp, fp, fn)
        credited[theme] = _scores(tp, fp_credited, fn)
        coded_only[theme] = _scores(tp, fp_coded, fn)
    risky = [(row.risk, tags.risk) for row, tags in tagged if row.risk is not None]
    risk = {level: _class_scores(risky, level)
            for level in ("none", "concern", "urgent")} if risky else {}
    return Report(name, len(tagged), accuracy, sentiment, themes, credited, coded_only, risk)


def format_report(report: Report) -> str:
    lines = [f"== {report.name}: {report.size} comments",
             f"sentiment: accuracy {report.sentiment_accuracy:.3f}, "
             f"macro-F1 {report.sentiment_macro_f1:.3f}"]
    for label, s in report.sentiment.items():
        lines.append(f"  {label:<10} P {s.precision:.2f}  R {s.recall:.2f}  "
                     f"F1 {s.f1:.2f}  n={s.support}")
    lines.append(f"themes: macro-F1 {report.themes_macro_f1:.3f} strict, "
                 f"{report.themes_credited_macro_f1:.3f} credited, "
                 f"{report.themes_coded_only_macro_f1:.3f} on comments coded with a theme "
                 "(themes with examples)")
    for theme in THEME_IDS:
        s, c = report.themes[theme], report.themes_credited[theme]
        if s.support or s.precision:
            lines.append(f"  {theme:<19} P {s.precision:.2f} ({c.precision:.2f})  "
                         f"R {s.recall:.2f}  F1 {s.f1:.2f} ({c.f1:.2f})  n={s.support}")
    if report.risk:
        lines.append("risk:")
        for level, s in report.risk.items():
            lines.append(f"  {level:<10} P {s.precision:.2f}  R {s.recall:.2f}  "
                         f"F1 {s.f1:.2f}  n={s.support}")
    return "\n".join(lines)


def main(data: Path, extra: Path | None) -> list[Report]:
    _, untouched = split(load_feedback(data))
    reports = [evaluate(untouched, f"FFT comments, untouched split ({data.name})")]
    if extra is not None:
        reports.append(evaluate(load_team_set(extra), f"social-care comments ({extra.name})"))
    for report in reports:
        print(format_report(report))
    return reports
