"""Week-by-week figures for a council's services, each counted in one query grouped by
service and week (not one query per service per week), so a digest over a council-year
stays quick. Counts only; no names, no words."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db_time, to_db_time
from storage.models import PersonStatus, Role

# Which week of the span an answer falls in: 0 is the first.
_WEEK = "CAST((julianday(a.answered_at) - julianday(?)) / 7 AS INTEGER)"


@dataclass(frozen=True)
class ChoiceCounts:
    """Answers to choice questions, by service, week, question and choice, and how many
    different people answered each question each week (for suppression)."""

    answers: dict[tuple[int, int, str, str], int]   # (service, week, key, choice): n
    people: dict[tuple[int, int, str], int]         # (service, week, key): people


async def choice_counts(db: Database, council_id: int, start: datetime, weeks: int,
                        keys: Sequence[str]) -> ChoiceCounts:
    end = start.timestamp() + weeks * 7 * 86400
    span = (to_db_time(start), to_db_time(datetime.fromtimestamp(end, start.tzinfo)))
    marks = ", ".join("?" for _ in keys)
    where = (f"FROM answers a JOIN services s ON s.id = a.service_id WHERE s.council_id = ? "
             f"AND a.answered_at >= ? AND a.answered_at < ? AND a.choice IS NOT NULL "
             f"AND a.skipped = 0 AND a.question_key IN ({marks})")
    params = (span[0], council_id, *span, *keys)
    answers = await db.fetchall(
        f"SELECT a.service_id, {_WEEK} AS week, a.question_key, a.choice, COUNT(*) AS n "
        f"{where} GROUP BY 1, 2, 3, 4", params)
    people = await db.fetchall(
        f"SELECT a.service_id, {_WEEK} AS week, a.question_key, "
        f"COUNT(DISTINCT a.person_id) AS n {where} GROUP BY 1, 2, 3", params)
    return ChoiceCounts(
        {(r[0], r[1], r[2], r[3]): int(r["n"]) for r in answers},
        {(r[0], r[1], r[2]): int(r["n"]) for r in people})


async def enrolled(db: Database, council_id: int) -> dict[int, int]:
    """People and carers taking part now, by service."""
    rows = await db.fetchall(
        "SELECT p.service_id, COUNT(*) FROM people p JOIN services s ON s.id = p.service_id "
        "WHERE s.council_id = ? AND p.role IN (?, ?) AND p.status = ? GROUP BY 1",
        (council_id, Role.PERSON, Role.CARER, PersonStatus.ACTIVE))
    return {int(r[0]): int(r[1]) for r in rows}


async def helped_by(db: Database, council_id: int, start: datetime,
                    end: datetime) -> dict[int, dict[str, int]]:
    """Who answered finished check-ins: alone, or with family, a carer, an advocate."""
    rows = await db.fetchall(
        "SELECT c.service_id, COALESCE(c.helped_by, 'alone'), COUNT(*) FROM checkins c "
        "JOIN services s ON s.id = c.service_id WHERE s.council_id = ? "
        "AND c.completed_at >= ? AND c.completed_at < ? GROUP BY 1, 2",
        (council_id, to_db_time(start), to_db_time(end)))
    found: dict[int, dict[str, int]] = {}
    for service_id, who, count in rows:
        found.setdefault(int(service_id), {})[str(who)] = int(count)
    return found


@dataclass(frozen=True)
class AlertTimes:
    raised: datetime
    acknowledged: datetime | None


async def alert_times(db: Database, council_id: int, start: datetime,
                      end: datetime) -> dict[int, list[AlertTimes]]:
    """Safeguarding alerts raised in the span, by service, with when each was acted on."""
    rows = await db.fetchall(
        "SELECT a.service_id, a.created_at, a.acknowledged_at FROM alerts a "
        "JOIN services s ON s.id = a.service_id WHERE s.council_id = ? "
        "AND a.kind = 'safeguarding' AND a.created_at >= ? AND a.created_at < ? ORDER BY a.id",
        (council_id, to_db_time(start), to_db_time(end)))
    found: dict[int, list[AlertTimes]] = {}
    for service_id, raised, acknowledged in rows:
        found.setdefault(int(service_id), []).append(AlertTimes(
            from_db_time(raised), None if acknowledged is None else from_db_time(acknowledged)))
    return found


async def theme_weeks(db: Database, council_id: int, start: datetime,
                      weeks: int) -> dict[tuple[int, int, str], tuple[int, int]]:
    """(service, week, theme): (comments tagged with it, different people)."""
    end = datetime.fromtimestamp(start.timestamp() + weeks * 7 * 86400, start.tzinfo)
    rows = await db.fetchall(
        f"SELECT a.service_id, {_WEEK} AS week, t.value, COUNT(*), COUNT(DISTINCT a.person_id) "
        "FROM tags t JOIN answers a ON a.id = t.answer_id JOIN services s ON s.id = a.service_id "
        "WHERE s.council_id = ? AND a.answered_at >= ? AND a.answered_at < ? AND t.kind = 'theme' "
        "GROUP BY 1, 2, 3", (to_db_time(start), council_id, to_db_time(start), to_db_time(end)))
    return {(int(r[0]), int(r[1]), str(r[2])): (int(r[3]), int(r[4])) for r in rows}


@dataclass(frozen=True)
class Said:
    """Words someone wrote, with what they were tagged with: for quotes, never names."""

    service_id: int
    person_id: int
    text: str
    prompt_kind: str | None         # working, not_working, future, anything_else
    themes: dict[str, str]          # theme: the words that found it


async def words_said(db: Database, council_id: int, start: datetime,
                     end: datetime) -> list[Said]:
    """Every typed answer in the span, with its tags, newest first."""
    rows = await db.fetchall(
        "SELECT a.id, a.service_id, a.person_id, a.text, a.prompt_kind, t.value, t.evidence "
        "FROM answers a JOIN services s ON s.id = a.service_id LEFT JOIN tags t "
        "ON t.answer_id = a.id AND t.kind = 'theme' WHERE s.council_id = ? AND a.answered_at >= ? "
        "AND a.answered_at < ? AND a.text IS NOT NULL AND a.choice IS NULL "
        "ORDER BY a.answered_at DESC, a.id DESC",
        (council_id, to_db_time(start), to_db_time(end)))
    found: dict[int, Said] = {}
    for r in rows:
        said = found.setdefault(r["id"], Said(r["service_id"], r["person_id"], r["text"],
                                              r["prompt_kind"], {}))
        if r["value"] is not None:
            said.themes[r["value"]] = r["evidence"] or ""
    return list(found.values())


@dataclass(frozen=True)
class CarerFeedback:
    service_id: int
    kind: str | None
    themes: tuple[str, ...]


async def carers_feedback(db: Database, council_id: int, start: datetime,
                          end: datetime) -> list[CarerFeedback]:
    """Problems, thank yous and ideas carers raised in the span, with their themes."""
    rows = await db.fetchall(
        "SELECT i.id, i.service_id, i.kind, group_concat(t.value) AS themes FROM issues i "
        "JOIN people p ON p.id = i.raised_by_id JOIN services s ON s.id = i.service_id "
        "LEFT JOIN tags t ON t.issue_id = i.id AND t.kind = 'theme' WHERE s.council_id = ? "
        "AND p.role = ? AND i.created_at >= ? AND i.created_at < ? GROUP BY i.id ORDER BY i.id",
        (council_id, Role.CARER, to_db_time(start), to_db_time(end)))
    return [CarerFeedback(int(r["service_id"]), r["kind"],
                          tuple(sorted(set((r["themes"] or "").split(",")) - {""})))
            for r in rows]
