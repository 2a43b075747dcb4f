"""Schedules, the check-ins they make, and the answers people give.

A due check-in is made, its schedule moved on and its first message queued in one
transaction; `UNIQUE (schedule_id, due_at)` means a second attempt makes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebot.storage import outbox
from carebot.storage.db import (
    Database,
    Row,
    Statement,
    from_db_time,
    maybe_time,
    storable,
    to_db_time,
)
from carebot.storage.directory import REACHABLE_PARAMS, reachable_sql
from carebot.storage.models import (
    CheckIn,
    CheckInStatus,
    OutboxMessage,
    Purpose,
    Schedule,
)
from carebot.storage.outbox import NewMessage, add_message

_SCHEDULE_COLUMNS = (
    "id, person_id, frequency, weekday, time_window, timezone, next_due_at, paused_until, active"
)
_CHECKIN_COLUMNS = (
    "id, person_id, service_id, schedule_id, due_at, questions, status, step, message_id, "
    "helped_by, reminded_at"
)
OPEN_STATUSES = (CheckInStatus.SENT, CheckInStatus.IN_PROGRESS)


def _schedule(row: Row) -> Schedule:
    return Schedule(
        id=row["id"],
        person_id=row["person_id"],
        frequency=row["frequency"],
        weekday=row["weekday"],
        time_window=row["time_window"],
        timezone=row["timezone"],
        next_due_at=from_db_time(row["next_due_at"]),
        paused_until=maybe_time(row["paused_until"]),
        active=bool(row["active"]),
    )


def _checkin(row: Row) -> CheckIn:
    return CheckIn(
        id=row["id"],
        person_id=row["person_id"],
        service_id=row["service_id"],
        schedule_id=row["schedule_id"],
        due_at=from_db_time(row["due_at"]),
        questions=row["questions"],
        status=CheckInStatus(row["status"]),
        step=row["step"],
        message_id=row["message_id"],
        helped_by=row["helped_by"],
        reminded_at=maybe_time(row["reminded_at"]),
    )


async def set_schedule(
    db: Database, *, person_id: int, weekday: int, time_window: str, next_due_at: datetime,
    frequency: str = "weekly", timezone: str = "Europe/London",
) -> Schedule:
    """Create or replace a person's schedule."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO schedules (person_id, frequency, weekday, time_window, timezone, "
            "next_due_at, active) VALUES (?, ?, ?, ?, ?, ?, 1) "
            "ON CONFLICT (person_id) DO UPDATE SET frequency = excluded.frequency, "
            "weekday = excluded.weekday, time_window = excluded.time_window, "
            "timezone = excluded.timezone, next_due_at = excluded.next_due_at, active = 1, "
            "paused_until = NULL",
            (person_id, frequency, weekday, time_window, timezone, to_db_time(next_due_at)),
        )
    schedule = await schedule_of(db, person_id)
    assert schedule is not None
    return schedule


async def schedule_of(db: Database, person_id: int) -> Schedule | None:
    row = await db.fetchone(
        f"SELECT {_SCHEDULE_COLUMNS} FROM schedules WHERE person_id = ?", (person_id,)
    )
    return None if row is None else _schedule(row)


async def due_schedules(db: Database, now: datetime, limit: int = 500,
                        after: Schedule | None = None) -> list[Schedule]:
    """Active schedules of active, reachable people whose next check-in is due by `now`,
    oldest first; with `after`, those that come after it (the next page)."""
    start = ("", 0) if after is None else (to_db_time(after.next_due_at), after.id)
    rows = await db.fetchall(
        f"SELECT {', '.join('s.' + c.strip() for c in _SCHEDULE_COLUMNS.split(','))} "
        "FROM schedules s JOIN people p ON p.id = s.person_id "
        "WHERE s.active = 1 AND s.next_due_at <= ? AND (s.next_due_at, s.id) > (?, ?) "
        f"AND {reachable_sql('p')} AND p.service_id IS NOT NULL "
        "AND (s.paused_until IS NULL OR s.paused_until <= ?) "
        "ORDER BY s.next_due_at, s.id LIMIT ?",
        (to_db_time(now), *start, *REACHABLE_PARAMS, to_db_time(now), limit),
    )
    return [_schedule(row) for row in rows]


async def pause_schedule(db: Database, person_id: int, *, until: datetime | None,
                         next_due_at: datetime | None) -> None:
    """Pause until a date (the next check-in is then the first after it), or, with no
    date, until the person resumes."""
    async with db.transaction() as tx:
        if until is None:
            await tx.execute("UPDATE schedules SET active = 0 WHERE person_id = ?",
                             (person_id,))
        else:
            assert next_due_at is not None
            await tx.execute(
                "UPDATE schedules SET paused_until = ?, next_due_at = ?, active = 1 "
                "WHERE person_id = ?",
                (to_db_time(until), to_db_time(next_due_at), person_id),
            )


