"""No hidden count can be worked out from what a report shows.

Two worlds are built that differ only in a count the threshold hides: what a small group
answered, what carers' messages were about, a theme's comments in a week too few people
raised it, the answers to a question too few answered, who helped two people answer.
Every file made from them (the digest's HTML, CSV and chat summary, the pack's text) must
then be the same, word for word: if any figure moved with the hidden count, a reader
could work the count out from it. Services of every size from 0 to 12 people are tried,
for a week and for a pack of three weeks.
"""

from __future__ import annotations

import difflib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from carebot.reports.figures import build_digest
from carebot.reports.pack_pdf import PackTitle, write_pack
from carebot.reports.render import digest_html, digest_summary
from carebot.reports.tidy_csv import digest_csv
from carebot.storage.db import Database, open_database, to_db_time
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
    """A carer's message in the period's last week."""

    person: int
    kind: str
    theme: str | None = None


@dataclass(frozen=True)
class World:
    answered: tuple[Answered, ...] = ()
    raised: tuple[Raised, ...] = ()


async def _build(db: Database, world: World) -> int:
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
            at = to_db_time(END - timedelta(days=3, minutes=n))
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


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes()))
                     .pages)


async def _files(tmp_path: Path, world: World, name: str) -> dict[str, str]:
    """Everything a reader is given about the world: this week's digest and the three
    weeks' pack, as HTML, CSV, chat summary and PDF text."""
    db = await open_database(tmp_path / f"{name}.sqlite3")
    try:
        council = await _build(db, world)
        files = {}
        for weeks in (1, 3):
            digest = await build_digest(db, council_id=council, start=END - weeks * WEEK,
                                        end=END, threshold=THRESHOLD, now=END)
            files[f"{weeks}w.html"] = digest_html(digest)
            files[f"{weeks}w.csv"] = digest_csv(digest)
            files[f"{weeks}w.summary"] = digest_summary(digest)
            title = PackTitle("Sunrise Care", digest.start, END - timedelta(days=1), END)
            pdf = write_pack(digest, title, tmp_path / f"{name}-{weeks}w.pdf")
            files[f"{weeks}w.pdf"] = _pdf_text(pdf)
        return files
    finally:
        await db.close()


def _everyone(size: int, week: int = 0, **said: object) -> tuple[Answered, ...]:
    return tuple(Answered(n, week, **said) for n in range(size))  # type: ignore[arg-type]


def _changed(answered: Sequence[Answered], person: int,
             change: Callable[[Answered], Answered]) -> tuple[Answered, ...]:
    return tuple(change(a) if a.person == person else a for a in answered)


def _pairs(size: int) -> list[tuple[str, World, World]]:
    """Pairs of worlds that differ only in a count hidden at this size."""
    base = (*_everyone(size, themes=("staff_attitude",), feeling="positive"),
            *_everyone(max(size, 6), week=1, themes=("staff_attitude",)))
    pairs = []
    if 0 < size < THRESHOLD:  # what a small group said: not one word of it may show
        pairs.append(("small group's answers", World(base), World(_changed(
            base, 0, lambda a: replace(a, fft="very_poor", safe="never", themes=("punctuality",),
                                       feeling="negative", prompt="not_working")
            if a.week == 0 else a))))
    # Carers' messages on a theme fewer than the threshold: 1 or 2 of the 2 sent.
    pairs.append(("carers' theme", World(base, (Raised(0, "compliment", "staff_attitude"),
                                                Raised(1, "problem"))),
                  World(base, (Raised(0, "compliment", "staff_attitude"),
                               Raised(1, "problem", "staff_attitude")))))
    # A theme too few people raised in the week before: 1 or 2 of its comments.
    def late(a: Answered) -> Answered:
        return replace(a, themes=(*a.themes, "punctuality")) if a.week == 1 else a
    once = _changed(base, 0, late)
    pairs.append(("a hidden theme last week", World(once), World(_changed(once, 1, late))))
    # A Working Together for Change question that 1 or 2 people answered.
    def unhappy(a: Answered) -> Answered:
        return replace(a, prompt="not_working") if a.week == 0 else a
    one = _changed(base, 0, unhappy)
    pairs.append(("few answered a question", World(one), World(_changed(one, 1, unhappy))))
    # Who helped: one or two of the people answering had family help.
    family = _changed(base, 0, lambda a: replace(a, helped="family"))
    pairs.append(("who helped", World(family),
                  World(_changed(family, 1, lambda a: replace(a, helped="family")))))
    return pairs


@pytest.mark.parametrize("size", range(13))
async def test_no_hidden_count_can_be_worked_out(size: int, tmp_path: Path) -> None:
    for name, one, other in _pairs(size):
        first = await _files(tmp_path, one, f"{name}-a")
        second = await _files(tmp_path, other, f"{name}-b")
        for file, words in first.items():
            moved = [line for line in difflib.unified_diff(
                words.splitlines(), second[file].splitlines(), lineterm="", n=0)
                if line[:1] in "+-" and line[:3] not in ("+++", "---")]
            assert not moved, f"{size} people, {name}: {file} gives it away: {moved[:6]}"
