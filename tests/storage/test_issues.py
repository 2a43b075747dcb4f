"""An issue's life: each change of status is written with its update row and the message
to the person who raised it, all together or not at all; only moves that make sense."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from carebot.storage import issues
from carebot.storage.db import Database
from carebot.storage.issues import ChaseStep
from carebot.storage.models import Issue, IssueKind, IssueStatus, Purpose
from carebot.storage.outbox import NewMessage
from tests.engines import INTEGRITY_ERRORS
from tests.helpers import joined, small_world

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


async def _an_issue(db: Database) -> Issue:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    return await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                    text="Nobody came on Tuesday",
                                    now=NOW)


def _tell(issue: Issue, status: IssueStatus | None = None) -> list[NewMessage]:
    return [NewMessage(7, Purpose.REPLY, text=f"{issue.reference} is now {status or issue.status}")]


async def test_a_change_writes_the_issue_its_update_and_the_message_together(
        db: Database) -> None:
    issue = await _an_issue(db)
    moved = await issues.change_status(db, issue_id=issue.id, status=IssueStatus.SEEN,
                                       by_id=None, note=None,
                                       tell=_tell(issue, IssueStatus.SEEN), now=NOW)
    assert moved is not None and moved.status is IssueStatus.SEEN
    update = await db.fetchone("SELECT status, note FROM issue_updates")
    assert update is not None and update["status"] == "seen"
    assert await db.scalar("SELECT text FROM outbox") == "CB-1001 is now seen"


async def test_a_failing_message_leaves_nothing_written(db: Database) -> None:
    issue = await _an_issue(db)

    broken = [NewMessage(None, Purpose.REPLY, text="x")]  # type: ignore[arg-type]

    with pytest.raises(INTEGRITY_ERRORS):
        await issues.change_status(db, issue_id=issue.id, status=IssueStatus.SEEN, by_id=None,
                                   note=None, tell=broken, now=NOW)
    again = await issues.get_issue(db, issue.id)
    assert again is not None and again.status is IssueStatus.OPEN
    assert await db.scalar("SELECT COUNT(*) FROM issue_updates") == 0


async def test_only_moves_that_make_sense(db: Database) -> None:
    issue = await _an_issue(db)

    async def move(status: IssueStatus) -> bool:
        return await issues.change_status(db, issue_id=issue.id, status=status, by_id=None,
                                          note="why", tell=[], now=NOW) is not None

    assert await move(IssueStatus.IN_PROGRESS)
    assert not await move(IssueStatus.SEEN)  # no going back a step
    assert not await move(IssueStatus.IN_PROGRESS)  # a double tap changes nothing
    assert await move(IssueStatus.RESOLVED)
    assert not await move(IssueStatus.CLOSED_NO_ACTION)
    assert await move(IssueStatus.OPEN)  # "that did not help": opened again
    assert await db.scalar("SELECT COUNT(*) FROM issue_updates") == 3


async def test_a_problem_is_chased_once_per_wait(db: Database) -> None:
    """Each step is taken once, with its message; a problem opened again waits afresh,
    and one seen, or not a problem, is never chased."""
    raised = await _an_issue(db)
    assert await issues.problems_to_chase(db, ChaseStep.REMIND, NOW, limit=10) == []
    await issues.set_issue_kind(db, raised.id, raised.raised_by_id, IssueKind.PROBLEM, NOW)
    later = NOW + timedelta(days=3)
    [issue] = await issues.problems_to_chase(db, ChaseStep.REMIND, later, limit=10)
    assert await issues.problems_to_chase(db, ChaseStep.REMIND, NOW - timedelta(seconds=1),
                                          limit=10) == []
    assert await issues.mark_chased(db, issue, ChaseStep.REMIND, _tell(issue), later)
    assert not await issues.mark_chased(db, issue, ChaseStep.REMIND, _tell(issue), later)
    assert await issues.problems_to_chase(db, ChaseStep.REMIND, later, limit=10) == []
    assert [i.id for i in await issues.problems_to_chase(db, ChaseStep.ESCALATE, later,
                                                         limit=10)] == [issue.id]
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 1

    opened_again = later + timedelta(hours=2)
    for status in (IssueStatus.RESOLVED, IssueStatus.OPEN):  # closed, then opened again
        await issues.change_status(db, issue_id=issue.id, status=status, by_id=None,
                                   note=None, tell=[], now=opened_again)
    assert await issues.problems_to_chase(db, ChaseStep.REMIND, later, limit=10) == []
    reopened = opened_again + timedelta(days=3)
    assert [i.id for i in await issues.problems_to_chase(db, ChaseStep.REMIND, reopened,
                                                         limit=10)] == [issue.id]
    await issues.change_status(db, issue_id=issue.id, status=IssueStatus.SEEN, by_id=None,
                               note=None, tell=[], now=reopened)
    assert not await issues.mark_chased(db, issue, ChaseStep.ESCALATE, _tell(issue), reopened)
    for step in ChaseStep:
        assert await issues.problems_to_chase(db, step, reopened, limit=10) == []
