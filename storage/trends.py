"""Figures for a list of services (a council's, or one provider's): week by week from
the kept week counts (storage/week_counts.py), and the rest in one query grouped by
service (not one query per service), so a digest over a council-year stays quick. Each
query reads, service by service, only the period's rows through the (service, time)
indexes. Counts only, but for the few comments that may be quoted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from carebot.storage.db import Database, Row, from_db_time, placeholders, to_db_time
from carebot.storage.models import PersonStatus, Role


async def enrolled(db: Database, services: Sequence[int]) -> dict[int, int]:
    """People and carers taking part now, by service."""
    rows = await db.fetchall(
        "SELECT p.service_id, COUNT(*) FROM people p WHERE p.service_id IN "
        f"({placeholders(len(services))}) AND p.role IN (?, ?) AND p.status = ? GROUP BY 1",
        (*services, Role.PERSON, Role.CARER, PersonStatus.ACTIVE))
    return {int(r[0]): int(r[1]) for r in rows}


async def questions_asked(db: Database, services: Sequence[int], start: datetime,
                          end: datetime) -> dict[int, frozenset[str]]:
    """Which questions each service's check-ins sent in the period asked: a question
    nobody answered was perhaps not asked at all."""
    rows = await db.fetchall(
        f"SELECT DISTINCT service_id, questions FROM checkins WHERE service_id IN "
        f"({placeholders(len(services))}) AND sent_at >= ? AND sent_at < ?",
        (*services, to_db_time(start), to_db_time(end)))
    found: dict[int, set[str]] = {}
    for service, questions in rows:
        found.setdefault(int(service), set()).update(questions.split(","))
    return {service: frozenset(keys) for service, keys in found.items()}


async def helped_by(db: Database, services: Sequence[int], start: datetime,
                    end: datetime) -> dict[int, dict[str, int]]:
    """Who answered finished check-ins: alone, or with family, a carer, an advocate."""
    rows = await db.fetchall(
        "SELECT c.service_id, COALESCE(c.helped_by, 'alone'), COUNT(*) FROM checkins c "
        f"WHERE c.service_id IN ({placeholders(len(services))}) "
        "AND c.completed_at >= ? AND c.completed_at < ? GROUP BY 1, 2",
        (*services, to_db_time(start), to_db_time(end)))
    found: dict[int, dict[str, int]] = {}
    for service_id, who, count in rows:
        found.setdefault(int(service_id), {})[str(who)] = int(count)
    return found


@dataclass(frozen=True)
class AlertTimes:
    raised: datetime
    acknowledged: datetime | None


async def alert_times(db: Database, services: Sequence[int], start: datetime,
                      end: datetime) -> dict[int, list[AlertTimes]]:
    """Safeguarding alerts raised in the span, by service, with when each was acted on."""
    rows = await db.fetchall(
        "SELECT a.service_id, a.created_at, a.acknowledged_at FROM alerts a "
        f"WHERE a.service_id IN ({placeholders(len(services))}) "
        "AND a.kind = 'safeguarding' AND a.created_at >= ? AND a.created_at < ? ORDER BY a.id",
        (*services, to_db_time(start), to_db_time(end)))
    found: dict[int, list[AlertTimes]] = {}
    for service_id, raised, acknowledged in rows:
        found.setdefault(int(service_id), []).append(AlertTimes(
            from_db_time(raised), None if acknowledged is None else from_db_time(acknowledged)))
    return found


@dataclass(frozen=True)
class Said:
    """Words someone wrote, with what they were tagged with: for quotes, never names."""

    service_id: int
    person_id: int
    text: str
    prompt_kind: str | None         # working, not_working, future, anything_else
    themes: dict[str, str]          # theme: the words that found it
    language: str | None = None     # what it is written in, when not English


async def _said_between(db: Database, services: Sequence[int], themes: Sequence[str],
                        start: datetime, end: datetime, per_group: int) -> list[Row]:
    """The newest `per_group` typed answers of each service's `themes` and of each
    Working Together for Change question in [start, end), newest first; chosen in SQL."""
    typed = ("SELECT a.id, a.service_id, a.person_id, a.text, a.prompt_kind, a.answered_at, "
             "a.language "
             f"FROM answers a WHERE a.service_id IN ({placeholders(len(services))}) "
             "AND a.answered_at >= ? AND a.answered_at < ? AND a.text IS NOT NULL "
             "AND a.choice IS NULL")
    return await db.fetchall(
        f"WITH typed AS ({typed}), by_theme AS ("
        "SELECT typed.*, t.value AS theme, t.evidence, ROW_NUMBER() OVER (PARTITION BY "
        "typed.service_id, t.value ORDER BY typed.answered_at DESC, typed.id DESC) AS n "
        "FROM typed JOIN tags t ON t.answer_id = typed.id AND t.kind = 'theme' "
        f"AND t.value IN ({placeholders(len(themes))})), "
        "by_prompt AS (SELECT typed.*, NULL AS theme, NULL AS evidence, ROW_NUMBER() OVER "
        "(PARTITION BY typed.service_id, typed.prompt_kind ORDER BY typed.answered_at DESC, "
        "typed.id DESC) AS n FROM typed) "
        "SELECT * FROM by_theme WHERE n <= ? UNION ALL SELECT * FROM by_prompt WHERE n <= ? "
        "ORDER BY answered_at DESC, id DESC",
        (*services, to_db_time(start), to_db_time(end), *themes, per_group, per_group))


# Which groups of each service need quotes, and how many comments each has in the
# period: {service: {("theme", id) or ("prompt", kind): comments}}.
Wanted = dict[int, dict[tuple[str, str], int]]


@dataclass
class _Candidates:
    """What the walk back has found for one group, newest first: rows, and how many of
    them a quote could come from (each a new person, with new words)."""

    rows: int = 0
    usable: int = 0
    people: set[int] = field(default_factory=set)
    texts: set[str] = field(default_factory=set)

    def add(self, person: int, text: str) -> None:
        self.rows += 1
        if person not in self.people and text not in self.texts:
            self.usable += 1
        self.people.add(person)
        self.texts.add(text)


async def words_said(db: Database, wanted: Wanted, start: datetime, end: datetime,
                     per_group: int = 20, enough: int = 3) -> list[Said]:
    """Typed answers in [start, end) that may be quoted, newest first: the newest of
    each wanted group, read back from the end a window at a time (4 weeks, then twice as
    far each time) until the group has `enough` from different people in different
    words, or `per_group`, or all there are. Only services still short are read again,
    so a year's digest reads the last weeks of most services, not a year of comments."""
    found: dict[int, Said] = {}
    have: dict[tuple[int, str, str], _Candidates] = {}
    todo = [s for s, groups in wanted.items() if groups]
    themes = sorted({key for groups in wanted.values() for kind, key in groups if kind == "theme"})
    window, window_end = timedelta(weeks=4), end
    while todo and window_end > start:
        window_start = max(start, window_end - window)
        for r in await _said_between(db, todo, themes, window_start, window_end, per_group):
            group = ("theme", r["theme"]) if r["theme"] is not None else (
                "prompt", r["prompt_kind"])
            have.setdefault((r["service_id"], *group), _Candidates()).add(
                r["person_id"], r["text"])
            said = found.setdefault(r["id"], Said(r["service_id"], r["person_id"], r["text"],
                                                  r["prompt_kind"], {}, r["language"]))
            if r["theme"] is not None:
                said.themes[r["theme"]] = r["evidence"] or ""

        def short(service: int) -> bool:
            for group, comments in wanted[service].items():
                got = have.get((service, *group), _Candidates())
                if got.usable < enough and got.rows < min(per_group, comments):
                    return True
            return False

        todo = [s for s in todo if short(s)]
        window, window_end = window * 2, window_start
    return list(found.values())


