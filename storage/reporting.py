"""Read-only figures for reports, counted in SQL so a year of answers stays quick."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from carebot.storage.db import Database, from_db_time, placeholders, to_db_time
from carebot.storage.models import IssueKind, IssueStatus
from carebot.storage.week_counts import PeriodCounts


@dataclass(frozen=True)
class ServiceFigures:
    """What happened at one service in one period. Counts only; no names, no words."""

    checkins_sent: int = 0
    checkins_completed: int = 0
    answers: int = 0
    respondents: int = 0
    fft: dict[str, int] = field(default_factory=dict)
    sentiment: dict[str, int] = field(default_factory=dict)
    open_issues: list[tuple[str, str | None, datetime, str]] = field(
        default_factory=list)  # reference, kind, raised, status
    compliments: int = 0  # raised in the period, whatever their status
    alerts: tuple[int, int] = (0, 0)  # safeguarding alerts raised in the period, acknowledged
    talks: tuple[int, int] = (0, 0)   # requests to talk to someone in the period, acted on


def checkins_counted(column: str, services: int) -> str:
    """Check-ins sent (or finished) by service in a period: `column` is sent_at or
    completed_at. Counted through their indexes (service, time), not every check-in."""
    if column not in ("sent_at", "completed_at"):
        raise ValueError(column)
    return (f"SELECT service_id, COUNT(*) FROM checkins WHERE service_id IN "
            f"({placeholders(services)}) AND {column} >= ? AND {column} < ? GROUP BY service_id")



def _queries(n: int) -> dict[str, str]:
    """Every query below reads `n` services' rows of one period, grouped by service."""
    among = f"service_id IN ({placeholders(n)})"
    period = f"a.{among} AND a.answered_at >= ? AND a.answered_at < ?"
    answers = f"FROM answers a WHERE {period}"
    return {
        "sent": checkins_counted("sent_at", n),
        "completed": checkins_counted("completed_at", n),
        "answers": f"SELECT a.service_id, COUNT(*), COUNT(DISTINCT a.person_id) {answers} "
                   "AND a.skipped = 0 GROUP BY 1",
        "fft": f"SELECT a.service_id, a.choice, COUNT(*) {answers} AND a.question_key = 'fft' "
               "AND a.choice IS NOT NULL GROUP BY 1, 2",
        "sentiment": "SELECT a.service_id, t.value, COUNT(*) FROM answers a JOIN tags t "
                     f"ON t.answer_id = a.id WHERE {period} AND t.kind = 'sentiment' "
                     "GROUP BY 1, 2",
        "compliments": f"SELECT service_id, COUNT(*) FROM issues WHERE {among} "
                       "AND created_at >= ? AND created_at < ? AND kind = 'compliment' GROUP BY 1",
        "alerts": f"SELECT service_id, COUNT(*), COUNT(acknowledged_at) FROM alerts "
                  f"WHERE {among} AND created_at >= ? AND created_at < ? "
                  "AND kind = 'safeguarding' GROUP BY 1",
        "talks": f"SELECT service_id, COUNT(*), COUNT(acknowledged_at) FROM alerts "
                 f"WHERE {among} AND created_at >= ? AND created_at < ? "
                 "AND kind = 'talk' GROUP BY 1",
    }


async def _open_issues(db: Database, services: Sequence[int], end: datetime) -> dict[
        int, list[tuple[str, str | None, datetime, str]]]:
    rows = await db.fetchall(
        f"SELECT service_id, reference, kind, created_at, status FROM issues "
        f"WHERE service_id IN ({placeholders(len(services))}) AND status NOT IN (?, ?) "
        "AND (kind IS NULL OR kind != ?) AND created_at < ? ORDER BY id",
        (*services, IssueStatus.RESOLVED, IssueStatus.CLOSED_NO_ACTION, IssueKind.COMPLIMENT,
         to_db_time(end)))
    found: dict[int, list[tuple[str, str | None, datetime, str]]] = {}
    for row in rows:
        found.setdefault(row["service_id"], []).append(
            (row["reference"], row["kind"], from_db_time(row["created_at"]), row["status"]))
    return found


