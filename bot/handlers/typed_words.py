"""Words a person sends, typed or as the caption of a photo or file: an answer to a
check-in question waiting for one, or else new feedback. With a caption, the media's file id
is kept beside the words. Staff who type get their help text."""

from __future__ import annotations

from telegram import Update

from bot.context import Context
from bot.handlers import checkin as checkin_handlers
from bot.handlers import feedback as feedback_handlers
from bot.handlers.common import media_file_id, reply, usable_person
from bot.handlers.help_and_talk import help_key
from conversations.texts import text
from storage import checkins
from storage.db import storable
from storage.models import Role

LONG_MESSAGE = 1000  # characters: past this, the person is told it was all kept


async def text_message(update: Update, context: Context) -> None:
    message = update.effective_message
    words = None if message is None else message.text or message.caption
    if message is None or words is None:
        return
    person = await usable_person(update, context)
    if person is None:
        return
    words = storable(words)
    media = media_file_id(message)
    if person.role not in (Role.PERSON, Role.CARER):
        await reply(update, text(help_key(person.role)))
        return
    waiting = await checkins.open_checkin_of(context.runtime.db, person.id)
    if waiting is not None:
        await checkin_handlers.typed_answer(update, context, person, waiting, words, media)
    else:
        await feedback_handlers.new_feedback(update, context, person, words, media)
    if len(words) > LONG_MESSAGE:
        await reply(update, text("odd.too_long"))
