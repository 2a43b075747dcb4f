"""The languages a person may prefer, by the code carebot keeps (ISO 639-1) and the
names a council's spreadsheet may give them, in English and in the language itself.
The bot speaks those it has texts for and keeps the others' choice for when it does."""

from __future__ import annotations

NAMES: dict[str, tuple[str, ...]] = {
    "en": ("English",),
    "cy": ("Welsh", "Cymraeg"),
    "pl": ("Polish", "Polski"),
    "ur": ("Urdu", "اردو"),
    "pa": ("Punjabi", "Panjabi", "ਪੰਜਾਬੀ"),
    "bn": ("Bengali", "Bangla", "বাংলা"),
    "gu": ("Gujarati", "ગુજરાતી"),
    "ro": ("Romanian", "Română"),
    "ar": ("Arabic", "العربية"),
    "so": ("Somali", "Soomaali"),
    "pt": ("Portuguese", "Português"),
    "lt": ("Lithuanian", "Lietuvių"),
    "ta": ("Tamil", "தமிழ்"),
    "tr": ("Turkish", "Türkçe"),
    "es": ("Spanish", "Español"),
    "fr": ("French", "Français"),
    "zh": ("Chinese", "Mandarin", "Cantonese", "中文"),
}
_BY_NAME = {name.casefold(): code for code, names in NAMES.items()
            for name in (code, *names)}


def language_code(written: str) -> str | None:
    """'Welsh', 'cymraeg', 'CY' → 'cy'; None if carebot does not know it."""
    return _BY_NAME.get(written.strip().casefold())


def language_name(code: str) -> str:
    return NAMES[code][0]


def own_name(code: str) -> str:
    """The language's name in itself ("Cymraeg", "Polski"), as a person looks for it."""
    return NAMES[code][-1]
