"""Each kind of button is declared once and handled once: its prefix is its own, and its
tap handler, registered by its module (`@on_tap`, `@on_person_tap`), is the only one.
A second of either fails as it is written, not when a tap goes to the wrong place."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Annotated, ClassVar

import pytest
from telegram import Update

import carebot.bot.application  # noqa: F401 (imports every handler module, so all taps register)
from carebot.bot.buttons import ANYONE, CallbackButton, ConsentButton, DraftButton
from carebot.bot.callback_data import CallbackData, Id, YesNo
from carebot.bot.context import Context
from carebot.bot.handlers.declared import TAPS, on_person_tap, on_tap
from carebot.storage.models import Person

KINDS = CallbackButton.__subclasses__()


def test_every_kind_has_one_tap_handler() -> None:
    handled = Counter(kind for kind, _ in TAPS)
    assert set(handled) == set(KINDS)
    assert [kind.__name__ for kind, count in handled.items() if count > 1] == []


def test_every_prefix_is_one_kinds() -> None:
    prefixes = Counter(kind.prefix for kind in KINDS)
    assert [prefix for prefix, count in prefixes.items() if count > 1] == []
    assert all(CallbackData.by_prefix[kind.prefix] is kind for kind in KINDS)


def test_a_second_tap_handler_for_a_kind_is_refused() -> None:
    before = list(TAPS)

    async def again(update: Update, context: Context, tap: ConsentButton) -> None:
        raise AssertionError("never registered")

    async def draft_again(update: Update, context: Context, tap: DraftButton,
                          person: Person) -> None:
        raise AssertionError("never registered")

    with pytest.raises(TypeError, match="already has a tap handler"):
        on_tap(ConsentButton)(again)
    with pytest.raises(TypeError, match="already has a tap handler"):
        on_person_tap(DraftButton)(draft_again)
    assert before == TAPS


def test_a_taken_prefix_is_refused() -> None:
    with pytest.raises(TypeError, match="is taken"):
        @dataclass(frozen=True)
        class Again(CallbackButton, prefix="ack"):
            who: ClassVar = ANYONE
            alert_id: Id
    assert CallbackData.by_prefix["ack"].__name__ == "AckButton"


def test_a_guard_that_does_not_fit_the_declaration_is_refused() -> None:
    """A button anyone may tap has no guard to skip, and one with a guard cannot lose it."""
    with pytest.raises(TypeError, match="use on_person_tap"):
        on_tap(DraftButton)
    with pytest.raises(TypeError, match="use on_tap"):
        on_person_tap(ConsentButton)


def test_a_field_must_say_how_it_is_written() -> None:
    @dataclass(frozen=True)
    class Loose(CallbackData, prefix="test-loose"):
        agreed: bool

    @dataclass(frozen=True)
    class Tight(CallbackData, prefix="test-tight"):
        agreed: Annotated[bool, YesNo()]

    with pytest.raises(TypeError, match="Annotated"):
        Loose.pattern()
    assert Tight(True).pack() == "test-tight|yes"
