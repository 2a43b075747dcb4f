"""What a piece of free text says: sentiment for now, themes and risk to follow (issue 5).

TextBlob's PatternAnalyzer is the only part of TextBlob that works offline, so it is the
only part used. Tags are worked out once, when the text arrives, and stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from textblob import TextBlob

TAGGER_NAME = "textblob-polarity/1"

# Polarity at or beyond these counts as positive or negative.
POSITIVE_FROM = 0.1
NEGATIVE_TO = -0.1


@dataclass(frozen=True)
class Tags:
    sentiment: str  # negative | neutral | positive
    polarity: float


def sentiment_label(polarity: float) -> str:
    if polarity >= POSITIVE_FROM:
        return "positive"
    if polarity <= NEGATIVE_TO:
        return "negative"
    return "neutral"


def tag_text(words: str) -> Tags:
    polarity = float(TextBlob(words).sentiment.polarity) if words.strip() else 0.0
    return Tags(sentiment=sentiment_label(polarity), polarity=round(polarity, 4))
