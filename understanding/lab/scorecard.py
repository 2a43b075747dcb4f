"""The tagger's scorecard (`make eval`): each figure issue 13 asks for, its target, and the
two coders' agreement beside it, measured only where the tagger was not tuned.

Safeguarding's rules were written with the tuning half of social-care-dev.tsv: their
honest figure is the untouched half's, and social-care-dev-2.tsv's. The learned risk model
(issue 29) was trained on every coded message, so on them it is scored by nested grouped
cross-validation (risk_training.py), and on the FFT comments of the untouched split.
Sentiment and themes are learnt, so they are scored by 5-fold cross-validation (each
message tagged by a model trained without it).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from carebot.understanding.lab.coders import (
    Coded,
    coders_agreement,
    format_coded,
    halves,
    report,
    tag_all,
)
from carebot.understanding.lab.evaluation import Labelled, load_feedback, split
from carebot.understanding.labels import NO_RISK
from carebot.understanding.tagger import Tagger, default_tagger

PLAIN_PRAISE = ("very good", "they are good", "staff were superb", "lovely staff",
                "patient and kind", "I like the lunch", "The new carer is patient and kind",
                "I like the lunch at the centre, especially the Friday fish")
TRUSTS = ("Trust A", "Trust C")


def _share(part: int, whole: int) -> str:
    return f"{part} of {whole} ({part / whole:.1%})" if whole else "none"


def safeguarding(coded: dict[str, list[Coded]], fft: list[Labelled], tagger: Tagger,
                 cross_validate: bool) -> list[str]:
    lines = ["== Safeguarding: the rules alone (safeguarding.toml, as `carebot tag --fast`)"]
    rules = Tagger(fast=True)
    for name, rows in coded.items():
        parts = (("untouched half, never read", halves(rows)[1]), ("all", rows)) \
            if name == "social-care-dev.tsv" else (("all, written after the rules", rows),)
        for part_name, part in parts:
            found = report(f"{name}, {part_name}", tag_all(part, rules.tag))
            lines += format_coded(found, coders_agreement(part)).splitlines()[:2]
    _, untouched = split(fft)
    for name, reader in (("rules alone", rules), ("rules and model", tagger)):
        flagged = sum(reader.tag(row.text).risk != NO_RISK for row in untouched)
        lines.append(f"FFT comments flagged, untouched split, {name}: "
                     f"{_share(flagged, len(untouched))} (target: at most 1%)")
    if cross_validate:
        from carebot.understanding.lab import risk_training

        data, _ = risk_training.with_tuned_reader(risk_training.examples(coded, split(fft)[0]))
        nested, _, _ = risk_training.nested(data)
        lines += risk_training.format_figures(
            "Safeguarding: rules and the learned model, nested grouped cross-validation",
            nested).splitlines()
    lines.append("targets: at least 0.85 of the messages both coders flag are flagged; false "
                 "alarms at most 5% of those both call none")
    return lines


def sentiment(fft_untouched: list[Labelled], tagger: Tagger) -> list[str]:
    lines = ["== Sentiment, positive against negative on FFT comments (untouched split)"]
    together = right_together = 0
    for trust in TRUSTS:
        rows = [r for r in fft_untouched
                if r.source == trust and r.sentiment in ("positive", "negative")]
        right = sum(tagger.tag(r.text).sentiment == r.sentiment for r in rows)
        together += len(rows)
        right_together += right
        lines.append(f"  {trust}: {right / len(rows):.3f} of {len(rows)}" if rows else "")
    if together:
        lines.append(f"  trusts A and C together: {right_together / together:.3f} "
                     "(target: at least 0.90)")
    said = [(text, tagger.tag(text).sentiment) for text in PLAIN_PRAISE]
    lines.append("plain praise (target: all positive): "
                 + "; ".join(f"{text!r} {label}" for text, label in said))
    return lines


def learnt(fft_tuning: list[Labelled], coded: list[Coded]) -> list[str]:
    """Sentiment and themes on the social-care messages by cross-validation."""
    try:
        from carebot.understanding.lab.training import cross_validate_coded
    except ImportError:  # pragma: no cover - scikit-learn is a developer's extra
        return ["(cross-validation needs scikit-learn: pip install -e '.[train]')"]
    tagged = cross_validate_coded(fft_tuning, coded)
    found = report("social-care messages, 5-fold cross-validation", tagged)
    return [*format_coded(found, coders_agreement(coded)).splitlines(),
            "targets: sentiment accuracy at least 0.85 on messages both coders agree on; "
            "themes macro-F1 at least 0.70"]


def main(data: Path, coded_paths: Sequence[Path], cross_validate: bool = True) -> None:
    from carebot.understanding.lab.coders import load_coded

    fft = load_feedback(data)
    fft_tuning, fft_untouched = split(fft)
    coded = {path.name: load_coded(path) for path in coded_paths}
    tagger = default_tagger()
    lines = [*safeguarding(coded, fft, tagger, cross_validate),
             *sentiment(fft_untouched, tagger)]
    if cross_validate:
        lines += learnt(fft_tuning, [row for rows in coded.values() for row in rows])
    print("\n".join(line for line in lines if line))