async def resume_schedule(db: Database, person_id: int, next_due_at: datetime) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE schedules SET active = 1, paused_until = NULL, next_due_at = ? "
            "WHERE person_id = ?",
            (to_db_time(next_due_at), person_id),
        )


async def count_checkins(db: Database, person_id: int) -> int:
    return int(await db.scalar("SELECT COUNT(*) FROM checkins WHERE person_id = ?", (person_id,)))


@dataclass(frozen=True)
class QueuedCheckIn:
    checkin_id: int
    outbox_id: int | None


async def open_scheduled_checkin(
    db: Database, *, schedule: Schedule, service_id: int, chat_id: int, questions: str,
    next_due_at: datetime, now: datetime, missed: bool = False,
) -> QueuedCheckIn | None:
    """Make the check-in that `schedule` says is due, move the schedule on, and queue the
    first message. None if this due check-in was already made (nothing changes then).

    A `missed` check-in (its time passed while the bot was down) is recorded as missed
    and nothing is sent; `outbox_id` is then None."""
    due = to_db_time(schedule.next_due_at)
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE schedules SET next_due_at = ? WHERE id = ? AND next_due_at = ?",
            (to_db_time(next_due_at), schedule.id, due),
        )
        if changed != 1:
            return None
        exists = await tx.fetchone(
            "SELECT 1 FROM checkins WHERE schedule_id = ? AND due_at = ?", (schedule.id, due)
        )
        if exists is not None:
            return None
        checkin_id = await tx.insert(
            "INSERT INTO checkins (person_id, service_id, schedule_id, due_at, created_at, "
            "questions, status) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (schedule.person_id, service_id, schedule.id, due, to_db_time(now), questions,
             CheckInStatus.MISSED.value if missed else CheckInStatus.QUEUED.value),
        )
        if missed:
            return QueuedCheckIn(checkin_id=checkin_id, outbox_id=None)
        outbox_id = await add_message(tx, NewMessage(
            chat_id, Purpose.CHECKIN_START, person_id=schedule.person_id,
            checkin_id=checkin_id, dedupe_key=f"checkin:{checkin_id}:start"), now)
    return QueuedCheckIn(checkin_id=checkin_id, outbox_id=outbox_id)


async def open_checkin_now(db: Database, *, person_id: int, service_id: int, questions: str,
                           now: datetime) -> CheckIn | None:
    """A check-in asked for now (`/checkin`), unless one is already waiting (None)."""
    rows = await db.returning(  # one statement: made only if none is waiting
        "INSERT INTO checkins (person_id, service_id, due_at, created_at, questions, status) "
        "SELECT ?, ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM checkins "
        f"WHERE person_id = ? AND status IN (?, ?, ?)) RETURNING {_CHECKIN_COLUMNS}",
        (person_id, service_id, to_db_time(now), to_db_time(now), questions,
         CheckInStatus.QUEUED, person_id, CheckInStatus.QUEUED, *OPEN_STATUSES),
    )
    return _checkin(rows[0]) if rows else None


async def start_checkin(db: Database, checkin_id: int, helped_by: str | None) -> bool:
    """Move from the hello to the first question, noting who is helping, if anyone.
    False if the check-in was not waiting at its hello (a double tap, or closed)."""
    changed = await db.execute(
        "UPDATE checkins SET step = 1, status = ?, helped_by = ? "
        "WHERE id = ? AND step = 0 AND status IN (?, ?)",
        (CheckInStatus.IN_PROGRESS, helped_by, checkin_id, *OPEN_STATUSES),
    )
    return changed == 1


async def close_checkin(db: Database, checkin_id: int, status: CheckInStatus) -> bool:
    """Close an open check-in (e.g. 'Not now' on its reminder). Answers so far stay."""
    changed = await db.execute(
        "UPDATE checkins SET status = ? WHERE id = ? AND status IN (?, ?)",
        (status.value, checkin_id, *OPEN_STATUSES),
    )
    return changed == 1


@dataclass(frozen=True)
class ReminderDue:
    checkin_id: int
    person_id: int
    chat_id: int
    time_window: str | None  # None for a check-in asked for with /checkin
    timezone: str


async def reminders_due(db: Database, sent_before: datetime) -> list[ReminderDue]:
    """Open check-ins sent before `sent_before` that have had no reminder yet."""
    rows = await db.fetchall(
        "SELECT c.id, c.person_id, p.chat_id, s.time_window, "
        "COALESCE(s.timezone, 'Europe/London') AS timezone "
        "FROM checkins c JOIN people p ON p.id = c.person_id "
        "LEFT JOIN schedules s ON s.id = c.schedule_id "
        "WHERE c.status IN (?, ?) AND c.reminded_at IS NULL AND c.sent_at < ? "
        f"AND {reachable_sql('p')} ORDER BY c.id",
        (*OPEN_STATUSES, to_db_time(sent_before), *REACHABLE_PARAMS),
    )
    return [ReminderDue(r["id"], r["person_id"], r["chat_id"], r["time_window"],
                        r["timezone"]) for r in rows]


