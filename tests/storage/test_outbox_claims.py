"""Outbox claims: the most urgent messages are claimed first (a risk, then one person's
reply or news, then what goes to many), in the order they were queued within each;
a message is claimed once, not before its time; a dedupe key queues it once; sent,
retried, failed and interrupted rows end where they should. Each case pins one thing a
slip in the rule would change (`make mutation` checks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carebot.storage import outbox
from carebot.storage.db import Database, to_db_time
from carebot.storage.models import OutboxStatus, Purpose
from carebot.storage.outbox import NewMessage

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


async def _queue(db: Database, purpose: Purpose, text: str, **more: object) -> int:
    queued = await outbox.enqueue(db, NewMessage(1, purpose, text=text, **more), NOW)  # type: ignore[arg-type]
    assert queued is not None
    return queued


async def _row(db: Database, outbox_id: int) -> dict[str, object]:
    row = await db.fetchone("SELECT status, attempts, not_before, error, message_id, sent_at "
                            "FROM outbox WHERE id = ?", (outbox_id,))
    assert row is not None
    return dict(row)


async def test_the_most_urgent_are_claimed_first_then_in_the_order_queued(db: Database) -> None:
    queued = [(Purpose.REPLY, "reply 1"), (Purpose.CHECKIN_START, "start 1"),
              (Purpose.DIGEST, "digest"), (Purpose.CHECKIN_REMINDER, "reminder"),
              (Purpose.DIGEST_FILE, "file"), (Purpose.ACTION, "action"),
              (Purpose.CHECKIN_START, "start 2"), (Purpose.ALERT, "alert 1"),
              (Purpose.TALK_REQUEST, "talk"), (Purpose.ALERT, "alert 2"),
              (Purpose.ISSUE_NEWS, "news"), (Purpose.REPLY, "reply 2")]
    for purpose, text in queued:
        await _queue(db, purpose, text)
    claimed = await outbox.claim_pending(db, NOW, limit=100)
    assert [m.text for m in claimed] == [
        "alert 1", "talk", "alert 2", "reply 1", "news", "reply 2",
        "start 1", "digest", "reminder", "file", "action", "start 2"]
    assert await outbox.claim_pending(db, NOW, limit=100) == []  # claimed once


async def test_a_claim_takes_no_more_than_asked_and_nothing_before_its_time(
        db: Database) -> None:
    first = await _queue(db, Purpose.REPLY, "now")
    later = await _queue(db, Purpose.ALERT, "later", not_before=NOW + timedelta(hours=1))
    await _queue(db, Purpose.REPLY, "also now")
    [claimed] = await outbox.claim_pending(db, NOW, limit=1)
    assert (claimed.id, claimed.attempts) == (first, 0)
    assert await _row(db, first) | {"not_before": None} == {
        "status": "sending", "attempts": 1, "not_before": None, "error": None,
        "message_id": None, "sent_at": None}
    assert [m.text for m in await outbox.claim_pending(db, NOW, limit=5)] == ["also now"]
    assert (await _row(db, later))["status"] == "pending"
    assert [m.id for m in await outbox.claim_pending(db, NOW + timedelta(hours=1),
                                                     limit=5)] == [later]


async def test_a_message_is_queued_pending_once_for_its_key(db: Database) -> None:
    message = NewMessage(1, Purpose.REPLY, text="hi", dedupe_key="k")
    queued = await outbox.enqueue(db, message, NOW)
    assert queued is not None and queued == await db.scalar("SELECT id FROM outbox")
    assert await outbox.enqueue(db, message, NOW) is None
    assert await _row(db, queued) | {"not_before": None} == {
        "status": "pending", "attempts": 0, "not_before": None, "error": None,
        "message_id": None, "sent_at": None}
    assert (await _row(db, queued))["not_before"] == to_db_time(NOW)


async def test_a_message_written_claimed_is_sending_and_written_once(db: Database) -> None:
    message = NewMessage(1, Purpose.REPLY, person_id=None, text="done", dedupe_key="tap")
    await db.execute("UPDATE outbox SET error = NULL WHERE id = -1")  # changes nothing
    claimed = await outbox.add_claimed(db, message, NOW)  # written whatever came before
    assert claimed is not None and claimed.text == "done" and claimed.attempts == 1
    assert await _row(db, claimed.id) | {"not_before": None} == {
        "status": "sending", "attempts": 1, "not_before": None, "error": None,
        "message_id": None, "sent_at": None}
    assert await outbox.add_claimed(db, message, NOW) is None
    assert await outbox.claim_pending(db, NOW, limit=5) == []


async def test_a_claimed_message_after_a_statement_is_written_only_if_that_changed_a_row(
        db: Database) -> None:
    nothing = ("UPDATE outbox SET error = 'x' WHERE id = -1", ())
    something = ("INSERT INTO outbox (chat_id, purpose, priority, not_before, created_at, "
                 "status, attempts) VALUES (2, 'reply', 1, ?, ?, 'sent', 1)",
                 (to_db_time(NOW), to_db_time(NOW)))
    after = NewMessage(1, Purpose.REPLY, text="after")
    rows = await db.together(nothing, outbox.claimed(after, NOW, if_changed=True))
    assert outbox.claimed_message(rows[1]) is None
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 0
    rows = await db.together(something, outbox.claimed(after, NOW, if_changed=True))
    written = outbox.claimed_message(rows[1])
    assert written is not None and written.text == "after"
    assert outbox.claimed_message([]) is None


async def test_sent_retried_and_failed_rows_end_where_they_should(db: Database) -> None:
    sent, retried, failed = [await _queue(db, Purpose.REPLY, t) for t in ("a", "b", "c")]
    await outbox.claim_pending(db, NOW, limit=5)
    shown = ("UPDATE outbox SET error = 'also' WHERE id = ?", (failed,))
    await outbox.mark_sent(db, sent, 77, NOW, shown)
    assert await _row(db, sent) == {"status": "sent", "attempts": 1, "not_before": to_db_time(NOW),
                                    "error": None, "message_id": 77, "sent_at": to_db_time(NOW)}
    assert (await _row(db, failed))["error"] == "also"
    again = NOW + timedelta(seconds=30)
    await outbox.mark_retry(db, retried, again, "flood")
    assert await _row(db, retried) == {"status": "pending", "attempts": 1,
                                       "not_before": to_db_time(again), "error": "flood",
                                       "message_id": None, "sent_at": None}
    await outbox.mark_failed(db, failed, OutboxStatus.BLOCKED, "blocked")
    assert (await _row(db, failed))["status"] == "blocked"
    assert (await _row(db, failed))["error"] == "blocked"
    assert await outbox.claim_pending(db, NOW, limit=5) == []
    [claimed] = await outbox.claim_pending(db, again, limit=5)
    assert (claimed.id, claimed.attempts) == (retried, 1)
    assert (await _row(db, retried))["attempts"] == 2


async def test_after_a_crash_rows_left_sending_are_sent_again(db: Database) -> None:
    ids = [await _queue(db, Purpose.REPLY, t) for t in ("a", "b", "c")]
    await outbox.claim_pending(db, NOW, limit=2)
    await outbox.mark_sent(db, ids[0], 5, NOW)
    assert await outbox.release_interrupted(db) == 1
    assert [(await _row(db, i))["status"] for i in ids] == ["sent", "pending", "pending"]
    assert [m.id for m in await outbox.claim_pending(db, NOW, limit=5)] == ids[1:]
    assert await outbox.release_interrupted(db) == 2
    assert await outbox.release_interrupted(db) == 0
