"""Every handler, as its own module declares it: what a command does (`@on_command`), what
a tap on a kind of button does (`@on_tap`, `@on_person_tap`), and what sending a kind of
staff note does (`notes_of`). Each is recorded here as the module is imported, once:
declaring the same command, button or note twice is an error at import, not a handler
silently shadowed. bot/application.py routes updates from these records, and typed words
go down the route tables in bot/handlers/typed_words.py (one for people, one for staff).

Who may do what is declared with the thing itself: a command's roles in bot/menu.py's
COMMANDS (which also makes the menus and /help), a button's in its `who`. The guards
here apply them, so a handler that runs knows it is allowed to."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Update

from carebot.bot.buttons import ANYONE, CallbackButton
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers.common import (
    answer_query,
    forged,
    forged_tap,
    person_in_role,
    usable_person,
)
from carebot.bot.handlers.owners import owns
from carebot.bot.menu import roles_for
from carebot.storage.drafts import Draft
from carebot.storage.models import DraftPurpose, Person

Button = TypeVar("Button", bound=CallbackButton)
Handler = Callable[[Update, Context], Coroutine[Any, Any, None]]
PersonHandler = Callable[[Update, Context, Person], Coroutine[Any, Any, None]]
TapHandler = Callable[[Update, Context, Button], Coroutine[Any, Any, None]]
PersonTapHandler = Callable[[Update, Context, Button, Person], Coroutine[Any, Any, None]]


class DeclaredTwiceError(TypeError):
    """A command, button or note declared a second time."""


# --- Commands -------------------------------------------------------------------------

# What each /command does, by name, as the modules declared them.
COMMANDS: dict[str, Handler] = {}


def on_command(name: str) -> Callable[[Handler], Handler]:
    """Make `handler(update, context)` what `/name` does. The handler finds who sent it
    and checks their role itself (for commands with a reply of their own to those who may
    not use them, such as /talk for staff)."""
    roles_for(name)  # KeyError: every command is declared in bot/menu.py first

    def register(handler: Handler) -> Handler:
        if name in COMMANDS:
            raise DeclaredTwiceError(f"/{name} already has a handler")
        COMMANDS[name] = handler
        return handler
    return register


def on_person_command(name: str) -> Callable[[PersonHandler], Handler]:
    """Make `handler(update, context, person)` what `/name` does, run only for an
    enrolled, consenting sender of a role bot/menu.py lets use it; anyone else gets the
    kind refusal every command gives."""
    roles = roles_for(name)

    def register(handler: PersonHandler) -> Handler:
        @functools.wraps(handler)
        async def guarded(update: Update, context: Context) -> None:
            person = await person_in_role(update, context, roles, f"/{name}")
            if person is not None:
                await handler(update, context, person)
        return on_command(name)(guarded)
    return register


# --- Taps -----------------------------------------------------------------------------

# Every tap handler, with the kind of button it is for; bot/application.py routes each
# kind's pattern to its handler.
TAPS: list[tuple[type[CallbackButton], Handler]] = []


def _registered(kind: type[CallbackButton], handler: Handler) -> Handler:
    if any(known is kind for known, _ in TAPS):
        raise DeclaredTwiceError(f"{kind.__name__} already has a tap handler")
    TAPS.append((kind, handler))
    return handler


def _unpacked(kind: type[Button], handler: TapHandler[Button]) -> Handler:
    """PTB routes by `kind.pattern()`, but hands a tap with empty data to every pattern's
    handler, so the data is read again here; what is not a `kind` is a forged tap."""
    @functools.wraps(handler)
    async def unpacked(update: Update, context: Context) -> None:
        query = update.callback_query
        button = kind.unpack(None if query is None else query.data)
        if button is None:
            await forged_tap(update, context)
            return
        await handler(update, context, button)
    return unpacked


def on_tap(kind: type[Button]) -> Callable[[TapHandler[Button]], Handler]:
    """Make `handler(update, context, button)` the handler for taps on `kind` buttons that
    ANYONE may tap (the handler finds who tapped)."""
    if kind.who is not ANYONE:
        raise TypeError(f"{kind.__name__} says who may tap it: use on_person_tap")

    def wrap(handler: TapHandler[Button]) -> Handler:
        return _registered(kind, _unpacked(kind, handler))
    return wrap


def on_person_tap(kind: type[Button]) -> Callable[[PersonTapHandler[Button]], Handler]:
    """Make `handler(update, context, button, person)` the handler for taps on `kind`
    buttons; it runs only for a tap `tapper` lets through, and is given who tapped."""
    if kind.who is ANYONE:
        raise TypeError(f"anyone may tap {kind.__name__}: use on_tap")

    def wrap(handler: PersonTapHandler[Button]) -> Handler:
        @functools.wraps(handler)
        async def guarded(update: Update, context: Context, button: Button) -> None:
            person = await tapper(update, context, button)
            if person is not None:
                await handler(update, context, button, person)
        return _registered(kind, _unpacked(kind, guarded))
    return wrap


async def tapper(update: Update, context: Context, tap: CallbackButton) -> Person | None:
    """The one guard on taps: who tapped, if they are enrolled and consenting, of a role
    the button allows, and the record it is about is theirs (all as `type(tap).who`
    declares). Anyone else's tap is answered, refused as a command would be or (not
    their record) as forged, and goes no further."""
    who = type(tap).who
    assert who is not None
    person = (await usable_person(update, context) if who.roles is None
              else await person_in_role(update, context, who.roles, who.what))
    if person is None:
        await answer_query(update)
        return None
    if who.owns is not None:
        record_id = getattr(tap, type(tap).fields()[0].name)  # a button names its record first
        if not await owns(context.runtime, person, who.owns, record_id):
            await forged(update, context, person, f"{who.what} {record_id}")
            return None
    return person


# --- Notes staff type -----------------------------------------------------------------

@dataclass(frozen=True)
class NoteUse:
    """What a kind of staff note does: how it is shown before sending, and what sending
    does (returning what to tell the member of staff)."""

    preview: Callable[[Runtime, Person, Draft], Awaitable[str | None]]
    send: Callable[[Context, Update, Person, Draft], Awaitable[str]]


# What each kind of note does, as the modules that start such notes declared it.
NOTES: dict[DraftPurpose, NoteUse] = {}


def notes_of(*purposes: DraftPurpose, preview: Callable[[Runtime, Person, Draft],
                                                         Awaitable[str | None]],
             send: Callable[[Context, Update, Person, Draft], Awaitable[str]]) -> None:
    """Declare how notes of these kinds are previewed and sent."""
    for purpose in purposes:
        if purpose in NOTES:
            raise DeclaredTwiceError(f"{purpose} notes already have a use")
        NOTES[purpose] = NoteUse(preview, send)
