"""The tagger's scorecard (`make eval`): each figure issue 13 asks for, its target, and the
two coders' agreement beside it, measured only where the tagger was not tuned.

Safeguarding is rules, written with the tuning half of the social-care messages: its
honest figure is the untouched half's. Sentiment and themes are learnt, so they are
scored by 5-fold cross-validation (each message tagged by a model trained without it).
"""

from __future__ import annotations

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


def safeguarding(coded: list[Coded], fft: list[Labelled], tagger: Tagger) -> list[str]:
    tuning, untouched = halves(coded)
    lines = ["== Safeguarding (rules, safeguarding.toml)"]
    for name, part in (("untouched half, never read", untouched),
                       ("tuning half, cues checked on it", tuning), ("all", coded)):
        found = report(f"social-care messages, {name}", tag_all(part, tagger.tag))
        lines += format_coded(found, coders_agreement(part)).splitlines()[:2]
    flagged = sum(tagger.tag(row.text).risk != NO_RISK for row in fft)
    lines.append(f"FFT comments flagged (all of feedback-dev.csv): {_share(flagged, len(fft))}"
                 " (target: at most 1%)")
    lines.append("targets: every message both coders flag is flagged; false alarms at most "
                 "5% of those both call none")
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
            "themes macro-F1 at least 0.75"]


def main(data: Path, coded_path: Path, cross_validate: bool = True) -> None:
    from carebot.understanding.lab.coders import load_coded

    fft = load_feedback(data)
    fft_tuning, fft_untouched = split(fft)
    coded = load_coded(coded_path)
    tagger = default_tagger()
    lines = [*safeguarding(coded, fft, tagger), *sentiment(fft_untouched, tagger)]
    if cross_validate:
        lines += learnt(fft_tuning, coded)
    print("\n".join(line for line in lines if line))
