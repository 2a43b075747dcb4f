"""A council's SQLite database copied to PostgreSQL, every row as it is: how a council that
began on one file moves to its IT's server. The file must be at carebot's newest schema
and the server's database empty; each table's rows go over with their own ids, so every
reference (CB-1042, A-12) and every link between rows stays the same, and each sequence is
then moved past the highest id, so new rows go on from there.

The server's own triggers (the read list, kept week counts) are held off while the rows
go over, as the rows they would make are copied too. Rows that point at a table not yet
copied, or at their own table (a carer's invite names the cared-for's), go over without
that link, which is set once every table is there. It is all one transaction: a copy
that fails leaves the server's database as empty as it was.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carebot.storage.postgres_engine import in_postgresql
from carebot.storage.schema import latest_schema_version


@dataclass(frozen=True)
class Copied:
    tables: int
    rows: int


class CopyRefusedError(RuntimeError):
    """The copy cannot start: the reason, and what to do."""

    def __init__(self, problem: str, next_step: str) -> None:
        super().__init__(f"{problem}. {next_step}")
        self.problem, self.next_step = problem, next_step


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    return [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "AND name != 'schema_migrations' ORDER BY rowid")]


def _links(conn: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(column, table it points at) of each foreign key of `table`."""
    return [(row[3], row[2]) for row in conn.execute(
        "SELECT * FROM pragma_foreign_key_list(?)", (table,))]


def _key_of(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in sorted(
        (r for r in conn.execute("SELECT cid, name, pk FROM pragma_table_info(?)", (table,))
         if r[2]), key=lambda r: r[2])]


def _in_order(conn: sqlite3.Connection, tables: list[str]) -> list[str]:
    """Tables with those they point at first, as far as the links allow (a cycle is
    broken where it closes: that link is set afterwards)."""
    ordered: list[str] = []
    waiting = list(tables)
    while waiting:
        ready = [t for t in waiting
                 if all(target in ordered or target == t for _, target in _links(conn, t))]
        chosen = ready[0] if ready else waiting[0]
        ordered.append(chosen)
        waiting.remove(chosen)
    return ordered


def copy_to_postgresql(file: Path, address: str) -> Copied:
    """Copy every row of the SQLite database `file` into the empty PostgreSQL database at
    `address`, whose schema `open_database` has already made."""
    import psycopg
    from psycopg import sql

    source = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
    try:
        version = source.execute("SELECT COALESCE(MAX(version), 0) FROM schema_migrations"
                                 ).fetchone()[0]
        if version != latest_schema_version():
            raise CopyRefusedError(f"{file} is at schema {version}, not {latest_schema_version()}",
                              "run carebot migrate on it first")
        tables = _in_order(source, _sqlite_tables(source))
        with psycopg.connect(address) as target:
            _check_schema(target)
            if any(target.execute(sql.SQL("SELECT EXISTS (SELECT 1 FROM {})").format(
                    sql.Identifier(table))).fetchone() == (True,) for table in tables):
                raise CopyRefusedError("the PostgreSQL database already holds carebot's rows",
                                  "copy into a new, empty database (or schema)")
            rows = _copy_tables(source, target, tables)
            target.commit()
    finally:
        source.close()
    return Copied(len(tables), rows)


def _check_schema(target: Any) -> None:
    version = target.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0]
    if version != latest_schema_version():
        raise CopyRefusedError(f"the PostgreSQL database is at schema {version}",
                          "copy into a new, empty database (or schema)")


def _copy_tables(source: sqlite3.Connection, target: Any, tables: list[str]) -> int:
    from psycopg import sql

    done: set[str] = set()
    later: list[tuple[str, list[str], str, list[tuple[Any, ...]]]] = []
    rows = 0
    for table in tables:
        columns = [row[1] for row in source.execute("SELECT * FROM pragma_table_info(?)",
                                                    (table,))]
        key = _key_of(source, table)
        held = [column for column, points_at in _links(source, table)
                if points_at not in done or points_at == table]
        target.execute(sql.SQL("ALTER TABLE {} DISABLE TRIGGER USER").format(
            sql.Identifier(table)))
        listed = sql.SQL(", ").join(map(sql.Identifier, columns))
        with target.cursor().copy(sql.SQL("COPY {} ({}) FROM STDIN").format(
                sql.Identifier(table), listed)) as copy:
            for row in source.execute(f'SELECT * FROM "{table}"'):
                copy.write_row([None if columns[n] in held else value
                                for n, value in enumerate(row)])
                rows += 1
        for column in held:
            pairs = source.execute(
                f'SELECT "{column}", {", ".join(map(_quoted, key))} FROM "{table}" '
                f'WHERE "{column}" IS NOT NULL').fetchall()
            later.append((table, key, column, pairs))
        done.add(table)
    for table, key, column, pairs in later:
        where = " AND ".join(f"{_quoted(name)} = ?" for name in key)
        target.cursor().executemany(in_postgresql(
            f'UPDATE "{table}" SET "{column}" = ? WHERE {where}')[0], pairs)
    for table in tables:
        target.execute(sql.SQL("ALTER TABLE {} ENABLE TRIGGER USER").format(
            sql.Identifier(table)))
        if "id" in _key_of(source, table) and _has_sequence(target, table):
            target.execute(sql.SQL(
                "SELECT setval(pg_get_serial_sequence({}, 'id'), MAX(id)) FROM {} "
                "HAVING MAX(id) IS NOT NULL").format(sql.Literal(table), sql.Identifier(table)))
    return rows


def _has_sequence(target: Any, table: str) -> bool:
    found = target.execute("SELECT pg_get_serial_sequence(%s, 'id')", (table,)).fetchone()
    return bool(found and found[0])


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
