"""A council moved from its SQLite file to PostgreSQL (`carebot copy-to-postgresql`): the
demo's three weeks (people and carers, invites, check-ins, answers, tags, problems,
alerts, actions, digests, the read list, the audit log, kept week counts, the outbox) are
copied and every row of every table is the same on the server; new rows go on above the
highest ids; a server that already holds rows, or a running bot, is refused in one line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from carebot.cli.main import main
from carebot.demo.run import run_demo
from carebot.storage.db import open_database
from carebot.storage.running_lock import hold
from tests.engines import postgresql_schema, rows_in

pytestmark = pytest.mark.slow


def _tables(file: Path) -> list[tuple[str, str]]:
    """Each table of the file and what its rows are ordered by (its key)."""
    found = []
    for (table,) in rows_in(file, "SELECT name FROM sqlite_master WHERE type = 'table' "
                                  "AND name NOT LIKE 'sqlite_%' AND name != "
                                  "'schema_migrations'"):
        key = [name for _, name, pk in sorted(
            (pk, name, pk) for name, pk in rows_in(
                file, "SELECT name, pk FROM pragma_table_info(?)", (table,)) if pk)]
        found.append((table, ", ".join(f'"{k}"' for k in key)))
    return found


async def _new_rows_go_on_above(address: str) -> tuple[int, int]:
    """The highest outbox id copied, and the id a new outbox row gets."""
    db = await open_database(address)
    try:
        highest = await db.scalar("SELECT MAX(id) FROM outbox")
        async with db.transaction() as tx:
            await tx.insert("INSERT INTO events (kind, at) VALUES ('test', 'now')")
            made = await tx.insert("INSERT INTO outbox (chat_id, purpose, not_before, "
                                   "created_at) VALUES (1, 'reply', 'now', 'now')")
    finally:
        await db.close()
    return int(highest), made


def test_every_row_of_the_demo_is_the_same_on_the_server(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(run_demo(tmp_path / "demo"))
    file = tmp_path / "demo" / "carebot-demo.sqlite3"
    address = postgresql_schema()
    monkeypatch.setenv("CAREBOT_DATABASE", str(file))
    capsys.readouterr()

    lock = hold(file)
    assert main(["copy-to-postgresql", address]) == 2
    assert "in use by a running carebot" in capsys.readouterr().err
    lock.release()

    assert main(["copy-to-postgresql", address]) == 0
    said = capsys.readouterr().out
    assert said.startswith("Copied ") and "Set database to that address" in said
    tables = _tables(file)
    assert len(tables) == 26
    for table, key in tables:
        on_file = [row for row in rows_in(file, f'SELECT * FROM "{table}" ORDER BY {key}')
                   if "carebot copy-to-postgresql" not in row]  # the file's log says it went
        on_server = rows_in(address, f'SELECT * FROM "{table}" ORDER BY {key}')
        assert on_server == on_file, table
    counts = {t: len(rows_in(file, f'SELECT * FROM "{t}"')) for t, _ in tables}
    assert sum(counts.values()) > 3000
    # The demo has no edited messages, talk-alert replies, lone photos or restores.
    assert {t for t, n in counts.items() if n == 0} == {
        "edits", "alert_messages", "media_messages", "reference_floors"}, counts

    highest, made = asyncio.run(_new_rows_go_on_above(address))
    assert made == highest + 1

    assert main(["copy-to-postgresql", address]) == 2
    assert "already holds carebot's rows" in capsys.readouterr().err
