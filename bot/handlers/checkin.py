"""Check-ins in a chat: show a question, take a tap or typed answer, show the next one.

Each answer is stored the moment it arrives, in the same transaction that moves the
check-in on, so stopping half-way loses nothing and a double tap changes nothing.
"""

from __future__ import annotations

import logging

from telegram import Bot, Update
from telegram.error import BadRequest

from bot.handlers.common import Context, answer_tap, note, reply
from bot.handlers.talk import request_talk
from bot.keyboards import AnswerTap, checkin_markup
from bot.runtime import Runtime, runtime_of
from conversations import checkin as flow
from conversations.tagging import TAGGER_NAME, tag_text
from conversations.texts import text
from storage import checkins, directory, tags
from storage.models import CheckIn, Person, TagRecord

log = logging.getLogger(__name__)


async def render_step(rt: Runtime, checkin: CheckIn, step: int) -> flow.Prompt | None:
    person = await directory.get_person(rt.db, checkin.person_id)
    service = await directory.get_service(rt.db, checkin.service_id)
    assert person is not None and service is not None
    return flow.prompt(checkin.outcome_key, step, name=person.display_name,
                       service=f"{service.name} from {service.provider_name}")


async def send_step(bot: Bot, rt: Runtime, chat_id: int, checkin: CheckIn,
                    step: int) -> int | None:
    """Send the question at `step` (or the thanks, at the end); returns the message id."""
    shown = await render_step(rt, checkin, step)
    if shown is None:
        await bot.send_message(chat_id, text("checkin.thanks"))
        return None
    message = await bot.send_message(chat_id, shown.wording,
                                     reply_markup=checkin_markup(checkin.id, shown))
    await checkins.set_question_message(rt.db, checkin.id, message.message_id)
    return message.message_id


async def _close_question(bot: Bot, chat_id: int, checkin: CheckIn, question: flow.Question,
                          answer: flow.Answer) -> None:
    """Replace the buttons on the answered question with what the person chose."""
    if checkin.message_id is None:
        return
    key = "checkin.skipped" if answer.skipped else "checkin.you_said"
    words = text(key, question=question.wording, answer=answer.shown_as[:300])
    try:
        await bot.edit_message_text(words, chat_id=chat_id, message_id=checkin.message_id)
    except BadRequest as error:
        log.info("could not tidy question message: %s", error)


async def take_answer(bot: Bot, rt: Runtime, person: Person, chat_id: int, checkin: CheckIn,
                      answer: flow.Answer) -> bool:
    """Store an answer for the waiting step, tag its words, and move on. False if the
    step had already been answered (nothing is written then)."""
    questions = flow.plan(checkin.outcome_key)
    now = rt.clock.now()
    answer_id = await checkins.record_answer(
        rt.db, checkin=checkin, step=checkin.step,
        answer=checkins.NewAnswer(answer.question_key, answer.prompt_kind, answer.choice,
                                  answer.text, answer.skipped),
        last_step=checkin.step == len(questions) - 1, now=now,
    )
    if answer_id is None:
        return False
    if answer.text and answer.choice is None:
        found = tag_text(answer.text)
        await tags.add_tags(
            rt.db, answer_id=answer_id, tagger=TAGGER_NAME, now=now,
            tags=[TagRecord("sentiment", found.sentiment, found.polarity, None)],
        )
    await _close_question(bot, chat_id, checkin, questions[checkin.step], answer)
    await send_step(bot, rt, chat_id, checkin, checkin.step + 1)
    return True


async def answer_tap_received(update: Update, context: Context, person: Person,
                              tap: AnswerTap) -> None:
    rt = runtime_of(context)
    checkin = await checkins.get_checkin(rt.db, tap.checkin_id)
    if checkin is None or checkin.person_id != person.id:
        await note(rt, update, "forged_button", person, detail=f"checkin {tap.checkin_id}")
        await answer_tap(update, text("odd.unknown_button"))
        return
    if checkin.status.value not in checkins.OPEN_STATUSES:
        await answer_tap(update)
        await reply(update, text("checkin.closed"))
        return
    if tap.step != checkin.step:
        await answer_tap(update, text("checkin.already_answered"))
        return
    if tap.value == flow.TALK:
        await answer_tap(update)
        await request_talk(update, context, person)
        return
    question = flow.plan(checkin.outcome_key)[checkin.step]
    answer = flow.interpret_button(question, tap.value)
    if answer is None:
        await note(rt, update, "forged_button", person, detail=f"value {tap.value}")
        await answer_tap(update, text("odd.unknown_button"))
        return
    await answer_tap(update)
    assert update.effective_chat is not None
    if not await take_answer(context.bot, rt, person, update.effective_chat.id, checkin,
                             answer):
        await reply(update, text("checkin.already_answered"))


async def typed_answer(update: Update, context: Context, person: Person, checkin: CheckIn,
                       words: str) -> None:
    """Words typed while a check-in waits: they answer its question."""
    rt = runtime_of(context)
    question = flow.plan(checkin.outcome_key)[checkin.step]
    answer = flow.interpret_typed(question, words)
    assert update.effective_chat is not None
    await take_answer(context.bot, rt, person, update.effective_chat.id, checkin, answer)