async def prompt_counts(db: Database, services: Sequence[int], start: datetime,
                        end: datetime) -> dict[tuple[int, str], tuple[int, int]]:
    """(service, Working Together for Change question): (typed answers, people)."""
    rows = await db.fetchall(
        "SELECT a.service_id, a.prompt_kind, COUNT(*), COUNT(DISTINCT a.person_id) "
        f"FROM answers a WHERE a.service_id IN ({placeholders(len(services))}) "
        "AND a.answered_at >= ? AND a.answered_at < ? AND a.text IS NOT NULL "
        "AND a.choice IS NULL AND a.prompt_kind IS NOT NULL GROUP BY 1, 2",
        (*services, to_db_time(start), to_db_time(end)))
    return {(int(r[0]), str(r[1])): (int(r[2]), int(r[3])) for r in rows}


@dataclass(frozen=True)
class CarersSaid:
    """What carers raised at one service in the span: issues by kind (None: not said
    yet) and by theme, each in the order it first came up."""

    kinds: dict[str | None, int] = field(default_factory=dict)
    themes: dict[str, int] = field(default_factory=dict)
    weekly: dict[str, list[int]] = field(default_factory=dict)  # theme: each week's count,
                                                                # when asked for by week


async def carers_said(db: Database, services: Sequence[int], start: datetime,
                      end: datetime, by_week: bool = False) -> dict[int, CarersSaid]:
    """Problems, thank yous and ideas carers raised in the span, counted by kind and by
    theme in SQL (a council-year is 20,000 of them); `by_week`: each theme's count in
    each 7 days from `start` too."""
    raised = ("FROM issues i JOIN people p ON p.id = i.raised_by_id {} "
              f"WHERE i.service_id IN ({placeholders(len(services))}) AND p.role = ? "
              "AND i.created_at >= ? AND i.created_at < ?")
    tagged = "JOIN tags t ON t.issue_id = i.id AND t.kind = 'theme'"
    params = (*services, Role.CARER, to_db_time(start), to_db_time(end))
    found: dict[int, CarersSaid] = {}
    for service, kind, n in await db.fetchall(
            f"SELECT i.service_id, i.kind, COUNT(*) {raised.format('')} "
            "GROUP BY 1, 2 ORDER BY MIN(i.id)", params):
        found.setdefault(int(service), CarersSaid()).kinds[kind] = int(n)
    for service, theme, n in await db.fetchall(
            "SELECT i.service_id, t.value, COUNT(DISTINCT i.id) "
            f"{raised.format(tagged)} "
            "GROUP BY 1, 2 ORDER BY MIN(i.id), t.value", params):
        found.setdefault(int(service), CarersSaid()).themes[str(theme)] = int(n)
    if by_week:
        for service, theme, _, n in await db.fetchall(
                f"SELECT i.service_id, t.value, {db.dialect.weeks_between('i.created_at', '?')} "
                f"AS week, COUNT(DISTINCT i.id) {raised.format(tagged)} "
                "GROUP BY 1, 2, 3", (to_db_time(start), *params)):
            found[int(service)].weekly.setdefault(str(theme), []).append(int(n))
    return found
