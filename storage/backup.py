"""Copies of the database that can be trusted, and putting one back.

A copy is made with SQLite's online backup API in one step, inside a read transaction:
the bot keeps writing (WAL lets it), and the copy is the database as it was at one
moment, counted in that same moment. It is written to a hidden file, checked
(`PRAGMA integrity_check`, and every table's rows against the source's), made
self-contained (no write-ahead log beside it) and only then renamed into place, so a
file with a backup's name is always a whole, checked backup. Everything here is blocking
sqlite3 work: the bot runs it in a thread.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from carebot.storage import backup_losses
from carebot.storage.private_files import database_files_private, make_private, private_folder
from carebot.storage.reference_floors import (
    TABLE_OF,
    highest_in_database,
    highest_in_references,
    raise_floors,
)
from carebot.storage.running_lock import hold
from carebot.storage.schema import latest_schema_version
from carebot.storage.sent_journal import JournalRead, mark_journal_sent, prune_journal, read_journal

NIGHTLY = re.compile(r"^carebot-(\d{4}-\d{2}-\d{2})\.sqlite3$")


class BackupError(RuntimeError):
    """A backup that could not be made, checked or put back, and what the admin can do."""

    def __init__(self, problem: str, next_step: str) -> None:
        super().__init__(f"{problem}; {next_step}")
        self.problem, self.next_step = problem, next_step


@dataclass(frozen=True)
class Copy:
    path: Path
    rows: dict[str, int]  # each table's rows: the same in the copy as in its source

    def summary(self) -> str:
        busiest = sorted(((name, count) for name, count in self.rows.items() if count),
                         key=lambda item: -item[1])[:4]
        return (f"{sum(self.rows.values())} rows in {len(self.rows)} tables ("
                + ", ".join(f"{name} {count}" for name, count in busiest) + ", …)")


@contextlib.contextmanager
def _connected(path: Path, *, read_only: bool = False) -> Iterator[sqlite3.Connection]:
    target = f"{path.resolve().as_uri()}?mode=ro" if read_only else str(path)
    conn = sqlite3.connect(target, uri=read_only, isolation_level=None, timeout=10)
    try:
        yield conn
    finally:
        conn.close()


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]


def row_counts(conn: sqlite3.Connection) -> dict[str, int]:
    return {name: conn.execute(f"SELECT COUNT(*) FROM {_quoted(name)}").fetchone()[0]
            for name in _tables(conn)}


def _checked(conn: sqlite3.Connection, path: Path) -> dict[str, int]:
    """The file's rows per table, once SQLite has found nothing wrong in it."""
    try:
        verdict = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if verdict != ["ok"]:
            raise BackupError(f"{path} is damaged: {'; '.join(verdict[:3])}",
                              "use another backup (a day older) or copy")
        if "schema_migrations" not in _tables(conn):
            raise BackupError(f"{path} is not a carebot database",
                              "give the path of a carebot backup, such as carebot-2026-12-01"
                              ".sqlite3")
        return row_counts(conn)
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a database SQLite can read ({error})",
                          "give the path of a carebot backup, or use another copy") from None


