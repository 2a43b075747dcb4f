"""Odd input, answered kindly and logged: edits, media, unknown commands, forged or stale
buttons, and, as a last line of defence, a handler that failed."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta

from telegram import Message, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, filters

from carebot.bot.context import Context
from carebot.bot.gathering import media_in
from carebot.bot.handlers.checkin_chat import media_answer, waiting_for_words
from carebot.bot.handlers.common import (
    Said,
    answer_query,
    forged_tap,
    note,
    reply,
    reply_from_memory,
    sender_of,
    usable_person,
)
from carebot.bot.menu import PEOPLE
from carebot.conversations.texts import text
from carebot.storage import checkins, directory, read_list
from carebot.storage.models import EventKind

log = logging.getLogger(__name__)


async def not_one_to_one(update: Update, context: Context) -> None:
    """First for every update: people's words, check-ins and data stay in private chats.
    From a group or channel, nothing is stored or acted on. Someone who wrote there is
    told once that the bot only talks one to one; anything else (a request to join, the
    bot or someone added or removed, a reaction, a pinned message) is only logged: posting
    into a group for something nobody said to the bot would be a message nobody asked for,
    seen by everyone in it."""
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    if update.callback_query is not None:  # answered on the tapper's screen, not posted
        await answer_query(update, text("odd.private_only"))
    elif not _someone_wrote(update):
        log.info("a %s update from %s chat %s: ignored, I only talk one to one",
                 _kind_of(update), chat.type, chat.id)
    elif chat.id not in context.runtime.told_shared_chats:
        context.runtime.told_shared_chats.add(chat.id)
        log.info("an update from %s chat %s: told it I only talk one to one", chat.type,
                 chat.id)
        with contextlib.suppress(TelegramError):  # e.g. a channel the bot may not post in
            await chat.send_message(text("odd.private_only"))
    raise ApplicationHandlerStop


def _someone_wrote(update: Update) -> bool:
    """A message or channel post with something in it a person typed or sent, rather than
    a note of what happened in the chat (someone joined, left, pinned, renamed it)."""
    return (update.effective_message is not None
            and not filters.StatusUpdate.ALL.check_update(update))


def _kind_of(update: Update) -> str:
    """Which kind of update this is, e.g. "chat_join_request", for the log."""
    return next((str(kind) for kind in Update.ALL_TYPES
                 if getattr(update, str(kind), None) is not None), "unknown")


async def unknown_button(update: Update, context: Context) -> None:
    """The last tap handler: data that fits no kind of button."""
    await forged_tap(update, context)


async def media_message(update: Update, context: Context) -> None:
    """Photos, stickers, voice notes and the like, with no words: carebot cannot read
    them, but a person can. From someone who draws on care or a carer they are kept, and
    so go on the service's read list (storage/read_list.py), where staff can look or
    listen in Telegram; the sender is told someone will. An album is one message
    (bot/gathering.py): one reply, and noted once, with how many."""
    person = await usable_person(update, context)
    if person is None:
        return
    rt = context.runtime
    message = update.effective_message
    kinds = media_kinds(message)
    album = kinds.split(", ")
    await note(rt, update, EventKind.MEDIA_RECEIVED, person, detail=kinds if len(album) == 1
               else f"album of {len(album)} ({', '.join(dict.fromkeys(album))})")
    if message is None or person.role not in PEOPLE:
        await reply(rt, update, text("odd.media"))
        return
    service = (None if person.service_id is None
               else await directory.get_service(rt.db, person.service_id))
    sent = Said("", "\n".join(item.file_id for item in media_in(message)) or None,
                message.message_id)
    answering = await waiting_for_words(rt, person)
    if service is not None and sent.media_file_id is not None and answering is not None:
        await reply(rt, update, text(thanks_for(album), service=service.name))
        await media_answer(context.bot, rt, person, message.chat_id, answering, sent, album)
        return
    checkin = await checkins.open_checkin_of(rt.db, person.id)
    await read_list.keep_media(
        rt.db, person_id=person.id, service_id=person.service_id,
        checkin_id=None if checkin is None else checkin.id, kinds=kinds,
        file_ids="\n".join(item.file_id for item in media_in(message)) or None,
        duration=_duration(message), message_id=message.message_id, now=rt.clock.now())
    await reply(rt, update, text("odd.media") if service is None
                else text(thanks_for(album), service=service.name))


def thanks_for(kinds: list[str]) -> str:
    """The thanks that says what someone will do with it: listen, look, or both."""
    heard = {"voice", "audio", "video_note", "video"}
    seen = {"photo", "video", "video_note", "animation", "sticker", "document"}
    if set(kinds) <= heard - seen:
        return "thanks.voice"
    if set(kinds) <= seen - heard:
        return "thanks.picture"
    return "thanks.media"


def media_kinds(message: Message | None) -> str:
    """What a message brought, as kinds ("voice", "photo, photo"), for the event log and
    for the reader's "They sent a voice note"."""
    if message is None:
        return "media"
    album = media_in(message)
    if album:
        return ", ".join(item.kind for item in album)
    return next((k for k in ("location", "contact", "venue", "poll", "dice")
                 if getattr(message, k, None)), "media")


def _duration(message: Message) -> int | None:
    for kind in ("voice", "video", "video_note", "audio"):
        attachment = getattr(message, kind, None)
        if attachment is not None:  # PTB 22 gives a timedelta (earlier: seconds)
            length = attachment.duration
            return int(length.total_seconds() if isinstance(length, timedelta) else length)
    return None


async def unknown_command(update: Update, context: Context) -> None:
    rt = context.runtime
    person = await sender_of(update, rt)
    message = update.effective_message
    await note(rt, update, EventKind.UNKNOWN_COMMAND, person,
               detail=None if message is None else (message.text or "")[:64])
    await reply(rt, update, text("odd.not_allowed" if person else "odd.not_enrolled"))


async def on_error(update: object, context: Context) -> None:
    """Last line of defence: tell the person something went wrong on our side (words
    from memory, so a full disk or a locked database cannot stop the reply), then log it."""
    log.error("handler failed", exc_info=context.error)
    with contextlib.suppress(KeyError):  # no runtime yet: the bot is still starting
        context.runtime.ops.metrics.handler_errors.inc()
    if not isinstance(update, Update):
        return
    with contextlib.suppress(TelegramError):
        if update.callback_query is not None:
            await answer_query(update, text("odd.our_fault"))
        else:
            await reply_from_memory(update, text("odd.our_fault"))
    try:
        await note(context.runtime, update, EventKind.HANDLER_ERROR,
                   detail=repr(context.error)[:500])
    except Exception as error:  # the error may be the database itself
        log.error("could not note a handler error either: %s", type(error).__name__)
