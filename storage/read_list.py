"""The read list (issue 29): everything a person or carer sends, waiting for a named member
of staff to read it, the most worrying first. Items are put on the list by the database
itself as the words are kept (migration 0016); this module reads the list and keeps what
readers judged each item to be, which is also what the tagger learns from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from carebot.storage.db import Database, Row, from_db_time, maybe_time, placeholders, to_db_time
from carebot.storage.outbox import NewMessage, add_message
from carebot.storage.personal_data import REMOVED
from carebot.storage.retention import REMOVED_BY_AGE


class Judgement(StrEnum):
    """What a reader decided an item is."""

    NO_CONCERN = "no_concern"        # read, nothing to do
    CONCERN = "concern"              # a safeguarding concern: an alert was raised
    PROBLEM = "problem"              # raised as a problem for the service to sort
    NOT_A_CONCERN = "not_a_concern"  # the tagger flagged it; the reader says it is not


# Risk first (urgent, concern, none), then worrying safety answers, then the tagger's
# score, then the oldest: what a duty worker would want to see first.
_ORDER = ("CASE r.risk WHEN 'urgent' THEN 0 WHEN 'concern' THEN 1 ELSE 2 END, "
          "r.safety_answer DESC, r.risk_score DESC, r.arrived_at, r.id")

_ITEM_SELECT = """
SELECT r.id, r.service_id, r.person_id, r.arrived_at, r.risk, r.risk_score,
       r.safety_answer, r.read_at, r.judgement, r.edit_id, r.media_id,
       COALESCE(r.answer_id, e.answer_id) AS answer_id,
       COALESCE(r.issue_id, e.issue_id) AS issue_id,
       p.display_name AS person_name, p.role AS person_role, p.chat_id AS person_chat,
       cared.display_name AS cares_for_name,
       (SELECT s.name FROM services s WHERE s.id = r.service_id) AS service_name,
       COALESCE(a.text, i.text, e.text) AS words,
       COALESCE(a.language, i.language, ea.language, ei.language) AS language,
       COALESCE(a.media_file_id, i.media_file_id, m.file_ids) AS file_ids,
       COALESCE(m.kinds, a.media_kinds) AS media_kinds, m.duration AS duration,
       COALESCE(a.message_id, i.message_id, e.message_id, m.message_id) AS message_id,
       COALESCE(a.question_key, ea.question_key) AS question_key,
       COALESCE(a.choice, ea.choice) AS choice,
       COALESCE(i.reference, ei.reference) AS issue_reference,
       COALESCE(e.evidence, (SELECT t.evidence FROM tags t WHERE t.kind = 'risk'
                             AND (t.answer_id = r.answer_id OR t.issue_id = r.issue_id)))
           AS why,
       EXISTS (SELECT 1 FROM alerts al WHERE al.names_staff = 1 AND al.released_at IS NULL
               AND (al.issue_id = COALESCE(r.issue_id, e.issue_id)
                    OR al.answer_id = COALESCE(r.answer_id, e.answer_id))) AS held,
       (SELECT MIN(al.id) FROM alerts al WHERE al.kind = 'safeguarding'
               AND (al.issue_id = COALESCE(r.issue_id, e.issue_id)
                    OR al.answer_id = COALESCE(r.answer_id, e.answer_id))) AS alert_id
