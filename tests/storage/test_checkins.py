"""An answer, its check-in moving on and the message that follows are written together,
once: a second tap on the same question writes nothing, and what follows is in the outbox
even if the bot dies before sending it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carebot.storage import checkins, outbox
from carebot.storage.db import Database
from carebot.storage.models import CheckIn, CheckInStatus, OutboxStatus, Purpose, Role
from tests.helpers import joined, small_world

AT = datetime(2026, 12, 3, 10, tzinfo=UTC)


async def _waiting(db: Database) -> CheckIn:
    world = await small_world(db, AT)
    person = await joined(db, world, AT, telegram_user_id=900, role=Role.PERSON)
    made = await checkins.open_checkin_now(db, person_id=person.id,
                                           service_id=world.service_id,
                                           questions="fft,working", now=AT)
    assert made is not None
    assert await checkins.open_checkin_now(db, person_id=person.id,
                                           service_id=world.service_id,
                                           questions="fft", now=AT) is None  # one waits
    await checkins.mark_checkin_sent(db, made.id, 1, AT)
    assert await checkins.start_checkin(db, made.id, None)
    waiting = await checkins.get_checkin(db, made.id)
    assert waiting is not None
    return waiting


async def test_an_answer_is_kept_once_with_what_follows(db: Database) -> None:
    checkin = await _waiting(db)
    follow = outbox.NewMessage(900, Purpose.REPLY, text="Next question", reply_markup="{}")
    answer = checkins.NewAnswer("fft", None, "good", None, False)
    kept = await checkins.record_answer(db, checkin=checkin, step=1, answer=answer,
                                        last_step=False, now=AT + timedelta(minutes=1),
                                        then_send=follow)
    assert kept is not None and kept.follow_up is not None
    assert kept.follow_up.text == "Next question"
    again = await checkins.record_answer(db, checkin=checkin, step=1, answer=answer,
                                         last_step=False, now=AT + timedelta(minutes=2),
                                         then_send=follow)
    assert again is None  # a double tap: nothing more is written
    moved = await checkins.get_checkin(db, checkin.id)
    assert moved is not None and moved.step == 2
    assert moved.status is CheckInStatus.IN_PROGRESS
    assert await db.scalar("SELECT COUNT(*) FROM answers") == 1
    rows = await db.fetchall("SELECT id, status FROM outbox WHERE text = 'Next question'")
    assert [(r["id"], r["status"]) for r in rows] == [(kept.follow_up.id, OutboxStatus.SENDING)]
    # The bot dies before sending it: on start it is sent again like any other.
    assert await outbox.release_interrupted(db) == 1
    [item] = await outbox.claim_pending(db, AT + timedelta(minutes=3), 10)
    assert item.id == kept.follow_up.id


async def test_the_last_answer_finishes_the_checkin(db: Database) -> None:
    checkin = await _waiting(db)
    for step, key in ((1, "fft"), (2, "working")):
        current = await checkins.get_checkin(db, checkin.id)
        assert current is not None
        kept = await checkins.record_answer(
            db, checkin=current, step=step, last_step=step == 2, now=AT,
            answer=checkins.NewAnswer(key, None, None, "words 😊", False))
        assert kept is not None and kept.follow_up is None
    done = await checkins.get_checkin(db, checkin.id)
    assert done is not None and done.status is CheckInStatus.COMPLETED
    texts = await db.fetchall("SELECT text FROM answers ORDER BY id")
    assert [r["text"] for r in texts] == ["words 😊", "words 😊"]