async def queue_reminder(db: Database, reminder: ReminderDue, now: datetime) -> bool:
    """Mark the one reminder as given and queue it, together. False if already given."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE checkins SET reminded_at = ? WHERE id = ? AND reminded_at IS NULL",
            (to_db_time(now), reminder.checkin_id),
        )
        if changed != 1:
            return False
        await add_message(tx, NewMessage(
            reminder.chat_id, Purpose.CHECKIN_REMINDER, person_id=reminder.person_id,
            checkin_id=reminder.checkin_id,
            dedupe_key=f"checkin:{reminder.checkin_id}:reminder"), now)
    return True


async def get_checkin(db: Database, checkin_id: int) -> CheckIn | None:
    row = await db.fetchone(f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE id = ?", (checkin_id,))
    return None if row is None else _checkin(row)


async def open_checkin_of(db: Database, person_id: int) -> CheckIn | None:
    """The person's check-in now waiting for an answer, if any (the newest)."""
    row = await db.fetchone(
        f"SELECT {_CHECKIN_COLUMNS} FROM checkins WHERE person_id = ? AND status IN (?, ?) "
        "ORDER BY id DESC LIMIT 1",
        (person_id, *OPEN_STATUSES),
    )
    return None if row is None else _checkin(row)


async def mark_checkin_sent(db: Database, checkin_id: int, message_id: int | None,
                            now: datetime) -> None:
    """The hello has gone (or is in the outbox, to go: `message_id` None)."""
    await db.execute(*hello_sent(checkin_id, message_id, now))


def hello_sent(checkin_id: int, message_id: int | None, now: datetime) -> Statement:
    """`mark_checkin_sent` as a statement, for the outbox sender to write with the hello's
    row being sent (`outbox.mark_sent`): a crash can never leave one without the other."""
    return ("UPDATE checkins SET status = ?, sent_at = ?, message_id = COALESCE(?, message_id) "
            "WHERE id = ? AND status = ?",
            (CheckInStatus.SENT, to_db_time(now), message_id, checkin_id, CheckInStatus.QUEUED))


async def set_question_message(db: Database, checkin_id: int, message_id: int) -> None:
    await db.execute(*showing_question(checkin_id, message_id))


@dataclass(frozen=True)
class NewAnswer:
    question_key: str
    prompt_kind: str | None
    choice: str | None
    text: str | None
    skipped: bool
    media_file_id: str | None = None  # a photo or file the words came with
    message_id: int | None = None  # the person's Telegram message, for a typed answer
    media_kinds: str | None = None  # what it was, when sent with no words: "voice"


@dataclass(frozen=True)
class AnswerKept:
    answer_id: int
    follow_up: OutboxMessage | None  # what comes next, claimed for sending at once


async def record_answer(
    db: Database, *, checkin: CheckIn, step: int, answer: NewAnswer, last_step: bool,
    now: datetime, then_send: NewMessage | None = None,
) -> AnswerKept | None:
    """Keep an answer, move the check-in on and write what comes next (`then_send`: the
    next question, or the thanks), all together, so that after a crash the next question
    is still sent. None when `step` is no longer the one waiting (a double tap or an old
    button): then nothing is written, so nothing already said is changed."""
    statements: list[Statement] = [
        ("UPDATE checkins SET step = step + 1, status = ?, completed_at = ? "
         "WHERE id = ? AND step = ? AND status IN (?, ?)",
         (CheckInStatus.COMPLETED.value if last_step else CheckInStatus.IN_PROGRESS.value,
          to_db_time(now) if last_step else None, checkin.id, step, *OPEN_STATUSES)),
        ("INSERT INTO answers (checkin_id, person_id, service_id, question_key, "
         "prompt_kind, choice, text, skipped, media_file_id, message_id, answered_at, "
         "media_kinds) SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1 "
         "RETURNING id",
         (checkin.id, checkin.person_id, checkin.service_id, answer.question_key,
          answer.prompt_kind, answer.choice,
          None if answer.text is None else storable(answer.text), int(answer.skipped),
          answer.media_file_id, answer.message_id, to_db_time(now), answer.media_kinds)),
    ]
    if then_send is not None:
        statements.append(outbox.claimed(then_send, now, if_changed=True))
    _, kept, *follow_up = await db.together(*statements)
    if not kept:
        return None
    return AnswerKept(int(kept[0]["id"]),
                      outbox.claimed_message(follow_up[0]) if follow_up else None)


