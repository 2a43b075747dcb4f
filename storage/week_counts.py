"""Each service's counts for one week, counted once and kept (table `week_counts`,
migration 0009), so a report over many weeks reads a few kept rows instead of every
answer again: a year's digest draws 52 weeks of trend for every service.

A week is the 7 days from any moment on the hour (readers choose the day their digest
comes). The counts of a service's week are made the first time a report asks for them, inside one
write transaction (so no answer can slip in between counting and keeping), and deleted
by triggers the moment an answer or tag in that week is added, changed or removed; the
next report then counts that week afresh. So a kept count is never out of date.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from carebot.storage.db import Database, Dialect, Transaction, placeholders, to_db_time

log = logging.getLogger(__name__)
WEEK = timedelta(weeks=1)


# The shape of the kept JSON: a kept week of another shape is counted again.
SHAPE = 3


@dataclass
class WeekCounts:
    """One service's week: answers to choice questions, comments by theme and sentiment,
    who helped with finished check-ins, and who answered anything (not skipped)."""

    choices: dict[str, dict[str, int]] = field(default_factory=dict)  # question: {choice: n}
    people: dict[str, int] = field(default_factory=dict)   # question: people answering it
    themes: dict[str, tuple[int, int]] = field(default_factory=dict)  # theme: (comments, people)
    sentiment: dict[str, int] = field(default_factory=dict)  # label: comments
    helped: dict[str, int] = field(default_factory=dict)     # alone, family…: check-ins
    answers: int = 0
    answered: list[int] = field(default_factory=list)       # people: ids, each once
    prompts: dict[str, tuple[int, int]] = field(default_factory=dict)  # Working Together
                                                       # for Change question: (typed, people)

    def to_json(self) -> str:
        return json.dumps({"shape": SHAPE, "choices": self.choices, "people": self.people,
                           "themes": {k: list(v) for k, v in self.themes.items()},
                           "sentiment": self.sentiment, "helped": self.helped,
                           "answers": self.answers, "answered": self.answered,
                           "prompts": {k: list(v) for k, v in self.prompts.items()}},
                          separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> WeekCounts | None:
        """The kept counts; None if they were kept in another shape."""
        found = json.loads(text)
        if found.get("shape") != SHAPE:
            return None
        return cls(found["choices"], found["people"],
                   {k: (v[0], v[1]) for k, v in found["themes"].items()},
                   found["sentiment"], found["helped"], found["answers"], found["answered"],
                   {k: (v[0], v[1]) for k, v in found["prompts"].items()})


@dataclass(frozen=True)
class PeriodCounts:
    """One service's period, added up from its weeks: what the digest shows for the
    period as a whole (the rest it shows week by week)."""

    fft: dict[str, int]         # choice: answers
    sentiment: dict[str, int]   # label: comments
    helped: dict[str, int]      # alone, family…: finished check-ins
    answers: int
    respondents: int            # different people answering anything


def _add(into: dict[str, int], counts: dict[str, int]) -> None:
    for label, n in counts.items():
        into[label] = into.get(label, 0) + n


@dataclass(frozen=True)
class Weeks:
    """The weeks of a report's span, for each of its services; week 0 is the first."""

    start: datetime
    weeks: int
    counts: dict[tuple[int, int], WeekCounts]

    def of(self, service: int, week: int) -> WeekCounts:
        return self.counts.get((service, week), WeekCounts())

    def period(self, service: int, weeks: range) -> PeriodCounts:
        fft: dict[str, int] = {}
        sentiment: dict[str, int] = {}
        helped: dict[str, int] = {}
        answers, answered = 0, set()
        for week in weeks:
            counts = self.of(service, week)
            _add(fft, counts.choices.get("fft", {}))
            _add(sentiment, counts.sentiment)
            _add(helped, counts.helped)
            answers += counts.answers
            answered.update(counts.answered)
        return PeriodCounts(fft, sentiment, helped, answers, len(answered))



