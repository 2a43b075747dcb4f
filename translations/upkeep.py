"""Keeping the catalogues in step with the English (`carebot texts --update-catalogues`).

Each text is an entry whose context is its key. When the English of a key changes, its
translation is kept for the translator to check but marked fuzzy, so it is not used until
they have; a key that is gone is dropped; a new key is added untranslated. The template
(`po/carebot.pot`) holds the English alone, for a council's translator to start from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po

from carebot.translations.catalogues import CATALOGUE_FOLDER, DOMAIN, catalogue_path

# A text is its English words, or a (one, many) pair for a count.
English = str | tuple[str, str]
TEMPLATE = CATALOGUE_FOLDER / f"{DOMAIN}.pot"
PROJECT = "carebot"
HEADER = """\
# What carebot says to people, in one language. Each entry's context (msgctxt) is the
# text's key; its msgid the English. Keep {names} in braces as they are. An entry marked
# fuzzy is not used until it is checked: the English changed since it was translated.
# Plain words: short sentences, one question at a time, everyday words."""


@dataclass(frozen=True)
class Changes:
    language: str
    added: int  # new keys, not yet translated
    changed: int  # the English changed: translation kept, marked fuzzy
    dropped: int  # keys no longer used


def _catalogue(locale: str | None, like: Catalog | None = None) -> Catalog:
    """An empty catalogue, with the header (dates, translator) of `like` if given, so
    that bringing a file up to date changes only what changed."""
    catalogue = Catalog(locale=locale, domain=DOMAIN, project=PROJECT, fuzzy=False,
                        charset="utf-8", copyright_holder="carebot's contributors",
                        header_comment=HEADER)
    if like is not None:
        catalogue.creation_date = like.creation_date
        catalogue.revision_date = like.revision_date
        catalogue.last_translator = like.last_translator
        catalogue.language_team = like.language_team
    return catalogue


def template(english: Mapping[str, English], like: Catalog | None = None) -> Catalog:
    catalogue = _catalogue(None, like)
    for key, words in sorted(english.items()):
        catalogue.add(words, context=key)
    return catalogue


def read(path: Path, language: str) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale=language, domain=DOMAIN)


def write(catalogue: Catalog, path: Path) -> None:
    with path.open("wb") as po:
        write_po(po, catalogue, width=96, sort_output=False, ignore_obsolete=True,
                 include_previous=True)


def _by_key(catalogue: Catalog) -> dict[str, Message]:
    return {m.context: m for m in catalogue if m.id and m.context}


def brought_up_to_date(old: Catalog, english: Mapping[str, English],
                       language: str) -> tuple[Catalog, Changes]:
    """`old` with every key of `english`, in key order, and what changed."""
    new = _catalogue(language, old)
    kept = _by_key(old)
    added = changed = 0
    for key, words in sorted(english.items()):
        before = kept.get(key)
        if before is None:
            new.add(words, context=key)
            added += 1
            continue
        same = before.id == words
        flags = set(before.flags) if same else {*before.flags, "fuzzy"}
        previous = before.previous_id if same else [before.id] if isinstance(before.id, str) \
            else list(before.id)
        changed += not same and bool(before.string)
        new.add(words, before.string, context=key, flags=flags,
                auto_comments=before.auto_comments, user_comments=before.user_comments,
                previous_id=previous)
    dropped = len(set(kept) - set(english))
    return new, Changes(language, added, changed, dropped)


def start(language: str, english: Mapping[str, English]) -> Path:
    """A new, empty catalogue for `language`, to be translated."""
    path = catalogue_path(language)
    if path.exists():
        raise FileExistsError(path)
    write(brought_up_to_date(_catalogue(language), english, language)[0], path)
    return path


def update_all(english: Mapping[str, English]) -> list[Changes]:
    """Write the template and bring every language's catalogue up to date."""
    write(template(english, read(TEMPLATE, "en") if TEMPLATE.is_file() else None), TEMPLATE)
    results = []
    for path in sorted(CATALOGUE_FOLDER.glob("*.po")):
        catalogue, changes = brought_up_to_date(read(path, path.stem), english, path.stem)
        write(catalogue, catalogue_path(path.stem))
        results.append(changes)
    return results
