"""Every language carebot speaks says what the English says: each catalogue is in step
with the English, keeps every {blank}, has a form for every count its language needs,
and reads plainly; a fuzzy (unchecked) translation is never shown (issue 32, items 1-2)."""

from __future__ import annotations

import re
import string
from io import BytesIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from carebot.conversations.texts import PLURALS, english_texts, plural, text
from carebot.translations.catalogues import catalogue_path, spoken_languages, translations
from carebot.translations.speaking import language_now, speaking
from carebot.translations.upkeep import brought_up_to_date
from carebot.translations.upkeep import read as read_catalogue

COMPLETE = ("cy", "pl")  # every text translated and checked
# Urdu is complete for what a person reads as they join and answer a check-in; the rest a
# council's translator can finish (an empty entry is said in English).
PARTIAL = {"ur": ("checkin.", "question.", "choice.", "consent.", "start.", "easy.",
                  "language.", "thanks.", "help.person", "mydata.summary", "forget.")}
TRANSLATED = (*COMPLETE, *PARTIAL)

MAX_SENTENCE_WORDS = 20  # the English bar, in every language
# The longest word a message may use, in letters: each language's everyday long words fit
# (Polish "niebezpieczeństwie", in danger, is 18; Welsh "gwasanaethau", services, 12),
# its officialese does not.
LONGEST_WORD = {"cy": 14, "pl": 18, "ur": 12}
# The mean word length of a message of 10 words or more, at most: about that of everyday
# prose in the language, so no message reads harder than a newspaper's news page.
MEAN_WORD = {"cy": 5.5, "pl": 7.0, "ur": 4.5}


def _catalogue(language: str) -> Catalog:
    return read_catalogue(catalogue_path(language), language)


def _entries(language: str) -> dict[str, tuple[str, ...]]:
    """Each translated key's forms (one, or one per plural form)."""
    found = {}
    for message in _catalogue(language):
        if not message.id or "fuzzy" in message.flags:
            continue
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if all(forms):
            found[str(message.context)] = tuple(str(form) for form in forms)
    return found


def _blanks(words: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(words) if name}


def test_the_languages_spoken_are_english_and_each_catalogue() -> None:
    assert spoken_languages() == ("en", "cy", "pl", "ur")


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_catalogue_is_in_step_with_the_english(language: str) -> None:
    """`carebot texts --update-catalogues` has been run since the English last changed:
    every key is there with today's English, and no key is left from before."""
    english = english_texts()
    held = {str(m.context): m.id for m in _catalogue(language) if m.id}
    assert set(held) == set(english)
    assert [key for key, words in english.items() if held[key] != words] == []


@pytest.mark.parametrize("language", COMPLETE)
def test_a_complete_language_has_every_text(language: str) -> None:
    assert sorted(set(english_texts()) - set(_entries(language))) == []


@pytest.mark.parametrize("language", PARTIAL)
def test_a_partial_language_has_everything_a_person_reads_to_join_and_answer(
        language: str) -> None:
    needed = {key for key in english_texts() if key.startswith(PARTIAL[language])}
    assert sorted(needed - set(_entries(language))) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_every_blank(language: str) -> None:
    english = english_texts()
    for key, forms in _entries(language).items():
        source = english[key]
        if isinstance(source, str):
            assert _blanks(forms[0]) == _blanks(source), key
        else:  # a form may leave out the count ("once more"), never add a blank
            assert all(_blanks(form) <= _blanks(source[1]) for form in forms), key


@pytest.mark.parametrize("language", TRANSLATED)
def test_counts_have_every_form_their_language_needs(language: str) -> None:
    needed = get_plural(language).num_plurals
    for message in _catalogue(language):
        if message.id and isinstance(message.id, tuple):
            assert isinstance(message.string, tuple) and len(message.string) == needed


@pytest.mark.parametrize(("language", "count", "words"), [
    ("en", 1, "1 working day"), ("en", 2, "2 working days"),
    ("pl", 1, "1 dzień roboczy"), ("pl", 2, "2 dni robocze"), ("pl", 5, "5 dni roboczych"),
    ("pl", 22, "22 dni robocze"), ("pl", 12, "12 dni roboczych"),
])
def test_a_count_takes_its_languages_form(language: str, count: int, words: str) -> None:
    with speaking(language):
        assert plural("chase.working_days", count) == words