def _counting(n: int, dialect: Dialect) -> tuple[str, str, str, str, str, str]:
    """Six grouped queries over `n` services' rows of one week, through the (service,
    time) indexes: choices, people per question, tags, who helped, who answered, and the
    Working Together for Change questions answered."""
    among = f"service_id IN ({placeholders(n)})"
    week = f"a.{among} AND a.answered_at >= ? AND a.answered_at < ?"
    chosen = f"FROM answers a WHERE {week} AND a.choice IS NOT NULL AND a.skipped = 0"
    return (f"SELECT a.service_id, a.question_key, a.choice, COUNT(*) {chosen} GROUP BY 1, 2, 3",
            f"SELECT a.service_id, a.question_key, COUNT(DISTINCT a.person_id) {chosen} "
            "GROUP BY 1, 2",
            "SELECT a.service_id, t.kind, t.value, COUNT(*), COUNT(DISTINCT a.person_id) "
            f"FROM answers a {dialect.join_in_order} tags t ON t.answer_id = a.id WHERE {week} "
            "AND t.kind IN ('theme', 'sentiment') GROUP BY 1, 2, 3",
            f"SELECT service_id, COALESCE(helped_by, 'alone'), COUNT(*) FROM checkins "
            f"WHERE {among} AND completed_at >= ? AND completed_at < ? GROUP BY 1, 2",
            f"SELECT a.service_id, a.person_id, COUNT(*) FROM answers a WHERE {week} "
            "AND a.skipped = 0 GROUP BY 1, 2",
            "SELECT a.service_id, a.prompt_kind, COUNT(*), COUNT(DISTINCT a.person_id) "
            f"FROM answers a WHERE {week} AND a.text IS NOT NULL AND a.choice IS NULL "
            "AND a.prompt_kind IS NOT NULL GROUP BY 1, 2")


async def _count_week(tx: Transaction | Database, services: Sequence[int],
                      start: datetime) -> dict[int, WeekCounts]:
    params = (*services, to_db_time(start), to_db_time(start + WEEK))
    choices, people, tags, helped, answered, prompts = _counting(len(services), tx.dialect)
    found = {service: WeekCounts() for service in services}
    for service, key, choice, n in await tx.fetchall(choices, params):
        found[service].choices.setdefault(key, {})[choice] = n
    for service, key, n in await tx.fetchall(people, params):
        found[service].people[key] = n
    for service, kind, value, n, different in await tx.fetchall(tags, params):
        if kind == "theme":
            found[service].themes[value] = (n, different)
        else:
            found[service].sentiment[value] = n
    for service, who, n in await tx.fetchall(helped, params):
        found[service].helped[who] = n
    for service, person, n in await tx.fetchall(answered, params):
        found[service].answers += n
        found[service].answered.append(person)
    for service, prompt, n, different in await tx.fetchall(prompts, params):
        found[service].prompts[prompt] = (n, different)
    return found


async def _count_and_keep(db: Database, services: Sequence[int],
                          start: datetime) -> dict[int, WeekCounts]:
    """Count the week for these services and keep the counts, in one transaction."""
    async with db.transaction() as tx:
        found = await _count_week(tx, services, start)
        await tx.executemany(
            "INSERT INTO week_counts (service_id, week_start, counts) VALUES (?, ?, ?) "
            "ON CONFLICT (service_id, week_start) DO UPDATE SET counts = excluded.counts",
            [(service, to_db_time(start), counts.to_json()) for service, counts in found.items()])
    return found


def _worth_keeping(start: datetime) -> bool:
    """Weeks that start on the hour: the digests' weeks (each reader's day, at the digest
    hour), which come round again. "The last 7 days" starts at the second it is asked
    for, never again: kept, those would only pile up."""
    return start.minute == start.second == start.microsecond == 0


async def _counted(db: Database, services: Sequence[int],
                   start: datetime) -> dict[int, WeekCounts]:
    """Counted and kept; or, when they cannot be kept (a full disk, a database locked by
    another program) or are not worth keeping, counted only: the report is still made."""
    if not _worth_keeping(start):
        return await _count_week(db, services, start)
    try:
        return await _count_and_keep(db, services, start)
    except db.write_faults as exc:
        log.warning("week counts not kept (%s): counting without keeping", exc)
        return await _count_week(db, services, start)


async def counted_weeks(db: Database, services: Sequence[int], start: datetime,
                        weeks: int) -> Weeks:
    """Each service's counts for each of `weeks` weeks from `start`: kept counts where
    there are some, the rest counted now (and kept, for weeks on the hour)."""
    starts = [to_db_time(start + w * WEEK) for w in range(weeks)]
    which = {moment: w for w, moment in enumerate(starts)}
    rows = await db.fetchall(
        f"SELECT service_id, week_start, counts FROM week_counts WHERE service_id IN "
        f"({placeholders(len(services))}) AND week_start IN ({placeholders(len(starts))})",
        (*services, *starts)) if services and _worth_keeping(start) else []
    found = {(service, which[moment]): kept for service, moment, counts in rows
             if (kept := WeekCounts.from_json(counts)) is not None}
    for w in range(weeks):
        missing = [s for s in services if (s, w) not in found]
        if missing:
            counted = await _counted(db, missing, start + w * WEEK)
            found.update({(service, w): counts for service, counts in counted.items()})
    return Weeks(start, weeks, found)
