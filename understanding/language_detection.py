"""Which language a person wrote in, so that words not in English are not given an
English sentiment or themes, are labelled for whoever reads them, and are checked for
risk with their own language's words (understanding/risk_words.py).

Lingua (Apache-2.0, its models ship in its wheel, nothing is fetched) in its low-accuracy
mode: about 20 MB in memory where its high-accuracy mode takes over 250 MB. Its short-text
weakness is why the rules around it lean to English, which is what carebot reads best:
a message of fewer than three words, one with two or more English words only English
has, or one Lingua is not sure of, counts as English. Scripts other than Latin are told
by their letters alone."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

ENGLISH = "en"
# The Latin-script languages most spoken at home in England besides English (and Welsh).
LATIN = (Language.ENGLISH, Language.WELSH, Language.POLISH, Language.ROMANIAN,
         Language.PORTUGUESE, Language.LITHUANIAN, Language.SPANISH, Language.FRENCH,
         Language.TURKISH, Language.SOMALI, Language.ITALIAN)
SURE = 0.7  # Lingua's confidence below which a Latin-script message counts as English
FEWEST_WORDS = 3
# English words that are not words of the other languages above: two in a message make it
# English whatever Lingua's trigrams say ("Sometimes the minibus is a bit late." reads as
# Portuguese to them). Short words other languages share ("a", "no", "to", "on", "do",
# "are", "me") are left out.
ENGLISH_WORDS = frozenset({
    "the", "is", "and", "of", "it", "was", "they", "she", "he", "my", "we", "not", "have",
    "has", "with", "for", "this", "that", "been", "but", "you", "him", "our", "your",
    "their", "very", "were", "would", "could", "there", "what", "when", "every", "always",
    "never", "because", "just", "again", "all", "can", "will", "get", "got", "i'm", "it's",
    "don't", "didn't", "can't"})
# Letters Urdu uses that Arabic does not.
_URDU_LETTERS = frozenset("ٹڈڑںےھۓۂ")
# Non-Latin scripts, by the first word of their letters' Unicode names.
_SCRIPTS = {"GURMUKHI": "pa", "BENGALI": "bn", "GUJARATI": "gu", "TAMIL": "ta",
            "CJK": "zh", "DEVANAGARI": "hi", "GREEK": "el", "CYRILLIC": "ru"}


@cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LATIN).with_low_accuracy_mode().build()


def _script(letter: str) -> str:
    return unicodedata.name(letter, "").split(" ")[0]


@dataclass(frozen=True)
class Detected:
    language: str  # ISO 639-1
    sure: bool  # False: English only because nothing else was certain (too short, unsure)


def detected(words: str) -> Detected:
    """The language `words` are in, and whether that is known or only the English that
    carebot falls back on."""
    letters = [c for c in words if c.isalpha()]
    if not letters:
        return Detected(ENGLISH, False)
    scripts = [_script(c) for c in letters]
    main = max(set(scripts), key=scripts.count)
    if main == "ARABIC":
        return Detected("ur" if _URDU_LETTERS & set(words) else "ar", True)
    if main in _SCRIPTS:
        return Detected(_SCRIPTS[main], True)
    tokens = re.findall(r"[\w']+", words.lower().replace("’", "'"))
    if main != "LATIN" or len(tokens) < FEWEST_WORDS:
        return Detected(ENGLISH, False)
    if sum(token in ENGLISH_WORDS for token in tokens) >= 2:
        return Detected(ENGLISH, True)
    best = _detector().compute_language_confidence_values(words)[0]
    if best.value < SURE or best.language.iso_code_639_1 is None:
        return Detected(ENGLISH, False)
    return Detected(best.language.iso_code_639_1.name.lower(), True)


def written_in(words: str) -> str:
    """The ISO 639-1 code of the language `words` are in ("en" when in doubt)."""
    return detected(words).language
