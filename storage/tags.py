"""Tags on a piece of text (sentiment, theme, risk), stored once so reports never re-tag."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from carebot.storage.db import Database, Row, to_db_time
from carebot.storage.models import TagKind, TagRecord


async def add_tags(
    db: Database, *, tags: Sequence[TagRecord], tagger: str, now: datetime,
    answer_id: int | None = None, issue_id: int | None = None,
) -> None:
    """Keep the tags of an answer or an issue, once: words handled again after a crash
    were tagged the first time."""
    if (answer_id is None) == (issue_id is None):
        raise ValueError("tag exactly one of an answer or an issue")
    async with db.transaction() as tx:
        tagged = ("SELECT 1 FROM tags WHERE answer_id = ? LIMIT 1", (answer_id,))
        if issue_id is not None:
            tagged = ("SELECT 1 FROM tags WHERE issue_id = ? LIMIT 1", (issue_id,))
        if await tx.fetchone(*tagged):
            return
        await tx.executemany(
            "INSERT INTO tags (answer_id, issue_id, kind, value, score, evidence, tagger, "
            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                (answer_id, issue_id, t.kind, t.value, t.score, t.evidence, tagger,
                 to_db_time(now))
                for t in tags
            ],
        )


async def tags_of_answer(db: Database, answer_id: int) -> list[TagRecord]:
    rows = await db.fetchall(
        "SELECT kind, value, score, evidence FROM tags WHERE answer_id = ? ORDER BY id",
        (answer_id,),
    )
    return [_record(r) for r in rows]


def _record(row: Row) -> TagRecord:
    return TagRecord(TagKind(row["kind"]), row["value"], row["score"], row["evidence"])


async def tags_of_issue(db: Database, issue_id: int) -> list[TagRecord]:
    rows = await db.fetchall(
        "SELECT kind, value, score, evidence FROM tags WHERE issue_id = ? ORDER BY id",
        (issue_id,),
    )
    return [_record(r) for r in rows]


async def set_language(db: Database, language: str, *, answer_id: int | None = None,
                       issue_id: int | None = None) -> None:
    """Note that an answer's or an issue's words are in `language` (not English)."""
    if answer_id is not None:
        await db.execute("UPDATE answers SET language = ? WHERE id = ?", (language, answer_id))
    if issue_id is not None:
        await db.execute("UPDATE issues SET language = ? WHERE id = ?", (language, issue_id))
