"""What happens to a private chat rather than in it: the person blocks or unblocks the bot,
pins a message or sets an auto-delete timer, or changes a command after it ran. None of
these is something new said to the bot, so none is kept as feedback or answered with
"I cannot look at photos"; a block or unblock changes whether carebot writes to them."""

from __future__ import annotations

import logging

from telegram import ChatMember, Update

from carebot.bot.context import Context
from carebot.bot.handlers.common import note, reply
from carebot.conversations.texts import text
from carebot.storage import directory
from carebot.storage.models import EventKind

log = logging.getLogger(__name__)

# What Telegram calls the bot's place in a private chat the person has blocked it in.
_BLOCKED = ChatMember.BANNED  # "kicked"


async def bot_membership(update: Update, context: Context) -> None:
    """Telegram says at once when a person blocks or unblocks the bot (`my_chat_member`).
    Blocked: nothing more is sent to them, and a duty contact is passed over in alert
    chains now, not after a message fails. Unblocked: check-ins and alerts reach them
    again, without their having to write first. Nothing is sent: a person who has just
    unblocked the bot has not asked for anything."""
    changed = update.my_chat_member
    user = update.effective_user
    if changed is None or user is None:
        return
    rt = context.runtime
    person = await directory.person_by_telegram_id(rt.db, user.id)
    if person is None:
        log.info("someone not enrolled %s the bot", _what(changed.new_chat_member.status))
        return
    blocked = changed.new_chat_member.status == _BLOCKED
    if blocked:
        changed_status = await directory.mark_blocked(rt.db, person.id)
    elif changed.old_chat_member.status == _BLOCKED:
        changed_status = await directory.mark_unblocked(rt.db, person.id)
    else:
        return
    if changed_status:
        await note(rt, update, EventKind.BLOCKED if blocked else EventKind.UNBLOCKED, person)


def _what(status: str) -> str:
    return "blocked" if status == _BLOCKED else "unblocked"


async def chat_note(update: Update, context: Context) -> None:
    """A note Telegram adds to the chat (a pinned message, an auto-delete timer, a chat
    photo): the person did not write to the bot, so nothing is kept or answered."""
    message = update.effective_message
    what = "note" if message is None else next(
        (kind for kind in ("pinned_message", "message_auto_delete_timer_changed",
                           "new_chat_photo", "delete_chat_photo", "new_chat_title")
         if getattr(message, kind, None)), "note")
    log.info("a %s in a private chat: nothing to answer", what)


async def edited_command(update: Update, context: Context) -> None:
    """A command changed after it was sent is not run again: /forget or /checkin twice by
    a slip of the finger would surprise. The person is told how to run it again."""
    await note(context.runtime, update, EventKind.EDITED_COMMAND)
    await reply(context.runtime, update, text("odd.edited_command"))
