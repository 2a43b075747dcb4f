"""The language carebot is speaking now, to whoever the message being built is for.

It is a context variable: each update is handled in its own task, so setting it for the
sender (bot/languages.py) never leaks into another person's reply, and a job that writes
to many people sets it around each one with `speaking(language)`."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

SOURCE_LANGUAGE = "en"  # the language conversations/texts.py is written in

_spoken: ContextVar[str] = ContextVar("carebot_language", default=SOURCE_LANGUAGE)


def language_now() -> str:
    return _spoken.get()


def speak(language: str | None) -> None:
    """From here on in this task (one update being handled), speak `language`."""
    _spoken.set(language or SOURCE_LANGUAGE)


@contextmanager
def speaking(language: str | None) -> Iterator[None]:
    """Build what is inside in `language` (None: the source language)."""
    token = _spoken.set(language or SOURCE_LANGUAGE)
    try:
        yield
    finally:
        _spoken.reset(token)
