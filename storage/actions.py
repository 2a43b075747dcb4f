""""You said, we did": an action agreed for a service (answering a theme people raised,
or one issue), kept with the messages that take it back to the people of that service,
in one transaction; and the figures that show whether it made a difference."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from carebot.storage.db import Database, from_db_time, placeholders, storable, to_db_time
from carebot.storage.directory import REACHABLE_PARAMS, reachable_sql
from carebot.storage.models import Role, TagKind
from carebot.storage.outbox import NewMessage, add_message


@dataclass(frozen=True)
class NewAction:
    service_id: int
    theme: str | None
    you_said: str
    we_did: str
    recorded_by: int | None
    issue_id: int | None = None


@dataclass(frozen=True)
class Action:
    id: int
    service_id: int
    theme: str | None
    you_said: str
    we_did: str
    issue_id: int | None
    agreed_at: datetime


@dataclass(frozen=True)
class Listener:
    """Someone who hears of an action: active, reachable, not paused."""

    person_id: int
    chat_id: int
    timezone: str
    language: str | None = None


async def record_action(db: Database, action: NewAction, *, now: datetime,
                        messages: Sequence[NewMessage]) -> int:
    """Keep the action and queue `messages` with it, once each for each person (their key
    is the action's and the person's)."""
    async with db.transaction() as tx:
        action_id = await tx.insert(
            "INSERT INTO actions (service_id, theme, you_said, we_did, recorded_by, issue_id, "
            "agreed_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (action.service_id, action.theme, storable(action.you_said),
             storable(action.we_did), action.recorded_by, action.issue_id, to_db_time(now),
             to_db_time(now)))
        for message in messages:
            assert message.person_id is not None, "an action's news goes to a person"
            await add_message(tx, replace(
                message, dedupe_key=f"action:{action_id}:{message.person_id}"), now)
    return action_id


async def listeners(db: Database, service_id: int, now: datetime,
                    default_timezone: str) -> list[Listener]:
    """The people and carers of a service who are active and can be reached, leaving out
    anyone whose check-ins are paused (in hospital, away: not now)."""
    rows = await db.fetchall(
        "SELECT p.id, p.chat_id, s.timezone, p.language FROM people p "
        "LEFT JOIN schedules s ON s.person_id = p.id "
        f"WHERE p.service_id = ? AND p.role IN (?, ?) AND {reachable_sql('p')} "
        "AND (s.id IS NULL OR (s.active = 1 AND (s.paused_until IS NULL OR "
        "s.paused_until <= ?))) ORDER BY p.id",
        (service_id, Role.PERSON, Role.CARER, *REACHABLE_PARAMS, to_db_time(now)))
    return [Listener(row["id"], row["chat_id"], row["timezone"] or default_timezone,
                     row["language"]) for row in rows]


async def actions_between(db: Database, service_ids: Sequence[int], start: datetime,
                          end: datetime) -> list[Action]:
    """The actions agreed for these services in [start, end), in the order recorded."""
    marks = placeholders(len(service_ids))
    rows = await db.fetchall(
        "SELECT id, service_id, theme, you_said, we_did, issue_id, agreed_at FROM actions "
        f"WHERE service_id IN ({marks}) AND agreed_at >= ? AND agreed_at < ? ORDER BY id",
        (*service_ids, to_db_time(start), to_db_time(end)))
    return [Action(r["id"], r["service_id"], r["theme"], r["you_said"], r["we_did"],
                   r["issue_id"], from_db_time(r["agreed_at"])) for r in rows]


async def theme_counts(db: Database, service_id: int, start: datetime,
                       end: datetime) -> dict[str, int]:
    """How many comments (typed answers and feedback) at the service were tagged with
    each theme in [start, end), most first. Answers and issues are counted apart, each
    through its (service, time) index: one query over both read every tag ever made."""
    found: Counter[str] = Counter()
    for source, key, moment in (("answers", "answer_id", "answered_at"),
                                ("issues", "issue_id", "created_at")):
        rows = await db.fetchall(
            f"SELECT t.value, COUNT(*) FROM {source} s {db.dialect.join_in_order} tags t "
            f"ON t.{key} = s.id "
            f"WHERE s.service_id = ? AND s.{moment} >= ? AND s.{moment} < ? AND t.kind = ? "
            "GROUP BY t.value", (service_id, to_db_time(start), to_db_time(end), TagKind.THEME))
        found.update({str(value): int(n) for value, n in rows})
    return dict(found.most_common())


async def comment_count(db: Database, service_id: int, start: datetime, end: datetime) -> int:
    """Comments (typed answers and feedback) at the service in [start, end)."""
    typed = await db.scalar(
        "SELECT COUNT(*) FROM answers WHERE service_id = ? AND text IS NOT NULL AND "
        "answered_at >= ? AND answered_at < ?",
        (service_id, to_db_time(start), to_db_time(end)))
    raised = await db.scalar(
        "SELECT COUNT(*) FROM issues WHERE service_id = ? AND created_at >= ? AND "
        "created_at < ?", (service_id, to_db_time(start), to_db_time(end)))
    return int(typed or 0) + int(raised or 0)
