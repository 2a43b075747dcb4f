"""The measures per service: each share worked out from the answers the test puts in,
week by week, with the suppression rule (a week where fewer than the threshold answered
shows nothing; a hidden count that the others would give away hides one more)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

from carebot.care.suppression import suppressed_counts
from carebot.reports.figures import build_digest
from carebot.reports.measures import Span, _Answers, _measure, service_measures
from carebot.reports.tidy_csv import digest_csv
from carebot.reports.wording import share_words
from carebot.storage import alerts, checkins, directory
from carebot.storage.db import Database
from carebot.storage.models import AlertOutcome, Person, PersonStatus, Role
from tests.helpers import World, joined, small_world

END = datetime(2026, 11, 23, 0, 0, tzinfo=UTC)
LAST_WEEK = END - timedelta(days=3)     # inside the period
WEEK_BEFORE = END - timedelta(days=10)  # the trend's second-to-last week
EARLY = END - timedelta(weeks=7, days=-1)  # the trend's first week


async def _checkin(db: Database, person: Person, at: datetime, fft: str, safe: str | None,
                   helped_by: str | None = None) -> None:
    """A check-in of the FFT and the feel-safe question (None: of the FFT alone)."""
    assert person.service_id is not None
    answers = [("fft", fft)] + ([] if safe is None else [("safe", safe)])
    checkin = await checkins.open_checkin_now(db, person_id=person.id,
                                              service_id=person.service_id,
                                              questions=",".join(k for k, _ in answers), now=at)
    assert checkin is not None
    await checkins.mark_checkin_sent(db, checkin.id, 1, at)
    assert await checkins.start_checkin(db, checkin.id, helped_by)
    for step, (key, choice) in enumerate(answers, start=1):
        now = await checkins.get_checkin(db, checkin.id)
        assert now is not None
        assert await checkins.record_answer(
            db, checkin=now, step=step, answer=checkins.NewAnswer(key, None, choice, None, False),
            last_step=step == len(answers), now=at + timedelta(minutes=step)) is not None


async def _people(db: Database, world: World, count: int) -> list[Person]:
    return [await joined(db, world, EARLY, telegram_user_id=700 + n, role=Role.PERSON,
                         name=f"P{n}") for n in range(count)]


async def test_shares_trends_and_changes_match_the_answers(db: Database) -> None:
    world = await small_world(db, EARLY)
    people = await _people(db, world, 4)
    for person in people:
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, EARLY)
    for person, fft, safe in zip(people[:2], ("good", "poor"), ("always", "never"),
                                 strict=True):
        await _checkin(db, person, EARLY, fft, safe)  # two people: too few to show
    for person, fft, safe in zip(people, ("very_good", "good", "poor", "very_poor"),
                                 ("always", "always", "always", "never"), strict=True):
        await _checkin(db, person, WEEK_BEFORE, fft, safe)
    for person, fft, safe, helper in zip(
            people, ("very_good", "very_good", "very_good", "poor"),
            ("always", "mostly", "dont_know", "never"), (None, None, None, "family"),
            strict=True):
        await _checkin(db, person, LAST_WEEK, fft, safe, helper)

    found = (await service_measures(db, [world.service_id], END - timedelta(days=7), END, 3))
    measures = found[world.service_id]
    assert measures.enrolled == 4
    assert measures.fft.trend == (None, None, None, None, None, None, 50, 75)
    # 4 answers a week: too few to say the share changed, and read with care.
    assert (measures.fft.percent, measures.fft.change) == (75, None)
    assert (measures.fft.good, measures.fft.counted, measures.fft.poor_percent) == (3, 4, 25)
    assert measures.fft.trend_counted[-2:] == (4, 4) and measures.fft.careful
    (feel_safe,) = measures.outcomes
    assert feel_safe.key == "safe" and feel_safe.label.startswith("Feel safe with the people")
    assert feel_safe.like == "ASCS"  # like the survey's question, not the same
    assert feel_safe.trend[-2:] == (75, 67)  # don't know is left out: 2 of 3
    assert (feel_safe.percent, feel_safe.change) == (67, None)
    assert (feel_safe.good, feel_safe.counted, feel_safe.poor_percent) == (2, 3, 33)
    # 3 alone and 1 with family: the 1 is hidden, and so is the 3 that would give it away.
    assert measures.helped_by == (("alone", None), ("family", None))


async def test_a_question_not_asked_this_period_says_so(db: Database) -> None:
    world = await small_world(db, EARLY)
    people = await _people(db, world, 3)
    for person in people:
        await _checkin(db, person, WEEK_BEFORE, "good", "always")
        await _checkin(db, person, LAST_WEEK, "good", None)  # this week: the FFT alone
    found = await service_measures(db, [world.service_id], END - timedelta(days=7), END, 3)
    (feel_safe,) = found[world.service_id].outcomes
    assert (feel_safe.counted, feel_safe.asked, feel_safe.trend[-2:]) == (0, False, (100, None))
    assert share_words(feel_safe) == "not asked this period"
    assert found[world.service_id].fft.asked


async def test_time_to_act_on_alerts(db: Database) -> None:
    world = await small_world(db, EARLY)
    person = (await _people(db, world, 1))[0]
    for minutes in (10, 30, None):
        alert_id = await alerts.raise_alert(
            db, alerts.NewAlert(world.service_id, person.id, "concern", "neglect"),
            now=LAST_WEEK, handover=alerts.Handover(0, person.id, (), None))
        if minutes is not None:
            await alerts.act(db, alert_id=alert_id, by_id=person.id, note=None,
                             outcome=AlertOutcome.DEALING,
                             now=LAST_WEEK + timedelta(minutes=minutes))
    found = await service_measures(db, [world.service_id], END - timedelta(days=7), END, 3)
    assert (found[world.service_id].alert_minutes, found[world.service_id].alerts_waiting) \
        == (20, 1)


def test_a_hidden_count_the_others_would_give_away_hides_one_more() -> None:
    assert suppressed_counts({"a": 10, "b": 2, "c": 5}, 3) == {"a": 10, "b": None, "c": None}
    assert suppressed_counts({"a": 10, "b": 2, "c": 1}, 3) == {"a": 10, "b": None, "c": None}
    assert suppressed_counts({"a": 10, "b": 0, "c": 5}, 3) == {"a": 10, "b": 0, "c": 5}
    # A count hidden elsewhere (its week's digest) is hidden, and so is the next smallest.
    assert suppressed_counts({"a": 10, "b": 6, "c": 8}, 3, hide={"b"}) == {
        "a": 10, "b": None, "c": None}
    assert suppressed_counts({"a": 10, "b": 0}, 3, hide={"b"}) == {"a": 10, "b": 0}
    assert suppressed_counts({"a": 2}, 3) == {"a": None}


async def test_the_tidy_csv_has_a_row_per_week_shown(db: Database) -> None:
    world = await small_world(db, EARLY)
    people = await _people(db, world, 3)
    for at, fft in ((WEEK_BEFORE, "poor"), (LAST_WEEK, "good")):
        for person in people:
            await _checkin(db, person, at, fft, "always")
    digest = await build_digest(db, council_id=world.council_id, start=END - timedelta(days=7),
                                end=END, threshold=3, now=END)
    rows = [r for r in csv.DictReader(io.StringIO(digest_csv(digest)))
            if (r["measure"], r["category"]) == ("share_good", "fft")]
    assert [(r["council"], r["service"], r["week_start"], r["value"], r["numerator"],
             r["denominator"], r["suppressed"]) for r in rows] == [
        ("Testshire Council", "Home Care East", "2026-11-16", "100", "3", "3", "false"),
        ("Testshire Council", "Home Care East", "2026-11-09", "0", "0", "3", "false")]
    assert {r["service_id"] for r in rows} == {str(world.service_id)}


def test_a_change_is_shown_only_between_weeks_of_enough_answers() -> None:
    """Two weeks of 20 answers or more: the change in points; fewer in either: none, for
    one answer more or less would swing it."""
    span = Span(END - timedelta(weeks=8), 8, 1)

    def weeks(before: int) -> _Answers:
        return _Answers({6: {"very_good": before // 2, "poor": before - before // 2},
                         7: {"very_good": 20, "good": 0, "very_poor": 5}},
                        {6: before, 7: 25})

    shown = _measure(weeks(20), "fft", span, 5, frozenset({"fft"}))
    assert (shown.trend[-2:], shown.change, shown.careful) == ((50, 80), 30, False)
    assert (shown.good, shown.counted, shown.poor_percent) == (20, 25, 20)
    assert _measure(weeks(19), "fft", span, 5, frozenset({"fft"})).change is None
