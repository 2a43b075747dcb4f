"""What putting a backup back would lose, in words an admin can weigh before saying
--force: the people who joined since, the answers, alerts and issues (by kind), not
table names and row counts."""

from __future__ import annotations

import sqlite3

from carebot.storage.models import IssueKind

# Each table's new rows, as an admin would count them: (one, many).
_WORDS = {
    "people": ("person joined", "people joined"),
    "answers": ("answer to a check-in", "answers to check-ins"),
    "alerts": ("safeguarding alert", "safeguarding alerts"),
    "actions": ('"you said, we did" action', '"you said, we did" actions'),
    "media_messages": ("photo, voice note or file", "photos, voice notes or files"),
    "invites": ("invite made", "invites made"),
    "organisations": ("council or provider added", "councils or providers added"),
    "services": ("service added", "services added"),
    "checkins": ("check-in sent", "check-ins sent"),
    "outbox": ("message sent or waiting", "messages sent or waiting"),
}
_ISSUES: dict[str | None, tuple[str, str]] = {
    IssueKind.PROBLEM: ("problem raised", "problems raised"),
    IssueKind.COMPLIMENT: ("thank you", "thank yous"),
    IssueKind.IDEA: ("idea", "ideas"),
    None: ("message not yet sorted", "messages not yet sorted"),
}


def counted(count: int, words: tuple[str, str]) -> str:
    return f"{count} {words[0] if count == 1 else words[1]}"


def in_words(newer: dict[str, int], issue_kinds: dict[str | None, int]) -> list[str]:
    """`newer` (a table's rows added since the backup) and the new issues by kind, said
    as an admin counts them; the tables nobody counts are summed at the end."""
    said = [counted(newer[table], words) for table, words in _WORDS.items()
            if newer.get(table)]
    said += [counted(count, _ISSUES.get(kind, _ISSUES[None]))
             for kind, count in issue_kinds.items() if count]
    others = {t: n for t, n in newer.items() if t not in _WORDS and t != "issues"}
    if others:
        said.append(counted(sum(others.values()), ("other record", "other records"))
                    + f" ({', '.join(sorted(others))})")
    return said


def issue_kinds_after(conn: sqlite3.Connection, last_id: int) -> dict[str | None, int]:
    """The issues past the backup's last, by kind (None: not yet sorted)."""
    return dict(conn.execute("SELECT kind, COUNT(*) FROM issues WHERE id > ? GROUP BY kind "
                             "ORDER BY kind", (last_id,)).fetchall())
