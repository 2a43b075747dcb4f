"""Each language's catalogue, read from its .po file and compiled in memory with Babel.

An entry's context (msgctxt) is the text's key in conversations/texts.py and its msgid the
English, so a translator sees what they translate and an English text that changes no
longer matches its old translation: the person reads the new English until the
translation is brought up to date (`carebot texts --update-catalogues` marks it fuzzy).
Fuzzy entries are never used. Reading the .po itself, not a .mo built beside it, means
the two can never disagree."""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

SOURCE_LANGUAGE = "en"  # the language conversations/texts.py is written in
CATALOGUE_FOLDER = Path(__file__).parent / "po"
DOMAIN = "carebot"


def catalogue_path(language: str) -> Path:
    return CATALOGUE_FOLDER / f"{language}.po"


@cache
def spoken_languages() -> tuple[str, ...]:
    """English first, then each language with a catalogue, by code."""
    return (SOURCE_LANGUAGE, *sorted(p.stem for p in CATALOGUE_FOLDER.glob("*.po")))


def spoken_language(code: str | None) -> str | None:
    """The language carebot speaks for a code as Telegram gives it ("pl", "en-GB"), or
    None when it does not speak it."""
    if not code:
        return None
    base = code.replace("_", "-").split("-")[0].lower()
    return base if base in spoken_languages() else None


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue of `language`; for English (or a language with no
    catalogue) one that gives the English back."""
    path = catalogue_path(language)
    if language == SOURCE_LANGUAGE or not path.is_file():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalogue = read_po(po, locale=language, domain=DOMAIN)
    compiled = BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def translated(language: str, key: str, english: str) -> str:
    return translations(language).pgettext(key, english)


def translated_plural(language: str, key: str, english: tuple[str, str], count: int) -> str:
    """The form of `key` for `count` in `language`, by its own plural rule (Welsh has
    six forms, Polish three)."""
    return translations(language).npgettext(key, english[0], english[1], count)