async def services_figures(db: Database, services: Sequence[int], start: datetime,
                           end: datetime, period: dict[int, PeriodCounts] | None = None) -> dict[
                               int, ServiceFigures]:
    """Each service's figures for [start, end), in eight queries for them all; four when
    `period` holds the period's week counts (ratings, sentiment, answers and people, and
    finished check-ins, each counted once by who helped, are added up)."""
    if not services:
        return {}
    params = (*services, to_db_time(start), to_db_time(end))
    sql = _queries(len(services))
    if period is not None:
        del sql["fft"], sql["sentiment"], sql["completed"], sql["answers"]
    rows: dict[str, Sequence[Sequence[Any]]] = {
        name: [tuple(row) for row in await db.fetchall(query, params)]
        for name, query in sql.items()}
    if period is not None:
        rows["completed"] = [(s, sum(c.helped.values())) for s, c in period.items()]
        rows["answers"] = [(s, c.answers, c.respondents) for s, c in period.items()]
    issues = await _open_issues(db, services, end)
    by: dict[str, dict[int, Any]] = {
        name: {r[0]: tuple(r[1:]) for r in rows[name]}
        for name in ("sent", "completed", "answers", "compliments", "alerts", "talks")}
    pairs = ({name: _by_service(rows[name]) for name in ("fft", "sentiment")}
             if period is None else {
                 "fft": {s: c.fft for s, c in period.items()},
                 "sentiment": {s: c.sentiment for s, c in period.items()}})
    return {service: ServiceFigures(
        checkins_sent=by["sent"].get(service, (0,))[0],
        checkins_completed=by["completed"].get(service, (0,))[0],
        answers=by["answers"].get(service, (0, 0))[0],
        respondents=by["answers"].get(service, (0, 0))[1],
        fft=pairs["fft"].get(service, {}),
        sentiment=pairs["sentiment"].get(service, {}),
        open_issues=issues.get(service, []),
        compliments=by["compliments"].get(service, (0,))[0],
        alerts=by["alerts"].get(service, (0, 0)),
        talks=by["talks"].get(service, (0, 0)),
    ) for service in services}


def _by_service(rows: Sequence[Sequence[Any]]) -> dict[int, dict[str, int]]:
    """(service, label, n) rows as {service: {label: n}}."""
    found: dict[int, dict[str, int]] = {}
    for service, label, n in rows:
        found.setdefault(service, {})[label] = int(n)
    return found


async def record_digest(
    db: Database, *, commissioner_id: int, start: datetime, end: datetime, html_path: str,
    csv_path: str, now: datetime,
) -> bool:
    """Note that a digest was made. False if this period's digest was made already."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "INSERT INTO digests (commissioner_id, period_start, period_end, html_path, "
            "csv_path, created_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (commissioner_id, period_start) DO NOTHING",
            (commissioner_id, to_db_time(start), to_db_time(end), html_path, csv_path,
             to_db_time(now)),
        )
    return changed == 1


async def digests_made_since(db: Database, start: datetime) -> set[tuple[int, datetime]]:
    """(reader, period start) of every digest whose period starts at or after `start`:
    the periodic job asks once a tick, not once a reader."""
    rows = await db.fetchall(
        "SELECT commissioner_id, period_start FROM digests WHERE period_start >= ?",
        (to_db_time(start),))
    return {(row[0], from_db_time(row[1])) for row in rows}


async def latest_digest_files(db: Database, commissioner_id: int) -> tuple[str, str] | None:
    """The HTML and CSV files of the newest digest made for this reader, if any."""
    row = await db.fetchone("SELECT html_path, csv_path FROM digests WHERE commissioner_id = ? "
                            "ORDER BY id DESC LIMIT 1", (commissioner_id,))
    return None if row is None else (str(row["html_path"]), str(row["csv_path"]))
