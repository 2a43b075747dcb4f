"""Finished check-ins written in bulk, with their answers and tags: how a benchmark or a
test gets a council-year of history in seconds rather than one transaction per answer.

The rows are the ones the bot itself writes (`checkins.record_answer`, `tags.add_tags`),
through the same columns, so reports read them exactly as they read real history."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, Params, Transaction, storable, to_db_time
from carebot.storage.models import CheckInStatus, TagRecord


@dataclass(frozen=True)
class PastAnswer:
    question_key: str
    answered_at: datetime
    choice: str | None = None
    text: str | None = None
    prompt_kind: str | None = None
    skipped: bool = False
    tags: Sequence[TagRecord] = ()


@dataclass(frozen=True)
class PastCheckIn:
    person_id: int
    service_id: int
    due_at: datetime
    questions: str
    answers: Sequence[PastAnswer]
    helped_by: str | None = None
    completed: bool = True  # False: sent, never finished (it expired)


async def _next_ids(tx: Transaction) -> tuple[int, int]:
    """The next check-in id and the next answer id."""
    row = await tx.fetchone("SELECT (SELECT COALESCE(MAX(id), 0) + 1 FROM checkins), "
                            "(SELECT COALESCE(MAX(id), 0) + 1 FROM answers)")
    assert row is not None
    return int(row[0]), int(row[1])


async def add_past_checkins(db: Database, checkins: Sequence[PastCheckIn], *, tagger: str,
                            now: datetime) -> int:
    """Write `checkins` in one transaction; returns the number of answers written.

    Ids are given here, in order, so a whole batch goes in with three statements."""
    checkin_rows: list[Params] = []
    answer_rows: list[Params] = []
    tag_rows: list[Params] = []
    async with db.transaction() as tx:
        checkin_id, answer_id = await _next_ids(tx)
        for checkin in checkins:
            last = max((a.answered_at for a in checkin.answers), default=checkin.due_at)
            checkin_rows.append((
                checkin_id, checkin.person_id, checkin.service_id, to_db_time(checkin.due_at),
                to_db_time(checkin.due_at), checkin.questions, checkin.helped_by,
                CheckInStatus.COMPLETED if checkin.completed else CheckInStatus.EXPIRED,
                len(checkin.answers), to_db_time(checkin.due_at),
                to_db_time(last) if checkin.completed else None))
            for answer in checkin.answers:
                answer_rows.append((
                    answer_id, checkin_id, checkin.person_id, checkin.service_id,
                    answer.question_key, answer.prompt_kind, answer.choice,
                    None if answer.text is None else storable(answer.text), int(answer.skipped),
                    to_db_time(answer.answered_at)))
                tag_rows += [(answer_id, t.kind, t.value, t.score, t.evidence, tagger,
                              to_db_time(now)) for t in answer.tags]
                answer_id += 1
            checkin_id += 1
        await tx.executemany(
            "INSERT INTO checkins (id, person_id, service_id, due_at, created_at, questions, "
            "helped_by, status, step, sent_at, completed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", checkin_rows)
        await tx.executemany(
            "INSERT INTO answers (id, checkin_id, person_id, service_id, question_key, "
            "prompt_kind, choice, text, skipped, answered_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", answer_rows)
        await tx.executemany(
            "INSERT INTO tags (answer_id, kind, value, score, evidence, tagger, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", tag_rows)
    return len(answer_rows)