def make_backup(database: Path, target: Path) -> Copy:
    """Copy `database` to `target` while it is in use, check the copy, and only then
    give it the target's name. Raises BackupError (and leaves no file) if anything fails."""
    if target.exists():
        raise BackupError(f"{target} already exists", "give a folder (a dated name is made in "
                          "it) or another file name")
    if not database.exists():
        raise BackupError(f"there is no database at {database}",
                          "check CAREBOT_DATABASE (or database in the settings file)")
    private_folder(target.parent)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    make_private(partial)
    try:
        with _connected(database) as source, _connected(partial) as copy:
            source.execute("BEGIN")  # one moment: what is counted is what is copied
            counted = row_counts(source)
            source.backup(copy)  # every page in one step
            source.execute("COMMIT")
            copy.execute("PRAGMA journal_mode = DELETE")  # one file, nothing beside it
            found = _checked(copy, target)
        if found != counted:
            raise BackupError(f"the copy's rows differ from the database's: {found} "
                              f"against {counted}", "try again; if it happens again, run "
                              "carebot check, which looks for damage")
        _flush(partial)
        os.replace(partial, target)
        _flush(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return Copy(target, found)


def _flush(path: Path) -> None:
    """Make the file (or a folder's list of names) reach the disk before we say it has."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def check_backup(path: Path) -> Copy:
    """A backup that can be restored: readable, undamaged, a carebot database made by
    this version of carebot or an older one (a newer one's schema we cannot run)."""
    if not path.is_file():
        raise BackupError(f"there is no backup at {path}",
                          "check the path: nightly backups are named carebot-DATE.sqlite3")
    with _connected(path, read_only=True) as conn:
        rows = _checked(conn, path)
        version = _version(conn)
    if version > latest_schema_version():
        raise BackupError(f"{path} was made by a newer carebot (schema {version}; this one "
                          f"knows up to {latest_schema_version()})", "upgrade carebot first")
    return Copy(path, rows)


def integrity_problems(path: Path) -> list[str]:
    """What SQLite's own check finds wrong in a database file, read without writing to
    it: nothing if it is whole."""
    try:
        with _connected(path, read_only=True) as conn:
            verdict = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        return [f"SQLite cannot read it ({error})"]
    return [] if verdict == ["ok"] else verdict


def rows_not_in(database: Path, backup: Path) -> dict[str, int]:
    """Rows the database has that the backup does not: added after it was taken (a table's
    rows past the backup's last row id, or more rows where a table has no row ids)."""
    with _connected(backup, read_only=True) as old:
        known = {name: _last_row(old, name) for name in _tables(old)}
    newer = {}
    with _connected(database) as new:
        for name in _tables(new):
            count, last = known.get(name, (0, 0))
            if added := _rows_after(new, name, count, last):
                newer[name] = added
    return newer


def _last_row(conn: sqlite3.Connection, table: str) -> tuple[int, int | None]:
    """A table's rows and its highest row id (None for a table without row ids)."""
    count = conn.execute(f"SELECT COUNT(*) FROM {_quoted(table)}").fetchone()[0]
    try:
        last = conn.execute(f"SELECT MAX(rowid) FROM {_quoted(table)}").fetchone()[0]
    except sqlite3.OperationalError:  # WITHOUT ROWID
        return count, None
    return count, last or 0


def _rows_after(conn: sqlite3.Connection, table: str, count: int, last: int | None) -> int:
    if last is not None:
        with contextlib.suppress(sqlite3.OperationalError):
            return int(conn.execute(f"SELECT COUNT(*) FROM {_quoted(table)} WHERE rowid > ?",
                                    (last,)).fetchone()[0])
    now = conn.execute(f"SELECT COUNT(*) FROM {_quoted(table)}").fetchone()[0]
    return max(0, int(now) - count)


@dataclass(frozen=True)
class Restored:
    rows: dict[str, int]
    kept_aside: Path | None  # the database as it was before, if there was one
    journal: JournalRead  # what the sent journal said went since the backup was taken
    lost: list[str]  # what the database had that the backup does not, in words
    floors: dict[str, int]  # the highest issue and alert ids ever given, never given again


def losses(database: Path, backup: Path) -> list[str]:
    """What the database has that the backup does not, as an admin would count it."""
    newer = rows_not_in(database, backup)
    if not newer.get("issues"):
        return backup_losses.in_words(newer, {})
    with _connected(backup, read_only=True) as old:
        last = _last_row(old, "issues")[1] or 0
    with _connected(database, read_only=True) as new:
        kinds = backup_losses.issue_kinds_after(new, last)
    return backup_losses.in_words(newer, kinds)


def restore(backup: Path, database: Path, now: datetime, *, force: bool = False,
            journal: Path | None = None) -> Restored:
    """Put `backup` in place of `database`. Refuses while a bot runs on it, and (without
    `force`) when the database has rows the backup does not, saying what they are.
    Whatever was there is kept aside first, as a checked backup: a restore loses nothing.
    Messages the sent journal in `journal` says went after the backup was taken are
    marked sent, not sent again; and no issue or alert reference given out before (in
    the database replaced, or in a message the journal names) is given again."""
    copy = check_backup(backup)
    lines = list(read_journal(journal)) if journal else []
    given = highest_in_references(r for line in lines for r in line.references)
    lock = hold(database, doing="a restore")
    try:
        kept, lost = None, []
        if database.exists() and database.stat().st_size:
            lost = losses(database, backup)
            if lost and not force:
                raise BackupError(
                    f"{database} has what the backup does not: {'; '.join(lost)}, and any "
                    "changes since to what was there", "to put the backup back anyway, add "
                    "--force (the database is kept aside first, so nothing is gone for good)")
            with _connected(database, read_only=True) as old:
                given = _highest(given, highest_in_database(old))
            kept = database.with_name(
                f"{database.name}.before-restore-{now.strftime('%Y%m%dT%H%M%S')}")
            make_backup(database, kept)
        private_folder(database.parent)
        database_files_private(database)
        with _connected(backup, read_only=True) as source, _connected(database) as live:
            source.backup(live)
            put_back = _checked(live, database)
            if put_back != copy.rows:
                raise BackupError(f"{database} does not hold what the backup does after "
                                  "the restore", f"the database before it is kept at {kept}: "
                                  "put it back, and run carebot check")
            read = mark_journal_sent(live, lines)
            raise_floors(live, given)
        database_files_private(database)
        return Restored(put_back, kept, read, lost, given)
    finally:
        lock.release()


def _highest(*found: dict[str, int]) -> dict[str, int]:
    return {kind: max(each.get(kind, 0) for each in found) for kind in TABLE_OF}


def nightly_name(day: date) -> str:
    return f"carebot-{day.isoformat()}.sqlite3"


def nightly_backup(database: Path, folder: Path, day: date, keep: int,
                   journal: Path | None = None) -> tuple[Copy | None, list[Path]]:
    """Today's backup in `folder` if it is not there yet, then the oldest nightly backups
    beyond `keep` removed (files carebot did not name are never touched), with the days
    of the sent `journal` that no kept backup needs."""
    target = folder / nightly_name(day)
    made = None if target.exists() else make_backup(database, target)
    nightly = sorted((date.fromisoformat(found.group(1)), path) for path in folder.iterdir()
                     if (found := NIGHTLY.match(path.name)))
    gone = [path for _, path in nightly[:-keep]]
    for path in gone:
        path.unlink(missing_ok=True)
    oldest_kept = nightly[len(gone)][0] if len(nightly) > len(gone) else None
    if journal is not None and oldest_kept:  # its days are UTC, ours local: one more kept
        prune_journal(journal, oldest_kept - timedelta(days=1))
    return made, gone


def schema_version(database: Path) -> int | None:
    """The schema a database file is at: None if there is no database there yet."""
    if not database.exists() or database.stat().st_size == 0:
        return None
    with _connected(database) as conn:
        return _version(conn) if "schema_migrations" in _tables(conn) else 0


def _version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations")
               .fetchone()[0])


def backup_before_upgrade(database: Path, folder: Path, now: datetime,
                          upgrade_to: int) -> Copy | None:
    """A checked copy of a database whose schema is about to be brought up to `upgrade_to`."""
    version = schema_version(database)
    if version is None or version >= upgrade_to:
        return None
    return make_backup(database, folder / (
        f"carebot-before-upgrade-{now.strftime('%Y%m%dT%H%M%S')}-schema-{version}.sqlite3"))
