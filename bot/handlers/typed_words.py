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

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from telegram import Message, MessageOriginChannel, MessageOriginChat, MessageOriginUser, Update

from carebot.bot.context import Context
from carebot.bot.handlers import (
    alert_work,
    any_time_feedback,
    checkin_chat,
    note_drafts,
    own_feedback,
    relay,
)
from carebot.bot.handlers.common import Said, note, reply, usable_person
from carebot.bot.handlers.help_and_talk import help_key
from carebot.bot.incoming_words import take_edit
from carebot.conversations.issue_news import asks_about_feedback
from carebot.conversations.texts import text
from carebot.storage import checkins, issues
from carebot.storage.models import EventKind, Person, Role

LONG_MESSAGE = 1000  # characters: past this, the person is told it was all kept


@dataclass
class Typed:
    """One typed message on its way down the routes: who sent it and what they said, and
    what an earlier route found out (how it replies to the bot)."""

    update: Update
    context: Context
    person: Person
    said: Said
    message: Message
    replied: checkin_chat.Reply = checkin_chat.Reply.ORDINARY


# A route takes the message (True) or lets it go on to the next one (False).
Route = Callable[[Typed], Awaitable[bool]]


async def text_message(update: Update, context: Context) -> None:
    """Send typed words down their sender's routes, in order, until one takes them."""
    message = update.effective_message
    said = None if message is None else Said.in_message(message)
    if message is None or said is None:
        return
    person = await usable_person(update, context)
    if person is None:
        return
    typed = Typed(update, context, person, said, message)
    routes = PEOPLE_ROUTES if person.role in (Role.PERSON, Role.CARER) else STAFF_ROUTES
    for route in routes:
        if await route(typed):
            return


# --- The routes, each a few lines; the tables at the end give their order. ------------

async def _staff_note(t: Typed) -> bool:
    return await note_drafts.typed_note(t.update, t.context, t.person, t.said)


async def _note_on_recent_alert(t: Typed) -> bool:
    return (await alert_work.loose_note(t.context.runtime, t.person)
            and await note_drafts.typed_note(t.update, t.context, t.person, t.said))


async def _staff_help(t: Typed) -> bool:
    await reply(t.context.runtime, t.update, text(help_key(t.person.role)))
    return True


async def _say_long_is_kept(t: Typed) -> bool:
    """First, so that what comes next ends the chat; takes nothing."""
    if len(t.said.words) > LONG_MESSAGE:
        await reply(t.context.runtime, t.update, text("odd.too_long"))
    return False


async def _answered_before_a_crash(t: Typed) -> bool:
    return await checkin_chat.answered_before(t.update, t.context, t.person, t.said)


async def _forwards_the_bot(t: Typed) -> bool:
    """Its words are the bot's: read as the person's, "call 999" would alarm."""
    origin = t.message.forward_origin
    if not (isinstance(origin, MessageOriginUser)
            and origin.sender_user.id == t.context.bot.id):
        return False
    await reply(t.context.runtime, t.update, text("odd.own_message"))
    return True


async def _passed_on(t: Typed) -> bool:
    """Someone else's words, forwarded: feedback the person passed on."""
    origin = forwarded_from(t.message)
    if origin is None:
        return False
    await any_time_feedback.new_feedback(t.update, t.context, t.person, t.said,
                                         forwarded_from=origin)
    return True


async def _raised_before_a_crash(t: Typed) -> bool:
    """Handled before a crash: finishing it raises nothing twice (bot/inbox.py)."""
    if not await issues.raised_from_message(t.context.runtime.db, t.person.id,
                                            t.said.message_id):
        return False
    await any_time_feedback.new_feedback(t.update, t.context, t.person, t.said)
    return True


async def _reply_to_a_question(t: Typed) -> bool:
    """A reply to the bot answers what it replies to; else the next routes learn how it
    replied (to a message that asks nothing, or to a question closed)."""
    to_bot = replied_to_bot(t.message, t.context.bot.id)
    if to_bot is not None:
        t.replied = await checkin_chat.reply_to_question(t.update, t.context, t.person,
                                                         t.said, to_bot)
    return t.replied is checkin_chat.Reply.TAKEN


async def _to_staff_talking_with_them(t: Typed) -> bool:
    """A reply to a member of staff who wrote about an alert."""
    return await relay.passed_to_staff(t.update, t.context, t.person, t.said)


async def _only_asks_about_feedback(t: Typed) -> bool:
    """"Any news on CB-1002?" asks, even while a question waits for an answer."""
    question = asks_about_feedback(t.said.words)
    return (question is not None and bool(question.references) and question.only_asking
            and await own_feedback.answer_question(t.update, t.context, t.person, question))


async def _answers_the_waiting_question(t: Typed) -> bool:
    if t.replied is not checkin_chat.Reply.ORDINARY:
        return False  # a reply to another message is never the waiting answer
    waiting = await checkins.open_checkin_of(t.context.runtime.db, t.person.id)
    return waiting is not None and await checkin_chat.typed_answer(
        t.update, t.context, t.person, waiting, t.said)


async def _asks_about_feedback(t: Typed) -> bool:
    """"Any news on CB-1001?": answered, and not kept as new feedback. A message that
    names a reference and says more is new feedback, and the person also sees where the
    reference stands."""
    question = asks_about_feedback(t.said.words)
    if question is None:
        return False
    if await own_feedback.answer_question(t.update, t.context, t.person, question):
        return True
    if question.references:
        await any_time_feedback.new_feedback(t.update, t.context, t.person, t.said)
        await own_feedback.show_own(t.update, t.context, t.person, question.references)
        return True
    return False


async def _new_feedback(t: Typed) -> bool:
    first = {checkin_chat.Reply.ELSEWHERE: text("feedback.reply_new"),
             checkin_chat.Reply.CLOSED: text("checkin.reply_closed")}.get(t.replied)
    await any_time_feedback.new_feedback(t.update, t.context, t.person, t.said, first=first)
    return True


# Staff type a note they asked to write, or a note on an alert just sent to them;
# anything else gets their help.
STAFF_ROUTES: tuple[Route, ...] = (_staff_note, _note_on_recent_alert, _staff_help)

# People and carers: the first route that takes the words ends their journey.
PEOPLE_ROUTES: tuple[Route, ...] = (
    _say_long_is_kept,
    _answered_before_a_crash,       # the same message again, after a crash
    _forwards_the_bot,              # the bot's own words sent back
    _passed_on,                     # someone else's words: feedback passed on
    _raised_before_a_crash,
    _reply_to_a_question,           # Telegram's reply to an earlier question
    _to_staff_talking_with_them,
    _only_asks_about_feedback,      # "any news on CB-1002?"
    _answers_the_waiting_question,  # the check-in question now waiting
    _asks_about_feedback,           # names a reference and says more
    _new_feedback,                  # anything else is new feedback
)


def replied_to_bot(message: Message, bot_id: int) -> int | None:
    """The id of the bot's message that `message` replies to (Telegram's reply), if it
    replies to one of the bot's own messages."""
    to = message.reply_to_message
    if to is None or to.from_user is None or to.from_user.id != bot_id:
        return None
    return to.message_id


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