FROM read_items r
JOIN people p ON p.id = r.person_id
LEFT JOIN people cared ON cared.id = p.cares_for_id
LEFT JOIN answers a ON a.id = r.answer_id
LEFT JOIN issues i ON i.id = r.issue_id
LEFT JOIN edits e ON e.id = r.edit_id
LEFT JOIN answers ea ON ea.id = e.answer_id
LEFT JOIN issues ei ON ei.id = e.issue_id
LEFT JOIN media_messages m ON m.id = r.media_id
"""


@dataclass(frozen=True)
class ReadItem:
    """One thing a person sent, as a reader sees it."""

    id: int
    service_id: int | None
    service_name: str | None
    person_id: int
    person_name: str
    carer: bool
    cares_for_name: str | None
    person_chat: int | None      # their chat, where the photo or voice note can be copied from
    message_id: int | None       # their message in it
    arrived_at: datetime
    words: str | None
    language: str | None         # what the words are in, when not English
    file_ids: str | None         # photos, voice notes or files, one a line
    media_kinds: str | None      # what they are, when they came without words
    duration: int | None
    question_key: str | None     # the check-in question it answered, if it did
    choice: str | None           # the button they tapped before typing, if they did
    answer_id: int | None        # the answer or issue it is (a changed message: the first's)
    issue_id: int | None
    issue_reference: str | None  # the reference the person was given, if any
    edited: bool                 # a changed message: the new version
    risk: str
    risk_score: float
    why: str | None              # the tagger's reason, when it flagged it
    held: bool                   # may accuse a member of staff: the council's lead has it
    alert_id: int | None         # the safeguarding alert its words raised, if any
    safety_answer: bool
    read_at: datetime | None
    judgement: Judgement | None

    @property
    def shown_to_provider(self) -> bool:
        """What a provider may read (the same rule as _NOT_FOR_PROVIDER, for one item)."""
        return not (self.held or self.safety_answer)

    @property
    def flagged(self) -> bool:
        """The tagger thought it worrying."""
        return self.risk != "none"



def _item(row: Row) -> ReadItem:
    return ReadItem(
        id=row["id"], service_id=row["service_id"], service_name=row["service_name"],
        person_id=row["person_id"],
        person_name=row["person_name"], carer=row["person_role"] == "carer",
        cares_for_name=row["cares_for_name"], person_chat=row["person_chat"],
        message_id=row["message_id"], arrived_at=from_db_time(row["arrived_at"]),
        words=row["words"], language=row["language"],
        file_ids=row["file_ids"], media_kinds=row["media_kinds"],
        duration=row["duration"], question_key=row["question_key"], choice=row["choice"],
        answer_id=row["answer_id"], issue_id=row["issue_id"],
        issue_reference=row["issue_reference"],
        edited=row["edit_id"] is not None, risk=row["risk"],
        risk_score=float(row["risk_score"]), why=row["why"], held=bool(row["held"]),
        alert_id=row["alert_id"],
        safety_answer=bool(row["safety_answer"]),
        read_at=maybe_time(row["read_at"]),
        judgement=None if row["judgement"] is None else Judgement(row["judgement"]),
    )



# What a provider is not shown: words that may accuse its staff, until the council's lead
# lets it see them, and answers saying someone does not feel safe with (or respected by)
# the people who support them, who are the provider's own staff. The duty contact and the
# council read those.
_NOT_FOR_PROVIDER = (
    " AND r.safety_answer = 0 AND NOT EXISTS (SELECT 1 FROM alerts al LEFT JOIN edits ae"
    " ON ae.id = r.edit_id WHERE al.names_staff = 1 AND al.released_at IS NULL"
    " AND (al.issue_id = COALESCE(r.issue_id, ae.issue_id)"
    " OR al.answer_id = COALESCE(r.answer_id, ae.answer_id)))")


async def unread(db: Database, service_ids: Sequence[int], *, limit: int, offset: int = 0,
                 arrived_before: datetime | None = None,
                 for_provider: bool = False) -> tuple[list[ReadItem], int]:
    """A page of the unread items at these services, the most worrying first, then the
    oldest; and how many there are in all. `arrived_before`: only those older.
    `for_provider`: without what a provider is not shown (_NOT_FOR_PROVIDER)."""
    if not service_ids:
        return [], 0
    where = f"r.read_at IS NULL AND r.service_id IN ({placeholders(len(service_ids))})"
    if for_provider:
        where += _NOT_FOR_PROVIDER
    params: list[object] = list(service_ids)
    if arrived_before is not None:
        where += " AND r.arrived_at < ?"
        params.append(to_db_time(arrived_before))
    total = await db.scalar(f"SELECT COUNT(*) FROM read_items r WHERE {where}", params)
    rows = await db.fetchall(f"{_ITEM_SELECT} WHERE {where} ORDER BY {_ORDER} LIMIT ? OFFSET ?",
                             (*params, limit, offset))
    return [_item(row) for row in rows], int(total)


async def get_item(db: Database, item_id: int) -> ReadItem | None:
    row = await db.fetchone(f"{_ITEM_SELECT} WHERE r.id = ?", (item_id,))
    return None if row is None else _item(row)


async def item_of_issue(db: Database, issue_id: int) -> int | None:
    found = await db.scalar("SELECT id FROM read_items WHERE issue_id = ?", (issue_id,))
    return None if found is None else int(found)


async def judge(db: Database, item_ids: Sequence[int], *, reader_id: int,
                judgement: Judgement, now: datetime) -> int:
    """Keep a reader's judgement of these items; how many were unread until now. A later
    judgement replaces an earlier one ("read" then "safeguarding concern"), but marking a
    page read never undoes a concern or problem already raised from it."""
    if not item_ids:
        return 0
    async with db.transaction() as tx:
        unread_before = await tx.fetchone(
            f"SELECT COUNT(*) AS n FROM read_items WHERE read_at IS NULL AND id IN "
            f"({placeholders(len(item_ids))})", tuple(item_ids))
        keep_stronger = ("" if judgement is not Judgement.NO_CONCERN
                         else " AND (judgement IS NULL OR judgement = 'no_concern')")
        await tx.execute(
            "UPDATE read_items SET read_at = COALESCE(read_at, ?), "
            "read_by = COALESCE(read_by, ?), judgement = ? "
            f"WHERE id IN ({placeholders(len(item_ids))}){keep_stronger}",
            (to_db_time(now), reader_id, judgement, *item_ids))
    assert unread_before is not None
    return int(unread_before["n"])


async def mark_safety_answer(db: Database, answer_id: int) -> int:
    """Put a worrying button answer to a safety question on the list, marked as such (a
    button answer has no words, so the database does not put it there itself). Once."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO read_items (service_id, person_id, answer_id, safety_answer, risk, "
            "arrived_at) SELECT service_id, person_id, id, 1, 'concern', answered_at "
            "FROM answers WHERE id = ? ON CONFLICT DO NOTHING", (answer_id,))
        await tx.execute("UPDATE read_items SET safety_answer = 1 WHERE answer_id = ?",
                         (answer_id,))
        found = await tx.fetchone("SELECT id FROM read_items WHERE answer_id = ?", (answer_id,))
    assert found is not None
    return int(found["id"])


