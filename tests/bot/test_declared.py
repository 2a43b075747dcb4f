"""Each command and each kind of staff note is declared once, by the handler module that
does it, and every module that declares something is one bot/application.py includes: a
module left out would leave its commands answering "I don't know that one"."""

from __future__ import annotations

import pytest
from telegram import Update

from carebot.bot import menu
from carebot.bot.application import HANDLER_MODULES
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers import typed_words
from carebot.bot.handlers.declared import (
    COMMANDS,
    NOTES,
    TAPS,
    DeclaredTwiceError,
    notes_of,
    on_command,
    on_person_command,
)
from carebot.storage.drafts import Draft
from carebot.storage.models import DraftPurpose, Person


def test_every_command_in_the_menu_has_one_handler_and_no_other_is_handled() -> None:
    assert set(COMMANDS) == {command.name for command in menu.COMMANDS}


def test_every_kind_of_note_has_a_use() -> None:
    assert set(NOTES) == set(DraftPurpose)


def test_every_declaration_comes_from_a_module_the_application_includes() -> None:
    included = {module.__name__ for module in HANDLER_MODULES}
    handlers = [*COMMANDS.values(), *(handler for _, handler in TAPS),
                *(use.send for use in NOTES.values())]
    assert {handler.__module__ for handler in handlers} <= included
    # and none is listed for nothing
    assert included <= {handler.__module__ for handler in handlers}


async def _nothing(update: Update, context: Context) -> None:
    raise AssertionError("never declared")


async def _nothing_for(update: Update, context: Context, person: Person) -> None:
    raise AssertionError("never declared")


async def _no_preview(rt: Runtime, person: Person, draft: Draft) -> str | None:
    raise AssertionError("never declared")


async def _no_send(context: Context, update: Update, person: Person, draft: Draft) -> str:
    raise AssertionError("never declared")


def test_a_second_declaration_is_refused_as_it_is_written() -> None:
    before = (dict(COMMANDS), dict(NOTES))
    with pytest.raises(DeclaredTwiceError, match="/help already has a handler"):
        on_command("help")(_nothing)
    with pytest.raises(DeclaredTwiceError, match="/digest already has a handler"):
        on_person_command("digest")(_nothing_for)
    with pytest.raises(DeclaredTwiceError, match="already have a use"):
        notes_of(DraftPurpose.ACTION, preview=_no_preview, send=_no_send)
    assert before == (COMMANDS, NOTES)


def test_a_command_the_menu_does_not_declare_cannot_be_handled() -> None:
    """Its roles, menu line and README row would be missing."""
    with pytest.raises(KeyError):
        on_command("secret")
    with pytest.raises(KeyError):
        on_person_command("secret")


def test_each_route_table_ends_with_a_route_that_takes_anything() -> None:
    """Typed words always reach someone: new feedback for people, help for staff."""
    assert typed_words.PEOPLE_ROUTES[-1].__name__ == "_new_feedback"
    assert typed_words.STAFF_ROUTES[-1].__name__ == "_staff_help"
    routes = [*typed_words.PEOPLE_ROUTES, *typed_words.STAFF_ROUTES]
    assert len(set(routes)) == len(routes)


def test_the_routes_are_tried_in_the_order_that_keeps_each_meaning() -> None:
    """A repeat after a crash first; the bot's own words before someone else's; a reply
    before the waiting question (it says which question it answers); "any news?" before
    a waiting question takes it as an answer; anything else is new feedback."""
    assert [route.__name__ for route in typed_words.PEOPLE_ROUTES] == [
        "_say_long_is_kept", "_answered_before_a_crash", "_forwards_the_bot", "_passed_on",
        "_raised_before_a_crash", "_reply_to_a_question", "_to_staff_talking_with_them",
        "_only_asks_about_feedback", "_answers_the_waiting_question", "_asks_about_feedback",
        "_new_feedback"]
    assert [route.__name__ for route in typed_words.STAFF_ROUTES] == [
        "_staff_note", "_note_on_recent_alert", "_staff_help"]
