"""Check-in messages: the hello, a question with its buttons, the reminder, the thanks,
and tidying the buttons off a question once it is answered. Used by the handlers and by
the outbox sender, which sends the first message of a scheduled check-in."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from telegram.error import BadRequest, TelegramError

from carebot.bot.buttons import checkin_keyboard, keyboard_to_json
from carebot.bot.context import Runtime
from carebot.bot.delivery import send_now, send_one
from carebot.bot.telegram_bot import CarebotBot
from carebot.conversations import checkin as flow
from carebot.conversations.easy_pictures import faces_png
from carebot.conversations.texts import text
from carebot.storage import checkins, directory, outbox
from carebot.storage.models import CheckIn, OutboxMessage, Purpose

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Asking:
    """Who a check-in asks and about what, as its messages say it."""

    name: str
    service: str  # "Home Care East", as the questions name it
    service_from: str  # "Home Care East from Sunrise Care", as the hello names it
    easy: bool  # easy read: short questions, three answers with faces


async def asking(rt: Runtime, checkin: CheckIn) -> Asking:
    person = await directory.get_person(rt.db, checkin.person_id)
    service = await directory.get_service(rt.db, checkin.service_id)
    assert person is not None and service is not None
    return Asking(person.display_name, service.name,
                  text("checkin.service_from", service=service.name,
                       provider=service.provider_name), person.easy_read)


async def service_name(rt: Runtime, checkin: CheckIn) -> str:
    """The name of the service a check-in asks about, as its questions say it."""
    return (await asking(rt, checkin)).service


async def show(bot: CarebotBot, rt: Runtime, chat_id: int, checkin: CheckIn, shown: flow.Prompt,
               *, in_outbox: bool = False) -> int | None:
    """Send a prompt with its buttons and remember its message, to tidy it later. It is
    written to the outbox first, unless it is being sent for an outbox message already
    (`in_outbox`). None if it did not go now (it will, from the outbox)."""
    if not in_outbox:
        return await send_now(bot, rt, _prompt_message(chat_id, checkin, shown),
                              when_sent=partial(checkins.showing_question, checkin.id))
    message_id = await bot.send_words(chat_id, shown.wording, checkin_keyboard(checkin.id, shown))
    await checkins.set_question_message(rt.db, checkin.id, message_id)
    return message_id


def _prompt_message(chat_id: int, checkin: CheckIn, shown: flow.Prompt) -> outbox.NewMessage:
    return outbox.NewMessage(chat_id, Purpose.REPLY, text=shown.wording,
                             reply_markup=keyboard_to_json(checkin_keyboard(checkin.id, shown)))


def follow_up(chat_id: int, checkin: CheckIn, asked: Asking) -> outbox.NewMessage:
    """What follows an answer to the check-in's waiting question: the next question, or
    the thanks after the last. Written with the answer (`checkins.record_answer`)."""
    shown = flow.question_prompt(checkin.questions, checkin.step + 1, service=asked.service,
                                 easy=asked.easy)
    if shown is None:
        return outbox.NewMessage(chat_id, Purpose.REPLY, text=flow.thanks(easy=asked.easy))
    return _prompt_message(chat_id, checkin, shown)


async def send_follow_up(bot: CarebotBot, rt: Runtime, checkin: CheckIn,
                         item: OutboxMessage) -> None:
    """Send what `follow_up` made; a question is remembered as the one now waiting."""
    asks = item.reply_markup is not None or item.buttons is not None
    await send_one(bot, rt, item,
                   when_sent=partial(checkins.showing_question, checkin.id) if asks else None)


async def send_step(bot: CarebotBot, rt: Runtime, chat_id: int, checkin: CheckIn, step: int, *,
                    in_outbox: bool = False) -> int | None:
    """Send the hello or question at `step` (or the thanks, at the end); returns the id
    of the message now waiting for an answer, if it went now."""
    asked = await asking(rt, checkin)
    if step == 0:
        shown: flow.Prompt | None = flow.hello_prompt(name=asked.name,
                                                      service=asked.service_from,
                                                      easy=asked.easy)
        if asked.easy:
            await _show_faces(bot, chat_id)
    else:
        shown = flow.question_prompt(checkin.questions, step, service=asked.service,
                                     easy=asked.easy)
    if shown is None:
        await send_now(bot, rt, outbox.NewMessage(chat_id, Purpose.REPLY,
                                                  text=flow.thanks(easy=asked.easy)))
        return None
    return await show(bot, rt, chat_id, checkin, shown, in_outbox=in_outbox)


async def send_reminder(bot: CarebotBot, rt: Runtime, chat_id: int, checkin: CheckIn) -> int | None:
    """The one gentle reminder: the hello again, or the question waiting, with its
    buttons; the old message's buttons go, so only one set can be tapped."""
    if checkin.status.value not in checkins.OPEN_STATUSES:
        return None
    await tidy(bot, chat_id, checkin.message_id)
    asked = await asking(rt, checkin)
    if checkin.step == 0:
        shown = flow.hello_prompt(name=asked.name, service=asked.service_from, reminder=True)
    else:
        waiting = flow.question_prompt(checkin.questions, checkin.step,
                                       service=asked.service, easy=asked.easy)
        assert waiting is not None
        shown = flow.Prompt(waiting.step, f"{text('checkin.still_waiting')}\n\n"
                            f"{waiting.wording}", waiting.buttons, waiting.question)
    return await show(bot, rt, chat_id, checkin, shown, in_outbox=True)


async def _show_faces(bot: CarebotBot, chat_id: int) -> None:
    """Before an easy-read hello: the three faces the answers use, and what each means
    in words (the caption is what a screen reader reads). A picture that fails does not
    stop the check-in: the buttons carry the faces too."""
    try:
        await bot.send_photo(chat_id, faces_png(), caption=text("easy.key"))
    except TelegramError as error:
        log.warning("the easy-read picture was not sent: %s", type(error).__name__)


async def tidy(bot: CarebotBot, chat_id: int, message_id: int | None,
                words: str | None = None) -> None:
    """Take the buttons off an old question (and say what was chosen, if given)."""
    if message_id is None:
        return
    try:
        if words is None:
            await bot.edit_message_reply_markup(chat_id, message_id, reply_markup=None)
        else:
            await bot.show_words(chat_id, message_id, words)
    except BadRequest as error:
        log.info("could not tidy question message: %s", error)
