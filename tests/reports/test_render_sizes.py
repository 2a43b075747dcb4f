"""The digest renders for a service with no answers, with one, and with 10,000: the page
stays whole, the one answer is hidden, and the large one shows its figures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carebot.reports.figures import build_digest
from carebot.reports.render import digest_html, digest_summary
from carebot.storage.db import Database, to_db_time
from tests.helpers import small_world

END = datetime(2026, 11, 23, tzinfo=UTC)
AT = END - timedelta(days=2)
FFT = ("very_good", "good", "neither", "poor", "very_poor")


async def _answers(db: Database, service_id: int, people: int, per_person: int) -> None:
    """People each with check-ins of one FFT answer: bulk rows, as the schema holds them."""
    at = to_db_time(AT)
    async with db.transaction() as tx:
        for n in range(people):
            person_id = await tx.insert(
                "INSERT INTO people (role, display_name, service_id, status, enrolled_at) "
                "VALUES ('person', ?, ?, 'active', ?)", (f"P{n}", service_id, at))
            for k in range(per_person):
                checkin_id = await tx.insert(
                    "INSERT INTO checkins (person_id, service_id, due_at, created_at, "
                    "questions, status, sent_at, completed_at) "
                    "VALUES (?, ?, ?, ?, 'fft', 'completed', ?, ?)",
                    (person_id, service_id, at, at, at, at))
                await tx.execute(
                    "INSERT INTO answers (checkin_id, person_id, service_id, question_key, "
                    "choice, answered_at) VALUES (?, ?, ?, 'fft', ?, ?)",
                    (checkin_id, person_id, service_id, FFT[(n + k) % 5], at))


async def _page(db: Database, people: int, per_person: int) -> tuple[str, str]:
    world = await small_world(db, AT)
    await _answers(db, world.service_id, people, per_person)
    digest = await build_digest(db, council_id=world.council_id, start=END - timedelta(days=7),
                                end=END, threshold=3, now=END)
    return digest_html(digest), digest_summary(digest)


async def test_no_answers(db: Database) -> None:
    page, summary = await _page(db, 0, 0)
    assert page.endswith("</html>\n") and "Home Care East" in page
    assert "0 of 0 check-ins done. Too few answers to show views." in summary


async def test_one_answer_is_not_shown(db: Database) -> None:
    page, summary = await _page(db, 1, 1)
    assert "Fewer than 3 people answered" in page and "Very good" not in page
    assert "Too few answers to show views." in summary


async def test_ten_thousand_answers(db: Database) -> None:
    page, summary = await _page(db, 100, 100)
    assert "<th>Answers</th><td>10000</td>" in page
    assert "40% of 10000 rated it good or very good." in page  # 2 of every 5
    assert "10000 of 10000 check-ins done; 40% of 10000 rated it good or very good." in summary
