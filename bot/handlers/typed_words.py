"""Words a person sends, typed or as the caption of a photo or file: an answer to a
check-in question waiting for one, or else new feedback. With a caption, the media's file id
is kept beside the words. A message changed later is kept as a new version and read again.
Staff who type get their help text."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers import checkin as checkin_handlers
from bot.handlers import feedback as feedback_handlers
from bot.handlers.common import Said, note, reply, usable_person
from bot.handlers.help_and_talk import help_key
from bot.safeguarding import take_edit
from conversations.texts import text
from storage import checkins
from storage.models import EventKind, Role

LONG_MESSAGE = 1000  # characters: past this, the person is told it was all kept


async def text_message(update: Update, context: Context) -> None:
    message = update.effective_message
    said = None if message is None else Said.in_message(message)
    if said is None:
        return
    person = await usable_person(update, context)
    if person is None:
        return
    if person.role not in (Role.PERSON, Role.CARER):
        await reply(context.runtime, update, text(help_key(person.role)))
        return
    waiting = await checkins.open_checkin_of(context.runtime.db, person.id)
    if waiting is None or not await checkin_handlers.typed_answer(update, context, person,
                                                                 waiting, said):
        await feedback_handlers.new_feedback(update, context, person, said)
    if len(said.words) > LONG_MESSAGE:
        await reply(context.runtime, update, text("odd.too_long"))


async def edited_message(update: Update, context: Context) -> None:
    """A changed message: both versions are kept, the new one is tagged, and a risk it
    adds raises an alert."""
    message = update.edited_message
    person = await usable_person(update, context)
    if person is None or message is None:
        return
    rt = context.runtime
    await note(rt, update, EventKind.EDITED_MESSAGE, person, detail=f"message {message.message_id}")
    said = Said.in_message(message)
    if said is not None and person.role in (Role.PERSON, Role.CARER):
        told = await take_edit(context.bot, rt, person, said.words, said.message_id)
        if told is not None:
            await reply(rt, update, told)
    await reply(rt, update, text("odd.edited"))
