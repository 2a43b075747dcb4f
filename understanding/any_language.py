"""Tagging words in whatever language they were written. English words go through the
tagger (sentiment, themes, risk). Words in another language get no sentiment and no
themes, since the tagger would read them as English and be wrong; their risk is read
with that language's own words where carebot has them (risk_words.py), and they are
labelled with their language so a person reads them as they were written."""

from __future__ import annotations

from carebot.understanding.labels import NO_RISK, RISK_LEVELS
from carebot.understanding.language_detection import ENGLISH, detected
from carebot.understanding.risk_words import languages, risk_in
from carebot.understanding.tagger import Tags, tag_text

NO_SENTIMENT = ""  # not read: the words are not in English


def tag_words(words: str) -> Tags:
    found = detected(words)
    language = found.language
    if language == ENGLISH and not found.sure:
        # Too short, or unsure: English it is, unless another language's own words for
        # harm are in it ("Tata upadł w łazience."), which make it that language's.
        language = next((other for other in sorted(languages())
                         if risk_in(words, other).level != NO_RISK), ENGLISH)
    if language == ENGLISH:
        return tag_text(words)
    risk = risk_in(words, language)
    # Ranked on the read list by level alone: no model scored these words.
    score = RISK_LEVELS.index(risk.level) / (len(RISK_LEVELS) - 1)
    return Tags(sentiment=NO_SENTIMENT, polarity=0.0, themes=(), risk=risk.level,
                risk_reasons=risk.reasons, evidence={"risk": risk.words}, risk_score=score,
                language=language)
