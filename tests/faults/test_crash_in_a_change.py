"""kill -9 in the middle of moving an issue on: a real process is killed by the signal
while the change is half written (the issue updated, its audit row written, the message
to the person being queued), or just after it committed. Afterwards the database holds
all three or none: never a change the person is not told of, nor news of a change that
did not happen."""

from __future__ import annotations

import asyncio
import sys
import textwrap
from pathlib import Path

import pytest

from carebot.storage.db import open_database
from tests.engines import fresh_database
from tests.helpers import REPO

# The child sets up a world, raises an issue, then moves it on, killed as its message is
# queued (inside the transaction) or just after the change committed.
CHILD = textwrap.dedent('''
    import asyncio, os, signal, sys
    from datetime import UTC, datetime
    from carebot.care.references import issue_reference
    from carebot.storage import issues
    from carebot.storage.db import open_database
    from carebot.storage.models import IssueStatus, Purpose
    from carebot.storage.outbox import NewMessage
    from tests.helpers import joined, small_world

    async def main(path, when):
        now = datetime(2026, 11, 23, 10, tzinfo=UTC)
        db = await open_database(path)
        world = await small_world(db, now)
        jo = await joined(db, world, now, telegram_user_id=7)
        issue = await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                         text="Nobody came", now=now)
        if when == "during":  # as the message is queued, inside the transaction
            issues.add_message = lambda *_: os.kill(os.getpid(), signal.SIGKILL)
        tell = [NewMessage(7, Purpose.ISSUE_NEWS, text="being looked at")]
        await issues.change_status(db, issue_id=issue.id, status=IssueStatus.IN_PROGRESS,
                                   by_id=None, note="on it", tell=tell, now=now)
        os.kill(os.getpid(), signal.SIGKILL)

    asyncio.run(main(sys.argv[1], sys.argv[2]))
''')


async def _after_kill(tmp_path: Path, when: str) -> tuple[str, int, int]:
    """(issue status, issue_updates rows, outbox rows) after the child was killed."""
    path = fresh_database(tmp_path, f"{when}.sqlite3")
    child = await asyncio.create_subprocess_exec(sys.executable, "-c", CHILD, str(path), when,
                                                 cwd=REPO)
    assert await child.wait() == -9, "the child should die by kill -9"
    db = await open_database(path)
    try:
        status = await db.scalar("SELECT status FROM issues")
        updates = await db.scalar("SELECT COUNT(*) FROM issue_updates")
        messages = await db.scalar("SELECT COUNT(*) FROM outbox WHERE purpose = 'issue_news'")
    finally:
        await db.close()
    return str(status), int(updates), int(messages)


@pytest.mark.parametrize(("when", "expected"), [
    ("during", ("open", 0, 0)),           # killed half-way: nothing of the change is kept
    ("after", ("in_progress", 1, 1)),     # killed after: the change and its news are both
])
async def test_a_change_and_its_message_are_kept_together(
        tmp_path: Path, when: str, expected: tuple[str, int, int]) -> None:
    assert await _after_kill(tmp_path, when) == expected

