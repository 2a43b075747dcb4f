"""How warm or cold the words of a text are, from VADER's lexicon: 7,500 words, slang and
emoticons, each rated by ten people (Hutto and Gilbert, 2014; MIT licence).

The lexicon ships inside the vaderSentiment wheel and is read here as data. The scoring
keeps VADER's main rules (a "not" in the three words before flips and softens a word,
"very" and "so" strengthen the next, what follows "but" counts more than what came
before), applied to the plain words the rest of the tagger reads, so a text is split
once. It knows plain praise ("lovely", "superb", "patient") that TextBlob's adjective
list lacks. A few emoji are read too, as people send them for yes, thanks and sad.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources

NEGATED = -0.74        # VADER's factor for a word after a negator
BOOST = 0.293          # VADER's step for "very", "really" …
BEFORE_BUT, AFTER_BUT = 0.5, 1.5
ALPHA = 15             # VADER's normalising constant

_NEGATORS = frozenset({
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "without",
    "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "havent", "hasnt",
    "hadnt", "wont", "wouldnt", "cant", "cannot", "couldnt", "shouldnt", "aint",
})
_BOOSTERS = frozenset({
    "very", "really", "so", "extremely", "absolutely", "incredibly", "totally", "truly",
    "most", "completely", "highly", "especially", "particularly", "super", "always",
})
_EMOJI = {"👍": 1.5, "🙂": 1.5, "😊": 2.0, "😀": 2.0, "😃": 2.0, "😁": 2.0, "❤": 2.5,
          "💕": 2.5, "🥰": 2.5, "👏": 1.5, "🙏": 1.0, "⭐": 1.5, "👎": -1.5, "🙁": -1.5,
          "☹": -1.5, "😞": -2.0, "😢": -2.0, "😭": -2.5, "😡": -2.5, "😠": -2.5}
# Words the lexicon rates that mean something plain in care, not a feeling.
_PLAIN_IN_CARE = frozenset({"care", "cares", "caring", "help", "helps", "please", "like",
                            "pretty", "well", "block", "pressure", "falls", "hospital"})


@dataclass(frozen=True)
class Warmth:
    compound: float   # -1 … 1, as VADER's compound
    positive: float   # sum of the warm words' ratings
    negative: float   # sum of the cold words' ratings (as a positive number)


@cache
def lexicon() -> dict[str, float]:
    raw = resources.files("vaderSentiment").joinpath("vader_lexicon.txt").read_text("utf-8")
    rated: dict[str, float] = {}
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha() and parts[0] not in _PLAIN_IN_CARE:
            rated[parts[0].lower()] = float(parts[1])
    return rated


def warmth(words: tuple[str, ...] | list[str], text: str = "") -> Warmth:
    """VADER's rules over plain words (and the emoji in `text`)."""
    rated = lexicon()
    scores: list[float] = []
    but_at = -1
    for i, word in enumerate(words):
        if word == "but":
            but_at = len(scores)
        value = rated.get(word)
        if value is None:
            continue
        if i and words[i - 1] in _BOOSTERS:
            value += BOOST if value > 0 else -BOOST
        if any(w in _NEGATORS for w in words[max(0, i - 3):i]):
            value *= NEGATED
        scores.append(value)
    if but_at >= 0:
        scores = [v * (BEFORE_BUT if k < but_at else AFTER_BUT) for k, v in enumerate(scores)]
    if not text.isascii():
        scores += [v for ch, v in _EMOJI.items() for _ in range(text.count(ch))]
    total = sum(scores)
    return Warmth(total / math.sqrt(total * total + ALPHA) if scores else 0.0,
                  sum(v for v in scores if v > 0), -sum(v for v in scores if v < 0))
