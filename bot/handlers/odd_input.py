"""Odd input, answered kindly and logged: edits, media, unknown commands, forged or stale
buttons, and, as a last line of defence, a handler that failed."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, filters

from carebot.bot.context import Context
from carebot.bot.gathering import media_in
from carebot.bot.handlers.common import (
    answer_query,
    forged_tap,
    note,
    reply,
    reply_from_memory,
    sender_of,
    usable_person,
)
from carebot.conversations.texts import text
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
    """Photos, stickers, voice notes and the like: not understood yet, said kindly. An
    album is one message (bot/gathering.py): one reply, and noted once, with how many."""
    person = await usable_person(update, context)
    if person is None:
        return
    message = update.effective_message
    kind = "media"
    if message is not None:
        kind = next((k for k in ("photo", "sticker", "voice", "video", "document", "location",
                                 "contact", "audio", "video_note", "animation")
                     if getattr(message, k, None)), "media")
        if len(album := media_in(message)) > 1:
            kinds = ", ".join(dict.fromkeys(item.kind for item in album))
            kind = f"album of {len(album)} ({kinds})"
    await note(context.runtime, update, EventKind.MEDIA_RECEIVED, person, detail=kind)
    await reply(context.runtime, update, text("odd.media"))


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
