"""Every odd input, in every situation, gets a kind and clear reply and loses nothing.

One row per case: who sends it (someone not enrolled, a person waiting for consent, a
person with nothing open, a person in the middle of a check-in, a person at the free-text
question, a carer), what they send, the reply they should see, and what must be stored.
All through the emulator, against the real bot, one bot for the whole table.
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import MEDIA_KINDS, SimulatedPerson
from carebot.storage import directory, events
from carebot.storage.models import EventKind, Role
from tests.conftest import SharedBot
from tests.helpers import enrol, tap_through_checkin

_user_ids = itertools.count(20000)


CLOCK_START = datetime(2026, 11, 17, 10, 30, tzinfo=UTC)


@dataclass
class Situation:
    """A person in a given state, and what was stored about them before the case."""

    sim: SimulatedPerson
    person_id: int | None
    answers: int = 0
    issues: int = 0
    step: int | None = None
    before: int = 0  # messages in the chat before the case


async def _count(local: LocalBot, table: str, person_id: int | None) -> int:
    if person_id is None:
        return 0
    column = "raised_by_id" if table == "issues" else "person_id"
    return int(await local.runtime.db.scalar(
        f"SELECT COUNT(*) FROM {table} WHERE {column} = ?", (person_id,)))


async def _step(local: LocalBot, person_id: int | None) -> int | None:
    if person_id is None:
        return None
    found = await local.runtime.db.scalar(
        "SELECT step FROM checkins WHERE person_id = ? AND status IN ('sent', 'in_progress')",
        (person_id,))
    return None if found is None else int(found)


async def situation(shared_bot: SharedBot, who: str) -> Situation:
    local, world = shared_bot.local, shared_bot.world
    user_id = next(_user_ids)
    if who == "stranger":
        sim = local.person(user_id, "Stranger")
        sim.send_command("help")  # so there is a message from the bot to tap on
        await local.settle()
        return Situation(sim, None, before=len(sim.inbox))
    if who == "consent":
        code = await directory.create_invite(local.runtime.db, role=Role.PERSON,
                                             now=local.clock.now(), display_name="Ash",
                                             service_id=world.service_id)
        sim = local.person(user_id, "Ash")
        sim.send_command("start", code)
        await local.settle()
    else:
        role = Role.CARER if who == "carer" else Role.PERSON
        sim = await enrol(local, world, user_id, "Sam", role=role)
    person_id = await local.runtime.db.scalar(
        "SELECT id FROM people WHERE telegram_user_id = ?", (user_id,))
    if who == "checkin":
        await tap_through_checkin(local, sim, "Start")
    if who == "free":
        await tap_through_checkin(local, sim, "Start", "Good", "Mostly", "Mostly")
    return Situation(sim, person_id, await _count(local, "answers", person_id),
                     await _count(local, "issues", person_id), await _step(local, person_id),
                     len(sim.inbox))


Act = Callable[[SimulatedPerson], Any]
Check = Callable[[LocalBot, Situation], Awaitable[None]]


async def nothing_changed(local: LocalBot, s: Situation) -> None:
    assert await _count(local, "answers", s.person_id) == s.answers
    assert await _count(local, "issues", s.person_id) == s.issues
    assert await _step(local, s.person_id) == s.step


def stored(answers: int = 0, issues: int = 0, step: int | None = None,
           same_step: bool = False) -> Check:
    async def check(local: LocalBot, s: Situation) -> None:
        assert await _count(local, "answers", s.person_id) == s.answers + answers
        assert await _count(local, "issues", s.person_id) == s.issues + issues
        expected_step = s.step if same_step else step
        assert await _step(local, s.person_id) == expected_step
    return check


def last_text_is(words: str) -> Check:
    """The person's words are stored exactly as sent, as an answer or an issue."""
    async def check(local: LocalBot, s: Situation) -> None:
        every = await local.runtime.db.fetchall(
            "SELECT text FROM answers WHERE person_id = ? AND text IS NOT NULL UNION ALL "
            "SELECT text FROM issues WHERE raised_by_id = ?", (s.person_id, s.person_id))
        assert words in [row["text"] for row in every]
    return check


