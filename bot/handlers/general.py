"""The front door for every update: routes text and taps, and answers odd input kindly."""

from __future__ import annotations

import logging

from telegram import Update

from bot.alerts import ack_tap
from bot.buttons import (
    AckTap,
    AnswerTap,
    ConsentTap,
    ForgetTap,
    KindTap,
    PauseTap,
    ScheduleTap,
    parse_tap,
)
from bot.context import runtime_of
from bot.handlers import checkin as checkin_handlers
from bot.handlers import controls
from bot.handlers import feedback as feedback_handlers
from bot.handlers.common import Context, answer_tap, note, reply, sender_of, usable_person
from bot.handlers.enrolment import consent_tap
from bot.handlers.privacy import forget_tap
from conversations.texts import text
from storage import checkins
from storage.models import Role

log = logging.getLogger(__name__)

LONG_MESSAGE = 1000  # characters: past this, the person is told it was all kept

_HELP = {Role.PERSON: "help.person", Role.CARER: "help.carer"}


async def help_command(update: Update, context: Context) -> None:
    rt = runtime_of(context)
    person = await sender_of(update, rt)
    if person is None:
        await reply(update, text("start.no_code"))
        return
    await reply(update, text(_HELP.get(person.role, "help.staff")))


async def text_message(update: Update, context: Context) -> None:
    """Typed words: an answer to a waiting check-in question, or new feedback."""
    message = update.effective_message
    if message is None or message.text is None:
        return
    person = await usable_person(update, context)
    if person is None:
        return
    words = message.text
    if person.role not in (Role.PERSON, Role.CARER):
        await reply(update, text(_HELP.get(person.role, "help.staff")))
        return
    rt = runtime_of(context)
    waiting = await checkins.open_checkin_of(rt.db, person.id)
    if waiting is not None:
        await checkin_handlers.typed_answer(update, context, person, waiting, words)
    else:
        await feedback_handlers.new_feedback(update, context, person, words)
    if len(words) > LONG_MESSAGE:
        await reply(update, text("odd.too_long"))


async def button_tap(update: Update, context: Context) -> None:
    query = update.callback_query
    if query is None:
        return
    tap = parse_tap(query.data)
    rt = runtime_of(context)
    if tap is None:
        await note(rt, update, "forged_button", detail=(query.data or "")[:64])
        await answer_tap(update, text("odd.unknown_button"))
        return
    if isinstance(tap, ConsentTap):
        await consent_tap(update, context, tap)
        return
    if isinstance(tap, AckTap):
        await ack_tap(update, context, tap)
        return
    if isinstance(tap, ForgetTap):
        await forget_tap(update, context, tap)
        return
    person = await usable_person(update, context)
    if person is None:
        await answer_tap(update)
        return
    if isinstance(tap, AnswerTap):
        await checkin_handlers.answer_tap_received(update, context, person, tap)
    elif isinstance(tap, KindTap):
        await feedback_handlers.kind_tap(update, context, person, tap)
    elif isinstance(tap, ScheduleTap):
        await controls.schedule_tap(update, context, person, tap)
    elif isinstance(tap, PauseTap):
        await controls.pause_tap(update, context, person, tap)


async def edited_message(update: Update, context: Context) -> None:
    """A changed message: both versions are kept; the change is noted, not acted on."""
    message = update.edited_message
    person = await usable_person(update, context)
    if person is None or message is None:
        return
    await note(runtime_of(context), update, "edited_message", person,
               detail=f"message {message.message_id}: {message.text or message.caption or ''}")
    await reply(update, text("odd.edited"))


async def media_message(update: Update, context: Context) -> None:
    """Photos, stickers, voice notes and the like: not understood yet, said kindly."""
    person = await usable_person(update, context)
    if person is None:
        return
    message = update.effective_message
    kind = "media"
    if message is not None:
        kind = next((k for k in ("photo", "sticker", "voice", "video", "document", "location",
                                 "contact", "audio", "video_note", "animation")
                     if getattr(message, k, None)), "media")
    await note(runtime_of(context), update, "media_received", person, detail=kind)
    await reply(update, text("odd.media"))


async def unknown_command(update: Update, context: Context) -> None:
    rt = runtime_of(context)
    person = await sender_of(update, rt)
    message = update.effective_message
    await note(rt, update, "unknown_command", person,
               detail=None if message is None else (message.text or "")[:64])
    await reply(update, text("odd.not_allowed" if person else "odd.not_enrolled"))


async def on_error(update: object, context: Context) -> None:
    """Last line of defence: log it, and tell the person something went wrong on our side."""
    log.error("handler failed", exc_info=context.error)
    if isinstance(update, Update):
        try:
            await note(runtime_of(context), update, "handler_error",
                       detail=repr(context.error)[:500])
            await reply(update, text("odd.our_fault"))
        except Exception:  # the error may be the database itself
            log.exception("could not report a handler error")
