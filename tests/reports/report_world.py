"""A small world of answers and messages for report tests, stored as the bot stores
them (raw rows, so a test can set every count exactly): people's check-ins week by week
with their ratings, comments, themes and feelings, and carers' messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from carebot.storage.db import Database, to_db_time
from tests.helpers import small_world

THRESHOLD = 5
END = datetime(2026, 11, 23, tzinfo=UTC)  # a Monday: the period is the week before
WEEK = timedelta(weeks=1)
# A comment on each theme, in words that find it (its quotes stay the same in both worlds).
WORDS = {"punctuality": ("The carers come late", "late"),
         "staff_attitude": ("The carers are kind", "kind"),
         "food_drink": ("The dinners are cold", "dinners")}


@dataclass(frozen=True)
class Answered:
    """One person's check-in in one week (0: the period's last week, 1: the week before)."""

    person: int
    week: int = 0
    fft: str = "good"
    safe: str = "always"
    themes: tuple[str, ...] = ()    # a comment on these themes (in WORDS); none: no comment
    feeling: str = "neutral"
    prompt: str | None = None       # a Working Together for Change question answered
    helped: str | None = None       # family, carer…; None: alone


@dataclass(frozen=True)
class Raised:
    """A carer's message (week 0: the period's last week, 1: the week before)."""

    person: int
    kind: str
    theme: str | None = None
    week: int = 0


@dataclass(frozen=True)
class World:
    answered: tuple[Answered, ...] = ()
    raised: tuple[Raised, ...] = ()


async def build(db: Database, world: World) -> int:
    """The world's rows, as the bot stores them; returns the council's id."""
    made = await small_world(db, END - 10 * WEEK)
    people: dict[tuple[str, int], int] = {}
    async with db.transaction() as tx:
        async def person(role: str, n: int) -> int:
            if (role, n) not in people:
                people[(role, n)] = await tx.insert(
                    "INSERT INTO people (role, display_name, service_id, status, enrolled_at) "
                    "VALUES (?, ?, ?, 'active', ?)",
                    (role, f"{role}{n}", made.service_id, to_db_time(END - 10 * WEEK)))
            return people[(role, n)]

        for a in world.answered:
            at = to_db_time(END - a.week * WEEK - timedelta(days=2, minutes=a.person))
            who = await person("person", a.person)
            checkin = await tx.insert(
                "INSERT INTO checkins (person_id, service_id, due_at, created_at, questions, "
                "helped_by, status, sent_at, completed_at) "
                "VALUES (?, ?, ?, ?, 'fft,safe', ?, 'completed', ?, ?)",
                (who, made.service_id, at, at, a.helped, at, at))
            for key, choice in (("fft", a.fft), ("safe", a.safe)):
                await tx.execute(
                    "INSERT INTO answers (checkin_id, person_id, service_id, question_key, "
                    "choice, answered_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (checkin, who, made.service_id, key, choice, at))
            if a.themes:
                words = f"{WORDS[a.themes[0]][0]} (visit {a.person + 1})"
                key = "free.more" if a.prompt is None else f"free.{a.prompt}"
                answer = await tx.insert(
                    "INSERT INTO answers (checkin_id, person_id, service_id, question_key, "
                    "prompt_kind, text, answered_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (checkin, who, made.service_id, key, a.prompt or "anything_else", words,
                     at))
                for kind, value, said in (*(("theme", t, WORDS[t][1]) for t in a.themes),
                                          ("sentiment", a.feeling, None)):
                    await tx.execute(
                        "INSERT INTO tags (answer_id, kind, value, evidence, tagger, "
                        "created_at) VALUES (?, ?, ?, ?, 'test', ?)",
                        (answer, kind, value, said, at))
        for n, r in enumerate(world.raised):
            at = to_db_time(END - r.week * WEEK - timedelta(days=3, minutes=n))
            issue = await tx.insert(
                "INSERT INTO issues (raised_by_id, service_id, kind, text, status, created_at, "
                "updated_at) VALUES (?, ?, ?, 'About the care', 'resolved', ?, ?)",
                (await person("carer", r.person), made.service_id, r.kind, at, at))
            await tx.execute("UPDATE issues SET reference = ? WHERE id = ?",
                             (f"CB-{1000 + issue}", issue))
            if r.theme is not None:
                await tx.execute(
                    "INSERT INTO tags (issue_id, kind, value, evidence, tagger, created_at) "
                    "VALUES (?, 'theme', ?, ?, 'test', ?)",
                    (issue, r.theme, WORDS[r.theme][1], at))
    return made.council_id


