"""Keeping words no longer than needed. Answers, messages sent, issue texts and staff notes
older than `retention_months` lose their words (and photos); the rows stay, so every
count, trend and past report stays true. An issue still being worked on keeps its words
until it is closed. Safeguarding alerts are not touched: a record of a concern about
someone's safety is kept as the law requires, as /forget keeps it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, Transaction, to_db_time
from carebot.storage.events import add_event
from carebot.storage.models import EventKind, IssueStatus

REMOVED_BY_AGE = "(removed: older than we keep words)"
# Issues no one works on any more (constants of ours, not input: written into the SQL).
CLOSED = f"('{IssueStatus.RESOLVED}', '{IssueStatus.CLOSED_NO_ACTION}')"


@dataclass(frozen=True)
class Retention:
    """What one kind of record loses: which rows (SQL after WHERE, with the cut-off as
    its one parameter) and what is set on them."""

    what: str
    table: str
    old: str
    clear: str
    clear_values: tuple[object, ...] = ()


# Tags' evidence first: it is chosen by the answers and issues still holding words.
RULES = (
    Retention("tag evidence", "tags",
              "evidence IS NOT NULL AND (answer_id IN (SELECT id FROM answers "
              "WHERE answered_at < ?1) OR issue_id IN (SELECT id FROM issues WHERE "
              f"updated_at < ?1 AND status IN {CLOSED}))", "evidence = NULL"),
    Retention("answers", "answers",
              "answered_at < ?1 AND (text IS NOT NULL OR media_file_id IS NOT NULL)",
              "text = NULL, media_file_id = NULL"),
    Retention("changed answers and messages", "edits",
              "edited_at < ?1 AND text != ?2", "text = ?2, evidence = NULL",
              (REMOVED_BY_AGE,)),
    Retention("issues", "issues",
              f"updated_at < ?1 AND status IN {CLOSED} AND text != ?2",
              "text = ?2, media_file_id = NULL, forwarded_from = NULL", (REMOVED_BY_AGE,)),
    Retention("notes on issues", "issue_updates",
              "created_at < ?1 AND note IS NOT NULL AND issue_id IN (SELECT id FROM issues "
              f"WHERE status IN {CLOSED})", "note = NULL"),
    Retention("messages sent", "outbox",
              "created_at < ?1 AND status IN ('sent', 'failed', 'blocked') "
              "AND (text IS NOT NULL OR reply_markup IS NOT NULL)",
              "text = NULL, reply_markup = NULL"),
    Retention("photos and voice notes sent alone", "media_messages",
              "received_at < ?1 AND file_ids IS NOT NULL", "file_ids = NULL"),
    Retention("unfinished drafts", "drafts", "created_at < ?1 AND text IS NOT NULL",
              "text = NULL"),
)


def months_before(moment: datetime, months: int) -> datetime:
    """The same day `months` calendar months earlier (the month's last day if shorter)."""
    month_index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(month_index, 12)
    for day in (moment.day, 30, 29, 28):
        try:
            return moment.replace(year=year, month=month + 1, day=day)
        except ValueError:
            continue
    raise AssertionError("every month has 28 days")


def _values(rule: Retention, cutoff: datetime) -> tuple[object, ...]:
    return (to_db_time(cutoff), *rule.clear_values)


async def _count(tx: Transaction, rule: Retention, cutoff: datetime) -> int:
    row = await tx.fetchone(f"SELECT COUNT(*) AS n FROM {rule.table} WHERE {rule.old}",
                            _values(rule, cutoff))
    assert row is not None
    return int(row["n"])


async def open_issues_kept(db: Database, cutoff: datetime) -> int:
    row = await db.fetchone(
        f"SELECT COUNT(*) AS n FROM issues WHERE created_at < ? AND status NOT IN {CLOSED}",
        (to_db_time(cutoff),))
    assert row is not None
    return int(row["n"])


async def apply_retention(db: Database, now: datetime, months: int, *,
                          dry_run: bool = False) -> dict[str, int]:
    """Take the words from every record older than `months`, in one transaction; how many
    of each kind lost them (or, in a dry run, would). Done, it is an event in the log."""
    cutoff = months_before(now, months)
    gone: dict[str, int] = {}
    async with db.transaction() as tx:
        for rule in RULES:
            if dry_run:
                gone[rule.what] = await _count(tx, rule, cutoff)
                continue
            changed = await tx.execute(
                f"UPDATE {rule.table} SET {rule.clear} WHERE {rule.old}", _values(rule, cutoff))
            gone[rule.what] = changed
        if not dry_run and any(gone.values()):
            await add_event(tx, EventKind.WORDS_REMOVED_BY_AGE, now, detail=", ".join(
                f"{count} {what}" for what, count in gone.items() if count))
    return gone
