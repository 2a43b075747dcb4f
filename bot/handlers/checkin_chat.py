"""Check-ins in a chat: the hello, each question, a tap or typed answer, the thanks.

Each answer is stored the moment it arrives, in the same transaction that moves the
check-in on, so stopping half-way loses nothing and a double tap changes nothing.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from enum import Enum

from telegram import Update

from carebot.bot.buttons import AnswerButton, SafetyTalkButton, keyboard, keyboard_to_json
from carebot.bot.checkin_messages import (
    asking,
    follow_up,
    send_follow_up,
    send_step,
    service_name,
    show,
    tidy,
)
from carebot.bot.context import Context, Runtime
from carebot.bot.delivery import send_now
from carebot.bot.handlers.common import Said, answer_query, forged, note, remove_buttons, reply
from carebot.bot.handlers.declared import on_person_tap
from carebot.bot.handlers.help_and_talk import request_talk
from carebot.bot.incoming_words import take_answer_version, take_words
from carebot.bot.telegram_bot import CarebotBot
from carebot.conversations import checkin as flow
from carebot.conversations import questions
from carebot.conversations.texts import TEXTS, text
from carebot.storage import alerts, checkins, directory, outbox, read_list
from carebot.storage.models import CheckIn, CheckInStatus, EventKind, Person, Purpose, Role


async def take_answer(bot: CarebotBot, rt: Runtime, person: Person, chat_id: int, checkin: CheckIn,
                      answer: flow.Answer, said: Said | None = None,
                      shown_as: str | None = None, kinds: str | None = None) -> bool:
    """Store an answer for the waiting step (with the photo or file its words came with,
    if any), tag its words, and move on (`shown_as` and `kinds`: what was sent, when not
    in words, as the question shows it and as kept). False if the step had already been
    answered (nothing is written then)."""
    question = flow.question_at(checkin.questions, checkin.step)
    assert question is not None
    asked = await asking(rt, checkin)
    kept = await checkins.record_answer(
        rt.db, checkin=checkin, step=checkin.step,
        answer=checkins.NewAnswer(answer.question_key, answer.prompt_kind, answer.choice,
                                  answer.text, answer.skipped,
                                  None if said is None else said.media_file_id,
                                  None if said is None else said.message_id, kinds),
        last_step=flow.is_last_step(checkin.questions, checkin.step), now=rt.clock.now(),
        then_send=follow_up(chat_id, checkin, asked),
    )
    if kept is None:
        return False
    told = None
    if answer.text and answer.choice is None and not answer.skipped:
        told = await take_words(bot, rt, person, answer.text, answer_id=kept.answer_id)
    if told is not None:
        await send_now(bot, rt, outbox.NewMessage(chat_id, Purpose.REPLY, text=told))
    elif questions.worrying(question.key, answer.choice):
        await heard(bot, rt, person, chat_id, checkin, kept.answer_id)
    key = "checkin.skipped" if answer.skipped and not answer.text else "checkin.you_said"
    assert kept.follow_up is not None
    # The answered question shows what was said while the next one is sent: two calls to
    # Telegram at once, so the person waits for one.
    shown = flow.question_prompt(checkin.questions, checkin.step, service=asked.service,
                                 easy=asked.easy)
    assert shown is not None
    tapped = {value: label for row in shown.buttons for value, label in row}  # as it read
    answered = shown_as or (tapped.get(answer.choice or "", answer.shown_as)
                            if not answer.skipped else answer.shown_as)
    await asyncio.gather(
        tidy(bot, chat_id, checkin.message_id,
             text(key, question=shown.wording, answer=answered[:300])),
        send_follow_up(bot, rt, checkin, kept.follow_up))
    return True


async def waiting_for_words(rt: Runtime, person: Person) -> CheckIn | None:
    """The person's check-in, if the question it waits on asks for words: a voice note,
    photo or file sent now answers it (`media_answer`)."""
    checkin = await checkins.open_checkin_of(rt.db, person.id)
    waiting = None if checkin is None else flow.question_at(checkin.questions, checkin.step)
    return checkin if waiting is not None and waiting.kind is questions.Kind.FREE_TEXT else None


async def media_answer(bot: CarebotBot, rt: Runtime, person: Person, chat_id: int,
                       checkin: CheckIn, media: Said, kinds: list[str]) -> None:
    """`media` (of `kinds`: "voice") answers the question `checkin` waits on; the
    question then shows what was sent ("a voice note")."""
    waiting = flow.question_at(checkin.questions, checkin.step)
    assert waiting is not None
    what = ", ".join(dict.fromkeys(text(f"media.{kind}") for kind in kinds
                                   if f"media.{kind}" in TEXTS)) or text("media.some")
    await take_answer(bot, rt, person, chat_id, checkin,
                      flow.Answer(waiting.key, waiting.prompt_kind), media, shown_as=what,
                      kinds=", ".join(kinds))


async def heard(bot: CarebotBot, rt: Runtime, person: Person, chat_id: int, checkin: CheckIn,
                answer_id: int) -> None:
    """A worrying answer to a safety question (the question bank says which): it goes
    on the read list, marked, so a person reads it first, and the person is asked at
    once, kindly, whether they want someone to get in touch."""
    await read_list.mark_safety_answer(rt.db, answer_id)
    service = (None if person.service_id is None
               else await directory.get_service(rt.db, person.service_id))
    if service is None or await alerts.open_talk_request(  # they have asked already
            rt.db, person.id, rt.clock.now() - timedelta(days=1)):
        return
    ask = keyboard([[(SafetyTalkButton(checkin.id, yes), text(f"safety.button.{key}"))]
                    for yes, key in ((True, "yes"), (False, "not_now"))])
    await send_now(bot, rt, outbox.NewMessage(
        chat_id, Purpose.REPLY, text=text("safety.ask", service=service.name),
        reply_markup=keyboard_to_json(ask)))


@on_person_tap(SafetyTalkButton)
async def safety_tap(update: Update, context: Context, tap: SafetyTalkButton,
                     person: Person) -> None:
    """Yes: a request to talk, through the same chain as /talk. Not now: that is fine."""
    await answer_query(update)
    await remove_buttons(update)
    if tap.yes:
        worrying = await read_list.safety_answers_of(context.runtime.db, tap.checkin_id)
        checkin = await checkins.get_checkin(context.runtime.db, tap.checkin_id)
        service = "" if checkin is None else await service_name(context.runtime, checkin)
        why = "\n".join(text("talk.after_answer", question=questions.question(key).wording(
            service), answer=text(f"choice.{choice}")) for key, choice in worrying)
        await request_talk(update, context, person, why or None)
    else:
        await reply(context.runtime, update, text("safety.not_now_done"))


async def _hello_tap(update: Update, context: Context, person: Person, checkin: CheckIn,
                     value: str) -> None:
    rt = context.runtime
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    if value == flow.HELPER:
        await answer_query(update)
        await tidy(context.bot, chat_id, checkin.message_id)
        await show(context.bot, rt, chat_id, checkin, flow.helper_prompt())
        return
    if value == flow.NOT_NOW:
        await answer_query(update)
        await tidy(context.bot, chat_id, checkin.message_id)
        if checkin.reminded_at is not None:
            await checkins.close_checkin(rt.db, checkin.id, CheckInStatus.EXPIRED)
            await reply(rt, update, text("checkin.not_now_last"))
        else:
            await reply(rt, update, text("checkin.not_now"))
        await note(rt, update, EventKind.CHECKIN_NOT_NOW, person, detail=str(checkin.id))
        return
    helped_by = value.removeprefix("h_") if value.startswith("h_") else None
    if value != flow.START and helped_by not in flow.HELPERS:
        await forged(update, context, person, f"hello {value}")
        return
    if not await checkins.start_checkin(rt.db, checkin.id, helped_by):
        await answer_query(update, text("checkin.already_answered"))
        return
    await answer_query(update)
    await tidy(context.bot, chat_id, checkin.message_id)
    await send_step(context.bot, rt, chat_id, checkin, 1)


@on_person_tap(AnswerButton)
async def answer_tap(update: Update, context: Context, tap: AnswerButton,
                     person: Person) -> None:
    """A tap on a check-in's buttons: the hello's choices, an answer, or talk to a person."""
    rt = context.runtime
    checkin = await checkins.get_checkin(rt.db, tap.checkin_id)
    assert checkin is not None  # theirs: the guard looked
    if checkin.status.value not in checkins.OPEN_STATUSES:
        await answer_query(update)
        await remove_buttons(update)
        await reply(rt, update, text("checkin.closed"))
        return
    if tap.value == flow.TALK:
        await answer_query(update)
        await request_talk(update, context, person)
        return
    if tap.step != checkin.step:
        await answer_query(update, text("checkin.already_answered"))
        return
    if checkin.step == 0:
        await _hello_tap(update, context, person, checkin, tap.value)
        return
    question = flow.question_at(checkin.questions, checkin.step)
    answer = None if question is None else flow.interpret_button(question, tap.value)
    if answer is None:
        await forged(update, context, person, f"value {tap.value}")
        return
    assert update.effective_chat is not None
    taken, _ = await asyncio.gather(  # the tap is answered while the answer is kept
        take_answer(context.bot, rt, person, update.effective_chat.id, checkin, answer),
        answer_query(update))
    if not taken:
        await reply(rt, update, text("checkin.already_answered"))


async def answered_before(update: Update, context: Context, person: Person,
                          said: Said) -> bool:
    """A message that already gave an answer, handled again after a crash: what that
    handling began is finished (its words' tags and any alert), and it answers nothing
    more. False for any other message."""
    rt = context.runtime
    answered = await checkins.answer_from_message(rt.db, person.id, said.message_id)
    if answered is None:
        return False
    told = await take_words(context.bot, rt, person, said.words, answer_id=answered)
    if told is not None:
        await reply(rt, update, told)
    return True


async def typed_answer(update: Update, context: Context, person: Person, checkin: CheckIn,
                       said: Said) -> bool:
    """Words typed while a check-in waits: they answer the question the person sees. At
    the hello, "yes" or "later" work like its buttons; other words are not an answer to
    anything shown, so they are not taken here (False) and the caller keeps them as
    feedback."""
    rt = context.runtime
    assert update.effective_chat is not None
    if checkin.step == 0:
        choice = flow.read_hello(said.words)
        if choice is not None:
            await _hello_tap(update, context, person, checkin, choice)
        return choice is not None
    if checkin.message_id is not None and said.message_id < checkin.message_id:
        return await _words_before_the_question(update, context, person, checkin, said)
    question = flow.question_at(checkin.questions, checkin.step)
    assert question is not None
    await take_answer(context.bot, rt, person, update.effective_chat.id, checkin,
                      flow.interpret_typed(question, said.words), said)
    return True


async def _words_before_the_question(update: Update, context: Context, person: Person,
                                     checkin: CheckIn, said: Said) -> bool:
    """Words typed before the waiting question reached the person (their tap was still on
    its way): they belong with what the person saw. After the hello they are read as at
    the hello; after a question they are kept with its answer. False: keep them apart."""
    if checkin.step == 1:
        return flow.read_hello(said.words) is not None  # the tap already did what they said
    seen = flow.question_at(checkin.questions, checkin.step - 1)
    assert seen is not None
    rt = context.runtime
    answer_id = await checkins.add_words_to_answer(
        rt.db, checkin_id=checkin.id, question_key=seen.key, text=said.words,
        message_id=said.message_id, media_file_id=said.media_file_id)
    if answer_id is None:
        return False
    told = await take_words(context.bot, rt, person, said.words, answer_id=answer_id)
    if told is not None:
        await reply(rt, update, told)
    await reply(rt, update, text("checkin.words_added"))
    return True


# A reply to a question answers it while its check-in is open, or for this long after the
# check-in was due: past that, the week it was about is in the reports, and the words are
# kept as a new message instead.
REPLY_ANSWERS_FOR = timedelta(days=7)


class Reply(Enum):
    """What a reply to one of the bot's messages was, for the caller's routing."""

    ORDINARY = "ordinary"  # no question in it (e.g. the hello now waiting): as any words
    TAKEN = "taken"        # it answered the question it replies to: done
    ELSEWHERE = "elsewhere"  # to a message that asks nothing: never the waiting answer
    CLOSED = "closed"      # to a question too old to answer now: kept as a new message


async def reply_to_question(update: Update, context: Context, person: Person, said: Said,
                            replied_to: int) -> Reply:
    """Words sent as a reply (Telegram's reply) to the bot's message `replied_to` answer
    the question that message asked, not the one now waiting: people reply to an earlier
    question to say more about it, or to say it differently. Nothing said before is
    changed (`checkins.answer_by_reply`): a button answer keeps its choice and gains the
    words, and words given before stay, the new ones kept beside them as a new version,
    as an edit is. The person is told which question the words answered, and the
    question waiting still waits."""
    rt = context.runtime
    shown = await checkins.shown_in(rt.db, person.id, replied_to)
    if shown is None:
        return Reply.ELSEWHERE
    checkin = shown.checkin
    is_open = checkin.status.value in checkins.OPEN_STATUSES
    if shown.step == 0:  # the hello asks nothing but whether to start
        return Reply.ORDINARY if is_open and checkin.step == 0 else Reply.ELSEWHERE
    if is_open and shown.step == checkin.step:  # the question now waiting
        await typed_answer(update, context, person, checkin, said)
        return Reply.TAKEN
    question = flow.question_at(checkin.questions, shown.step)
    if question is None:
        return Reply.ELSEWHERE
    if not is_open and rt.clock.now() - checkin.due_at > REPLY_ANSWERS_FOR:
        return Reply.CLOSED
    typed = flow.interpret_typed(question, said.words)
    answer = checkins.NewAnswer(question.key, typed.prompt_kind, typed.choice, typed.text,
                                typed.skipped, said.media_file_id, said.message_id)
    kept = await checkins.answer_by_reply(rt.db, checkin=checkin, answer=answer,
                                          now=rt.clock.now())
    if kept.first_words is None:
        told = await take_words(context.bot, rt, person, said.words, answer_id=kept.answer_id)
    else:
        told = await take_answer_version(context.bot, rt, person, said.words,
                                         answer_id=kept.answer_id, message_id=said.message_id)
    if told is not None:
        await reply(rt, update, told)
    key = "checkin.reply_kept" if kept.first_words is None else "checkin.reply_kept_again"
    service = await service_name(rt, checkin)
    words = text(key, question=question.wording(service))
    waiting = await checkins.open_checkin_of(rt.db, person.id)
    still = None if waiting is None else flow.question_at(waiting.questions, waiting.step)
    if waiting is not None and waiting.step > 0 and still is not None:
        still_asked = still.wording(await service_name(rt, waiting))
        words = f"{words}\n\n{text('checkin.reply_still_waiting', question=still_asked)}"
    await reply(rt, update, words)
    return Reply.TAKEN


async def checkin_command(update: Update, context: Context, person: Person) -> None:
    """`/checkin`: a check-in now, or the one already waiting, shown again."""
    rt = context.runtime
    assert update.effective_chat is not None
    chat_id = update.effective_chat.id
    if person.service_id is None or person.role not in (Role.PERSON, Role.CARER):
        await reply(rt, update, text("odd.not_allowed"))
        return
    waiting = await checkins.open_checkin_of(rt.db, person.id)
    if waiting is not None:
        await reply(rt, update, text("checkin.one_waiting"))
        await tidy(context.bot, chat_id, waiting.message_id)
        await send_step(context.bot, rt, chat_id, waiting, waiting.step)
        return
    so_far = await checkins.count_checkins(rt.db, person.id)
    plan = flow.choose_plan(so_far, carer=person.role is Role.CARER, easy=person.easy_read)
    made = await checkins.open_checkin_now(rt.db, person_id=person.id,
                                           service_id=person.service_id, questions=plan,
                                           now=rt.clock.now())
    if made is None:  # a scheduled one is queued this very moment: it will arrive
        await reply(rt, update, text("checkin.one_waiting"))
        return
    message_id = await send_step(context.bot, rt, chat_id, made, 0)
    await checkins.mark_checkin_sent(rt.db, made.id, message_id, rt.clock.now())
