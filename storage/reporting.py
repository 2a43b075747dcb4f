"""Read-only figures for reports, counted in SQL so a year of answers stays quick."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.db import Database, from_db_time, to_db_time
from storage.models import IssueKind, IssueStatus, TagKind


@dataclass(frozen=True)
class ServiceFigures:
    """What happened at one service in one period. Counts only; no names."""

    checkins_sent: int
    checkins_completed: int
    answers: int
    respondents: int
    fft: dict[str, int]
    sentiment: dict[str, int]
    free_texts: list[tuple[int, str]]  # (person id, text): for word counts, never shown
    open_issues: list[tuple[str, str | None, datetime, str]]  # reference, kind, raised, status
    compliments: int  # raised in the period, whatever their status
    themes: dict[str, tuple[int, int]]  # theme id: (answers tagged with it, people)
    alerts: tuple[int, int]  # safeguarding alerts raised in the period, and acknowledged


Span = tuple[int, str, str]  # (service id, start, end) as bound in every query below
# Counted by index (checkins_sent, checkins_completed), not by reading every check-in.
CHECKINS_SENT = ("SELECT COUNT(*) FROM checkins WHERE service_id = ? AND sent_at >= ? "
                 "AND sent_at < ?")
CHECKINS_COMPLETED = ("SELECT COUNT(*) FROM checkins WHERE service_id = ? "
                      "AND completed_at >= ? AND completed_at < ?")


async def _count(db: Database, sql: str, params: tuple[object, ...]) -> int:
    return int(await db.scalar(sql, params) or 0)


async def _counts_by(db: Database, sql: str, params: tuple[object, ...]) -> dict[str, int]:
    """`sql` selects (label, n) rows."""
    return {row[0]: int(row[1]) for row in await db.fetchall(sql, params)}


async def _answer_counts(db: Database, span: Span) -> tuple[int, int]:
    """(answers given, people who gave them) in the period, skips left out."""
    row = await db.fetchone(
        "SELECT COUNT(*) AS answers, COUNT(DISTINCT person_id) AS respondents FROM answers "
        "WHERE service_id = ? AND answered_at >= ? AND answered_at < ? AND skipped = 0",
        span,
    )
    assert row is not None
    return int(row["answers"]), int(row["respondents"])


async def _free_texts(db: Database, span: Span) -> list[tuple[int, str]]:
    rows = await db.fetchall(
        "SELECT person_id, text FROM answers WHERE service_id = ? AND answered_at >= ? "
        "AND answered_at < ? AND text IS NOT NULL AND choice IS NULL ORDER BY id",
        span,
    )
    return [(int(row["person_id"]), str(row["text"])) for row in rows]


async def _open_issues(db: Database, service_id: int,
                       end: datetime) -> list[tuple[str, str | None, datetime, str]]:
    rows = await db.fetchall(
        "SELECT reference, kind, created_at, status FROM issues WHERE service_id = ? "
        "AND status NOT IN (?, ?) AND (kind IS NULL OR kind != ?) AND created_at < ? "
        "ORDER BY id",
        (service_id, IssueStatus.RESOLVED, IssueStatus.CLOSED_NO_ACTION, IssueKind.COMPLIMENT,
         to_db_time(end)),
    )
    return [(row["reference"], row["kind"], from_db_time(row["created_at"]), row["status"])
            for row in rows]


async def _themes(db: Database, span: Span) -> dict[str, tuple[int, int]]:
    rows = await db.fetchall(
        "SELECT t.value, COUNT(*) AS answers, COUNT(DISTINCT a.person_id) AS people "
        "FROM tags t JOIN answers a ON a.id = t.answer_id WHERE a.service_id = ? "
        "AND a.answered_at >= ? AND a.answered_at < ? AND t.kind = ? GROUP BY t.value",
        (*span, TagKind.THEME),
    )
    return {row["value"]: (int(row["answers"]), int(row["people"])) for row in rows}


async def _alerts(db: Database, span: Span) -> tuple[int, int]:
    row = await db.fetchone(
        "SELECT COUNT(*) AS raised, COUNT(acknowledged_at) AS acknowledged FROM alerts "
        "WHERE service_id = ? AND created_at >= ? AND created_at < ? AND kind = 'safeguarding'",
        span,
    )
    assert row is not None
    return int(row["raised"]), int(row["acknowledged"])


async def service_figures(
    db: Database, service_id: int, start: datetime, end: datetime
) -> ServiceFigures:
    span: Span = (service_id, to_db_time(start), to_db_time(end))
    answers, respondents = await _answer_counts(db, span)
    return ServiceFigures(
        checkins_sent=await _count(db, CHECKINS_SENT, span),
        checkins_completed=await _count(db, CHECKINS_COMPLETED, span),
        answers=answers,
        respondents=respondents,
        fft=await _counts_by(
            db, "SELECT choice, COUNT(*) FROM answers WHERE service_id = ? AND answered_at >= ? "
            "AND answered_at < ? AND question_key = 'fft' AND choice IS NOT NULL "
            "GROUP BY choice", span),
        sentiment=await _counts_by(
            db, "SELECT t.value, COUNT(*) FROM tags t JOIN answers a ON a.id = t.answer_id "
            "WHERE a.service_id = ? AND a.answered_at >= ? AND a.answered_at < ? "
            "AND t.kind = ? GROUP BY t.value", (*span, TagKind.SENTIMENT)),
        free_texts=await _free_texts(db, span),
        open_issues=await _open_issues(db, service_id, end),
        compliments=await _count(
            db, "SELECT COUNT(*) FROM issues WHERE service_id = ? AND created_at >= ? "
            "AND created_at < ? AND kind = ?", (*span, IssueKind.COMPLIMENT)),
        themes=await _themes(db, span),
        alerts=await _alerts(db, span),
    )


async def record_digest(
    db: Database, *, commissioner_id: int, start: datetime, end: datetime, html_path: str,
    csv_path: str, now: datetime,
) -> bool:
    """Note that a digest was made. False if this period's digest was made already."""
    async with db.transaction() as tx:
        cursor = await tx.execute(
            "INSERT INTO digests (commissioner_id, period_start, period_end, html_path, "
            "csv_path, created_at) VALUES (?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (commissioner_id, period_start) DO NOTHING",
            (commissioner_id, to_db_time(start), to_db_time(end), html_path, csv_path,
             to_db_time(now)),
        )
    return cursor.rowcount == 1


async def digest_made(db: Database, commissioner_id: int, start: datetime) -> bool:
    found = await db.scalar(
        "SELECT 1 FROM digests WHERE commissioner_id = ? AND period_start = ?",
        (commissioner_id, to_db_time(start)),
    )
    return found is not None
