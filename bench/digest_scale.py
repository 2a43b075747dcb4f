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
Targets: week <= 0.5 s and <= 2x raw SQL; year <= 2 s; pack <= 5 s; peak RSS <= 300 MB.
"""

from __future__ import annotations

import asyncio
import resource
import sqlite3
import statistics
import tempfile
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path

from council import Size, first_week, ready, size_from_arguments
from measure import RUNS, ratio, spread, timed

from carebot.reports.figures import build_digest
from carebot.reports.measures import TREND_WEEKS
from carebot.reports.pack_pdf import provider_pack
from carebot.reports.render import digest_summary, write_digest
from carebot.storage.db import Database, open_database, to_db_time

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
    "SELECT s.id, CAST((julianday(a.answered_at) - julianday(:trend)) / 7 AS INTEGER), "
    "a.question_key, a.choice, COUNT(*) FROM services s CROSS JOIN answers a "
    "ON a.service_id = s.id AND a.answered_at >= :trend AND a.answered_at < :end "
    "WHERE s.council_id = :council AND a.choice IS NOT NULL GROUP BY 1, 2, 3, 4",
    "SELECT s.id, CAST((julianday(a.answered_at) - julianday(:trend)) / 7 AS INTEGER), "
    "a.question_key, COUNT(DISTINCT a.person_id) FROM services s CROSS JOIN answers a "
    "ON a.service_id = s.id AND a.answered_at >= :trend AND a.answered_at < :end "
    "WHERE s.council_id = :council AND a.choice IS NOT NULL GROUP BY 1, 2, 3",
)


def raw_sql(path: Path, start: datetime, end: datetime) -> int:
    """The headline numbers by plain SQL; returns how many rows came back."""
    with sqlite3.connect(path) as conn:
        trend = min(start, end - timedelta(weeks=TREND_WEEKS))
        span = {"start": to_db_time(start), "end": to_db_time(end), "council": COUNCIL,
                "trend": to_db_time(trend)}
        return sum(len(conn.execute(sql, span).fetchall()) for sql in RAW_SQL)


async def digest(db: Database, folder: Path, start: datetime, end: datetime) -> int:
    """The council's digest as the bot makes it; returns its summary's length."""
    made = await build_digest(db, council_id=COUNCIL, start=start, end=end,
                              threshold=THRESHOLD, now=end)
    write_digest(made, folder, f"digest-{start:%Y-%m-%d}")
    return len(digest_summary(made))


def forget_weeks(path: Path, since: datetime | None) -> None:
    """Clear the week counts kept from `since` on (as new answers in those weeks would),
    or all of them."""
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM week_counts WHERE week_start >= ?",
                     ("" if since is None else to_db_time(since),))


def line(name: str, times: list[float], base: list[float] | None, target: str) -> str:
    figures = spread(times)
    if base is None:
        return f"{name:<22} {figures}   {'':>7} {'':>6}   {target}"
    return (f"{name:<22} {figures}   {statistics.median(base):7.3f} "
            f"{ratio(times, base):5.2f}x   {target}")


def _raw(path: Path, start: datetime, end: datetime) -> Callable[[], Awaitable[object]]:
    async def work() -> object:
        return raw_sql(path, start, end)
    return work


async def measure(path: Path, size: Size, mib: float) -> None:
    end = first_week(size) + timedelta(weeks=size.weeks)
    db = await open_database(path)
    try:
        answers = await db.scalar("SELECT COUNT(*) FROM answers")
        provider, services = await _biggest_provider(db)
        print(f"{path.name}: {size.people:,} people, {answers:,} answers, "
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


def main() -> None:
    size = size_from_arguments(__doc__.splitlines()[0])
    path = ready(size)
    asyncio.run(measure(path, size, path.stat().st_size / 2**20))


if __name__ == "__main__":
    main()
