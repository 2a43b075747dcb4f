"""How long a council-year's digests and packs take, against raw SQL in the same run.

    .venv/bin/python bench/digest_scale.py [--people 30000] [--services 150] [--weeks 52]

On the council-year database from `bench/council.py` (built first if it is not there,
in its own process so its memory is not counted here), each of these is timed three
times, min / median / max:

- the council's digest for the last week, the last quarter (13 weeks) and the year
  (52 weeks), each built and written as the bot does it (HTML, CSV, Telegram summary),
  as it runs week after week: every week's counts kept (storage/week_counts.py) but the
  last week's, which new answers have just cleared;
- the same digests with no week counts kept (the first digest after an upgrade);
- the 12-month monitoring pack (PDF) of the provider with the most services.

Beside each digest: raw SQL computing the same headline numbers (check-ins sent and
finished, the questions they asked, answers, people, FFT ratings, sentiment, themes,
alerts and requests to talk, open issues, and the week-by-week ratings and outcome answers
of the trend) over the same tables and period in a few grouped queries, and the digest's
time as a ratio of it.
Then the same on PostgreSQL (CAREBOT_BENCH_POSTGRESQL, by default the local server; set
it empty to skip), the file's rows copied to a schema of their own (`bench_council`, made
anew) as `carebot copy-to-postgresql` copies them, and its raw SQL run through psycopg.
Targets: week <= 0.5 s and <= 2x raw SQL; year <= 2 s; pack <= 5 s; peak RSS <= 300 MB.
"""

from __future__ import annotations

import asyncio
import os
import re
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from council import Size, first_week, ready, size_from_arguments
from measure import RUNS, ratio, spread, timed

from carebot.reports.figures import build_digest
from carebot.reports.measures import TREND_WEEKS
from carebot.reports.pack_pdf import provider_pack
from carebot.reports.render import digest_summary, write_digest
from carebot.storage.copy_to_postgresql import copy_to_postgresql
from carebot.storage.db import Database, open_database, to_db_time
from carebot.storage.postgres_engine import PostgresDialect, emptied_schema
from carebot.storage.sqlite_engine import SqliteDialect

THRESHOLD = 3
COUNCIL = 1
# The same headline numbers as the digest, each over every service of the council in one
# grouped query, by the same indexes (service, time).
RAW_SQL = (
    "SELECT s.id, COUNT(c.id) FROM services s JOIN checkins c ON c.service_id = s.id "
    "AND c.sent_at >= :start AND c.sent_at < :end WHERE s.council_id = :council GROUP BY 1",
    "SELECT DISTINCT s.id, c.questions FROM services s JOIN checkins c "
    "ON c.service_id = s.id AND c.sent_at >= :start AND c.sent_at < :end "
    "WHERE s.council_id = :council",
    "SELECT s.id, COUNT(c.id) FROM services s JOIN checkins c ON c.service_id = s.id "
    "AND c.completed_at >= :start AND c.completed_at < :end WHERE s.council_id = :council "
    "GROUP BY 1",
    "SELECT s.id, COUNT(*), COUNT(DISTINCT a.person_id) FROM services s JOIN answers a "
    "ON a.service_id = s.id AND a.answered_at >= :start AND a.answered_at < :end "
    "WHERE s.council_id = :council AND a.skipped = 0 GROUP BY 1",
    "SELECT s.id, a.choice, COUNT(*) FROM services s JOIN answers a ON a.service_id = s.id "
    "AND a.answered_at >= :start AND a.answered_at < :end WHERE s.council_id = :council "
    "AND a.question_key = 'fft' AND a.choice IS NOT NULL GROUP BY 1, 2",
    "SELECT s.id, t.kind, t.value, COUNT(*) FROM services s JOIN answers a "
    "ON a.service_id = s.id AND a.answered_at >= :start AND a.answered_at < :end "
    "JOIN tags t ON t.answer_id = a.id WHERE s.council_id = :council "
    "AND t.kind IN ('sentiment', 'theme') GROUP BY 1, 2, 3",
    "SELECT s.id, l.kind, COUNT(l.id), COUNT(l.acknowledged_at) FROM services s "
    "JOIN alerts l ON l.service_id = s.id AND l.created_at >= :start AND l.created_at < :end "
    "WHERE s.council_id = :council AND l.kind IN ('safeguarding', 'talk') GROUP BY 1, 2",
    "SELECT s.id, i.status, COUNT(*) FROM services s JOIN issues i ON i.service_id = s.id "
    "WHERE s.council_id = :council AND i.created_at < :end "
    "AND i.status NOT IN ('resolved', 'closed_no_action') GROUP BY 1, 2",
    # The trend: each week's ratings and outcome answers, and people answering, over the
    # period or the 8 weeks before its end, whichever is longer.
    "SELECT s.id, {weeks}, "
    "a.question_key, a.choice, COUNT(*) FROM services s {join} answers a "
    "ON a.service_id = s.id AND a.answered_at >= :trend AND a.answered_at < :end "
    "WHERE s.council_id = :council AND a.choice IS NOT NULL GROUP BY 1, 2, 3, 4",
    "SELECT s.id, {weeks}, "
    "a.question_key, COUNT(DISTINCT a.person_id) FROM services s {join} answers a "
    "ON a.service_id = s.id AND a.answered_at >= :trend AND a.answered_at < :end "
    "WHERE s.council_id = :council AND a.choice IS NOT NULL GROUP BY 1, 2, 3",
)


