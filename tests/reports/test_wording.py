"""Figures in plain words: each sentence says only what its numbers show."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from carebot.reports.measures import Measure, ServiceMeasures
from carebot.reports.voices import ThemeFigure
from carebot.reports.wording import (
    alert_speed_words,
    alerts_words,
    change_words,
    label_words,
    local_time_words,
    minutes_words,
    poor_words,
    share_words,
    theme_words,
)

NO_MEASURE = Measure("fft", "Rated good", None, None, ())
MEASURES = ServiceMeasures(enrolled=12, fft=NO_MEASURE, outcomes=(), helped_by=(),
                           alert_minutes=None, alerts_waiting=0)


@pytest.mark.parametrize(("minutes", "said"), [
    (0, "under a minute"), (1, "1 minute"), (45, "45 minutes"), (119, "119 minutes"),
    (180, "3 hours"), (71 * 60, "3 days")])
def test_minutes_read_as_people_say_them(minutes: int, said: str) -> None:
    assert minutes_words(minutes) == said


@pytest.mark.parametrize(("raised", "acted", "said"), [
    (1, 1, "Safeguarding alerts in this period: 1, acted on."),
    (2, 2, "Safeguarding alerts in this period: 2, all acted on."),
    (2, 1, "Safeguarding alerts in this period: 2, 1 acted on, 1 not yet."),
    (3, 0, "Safeguarding alerts in this period: 3, none acted on yet."),
    (1, 0, "Safeguarding alerts in this period: 1, not yet acted on."),
])
def test_alerts_say_how_many_were_acted_on_not_by_whom(raised: int, acted: int,
                                                       said: str) -> None:
    """Acted on by the duty contact, their backup or the lead: the words do not guess."""
    assert alerts_words(raised, acted) == said


def test_a_few_alerts_each_have_their_time_and_more_a_median() -> None:
    """One alert has no "half"; nor, read plainly, do two or three."""
    one = replace(MEASURES, alert_minutes=0, acted_minutes=(0,))
    assert alert_speed_words(one) == "Time from alert to action: under a minute."
    two = replace(MEASURES, alert_minutes=860, acted_minutes=(54, 1666))
    assert alert_speed_words(two) == "Time from alert to action: 54 minutes and 28 hours."
    five = replace(MEASURES, alert_minutes=12, acted_minutes=(3, 5, 12, 40, 300))
    assert alert_speed_words(five) == (
        "Time from alert to action: half within 12 minutes (5 alerts).")
    assert alert_speed_words(MEASURES) == "" and alert_speed_words(None) == ""


def test_a_share_says_what_it_is_of_and_when_to_read_it_with_care() -> None:
    few = replace(NO_MEASURE, percent=62, good=5, counted=8, change=None,
                  trend=(50, 62), trend_counted=(6, 8))
    assert share_words(few) == "62% (5 of 8 answers, read with care)"
    assert change_words(few) == "too few answers to compare (under 20)"
    first = replace(few, trend=(None, 62), trend_counted=(0, 8))
    assert change_words(first) == ""  # nothing before
    many = replace(few, percent=80, good=20, counted=25, change=30)
    assert (share_words(many), change_words(many)) == ("80% (20 of 25 answers)", "+30 points")
    assert change_words(replace(many, change=0)) == "no change"


def test_a_hidden_share_and_no_answers_are_told_apart() -> None:
    """A dash (the page says: fewer than the threshold answered) only where something is
    hidden; a question nobody answered this period says so."""
    assert share_words(NO_MEASURE) == "—" and change_words(NO_MEASURE) == ""
    assert poor_words(NO_MEASURE) == "—"
    nobody = replace(NO_MEASURE, counted=0)
    assert (share_words(nobody), poor_words(nobody)) == ("no answers", "")
    # Not "no answers" where no check-in this period asked the question.
    assert share_words(replace(nobody, asked=False)) == "not asked this period"


def test_a_measure_says_which_survey_its_question_is_like_not_the_same_as() -> None:
    assert label_words(replace(NO_MEASURE, key="safe", label="Feel safe")) == (
        "Feel safe (like ASCS)")
    assert label_words(replace(NO_MEASURE, key="on_time", label="On time")) == "On time"


def test_a_theme_is_compared_with_the_weeks_the_service_has_run() -> None:
    three_weeks = ThemeFigure("Timekeeping", 4, 2, 3.0, (), 3, running_weeks=3)
    assert theme_words(three_weeks) == (
        "4 comments, 2 more than the week before; 3.0 a week over 3 weeks")
    assert theme_words(replace(three_weeks, comments=1, weeks=1, running_weeks=1)) == (
        "1 comment")
    # A week too few raised it in is in neither the comparison nor the average.
    assert theme_words(replace(three_weeks, last_week=None, weeks=2)) == (
        "4 comments, too few the week before to compare; 3.0 a week over the 2 of 3 "
        "weeks with enough to show")
    assert theme_words(replace(three_weeks, last_week=4)).startswith("4 comments, the same as")
    # A month's pack: its comments are not compared with one week's.
    assert theme_words(replace(three_weeks, comments=9, period_weeks=3)) == (
        "9 comments in 3 weeks")


def test_times_are_the_councils_not_utc() -> None:
    summer = datetime(2026, 7, 6, 9, 0, tzinfo=UTC)
    assert local_time_words(summer, "Europe/London") == "6 Jul 2026 at 10:00, UK time"
    winter = datetime(2026, 11, 16, 9, 0, tzinfo=UTC)
    assert local_time_words(winter, "Europe/London") == "16 Nov 2026 at 09:00, UK time"
