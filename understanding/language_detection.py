"""Which language a person wrote in, so that words not in English are not given an
English sentiment or themes, are labelled for whoever reads them, and are checked for
risk with their own language's words (understanding/risk_words.py).

Lingua (Apache-2.0, its models ship in its wheel, nothing is fetched) in its low-accuracy
mode: about 20 MB in memory where its high-accuracy mode takes over 250 MB. Its short-text
weakness is why the rules around it lean to English, which is what carebot reads best:
a message of fewer than three words, or one Lingua is not sure of, counts as English
(measured on the 12,011 English comments in ../shared/data, 3 are called something
else). Scripts other than Latin are told by their letters alone."""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from lingua import Language, LanguageDetector, LanguageDetectorBuilder

ENGLISH = "en"
# The Latin-script languages most spoken at home in England besides English (and Welsh).
LATIN = (Language.ENGLISH, Language.WELSH, Language.POLISH, Language.ROMANIAN,
         Language.PORTUGUESE, Language.LITHUANIAN, Language.SPANISH, Language.FRENCH,
         Language.TURKISH, Language.SOMALI, Language.ITALIAN)
SURE = 0.7  # Lingua's confidence below which a Latin-script message counts as English
FEWEST_WORDS = 3
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


def written_in(words: str) -> str:
    """The ISO 639-1 code of the language `words` are in ("en" when in doubt)."""
    letters = [c for c in words if c.isalpha()]
    if not letters:
        return ENGLISH
    scripts = [_script(c) for c in letters]
    main = max(set(scripts), key=scripts.count)
    if main == "ARABIC":
        return "ur" if _URDU_LETTERS & set(words) else "ar"
    if main in _SCRIPTS:
        return _SCRIPTS[main]
    if main != "LATIN" or len(re.findall(r"\w+", words)) < FEWEST_WORDS:
        return ENGLISH
    found = _detector().compute_language_confidence_values(words)
    best = found[0]
    if best.value < SURE or best.language.iso_code_639_1 is None:
        return ENGLISH
    return best.language.iso_code_639_1.name.lower()