def told(words: str) -> Check:
    """Among what the bot sent in reply (not necessarily last)."""
    async def check(local: LocalBot, s: Situation) -> None:
        assert words in s.sim.texts()[s.before:]
    return check


def both(*checks: Check) -> Check:
    async def check(local: LocalBot, s: Situation) -> None:
        for one in checks:
            await one(local, s)
    return check


def logged(kind: str) -> Check:
    async def check(local: LocalBot, s: Situation) -> None:
        rows = await events.events_of_kind(local.runtime.db, EventKind(kind))
        assert any(row["telegram_user_id"] == s.sim.id for row in rows), kind
    return check


@dataclass(frozen=True)
class Case:
    name: str
    who: str
    act: Act
    reply: str | None = None        # the words of the bot's last message, if it sends one
    tap_answer: str | None = None   # the words on the tap's answer, for a button case
    check: Check = nothing_changed
    extra: dict[str, Any] = field(default_factory=dict)


def _media(kind: str) -> Act:
    return lambda p: p.send_media(kind)


def _text(words: str) -> Act:
    return lambda p: p.send_text(words)


def _command(word: str, argument: str = "") -> Act:
    return lambda p: p.send_command(word, argument)


def _press(data: str) -> Act:
    return lambda p: p.press(p.last, data)


def _press_own(template: str) -> Act:
    """Forge data that names the person's own check-in."""
    def act(p: SimulatedPerson) -> None:
        own = next(b["callback_data"] for b in p.last.buttons())
        checkin_id = own.split("|")[1]
        p.press(p.last, template.format(checkin=checkin_id))
    return act


def _double_tap(p: SimulatedPerson) -> None:
    question = p.last
    p.press_label("Good", question)
    p.press_label("Poor", question)


def _edit(p: SimulatedPerson) -> None:
    sent = p.send_text("The carer was late.")
    p.edit(sent, "The carer was very late.")


LONG = ("The carers come late and rush. " * 140)[:4096]
QUESTION_OUTCOME = "question"  # marker: the reply is the next question, checked by step

async def on_read_list(local: LocalBot, s: Situation) -> None:
    """Media a person sent alone is kept, and waits on the read list (issue 29)."""
    assert await local.runtime.db.scalar(
        "SELECT COUNT(*) FROM read_items r JOIN media_messages m ON m.id = r.media_id "
        "WHERE r.person_id = ? AND r.read_at IS NULL", (s.person_id,)) == 1


MEDIA_REPLY = {"stranger": text("odd.not_enrolled"), "consent": text("consent.needed")}
MEDIA_CHECK = {"stranger": both(nothing_changed, logged("not_enrolled")),
               "consent": nothing_changed}
# What the person is told someone will do with it: listen, look, or either.
HEARD, SEEN = {"voice", "audio"}, {"photo", "sticker", "document", "animation"}
MEDIA_KEPT = {kind: text("thanks.voice" if kind in HEARD else "thanks.picture" if kind in SEEN
                         else "thanks.media", service="Home Care East")
              for kind in MEDIA_KINDS}
# At a question that asks for words, a voice note, photo or file is the answer (issue
# 32): thanked, kept with the answer, and the next question comes. A place or a contact
# brings no file, so it is kept on its own, as anywhere else.
ANSWERS_WITH_A_FILE = frozenset(MEDIA_KINDS) - {"location", "contact"}


def _media_case(kind: str, who: str) -> Case:
    if who == "free" and kind in ANSWERS_WITH_A_FILE:
        return Case(f"{kind} from {who}", who, _media(kind), reply=QUESTION_OUTCOME,
                    check=both(stored(answers=1, step=5), told(MEDIA_KEPT[kind]),
                               logged("media_received")))
    return Case(f"{kind} from {who}", who, _media(kind),
                reply=MEDIA_REPLY.get(who, MEDIA_KEPT[kind]),
                check=MEDIA_CHECK.get(who, both(nothing_changed, logged("media_received"),
                                                on_read_list)))