async def safety_answers_of(db: Database, checkin_id: int) -> list[tuple[str, str]]:
    """The worrying answers (question, choice) a check-in was given, in order."""
    rows = await db.fetchall(
        "SELECT a.question_key, a.choice FROM read_items r JOIN answers a ON a.id = r.answer_id "
        "WHERE a.checkin_id = ? AND r.safety_answer = 1 ORDER BY a.id", (checkin_id,))
    return [(row["question_key"], row["choice"]) for row in rows]


async def keep_media(db: Database, *, person_id: int, service_id: int | None,
                     checkin_id: int | None, kinds: str, file_ids: str | None,
                     duration: int | None,
                     message_id: int, now: datetime) -> int:
    """A photo, voice note or file sent without words: kept, and so on the read list.
    Handled again after a crash, it gives the one kept before."""
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO media_messages (person_id, service_id, checkin_id, kinds, file_ids, "
            "duration, message_id, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT DO NOTHING",
            (person_id, service_id, checkin_id, kinds, file_ids, duration, message_id,
             to_db_time(now)))
        row = await tx.fetchone(
            "SELECT id FROM media_messages WHERE person_id = ? AND message_id = ?",
            (person_id, message_id))
    assert row is not None
    return int(row["id"])


@dataclass(frozen=True)
class Waiting:
    """Unread items at one service."""

    service_id: int
    count: int
    oldest: datetime