def test_welsh_has_its_own_form_for_two() -> None:
    with speaking("cy"):
        two, three = plural("chase.working_days", 2), plural("chase.working_days", 3)
    assert two != three.replace("3", "2")  # "2 ddiwrnod gwaith", mutated after "dau"


def test_every_count_fills_in_every_language() -> None:
    for language in spoken_languages():
        with speaking(language):
            for key in PLURALS:
                for count in (0, 1, 2, 3, 4, 5, 6, 11, 12, 22, 1000):
                    assert plural(key, count, service="S", message="M")


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_translation_reads_plainly(language: str) -> None:
    """Short sentences and everyday words, measured as each language's own editors would
    (syllable-based scores such as Flesch are English only)."""
    problems = []
    for key, forms in _entries(language).items():
        for form in forms:
            words = re.sub(r"\{[^}]*\}|https?://\S+|/[a-z_]+", "", form)
            for sentence in re.split(r"(?<=[.?!۔؟])\s+|\n+", words):
                if len(sentence.split()) > MAX_SENTENCE_WORDS:
                    problems.append(f"{key}: a sentence of {len(sentence.split())} words")
            letters = [w for w in re.findall(r"[^\W\d_]+", words) if w != "Telegram"]
            long_words = [w for w in letters if len(w) > LONGEST_WORD[language]]
            if long_words:
                problems.append(f"{key}: {long_words}")
            if len(letters) >= 10:
                mean = sum(map(len, letters)) / len(letters)
                if mean > MEAN_WORD[language]:
                    problems.append(f"{key}: words of {mean:.1f} letters on average")
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_buttons_stay_short(language: str) -> None:
    labels = ("choice.", "command.", "consent.yes", "consent.no", "easy.choice.",
              "forget.yes", "forget.no", "alert.dealing", "alert.contacted")
    for key, forms in _entries(language).items():
        if key.startswith(labels):
            assert len(forms[0]) <= 64 and len(forms[0].split()) <= 6, (key, forms[0])


def test_text_is_said_in_the_language_being_spoken() -> None:
    english = text("consent.yes")
    with speaking("cy"):
        welsh = text("consent.yes")
        with speaking("pl"):
            assert text("consent.yes") not in (english, welsh)
        assert text("consent.yes") == welsh
    assert welsh != english and text("consent.yes") == english


def test_a_language_with_no_catalogue_is_english() -> None:
    """An invite may name a language carebot does not speak yet (Punjabi): everything,
    dates too, is then in English, not English words around a Punjabi date."""
    with speaking("pa"):
        assert text("consent.yes") == "Yes, that is OK" and language_now() == "en"


def test_changed_english_marks_its_translation_fuzzy_and_it_is_not_used() -> None:
    old = Catalog(locale="cy", domain="carebot")
    old.add("Yes, that is OK", "Ydy, mae hynny'n iawn", context="consent.yes")
    old.add("Gone", "Wedi mynd", context="gone.key")
    new, changes = brought_up_to_date(old, {"consent.yes": "Yes, please",
                                            "new.key": "New words"}, "cy")
    assert (changes.added, changes.changed, changes.dropped) == (1, 1, 1)
    entry = new.get("Yes, please", context="consent.yes")
    assert entry is not None and "fuzzy" in entry.flags
    assert entry.previous_id == ["Yes, that is OK"]
    compiled = BytesIO()
    write_mo(compiled, new, use_fuzzy=False)
    assert b"Ydy, mae hynny" not in compiled.getvalue()


def test_the_catalogues_read_back_as_babel_writes_them() -> None:
    for language in TRANSLATED:
        with catalogue_path(language).open("rb") as po:
            assert len(list(read_po(po, locale=language))) > 400
        assert translations(language).pgettext("consent.yes", "Yes, that is OK") != (
            "Yes, that is OK")
