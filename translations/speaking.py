"""The language carebot is speaking now, to whoever the message being built is for.

It is a context variable: each update is handled in its own task, so setting it for the
sender (bot/handlers/language_choice.py) never leaks into another person's reply, and a
job that writes to many people sets it around each one with `speaking(language)`. A
language carebot does not speak (an invite may name one) is spoken as English, dates
and all."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from babel import Locale, UnknownLocaleError

from carebot.translations.catalogues import SOURCE_LANGUAGE, spoken_languages

# One message in each reader's language, by the language as people's records hold it.
InEachLanguage = dict[str | None, str]

_spoken: ContextVar[str] = ContextVar("carebot_language", default=SOURCE_LANGUAGE)


def language_now() -> str:
    return _spoken.get()


def language_called(code: str) -> str:
    """A language's name in the language being spoken ("Welsh"; in Polish "walijski")."""
    try:
        return Locale.parse(code).get_display_name(language_now()) or code
    except (ValueError, UnknownLocaleError):
        return code


def _spoken_as(language: str | None) -> str:
    return language if language in spoken_languages() else SOURCE_LANGUAGE


def speak(language: str | None) -> None:
    """From here on in this task (one update being handled), speak `language`."""
    _spoken.set(_spoken_as(language))


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Build what is inside in `language` (None: the source language)."""
    token = _spoken.set(_spoken_as(language))
    try:
        yield
    finally:
        _spoken.reset(token)


async def said_in_each(languages: Iterable[str | None],
                       build: Callable[[], str | Awaitable[str]]) -> InEachLanguage:
    """The same message built once in each of `languages` (as people's `language` holds
    them: None is the source language), for sending each reader their own."""
    said: InEachLanguage = {}
    for language in set(languages):
        with speaking(language):
            built = build()
            said[language] = await built if inspect.isawaitable(built) else built
    return said
