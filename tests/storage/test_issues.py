"""An issue's life: each change of status is written with its update row and the message
to the person who raised it, all together or not at all; only moves that make sense."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from conversations.references import issue_reference
from storage import issues
from storage.db import Database
from storage.models import Issue, IssueStatus, Purpose
from storage.outbox import NewMessage
from tests.helpers import joined, small_world

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


async def _an_issue(db: Database) -> Issue:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    return await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                    text="Nobody came on Tuesday",
                                    make_reference=issue_reference, now=NOW)


def _tell(issue: Issue) -> list[NewMessage]:
    return [NewMessage(7, Purpose.REPLY, text=f"{issue.reference} is now {issue.status}")]


async def test_a_change_writes_the_issue_its_update_and_the_message_together(
        db: Database) -> None:
    issue = await _an_issue(db)
    moved = await issues.change_status(db, issue_id=issue.id, status=IssueStatus.SEEN,
                                       by_id=None, note=None, tell=_tell, now=NOW)
    assert moved is not None and moved.status is IssueStatus.SEEN
    update = await db.fetchone("SELECT status, note FROM issue_updates")
    assert update is not None and update["status"] == "seen"
    assert await db.scalar("SELECT text FROM outbox") == "CB-1001 is now seen"


async def test_a_failing_message_leaves_nothing_written(db: Database) -> None:
    issue = await _an_issue(db)

    def broken(issue: Issue) -> list[NewMessage]:
        return [NewMessage(None, Purpose.REPLY, text="x")]  # type: ignore[arg-type]

    with pytest.raises(Exception, match="NOT NULL"):
        await issues.change_status(db, issue_id=issue.id, status=IssueStatus.SEEN, by_id=None,
                                   note=None, tell=broken, now=NOW)
    again = await issues.get_issue(db, issue.id)
    assert again is not None and again.status is IssueStatus.OPEN
    assert await db.scalar("SELECT COUNT(*) FROM issue_updates") == 0


async def test_only_moves_that_make_sense(db: Database) -> None:
    issue = await _an_issue(db)

    async def move(status: IssueStatus) -> bool:
        return await issues.change_status(db, issue_id=issue.id, status=status, by_id=None,
                                          note="why", tell=lambda _: [], now=NOW) is not None

    assert await move(IssueStatus.IN_PROGRESS)
    assert not await move(IssueStatus.SEEN)  # no going back a step
    assert not await move(IssueStatus.IN_PROGRESS)  # a double tap changes nothing
    assert await move(IssueStatus.RESOLVED)
    assert not await move(IssueStatus.CLOSED_NO_ACTION)
    assert await move(IssueStatus.OPEN)  # "that did not help": opened again
    assert await db.scalar("SELECT COUNT(*) FROM issue_updates") == 3
