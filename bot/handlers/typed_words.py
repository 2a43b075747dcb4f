"""Words a person sends, typed or as the caption of a photo or file: an answer to a
check-in question waiting for one, a question about their earlier feedback ("any news on
CB-1001?"), or else new feedback. With a caption, the media's file id is kept beside the
words. A message changed later is kept as a new version and read again. Staff who type
are writing a note they asked to write, or get their help text.

Two things people do in Telegram change that. A reply to one of the bot's messages is
about that message: to an earlier question, it answers that question; to a message that
asks nothing, it is new feedback (or goes to the member of staff it answers), never the
answer to the question waiting. A forwarded message is someone else's words: kept as
feedback the person passed on (bot/handlers/any_time_feedback.py says how it is read)."""

from __future__ import annotations

from telegram import Message, MessageOriginChannel, MessageOriginChat, MessageOriginUser, Update

from carebot.bot.context import Context
from carebot.bot.handlers import any_time_feedback, checkin_chat, note_drafts, own_feedback, relay
from carebot.bot.handlers.common import Said, note, reply, usable_person
from carebot.bot.handlers.help_and_talk import help_key
from carebot.bot.incoming_words import take_edit
from carebot.conversations.issue_news import asks_about_feedback
from carebot.conversations.texts import text
from carebot.storage import checkins, issues
from carebot.storage.models import EventKind, Person, Role

LONG_MESSAGE = 1000  # characters: past this, the person is told it was all kept


async def text_message(update: Update, context: Context) -> None:
    message = update.effective_message
    said = None if message is None else Said.in_message(message)
    if message is None or said is None:
        return
    person = await usable_person(update, context)
    if person is None:
        return
    if person.role not in (Role.PERSON, Role.CARER):
        if not await note_drafts.typed_note(update, context, person, said):
            await reply(context.runtime, update, text(help_key(person.role)))
        return
    if len(said.words) > LONG_MESSAGE:  # first, so that what comes next ends the chat
        await reply(context.runtime, update, text("odd.too_long"))
    if await checkin_chat.answered_before(update, context, person, said):
        return
    if _forwards_the_bot(message, context.bot.id):
        await reply(context.runtime, update, text("odd.own_message"))
        return  # its words are the bot's: read as the person's, "call 999" would alarm
    if (origin := forwarded_from(message)) is not None:
        await any_time_feedback.new_feedback(update, context, person, said,
                                             forwarded_from=origin)
    else:
        await _own_words(update, context, person, said, message)


async def _own_words(update: Update, context: Context, person: Person, said: Said,
                     message: Message) -> None:
    if await issues.raised_from_message(context.runtime.db, person.id, said.message_id):
        # Handled before a crash: finishing it raises nothing twice (bot/inbox.py).
        await any_time_feedback.new_feedback(update, context, person, said)
        return
    replied = checkin_chat.Reply.ORDINARY
    if (to_bot := replied_to_bot(message, context.bot.id)) is not None:
        replied = await checkin_chat.reply_to_question(update, context, person, said,
                                                           to_bot)
    if replied is checkin_chat.Reply.TAKEN:
        return
    if await relay.passed_to_staff(update, context, person, said):
        return  # a reply to a member of staff who wrote about an alert
    question = asks_about_feedback(said.words)
    if (question is not None and question.references and question.only_asking
            and await own_feedback.answer_question(update, context, person, question)):
        return  # "any news on CB-1002?" asks, even while a question waits for an answer
    waiting = (await checkins.open_checkin_of(context.runtime.db, person.id)
               if replied is checkin_chat.Reply.ORDINARY else None)
    answered = waiting is not None and await checkin_chat.typed_answer(
        update, context, person, waiting, said)
    if not answered and not await _asks_about_feedback(update, context, person, said):
        first = {checkin_chat.Reply.ELSEWHERE: text("feedback.reply_new"),
                 checkin_chat.Reply.CLOSED: text("checkin.reply_closed")}.get(replied)
        await any_time_feedback.new_feedback(update, context, person, said, first=first)


def replied_to_bot(message: Message, bot_id: int) -> int | None:
    """The id of the bot's message that `message` replies to (Telegram's reply), if it
    replies to one of the bot's own messages."""
    to = message.reply_to_message
    if to is None or to.from_user is None or to.from_user.id != bot_id:
        return None
    return to.message_id


def _forwards_the_bot(message: Message, bot_id: int) -> bool:
    origin = message.forward_origin
    return isinstance(origin, MessageOriginUser) and origin.sender_user.id == bot_id


def forwarded_from(message: Message) -> str | None:
    """Who wrote a forwarded message, as Telegram shows it (a name, a hidden sender's
    chosen name, or a group or channel's title); None if the person wrote it."""
    origin = message.forward_origin
    if origin is None:
        return None
    if isinstance(origin, MessageOriginUser):
        return origin.sender_user.full_name
    if isinstance(origin, MessageOriginChat):
        return origin.sender_chat.title or text("alert.part.someone")
    if isinstance(origin, MessageOriginChannel):
        return origin.chat.title or text("alert.part.someone")
    name = getattr(origin, "sender_user_name", None)  # MessageOriginHiddenUser
    return str(name) if name else text("alert.part.someone")


async def _asks_about_feedback(update: Update, context: Context, person: Person,
                               said: Said) -> bool:
    """"Any news on CB-1001?": answered, and not kept as new feedback. A message that
    names a reference and says more is new feedback, and the person also sees where the
    reference stands."""
    question = asks_about_feedback(said.words)
    if question is None:
        return False
    if await own_feedback.answer_question(update, context, person, question):
        return True
    if question.references:
        await any_time_feedback.new_feedback(update, context, person, said)
        await own_feedback.show_own(update, context, person, question.references)
        return True
    return False


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
