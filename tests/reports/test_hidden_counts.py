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
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from carebot.reports.figures import build_digest
from carebot.reports.pack_pdf import PackTitle, write_pack
from carebot.reports.render import digest_html, digest_summary
from carebot.reports.tidy_csv import digest_csv
from carebot.storage.db import open_database
from tests.reports.report_world import END, THRESHOLD, WEEK, Answered, Raised, World, build


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes()))
                     .pages)


async def _files(tmp_path: Path, world: World, name: str) -> dict[str, str]:
    """Everything a reader is given about the world: this week's digest and the three
    weeks' pack, as HTML, CSV, chat summary and PDF text."""
    db = await open_database(tmp_path / f"{name}.sqlite3")
    try:
        council = await build(db, world)
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
    # … and the same, beside a week before in which enough carers wrote on it to show.
    before = tuple(Raised(10 + n, "problem", "staff_attitude", week=1) for n in range(6))
    pairs.append(("carers' theme, beside a week shown",
                  World(base, (*before, Raised(0, "compliment", "staff_attitude"),
                               Raised(1, "problem"))),
                  World(base, (*before, Raised(0, "compliment", "staff_attitude"),
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
    # … and the same, beside a week before in which enough answered it to show.
    def later(a: Answered) -> Answered:
        return replace(a, prompt="not_working") if a.week == 0 else a
    answered_before = (*base, *(Answered(30 + n, week=1, themes=("food_drink",),
                                         prompt="not_working") for n in range(6)))
    first = _changed(answered_before, 0, later)
    pairs.append(("few answered a question, beside a week shown", World(first),
                  World(_changed(first, 1, later))))
    # Who helped: one or two of the people answering had family help.
    family = _changed(base, 0, lambda a: replace(a, helped="family"))
    pairs.append(("who helped", World(family),
                  World(_changed(family, 1, lambda a: replace(a, helped="family")))))
    # … and the same, beside a week before in which family helped enough to show.
    def helped(a: Answered) -> Answered:
        return replace(a, helped="family") if a.week == 0 else a
    busy = (*base, *(Answered(20 + n, week=1, helped="family") for n in range(6)))
    once = _changed(busy, 0, helped)
    pairs.append(("who helped, beside a week shown", World(once),
                  World(_changed(once, 1, helped))))
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
