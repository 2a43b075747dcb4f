"""An issue's moves as storage makes them (the rule itself: care/issue_moves.py, and
tests/care/test_issue_moves.py): from each status, exactly the moves the rule allows,
each written with its note and its messages, or nothing at all; what kind it is, said
once by its own person; a reply to a closed one, once; the open list; a chase step once.
Each case pins one thing a slip would change (`make mutation` checks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from carebot.care.issue_moves import NEXT_STATUSES
from carebot.care.references import issue_reference
from carebot.storage import issues
from carebot.storage.db import Database
from carebot.storage.models import Issue, IssueKind, IssueStatus, Purpose
from carebot.storage.outbox import NewMessage
from tests.helpers import World, joined, small_world

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
S = IssueStatus
ALLOWED = {
    S.OPEN: {S.SEEN, S.IN_PROGRESS, S.RESOLVED, S.CLOSED_NO_ACTION},
    S.SEEN: {S.IN_PROGRESS, S.RESOLVED, S.CLOSED_NO_ACTION},
    S.IN_PROGRESS: {S.RESOLVED, S.CLOSED_NO_ACTION},
    S.RESOLVED: {S.OPEN},
    S.CLOSED_NO_ACTION: {S.OPEN},
}


async def _raise(db: Database, world: World, person_id: int, text: str = "No carer came",
                 **more: object) -> Issue:
    return await issues.raise_issue(db, raised_by_id=person_id, service_id=world.service_id,
                                    text=text, now=NOW,
                                    **more)  # type: ignore[arg-type]


def _tell(issue: Issue) -> list[NewMessage]:
    return [NewMessage(7, Purpose.ISSUE_NEWS, text=f"{issue.reference}: {issue.status}")]


async def _move(db: Database, issue: Issue, status: IssueStatus, note: str | None = None,
                at: datetime = NOW) -> Issue | None:
    news = NewMessage(7, Purpose.ISSUE_NEWS, text=f"{issue.reference}: {status}")
    return await issues.change_status(db, issue_id=issue.id, status=status, by_id=None,
                                      note=note, tell=[news], now=at)


async def test_from_each_status_exactly_the_allowed_moves(db: Database) -> None:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    for start in S:
        for to in S:
            issue = await _raise(db, world, jo.id)
            if start is not S.OPEN:
                assert await _move(db, issue, start) is not None
            messages = await db.scalar("SELECT COUNT(*) FROM outbox")
            moved = await _move(db, issue, to, note="why")
            assert (moved is not None) is (to in ALLOWED[start]), (start, to)
            now_at = await issues.get_issue(db, issue.id)
            assert now_at is not None
            assert now_at.status is (to if moved else start), (start, to)
            told = await db.scalar("SELECT COUNT(*) FROM outbox") - messages
            assert told == (1 if moved else 0), (start, to)
    assert set(NEXT_STATUSES) == set(S)


async def test_a_move_keeps_its_note_and_tells_with_the_issue_as_it_now_stands(
        db: Database) -> None:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    issue = await _raise(db, world, jo.id)
    later = NOW + timedelta(hours=2)
    moved = await _move(db, issue, S.SEEN, at=later)
    assert moved is not None and moved.status is S.SEEN and moved.updated_at == later
    await _move(db, issue, S.CLOSED_NO_ACTION, note="  not ours  ")
    updates = await issues.updates_of(db, issue.id)
    assert [(u.status, u.note) for u in updates] == [(S.SEEN, None),
                                                      (S.CLOSED_NO_ACTION, "  not ours  ")]
    assert await db.scalar("SELECT text FROM outbox ORDER BY id DESC") == (
        f"{issue.reference}: closed_no_action")
    assert await issues.change_status(db, issue_id=999, status=S.SEEN, by_id=None, note=None,
                                      tell=_tell(issue), now=NOW) is None


async def test_the_same_message_gives_the_same_issue_and_another_a_new_one(
        db: Database) -> None:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    first = await _raise(db, world, jo.id, message_id=10)
    assert first.reference == issue_reference(first.id)
    assert not first.forwarded and first.forwarded_from is None
    assert await _raise(db, world, jo.id, "again", message_id=10) == first
    assert await issues.raised_from_message(db, jo.id, 10)
    assert not await issues.raised_from_message(db, jo.id, 11)
    other = await _raise(db, world, jo.id, message_id=11, forwarded_from="My sister")
    assert other.id != first.id and other.forwarded and other.forwarded_from == "My sister"
    assert (await _raise(db, world, jo.id)).id != (await _raise(db, world, jo.id)).id


async def test_its_kind_is_said_once_by_its_own_person(db: Database) -> None:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    sam = await joined(db, world, NOW, telegram_user_id=8, name="Sam")
    issue = await _raise(db, world, jo.id)
    assert await issues.set_issue_kind(db, issue.id, sam.id, IssueKind.PROBLEM, NOW,
                                       _tell(issue)) is None
    later = NOW + timedelta(minutes=5)
    said = await issues.set_issue_kind(db, issue.id, jo.id, IssueKind.IDEA, later, _tell(issue))
    assert said is not None and said.kind is IssueKind.IDEA and said.updated_at == later
    assert await issues.set_issue_kind(db, issue.id, jo.id, IssueKind.PROBLEM, later,
                                       _tell(issue)) is None
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 1


async def test_a_reply_is_kept_only_for_a_closed_issue_of_theirs_once_a_closing(
        db: Database) -> None:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    sam = await joined(db, world, NOW, telegram_user_id=8, name="Sam")
    issue = await _raise(db, world, jo.id)

    async def reply(by: int, at: datetime) -> Issue | None:
        return await issues.record_reply(db, issue_id=issue.id, raised_by_id=by, note="ok",
                                         now=at)

    assert await reply(jo.id, NOW) is None  # still open
    await _move(db, issue, S.RESOLVED, at=NOW + timedelta(hours=1))
    assert await reply(sam.id, NOW + timedelta(hours=2)) is None  # not theirs
    kept = await reply(jo.id, NOW + timedelta(hours=2))
    assert kept is not None and kept.status is S.RESOLVED
    assert await reply(jo.id, NOW + timedelta(hours=3)) is None  # once
    await _move(db, issue, S.OPEN, at=NOW + timedelta(hours=4))
    await _move(db, issue, S.CLOSED_NO_ACTION, at=NOW + timedelta(hours=5))
    assert await reply(jo.id, NOW + timedelta(hours=6)) is not None  # a new closing
    notes = [(u.status, u.note, u.by_id) for u in await issues.updates_of(db, issue.id)]
    assert notes.count((S.RESOLVED, "ok", jo.id)) == 1
    assert notes.count((S.CLOSED_NO_ACTION, "ok", jo.id)) == 1


async def test_the_open_list_is_the_unclosed_oldest_first_a_page_at_a_time(
        db: Database) -> None:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    raised = [await _raise(db, world, jo.id, f"issue {n}") for n in range(4)]
    await _move(db, raised[1], S.RESOLVED)
    await _move(db, raised[2], S.IN_PROGRESS)
    page, total = await issues.open_issues(db, [world.service_id], limit=2)
    assert ([i.id for i in page], total) == ([raised[0].id, raised[2].id], 3)
    page, total = await issues.open_issues(db, [world.service_id], limit=2, offset=2)
    assert ([i.id for i in page], total) == ([raised[3].id], 3)
    assert await issues.open_issues(db, [], limit=2) == ([], 0)
    assert await issues.open_issues(db, [world.service_id + 1], limit=2) == ([], 0)


@pytest.mark.parametrize("step", list(issues.ChaseStep))
async def test_a_chase_step_queues_its_messages_once_and_not_after_a_move(
        db: Database, step: issues.ChaseStep) -> None:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    issue = await _raise(db, world, jo.id)
    said = NOW + timedelta(minutes=3)  # it begins to wait when its kind is said
    kind = await issues.set_issue_kind(db, issue.id, jo.id, IssueKind.PROBLEM, said)
    assert kind is not None
    assert await issues.problems_to_chase(db, step, said - timedelta(seconds=1), limit=5) == []
    [waiting] = await issues.problems_to_chase(db, step, said, limit=5)
    assert await issues.mark_chased(db, waiting, step, _tell(waiting), said)
    again = await issues.mark_chased(db, waiting, step, _tell(waiting), said)
    assert again is False
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 1
    other = await _raise(db, world, jo.id, "second")
    await issues.set_issue_kind(db, other.id, jo.id, IssueKind.PROBLEM, NOW)
    [second] = await issues.problems_to_chase(db, step, NOW, limit=5)
    await _move(db, second, S.SEEN)
    assert await issues.mark_chased(db, second, step, _tell(second), NOW) is False
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 2  # only the move's message