async def waiting(db: Database, *, arrived_before: datetime | None = None,
                  not_told: str | None = None) -> list[Waiting]:
    """Unread items per service (only those older than `arrived_before`; only those whose
    `not_told` column, overdue_told_at or late_told_at, is still empty)."""
    where = "read_at IS NULL AND service_id IS NOT NULL"
    params: list[object] = []
    if arrived_before is not None:
        where += " AND arrived_at < ?"
        params.append(to_db_time(arrived_before))
    if not_told is not None:
        assert not_told in ("overdue_told_at", "late_told_at")
        where += f" AND {not_told} IS NULL"
    rows = await db.fetchall(
        f"SELECT service_id, COUNT(*) AS n, MIN(arrived_at) AS oldest FROM read_items "
        f"WHERE {where} GROUP BY service_id ORDER BY service_id", params)
    return [Waiting(row["service_id"], int(row["n"]), from_db_time(row["oldest"]))
            for row in rows]


async def tell_waiting(db: Database, *, service_id: int, arrived_before: datetime,
                       told: str, messages: Sequence[NewMessage], now: datetime) -> None:
    """Queue the messages that say these items wait, and remember they were told, in one
    transaction, so a crash never tells twice or not at all."""
    assert told in ("overdue_told_at", "late_told_at")
    async with db.transaction() as tx:
        await tx.execute(
            f"UPDATE read_items SET {told} = ? WHERE service_id = ? AND read_at IS NULL "
            f"AND arrived_at < ? AND {told} IS NULL",
            (to_db_time(now), service_id, to_db_time(arrived_before)))
        for message in messages:
            await add_message(tx, message, now)


def morning_key(day: str, reader_id: int) -> str:
    """The once-key of a reader's morning message on `day` (YYYY-MM-DD, local)."""
    return f"read_morning:{day}:{reader_id}"


async def morning_told(db: Database, day: str) -> bool:
    """Whether the morning messages of `day` have been queued (a range on the outbox's
    unique key: one look, however many readers)."""
    return await db.scalar(
        "SELECT 1 FROM outbox WHERE dedupe_key >= ? AND dedupe_key < ? LIMIT 1",
        (f"read_morning:{day}:", f"read_morning:{day};")) is not None


@dataclass(frozen=True)
class Review:
    """A reader's judgement beside the words it was about: a label for the tagger."""

    words: str
    tagger_risk: str
    judgement: Judgement
    read_at: datetime

    @property
    def worrying(self) -> bool:
        """The reader saw a safeguarding worry in it."""
        return self.judgement is Judgement.CONCERN


async def reviews(db: Database, *, since: datetime | None = None) -> list[Review]:
    """Every judged item that still has its words (words taken by /forget or by age take
    their label with them), oldest first."""
    where = "r.judgement IS NOT NULL AND r.safety_answer = 0"
    params: list[object] = []
    if since is not None:
        where += " AND r.read_at >= ?"
        params.append(to_db_time(since))
    rows = await db.fetchall(
        "SELECT COALESCE(a.text, i.text, e.text) AS words, r.risk, r.judgement, r.read_at "
        "FROM read_items r LEFT JOIN answers a ON a.id = r.answer_id "
        "LEFT JOIN issues i ON i.id = r.issue_id LEFT JOIN edits e ON e.id = r.edit_id "
        f"WHERE {where} ORDER BY r.read_at, r.id", params)
    return [Review(row["words"], row["risk"], Judgement(row["judgement"]),
                   from_db_time(row["read_at"]))
            for row in rows if row["words"] and row["words"] not in (REMOVED, REMOVED_BY_AGE)]
