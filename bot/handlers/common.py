"""Pieces every handler uses: who is writing, logging odd input, replying safely.
(How handlers are declared and guarded is in bot/handlers/declared.py.)"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Collection
from dataclasses import dataclass, replace

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest, TelegramError

from carebot.bot.buttons import keyboard_to_json
from carebot.bot.context import Context, Runtime
from carebot.bot.delivery import send_now
from carebot.bot.gathering import media_in
from carebot.bot.telegram_bot import CarebotBot
from carebot.conversations.texts import text
from carebot.storage import directory, events, outbox
from carebot.storage.db import storable
from carebot.storage.models import EventKind, Person, PersonStatus, Purpose, Role

log = logging.getLogger(__name__)


async def sender_of(update: Update, rt: Runtime) -> Person | None:
    """Who sent this update, if enrolled. Someone marked as having blocked the bot who
    writes again has unblocked it, so they are active again."""
    user = update.effective_user
    if user is None:
        return None
    person = await directory.person_by_telegram_id(rt.db, user.id)
    if person is not None and person.status is PersonStatus.BLOCKED:
        await directory.set_person_status(rt.db, person.id, PersonStatus.ACTIVE,
                                          rt.clock.now())
        await note(rt, update, EventKind.UNBLOCKED, person)
        person = replace(person, status=PersonStatus.ACTIVE)
    return person


async def note(rt: Runtime, update: Update, kind: EventKind, person: Person | None = None,
               detail: str | None = None) -> None:
    """Keep a line in the event log (never the words of someone not enrolled)."""
    user = update.effective_user
    await events.log_event(
        rt.db, kind=kind, now=rt.clock.now(),
        telegram_user_id=None if user is None else user.id,
        person_id=None if person is None else person.id, detail=detail,
    )
    log.info("%s from %s", kind, "someone not enrolled" if person is None
             else f"person {person.id}")
    if rt.config.log_words:
        log.debug("%s detail: %s", kind, detail)


async def reply(rt: Runtime, update: Update, words: str,
                reply_markup: InlineKeyboardMarkup | None = None) -> int | None:
    """Send `words` to the chat the update came from, written to the outbox first so that
    a fault or a crash delays it but never loses it; None if it did not go now."""
    chat = update.effective_chat
    if chat is None:
        return None
    message = outbox.NewMessage(
        chat.id, Purpose.REPLY, text=words,
        reply_markup=None if reply_markup is None else keyboard_to_json(reply_markup))
    bot = update.get_bot()
    assert isinstance(bot, CarebotBot)
    return await send_now(bot, rt, message)


async def reply_from_memory(update: Update, words: str) -> None:
    """Send `words` without touching the database, for when the database is the fault."""
    chat = update.effective_chat
    if chat is not None:
        with contextlib.suppress(TelegramError):
            await chat.send_message(words)


async def forged(update: Update, context: Context, person: Person | None,
                 detail: str) -> None:
    """A tap that fits its kind of button but not what is true (someone else's record, a
    value that means nothing): kept in the event log and answered as unknown."""
    await note(context.runtime, update, EventKind.FORGED_BUTTON, person, detail=detail)
    await answer_query(update, text("odd.unknown_button"))


async def forged_tap(update: Update, context: Context) -> None:
    """A tap whose data fits no kind of button: forged, or from a version long gone."""
    query = update.callback_query
    if query is None:
        return
    await note(context.runtime, update, EventKind.FORGED_BUTTON, detail=(query.data or "")[:64])
    await answer_query(update, text("odd.unknown_button"))


async def answer_query(update: Update, words: str | None = None) -> None:
    """Every button tap gets an answer, so the phone stops showing its spinner."""
    query = update.callback_query
    if query is None:
        return
    try:
        await query.answer(words)
    except BadRequest as error:  # too old: Telegram forgot the tap
        log.info("could not answer a tap: %s", error)


async def remove_buttons(update: Update) -> None:
    """Take the buttons off the message that was tapped, so it cannot be tapped again."""
    await set_buttons(update, None)


async def set_buttons(update: Update, markup: InlineKeyboardMarkup | None) -> None:
    """Show `markup` (None: no buttons) on the message that was tapped, e.g. the moves
    still open to an issue after one was made."""
    query = update.callback_query
    if query is None or query.message is None:
        return
    try:
        await query.edit_message_reply_markup(reply_markup=markup)
    except BadRequest as error:  # unchanged, gone, or too old to edit
        log.info("could not change buttons: %s", error)


async def usable_person(update: Update, context: Context) -> Person | None:
    """The enrolled, consenting sender; otherwise a kind reply and None."""
    rt = context.runtime
    person = await sender_of(update, rt)
    if person is None:
        await note(rt, update, EventKind.NOT_ENROLLED)
        await reply(rt, update, text("odd.not_enrolled"))
        return None
    if person.status is PersonStatus.AWAITING_CONSENT:
        await reply(rt, update, text("consent.needed"))
        return None
    if person.status is not PersonStatus.ACTIVE:
        await note(rt, update, EventKind.AFTER_STOP, person)
        # Stopped by an admin (paused, left, the service closed), not by their own /stop.
        await reply(rt, update, text("start.paused" if person.admin_stopped_at
                                     else "odd.stopped"))
        return None
    return person


async def person_in_role(update: Update, context: Context, roles: Collection[Role],
                         what: str) -> Person | None:
    """The enrolled, consenting sender if their role may do `what` (e.g. "/issues");
    otherwise a kind refusal, kept in the event log, and None."""
    person = await usable_person(update, context)
    if person is None:
        return None
    if person.role not in roles:
        await note(context.runtime, update, EventKind.NOT_AUTHORISED, person, detail=what)
        await reply(context.runtime, update, text("odd.not_allowed"))
        return None
    return person


@dataclass(frozen=True)
class Said:
    """What a person sent in words: the words (storable as they are), the photos or files
    they came with (`media_file_id`), and which of the person's messages it was (to link
    a later edit; an album's or a paste's first part, bot/gathering.py)."""

    words: str
    media_file_id: str | None  # one Telegram file id a line: an album has several
    message_id: int

    @classmethod
    def in_message(cls, message: Message) -> Said | None:
        words = message.text or message.caption
        if words is None:
            return None
        return cls(storable(words), media_file_id(message), message.message_id)


def media_file_id(message: Message) -> str | None:
    """The Telegram file id of a message's photo (its largest size), video, file or voice
    note, so a person can look at it later; None for words alone. An album is one message
    with several (bot/gathering.py): their ids are kept one a line, in the order sent, in
    the one `media_file_id` column of answers and issues."""
    media = media_in(message)
    return "\n".join(item.file_id for item in media) if media else None


async def warn_if_duty_contact(update: Update, rt: Runtime, person: Person, *,
                               gone: bool) -> None:
    """A duty contact leaving (/stop, /forget) is told that their services' safeguarding
    alerts will then reach nobody. Once they have gone (`gone`), the admin is told too,
    through the log and the event log."""
    covered = await directory.services_covered_by(rt.db, person.id)
    if not covered:
        return
    names = ", ".join(service.name for service in covered)
    if gone:
        log.error("duty contact (person %s) has left: safeguarding alerts for service(s) %s "
                  "will reach nobody until a new duty contact is set", person.id,
                  ", ".join(str(service.id) for service in covered))
        await note(rt, update, EventKind.DUTY_CONTACT_LEFT, person, detail=names)
    else:
        await reply(rt, update, text("duty.leaving", services=names))