def showing_question(checkin_id: int, message_id: int) -> Statement:
    """Remember which message shows the question now waiting, to tidy its buttons later
    (written with the message's being sent: `outbox.mark_sent`)."""
    return "UPDATE checkins SET message_id = ? WHERE id = ?", (message_id, checkin_id)


async def answer_from_message(db: Database, person_id: int, message_id: int) -> int | None:
    """The answer a person's message gave, if it gave one: a message handled again after
    a crash is not taken as the answer to the question that came after it."""
    found = await db.scalar("SELECT id FROM answers WHERE person_id = ? AND message_id = ?",
                            (person_id, message_id))
    return None if found is None else int(found)


async def add_words_to_answer(db: Database, *, checkin_id: int, question_key: str,
                              text: str, message_id: int,
                              media_file_id: str | None) -> int | None:
    """Words the person typed about an answer they had just given with a button: kept
    with that answer, if it has no words yet. Returns the answer's id, or None."""
    async with db.transaction() as tx:
        row = await tx.fetchone(
            "SELECT id FROM answers WHERE checkin_id = ? AND question_key = ? "
            "AND text IS NULL AND skipped = 0", (checkin_id, question_key))
        if row is None:
            return None
        await tx.execute(
            "UPDATE answers SET text = ?, message_id = ?, "
            "media_file_id = COALESCE(media_file_id, ?) WHERE id = ?",
            (storable(text), message_id, media_file_id, row["id"]))
    return int(row["id"])


async def expire_stale_checkins(db: Database, older_than: datetime) -> int:
    """Close check-ins nobody finished. Their answers so far are kept as they are."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE checkins SET status = ? WHERE status IN (?, ?) AND due_at < ?",
            (CheckInStatus.EXPIRED, *OPEN_STATUSES, to_db_time(older_than)),
        )
    return changed


@dataclass(frozen=True)
class Shown:
    """A check-in message of the bot's that a person replied to: which check-in, and
    which step it showed (0: the hello)."""

    checkin: CheckIn
    step: int


async def shown_in(db: Database, person_id: int, message_id: int) -> Shown | None:
    """What the bot's message `message_id` in the person's chat showed of a check-in, if
    it showed one (kept by migration 0014's trigger as each is sent)."""
    row = await db.fetchone(
        f"SELECT {', '.join('c.' + c.strip() for c in _CHECKIN_COLUMNS.split(','))}, "
        "q.step AS shown_step FROM question_messages q JOIN checkins c ON c.id = q.checkin_id "
        "WHERE q.person_id = ? AND q.message_id = ?", (person_id, message_id))
    return None if row is None else Shown(_checkin(row), row["shown_step"])


@dataclass(frozen=True)
class ReplyKept:
    """Where a reply to an earlier question went: `answer_id` is that question's answer;
    `first_words` is what it already said in words (None: the reply's words were kept in
    the answer itself, as a first answer or beside the button tapped)."""

    answer_id: int
    first_words: str | None


async def answer_by_reply(db: Database, *, checkin: CheckIn, answer: NewAnswer,
                          now: datetime) -> ReplyKept:
    """Words sent as a reply to an earlier question of `checkin`. Nothing said before is
    changed: a question not answered yet (its check-in closed first) gets them as its
    answer; an answer given with a button (or skipped) gets them as its words, its choice
    kept as tapped; an answer that has words already is left as it is, and the caller
    keeps the new words beside it as a new version (storage/edits.py). The check-in does
    not move: the question waiting still waits."""
    assert answer.text is not None and answer.message_id is not None
    async with db.transaction() as tx:
        row = await tx.fetchone(
            "SELECT id, text FROM answers WHERE checkin_id = ? AND question_key = ?",
            (checkin.id, answer.question_key))
        if row is None:
            answer_id = await tx.insert(
                "INSERT INTO answers (checkin_id, person_id, service_id, question_key, "
                "prompt_kind, choice, text, skipped, media_file_id, message_id, answered_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (checkin.id, checkin.person_id, checkin.service_id, answer.question_key,
                 answer.prompt_kind, answer.choice, storable(answer.text),
                 int(answer.skipped), answer.media_file_id, answer.message_id,
                 to_db_time(now)))
            return ReplyKept(answer_id, None)
        if row["text"] is not None:
            return ReplyKept(int(row["id"]), str(row["text"]))
        await tx.execute(
            "UPDATE answers SET text = ?, message_id = ?, "
            "media_file_id = COALESCE(media_file_id, ?) WHERE id = ?",
            (storable(answer.text), answer.message_id, answer.media_file_id, row["id"]))
    return ReplyKept(int(row["id"]), None)