MEDIA_CASES = [_media_case(kind, who)
               for who in ("stranger", "consent", "idle", "checkin", "free", "carer")
               for kind in MEDIA_KINDS]

CASES = [
    *MEDIA_CASES,
    # Words of every shape
    # Told first that it is long, so that what comes next (a question) ends the chat.
    Case("4096 characters, idle", "idle", _text(LONG), reply=text("feedback.kind"),
         check=both(stored(issues=1), last_text_is(LONG), told(text("odd.too_long")))),
    Case("4096 characters, mid check-in", "checkin", _text(LONG), reply=QUESTION_OUTCOME,
         check=both(stored(answers=1, step=2), last_text_is(LONG),
                    told(text("odd.too_long")))),
    Case("4096 characters, at free text", "free", _text(LONG),
         check=both(stored(answers=1, step=5), last_text_is(LONG),
                    told(text("odd.too_long")))),
    Case("emoji only, idle", "idle", _text("👍"), reply=text("feedback.kind"),
         check=both(stored(issues=1), last_text_is("👍"))),
    Case("thumbs up answers the question", "checkin", _text("👍"),
         reply=QUESTION_OUTCOME, check=stored(answers=1, step=2)),
    Case("a 5 answers the question", "checkin", _text("5"), reply=QUESTION_OUTCOME,
         check=stored(answers=1, step=2)),
    Case("'not great' answers the question", "checkin", _text("not great"),
         reply=QUESTION_OUTCOME, check=stored(answers=1, step=2)),
    Case("words that are not an answer are kept", "checkin", _text("my cat is called Bob"),
         reply=QUESTION_OUTCOME,
         check=both(stored(answers=1, step=2), last_text_is("my cat is called Bob"))),
    Case("Welsh", "free", _text("Mae'r gofalwyr yn hwyr bob bore."), reply=QUESTION_OUTCOME,
         check=both(stored(answers=1, step=5),
                    last_text_is("Mae'r gofalwyr yn hwyr bob bore."))),
    Case("Polish", "idle", _text("Opiekunki spóźniają się codziennie."),
         reply=text("feedback.kind"), check=stored(issues=1)),
    Case("Arabic script", "free", _text("مقدمو الرعاية يتأخرون"), reply=QUESTION_OUTCOME,
         check=both(stored(answers=1, step=5), last_text_is("مقدمو الرعاية يتأخرون"))),
    Case("Chinese script", "carer", _text("护理人员迟到了"), reply=text("feedback.kind"),
         check=both(stored(issues=1), last_text_is("护理人员迟到了"))),
    Case("markup characters", "idle", _text("<b>late</b> *again* _why_ [x](y)"),
         reply=text("feedback.kind"),
         check=last_text_is("<b>late</b> *again* _why_ [x](y)")),
    Case("text from a stranger", "stranger", _text("hello?"), reply=text("odd.not_enrolled")),
    Case("text before consent", "consent", _text("hello?"), reply=text("consent.needed")),
    Case("edited message", "idle", _edit, reply=text("odd.edited"),
         check=both(stored(issues=1), last_text_is("The carer was late."),
                    logged("edited_message"))),
    # Commands, wherever they come
    Case("/help from a stranger", "stranger", _command("help"), reply=text("start.no_code")),
    Case("/start from a stranger", "stranger", _command("start"), reply=text("start.no_code")),
    Case("/start with a wrong code", "stranger", _command("start", "NOPE1234"),
         reply=text("start.bad_code"), check=logged("bad_invite_code")),
    Case("/digest from a stranger", "stranger", _command("digest"),
         reply=text("odd.not_enrolled")),
    Case("/checkin from a stranger", "stranger", _command("checkin"),
         reply=text("odd.not_enrolled")),
    Case("unknown command from a stranger", "stranger", _command("refund"),
         reply=text("odd.not_enrolled")),
    Case("unknown command", "idle", _command("refund"), reply=text("odd.not_allowed"),
         check=logged("unknown_command")),
    Case("/digest from a person", "idle", _command("digest"), reply=text("odd.not_allowed"),
         check=logged("not_authorised")),
    Case("/help mid check-in", "checkin", _command("help"), reply=text("help.person"),
         check=stored(same_step=True)),
    Case("/talk mid check-in", "checkin", _command("talk"),
         reply=text("talk.no_contact", service="Home Care East"),  # no duty contact set
         check=both(stored(same_step=True), logged("talk_request"))),
    Case("/start mid check-in", "checkin", _command("start"),
         reply=text("start.already", name="Sam"), check=stored(same_step=True)),
    Case("/checkin mid check-in shows it again", "checkin", _command("checkin"),
         reply=QUESTION_OUTCOME, check=stored(same_step=True)),
    Case("/schedule mid check-in", "checkin", _command("schedule"),
         reply=text("schedule.how_often"), check=stored(same_step=True)),
    Case("/pause mid check-in", "checkin", _command("pause"), reply=text("pause.how_long"),
         check=stored(same_step=True)),
    Case("/resume when not paused", "idle", _command("resume"), reply=None),
    Case("/stop mid check-in", "checkin", _command("stop"), reply=text("stop.done"),
         check=both(stored(step=None), logged("stopped"))),
    Case("/checkin from a carer", "carer", _command("checkin"), reply=None,
         check=stored(step=0)),
    # Buttons that are not what they seem
    Case("forged check-in id", "checkin", _press("a|99999|1|good"),
         tap_answer=text("odd.unknown_button"), check=both(stored(same_step=True),
                                                           logged("forged_button"))),
    Case("forged value", "checkin", _press_own("a|{checkin}|1|excellent"),
         tap_answer=text("odd.unknown_button"), check=stored(same_step=True)),
    Case("forged step", "checkin", _press_own("a|{checkin}|4|good"),
         tap_answer=text("checkin.already_answered"), check=stored(same_step=True)),
    Case("garbage data", "idle", _press("DROP TABLE people;"),
         tap_answer=text("odd.unknown_button"), check=logged("forged_button")),
    Case("someone else's issue", "idle", _press("k|1|problem"),
         tap_answer=text("checkin.already_answered")),
    Case("schedule with no such frequency", "idle", _press("s|yearly"),
         tap_answer=text("odd.unknown_button")),
    Case("pause for three days", "idle", _press("p|3"), tap_answer=text("odd.unknown_button")),
    Case("consent again once active", "idle", _press("consent|yes"),
         tap_answer=text("odd.unknown_button")),
    Case("a tap from a stranger", "stranger", _press("a|1|1|good"),
         reply=text("odd.not_enrolled"), check=logged("not_enrolled")),
    Case("double tap", "checkin", _double_tap, reply=QUESTION_OUTCOME,
         check=stored(answers=1, step=2)),
]


def test_there_are_at_least_sixty_cases() -> None:
    assert len(CASES) >= 60


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_odd_input(shared_bot: SharedBot, case: Case) -> None:
    local = shared_bot.local
    s = await situation(shared_bot, case.who)
    answers_before = len(local.emulator.callback_answers)
    case.act(s.sim)
    await local.settle()
    if case.reply == QUESTION_OUTCOME:
        step = await _step(local, s.person_id)
        assert step is not None
        shown = s.sim.last.text or ""
        assert any(str(b["callback_data"]).startswith("a|") for b in s.sim.last.buttons())
        assert shown, "the next question is shown"
    elif case.reply is not None:
        assert len(s.sim.inbox) > s.before, "the bot answered"
        assert s.sim.texts()[-1] == case.reply
    if case.tap_answer is not None:
        new = list(local.emulator.callback_answers.values())[answers_before:]
        assert new and new[-1].get("text") == case.tap_answer
    await case.check(local, s)
    assert local.emulator.bad_calls == []
