"""Week-by-week figures for a list of services (a council's, or one provider's), each
counted in one query grouped by service and week (not one query per service per week),
so a digest over a council-year stays quick. Each reads, service by service, only the
period's rows through the (service, time) indexes. Counts only, but for the few
comments that may be quoted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db_time, to_db_time
from storage.models import PersonStatus, Role


def _marks(services: Sequence[int]) -> str:
    """Placeholders for a list of service ids: SQLite then searches each one's rows
    through the (service, time) index, and reads nothing of other services."""
    return ", ".join("?" for _ in services)


# Which week of the span an answer falls in: 0 is the first.
_WEEK = "CAST((julianday(a.answered_at) - julianday(?)) / 7 AS INTEGER)"


@dataclass(frozen=True)
class ChoiceCounts:
    """Answers to choice questions, by service, week, question and choice, and how many
    different people answered each question each week (for suppression)."""

    answers: dict[tuple[int, int, str, str], int]   # (service, week, key, choice): n
    people: dict[tuple[int, int, str], int]         # (service, week, key): people


async def choice_counts(db: Database, services: Sequence[int], start: datetime, weeks: int,
                        keys: Sequence[str]) -> ChoiceCounts:
    end = start.timestamp() + weeks * 7 * 86400
    span = (to_db_time(start), to_db_time(datetime.fromtimestamp(end, start.tzinfo)))
    marks = ", ".join("?" for _ in keys)
    where = (f"FROM answers a WHERE a.service_id IN ({_marks(services)}) "
             f"AND a.answered_at >= ? AND a.answered_at < ? AND a.choice IS NOT NULL "
             f"AND a.skipped = 0 AND a.question_key IN ({marks})")
    params = (span[0], *services, *span, *keys)
    answers = await db.fetchall(
        f"SELECT a.service_id, {_WEEK} AS week, a.question_key, a.choice, COUNT(*) AS n "
        f"{where} GROUP BY 1, 2, 3, 4", params)
    people = await db.fetchall(
        f"SELECT a.service_id, {_WEEK} AS week, a.question_key, "
        f"COUNT(DISTINCT a.person_id) AS n {where} GROUP BY 1, 2, 3", params)
    return ChoiceCounts(
        {(r[0], r[1], r[2], r[3]): int(r["n"]) for r in answers},
        {(r[0], r[1], r[2]): int(r["n"]) for r in people})


async def enrolled(db: Database, services: Sequence[int]) -> dict[int, int]:
    """People and carers taking part now, by service."""
    rows = await db.fetchall(
        f"SELECT p.service_id, COUNT(*) FROM people p WHERE p.service_id IN ({_marks(services)}) "
        "AND p.role IN (?, ?) AND p.status = ? GROUP BY 1",
        (*services, Role.PERSON, Role.CARER, PersonStatus.ACTIVE))
    return {int(r[0]): int(r[1]) for r in rows}


async def helped_by(db: Database, services: Sequence[int], start: datetime,
                    end: datetime) -> dict[int, dict[str, int]]:
    """Who answered finished check-ins: alone, or with family, a carer, an advocate."""
    rows = await db.fetchall(
        "SELECT c.service_id, COALESCE(c.helped_by, 'alone'), COUNT(*) FROM checkins c "
        f"WHERE c.service_id IN ({_marks(services)}) "
        "AND c.completed_at >= ? AND c.completed_at < ? GROUP BY 1, 2",
        (*services, to_db_time(start), to_db_time(end)))
    found: dict[int, dict[str, int]] = {}
    for service_id, who, count in rows:
        found.setdefault(int(service_id), {})[str(who)] = int(count)
    return found


@dataclass(frozen=True)
class AlertTimes:
    raised: datetime
    acknowledged: datetime | None


async def alert_times(db: Database, services: Sequence[int], start: datetime,
                      end: datetime) -> dict[int, list[AlertTimes]]:
    """Safeguarding alerts raised in the span, by service, with when each was acted on."""
    rows = await db.fetchall(
        "SELECT a.service_id, a.created_at, a.acknowledged_at FROM alerts a "
        f"WHERE a.service_id IN ({_marks(services)}) "
        "AND a.kind = 'safeguarding' AND a.created_at >= ? AND a.created_at < ? ORDER BY a.id",
        (*services, to_db_time(start), to_db_time(end)))
    found: dict[int, list[AlertTimes]] = {}
    for service_id, raised, acknowledged in rows:
        found.setdefault(int(service_id), []).append(AlertTimes(
            from_db_time(raised), None if acknowledged is None else from_db_time(acknowledged)))
    return found


async def theme_weeks(db: Database, services: Sequence[int], start: datetime,
                      weeks: int) -> dict[tuple[int, int, str], tuple[int, int]]:
    """(service, week, theme): (comments tagged with it, different people)."""
    end = datetime.fromtimestamp(start.timestamp() + weeks * 7 * 86400, start.tzinfo)
    rows = await db.fetchall(
        f"SELECT a.service_id, {_WEEK} AS week, t.value, COUNT(*), COUNT(DISTINCT a.person_id) "
        "FROM answers a CROSS JOIN tags t ON t.answer_id = a.id "
        f"WHERE a.service_id IN ({_marks(services)}) AND a.answered_at >= ? "
        "AND a.answered_at < ? AND t.kind = 'theme' "
        "GROUP BY 1, 2, 3", (to_db_time(start), *services, to_db_time(start), to_db_time(end)))
    return {(int(r[0]), int(r[1]), str(r[2])): (int(r[3]), int(r[4])) for r in rows}


@dataclass(frozen=True)
class Said:
    """Words someone wrote, with what they were tagged with: for quotes, never names."""

    service_id: int
    person_id: int
    text: str
    prompt_kind: str | None         # working, not_working, future, anything_else
    themes: dict[str, str]          # theme: the words that found it


async def words_said(db: Database, services: Sequence[int], start: datetime, end: datetime,
                     per_group: int = 20) -> list[Said]:
    """Typed answers in the span that may be quoted: the newest `per_group` of each
    service's themes and of each Working Together for Change question, newest first.
    Chosen in SQL, so a year of comments is not read into memory to pick a few."""
    typed = ("SELECT a.id, a.service_id, a.person_id, a.text, a.prompt_kind, a.answered_at "
             f"FROM answers a WHERE a.service_id IN ({_marks(services)}) "
             "AND a.answered_at >= ? AND a.answered_at < ? AND a.text IS NOT NULL "
             "AND a.choice IS NULL")
    rows = await db.fetchall(
        f"WITH typed AS ({typed}), by_theme AS ("
        "SELECT typed.*, t.value AS theme, t.evidence, ROW_NUMBER() OVER (PARTITION BY "
        "typed.service_id, t.value ORDER BY typed.answered_at DESC, typed.id DESC) AS n "
        "FROM typed JOIN tags t ON t.answer_id = typed.id AND t.kind = 'theme'), "
        "by_prompt AS (SELECT typed.*, NULL AS theme, NULL AS evidence, ROW_NUMBER() OVER "
        "(PARTITION BY typed.service_id, typed.prompt_kind ORDER BY typed.answered_at DESC, "
        "typed.id DESC) AS n FROM typed) "
        "SELECT * FROM by_theme WHERE n <= ? UNION ALL SELECT * FROM by_prompt WHERE n <= ? "
        "ORDER BY answered_at DESC, id DESC",
        (*services, to_db_time(start), to_db_time(end), per_group, per_group))
    found: dict[int, Said] = {}
    for r in rows:
        said = found.setdefault(r["id"], Said(r["service_id"], r["person_id"], r["text"],
                                              r["prompt_kind"], {}))
        if r["theme"] is not None:
            said.themes[r["theme"]] = r["evidence"] or ""
    return list(found.values())


async def prompt_counts(db: Database, services: Sequence[int], start: datetime,
                        end: datetime) -> dict[tuple[int, str], tuple[int, int]]:
    """(service, Working Together for Change question): (typed answers, people)."""
    rows = await db.fetchall(
        "SELECT a.service_id, a.prompt_kind, COUNT(*), COUNT(DISTINCT a.person_id) "
        f"FROM answers a WHERE a.service_id IN ({_marks(services)}) "
        "AND a.answered_at >= ? AND a.answered_at < ? AND a.text IS NOT NULL "
        "AND a.choice IS NULL AND a.prompt_kind IS NOT NULL GROUP BY 1, 2",
        (*services, to_db_time(start), to_db_time(end)))
    return {(int(r[0]), str(r[1])): (int(r[2]), int(r[3])) for r in rows}


@dataclass(frozen=True)
class CarerFeedback:
    service_id: int
    kind: str | None
    themes: tuple[str, ...]


async def carers_feedback(db: Database, services: Sequence[int], start: datetime,
                          end: datetime) -> list[CarerFeedback]:
    """Problems, thank yous and ideas carers raised in the span, with their themes."""
    rows = await db.fetchall(
        "SELECT i.id, i.service_id, i.kind, group_concat(t.value) AS themes FROM issues i "
        "JOIN people p ON p.id = i.raised_by_id LEFT JOIN tags t ON t.issue_id = i.id "
        f"AND t.kind = 'theme' WHERE i.service_id IN ({_marks(services)}) "
        "AND p.role = ? AND i.created_at >= ? AND i.created_at < ? GROUP BY i.id ORDER BY i.id",
        (*services, Role.CARER, to_db_time(start), to_db_time(end)))
    return [CarerFeedback(int(r["service_id"]), r["kind"],
                          tuple(sorted(set((r["themes"] or "").split(",")) - {""})))
            for r in rows]
