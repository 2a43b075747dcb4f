"""A person changed a message they sent: the new version is kept beside what it first said
(which never changes), with its own tags, so a risk added in an edit is not missed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, storable, to_db_time
from carebot.storage.models import TagKind


@dataclass(frozen=True)
class EditedMessage:
    """What the edited message first was, as carebot kept it (ids None if it kept none),
    and the risk its first words were tagged with (None if they were not tagged)."""

    edit_id: int
    answer_id: int | None
    issue_id: int | None
    first_risk: str | None


@dataclass(frozen=True)
class EditTags:
    sentiment: str | None  # None: words not in English, given no sentiment
    risk: str
    evidence: str | None


async def add_edit(db: Database, *, person_id: int, message_id: int, text: str,
                   tags: EditTags, now: datetime) -> EditedMessage:
    async with db.transaction() as tx:
        answer = await tx.fetchone(
            "SELECT id FROM answers WHERE person_id = ? AND message_id = ?",
            (person_id, message_id)) or await tx.fetchone(  # a reply kept as a new version
            "SELECT answer_id AS id FROM edits WHERE person_id = ? AND message_id = ? "
            "AND answer_id IS NOT NULL", (person_id, message_id))
        issue = None if answer is not None else await tx.fetchone(
            "SELECT id FROM issues WHERE raised_by_id = ? AND message_id = ?",
            (person_id, message_id))
        first_risk = await tx.fetchone(
            "SELECT value FROM tags WHERE kind = ? AND (answer_id = ? OR issue_id = ?)",
            (TagKind.RISK, answer["id"] if answer else None, issue["id"] if issue else None))
        edit_id = await tx.insert(
            "INSERT INTO edits (person_id, message_id, answer_id, issue_id, text, sentiment, "
            "risk, evidence, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (person_id, message_id, answer["id"] if answer else None,
             issue["id"] if issue else None, storable(text), tags.sentiment, tags.risk,
             tags.evidence, to_db_time(now)))
    return EditedMessage(edit_id, answer["id"] if answer else None,
                         issue["id"] if issue else None,
                         first_risk["value"] if first_risk else None)


async def add_answer_version(db: Database, *, person_id: int, message_id: int, answer_id: int,
                             text: str, tags: EditTags, now: datetime) -> EditedMessage:
    """New words for an answer that has words already, sent as a reply to its question
    (message `message_id`): kept beside the answer as a new version, as an edit is, so
    the first words never change. Once per message: handled again after a crash, it
    gives the version kept before."""
    async with db.transaction() as tx:
        before = await tx.fetchone(
            "SELECT id FROM edits WHERE person_id = ? AND message_id = ? AND answer_id = ?",
            (person_id, message_id, answer_id))
        first_risk = await tx.fetchone(
            "SELECT value FROM tags WHERE kind = ? AND answer_id = ?", (TagKind.RISK, answer_id))
        edit_id = before["id"] if before else await tx.insert(
            "INSERT INTO edits (person_id, message_id, answer_id, text, sentiment, risk, "
            "evidence, edited_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (person_id, message_id, answer_id, storable(text), tags.sentiment, tags.risk,
             tags.evidence, to_db_time(now)))
    return EditedMessage(edit_id, answer_id, None, first_risk["value"] if first_risk else None)
