"""References are never given twice. An issue's reference (CB-1042) and an alert's (A-12)
are made from its id, and SQLite gives a new row the highest id plus one; so a database
put back from a backup would hand out again the numbers given since, while people still
hold them in their chats. A restore therefore records, per kind, the highest number ever
given (from the database it replaces and from the sent journal, whose lines name the
references each message carried), and new issues and alerts are numbered above it."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable

from carebot.care.references import ALERT_PREFIX, ISSUE_PREFIX, ISSUE_REFERENCE_BASE
from carebot.storage.schema import migrations

TABLE_OF = {"issue": "issues", "alert": "alerts"}
_REFERENCE = re.compile(rf"\b({ISSUE_PREFIX}|{ALERT_PREFIX})(\d{{1,9}})\b")


def next_id_sql(kind: str) -> str:
    """The id for a new row of `kind`: above every row there is and every number given
    before a restore."""
    table = TABLE_OF[kind]
    return (f"(SELECT COALESCE(MAX(given), 0) + 1 FROM (SELECT MAX(id) AS given FROM {table} "
            f"UNION ALL SELECT highest FROM reference_floors WHERE kind = '{kind}') AS found)")


def references_in(words: str | None) -> list[str]:
    """The issue and alert references a message names, as the sent journal keeps them."""
    return [found.group(0) for found in _REFERENCE.finditer(words or "")]


def highest_in_references(references: Iterable[str]) -> dict[str, int]:
    """The highest id of each kind that these references name."""
    highest = {"issue": 0, "alert": 0}
    for reference in references:
        if found := _REFERENCE.fullmatch(reference):
            prefix, number = found.group(1), int(found.group(2))
            kind, issued = (("issue", number - ISSUE_REFERENCE_BASE) if prefix == ISSUE_PREFIX
                            else ("alert", number))
            highest[kind] = max(highest[kind], issued)
    return highest


def highest_in_database(conn: sqlite3.Connection) -> dict[str, int]:
    """The highest id of each kind a database has given: its rows, and its own floors."""
    floors = _floors(conn)
    return {kind: max(floors.get(kind, 0), conn.execute(
        f"SELECT COALESCE(MAX(id), 0) FROM {table}").fetchone()[0])
        for kind, table in TABLE_OF.items()}


def raise_floors(conn: sqlite3.Connection, highest: dict[str, int]) -> None:
    """Number new issues and alerts above `highest` (a backup of an older schema gets the
    table now; the migration that makes it changes nothing after)."""
    conn.executescript(_migration_sql())
    with conn:
        for kind, number in highest.items():
            conn.execute("INSERT INTO reference_floors (kind, highest) VALUES (?, ?) "
                         "ON CONFLICT (kind) DO UPDATE SET highest = MAX(highest, "
                         "excluded.highest)", (kind, number))


def _floors(conn: sqlite3.Connection) -> dict[str, int]:
    try:
        return dict(conn.execute("SELECT kind, highest FROM reference_floors").fetchall())
    except sqlite3.OperationalError:  # a backup from before the table
        return {}


def _migration_sql() -> str:
    return next(sql for _, name, sql in migrations() if name == "0018_reference_floors.sql")