def raw_sql(database: Path | str, start: datetime, end: datetime) -> int:
    """The headline numbers by plain SQL through the engine's own driver; returns how
    many rows came back."""
    trend = min(start, end - timedelta(weeks=TREND_WEEKS))
    span = {"start": to_db_time(start), "end": to_db_time(end), "council": COUNCIL,
            "trend": to_db_time(trend)}
    dialect = (PostgresDialect() if isinstance(database, str) else SqliteDialect())
    queries = [sql.replace("{weeks}", dialect.weeks_between("a.answered_at", ":trend"))
               .replace("{join}", dialect.join_in_order) for sql in RAW_SQL]
    return sum(len(rows) for rows in _run(database, queries, span))


def _run(database: Path | str, queries: list[str], values: dict[str, object],
         ) -> list[list[tuple[object, ...]]]:
    """Each query's rows, with :name values, on either engine (no carebot code between)."""
    if isinstance(database, Path):
        with sqlite3.connect(database) as conn:
            return [conn.execute(sql, values).fetchall() for sql in queries]
    import psycopg
    with psycopg.connect(database) as conn:
        return [conn.execute(re.sub(r":([a-z]+)", r"%(\1)s", sql).encode(), values).fetchall()
                for sql in queries]


async def digest(db: Database, folder: Path, start: datetime, end: datetime) -> int:
    """The council's digest as the bot makes it; returns its summary's length."""
    made = await build_digest(db, council_id=COUNCIL, start=start, end=end,
                              threshold=THRESHOLD, now=end)
    write_digest(made, folder, f"digest-{start:%Y-%m-%d}")
    return len(digest_summary(made))


def forget_weeks(database: Path | str, since: datetime | None) -> None:
    """Clear the week counts kept from `since` on (as new answers in those weeks would),
    or all of them."""
    _run(database, ["DELETE FROM week_counts WHERE week_start >= :since RETURNING 1"],
         {"since": "" if since is None else to_db_time(since)})


def line(name: str, times: list[float], base: list[float] | None, target: str) -> str:
    figures = spread(times)
    if base is None:
        return f"{name:<22} {figures}   {'':>7} {'':>6}   {target}"
    return (f"{name:<22} {figures}   {statistics.median(base):7.3f} "
            f"{ratio(times, base):5.2f}x   {target}")


def _raw(database: Path | str, start: datetime,
         end: datetime) -> Callable[[], Awaitable[object]]:
    async def work() -> object:
        return raw_sql(database, start, end)
    return work


async def measure(path: Path | str, size: Size, mib: float) -> None:
    end = first_week(size) + timedelta(weeks=size.weeks)
    db = await open_database(path)
    try:
        answers = await db.scalar("SELECT COUNT(*) FROM answers")
        provider, services = await _biggest_provider(db)
        print(f"{db.engine}, {db.where}: {size.people:,} people, {answers:,} answers, "
              f"{size.services} services, {size.weeks} weeks, "
              f"{mib:.0f} MiB; seconds, {RUNS} runs")
        print(f"{'':<22} {'min':>6} {'median':>6} {'max':>6}   {'raw SQL':>7} {'ratio':>6}"
              "   target")
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder)
            for name, weeks, target in (("week digest", 1, "<= 0.5 s, <= 2x raw SQL"),
                                        ("quarter digest", 13, ""),
                                        ("year digest", 52, "<= 2 s")):
                start = end - timedelta(weeks=weeks)
                base = await timed(_raw(path, start, end))
                await digest(db, out, start, end)  # last week's digest kept the weeks before
                times = await timed(lambda s=start: digest(db, out, s, end),  # type: ignore[misc]
                                    lambda: forget_weeks(path, end - timedelta(weeks=1)))
                print(line(name, times, base, target), flush=True)
                times = await timed(lambda s=start: digest(db, out, s, end),  # type: ignore[misc]
                                    lambda: forget_weeks(path, None))
                print(line("  nothing kept", times, base, ""), flush=True)
            start = end - timedelta(weeks=52)
            times = await timed(lambda: provider_pack(
                db, provider, start, end, threshold=THRESHOLD, now=end,
                path=out / "pack.pdf"))
            print(line(f"year pack ({services} services)", times, None, "<= 5 s"))
    finally:
        await db.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS {peak:.0f} MB (target <= 300 MB)")


async def _biggest_provider(db: Database) -> tuple[int, int]:
    row = await db.fetchone("SELECT provider_id, COUNT(*) FROM services GROUP BY 1 "
                            "ORDER BY 2 DESC, 1 LIMIT 1")
    assert row is not None
    return int(row[0]), int(row[1])


def on_postgresql(path: Path, address: str) -> str:
    """The council-year file copied to a schema of its own on the server (made anew), as
    `carebot copy-to-postgresql` copies it: the same rows on both engines."""
    schema = emptied_schema(address, "bench_council")
    asyncio.run(_made(schema))
    copy_to_postgresql(path, schema)
    return schema


async def _made(address: str) -> None:
    await (await open_database(address)).close()


def main() -> None:
    size = size_from_arguments(__doc__.splitlines()[0])
    path = ready(size)
    mib = path.stat().st_size / 2**20
    asyncio.run(measure(path, size, mib))
    if server := os.environ.get("CAREBOT_BENCH_POSTGRESQL", "postgresql://127.0.0.1/postgres"):
        started = time.perf_counter()
        address = on_postgresql(path, server)
        print(f"copied to PostgreSQL in {time.perf_counter() - started:.0f} s")
        asyncio.run(measure(address, size, mib))


if __name__ == "__main__":
    main()
