"""The measures a monitoring meeting runs on, per service: the Friends and Family Test's
share positive and each outcome question's share answering always or mostly (labelled as
the council's Adult Social Care Survey measures are), this period and week by week for
eight weeks; who helped people answer; how quickly safeguarding alerts were acted on.
Privacy is applied here, before rendering (care/suppression.py)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from carebot.care.suppression import (
    every_week_shown,
    hidden,
    share_percent,
    suppressed_counts,
)
from carebot.storage import trends
from carebot.storage.db import Database
from carebot.storage.week_counts import PeriodCounts, Weeks, counted_weeks

TREND_WEEKS = 8
FFT_GOOD = ("very_good", "good")
FFT_POOR = ("poor", "very_poor")
OFTEN = ("always", "mostly")
SELDOM = ("rarely", "never")
COMPARE_FROM = 20  # answers in each of two weeks before a change between them is shown
CAREFUL_BELOW = 20  # answers: a share of fewer is shown with "read with care"
# What each measure counts, in the words of carebot's own weekly questions.
LABELS = {
    "fft": "Rated the service good or very good (Friends and Family Test)",
    "safe": "Feel safe with the people who support them",
    "control": "Have a say in what happens in their day",
    "dignity": "Treated with respect",
    "talk_to": "Have people to talk to when they want",
    "activities": "Get to do things they enjoy",
    "food": "Get the food and drink they want",
    "arrive": "Carers come when they should",
    "stay": "Carers stay as long as they should",
    # Asked until issue 32 split each in two; shown for periods that have their answers.
    "company": "People to talk to and things to do",
    "on_time": "Carers come when they should and stay the right time",
    "informed": "Told what is going on with their care",
    "carer_overall": "Carers: rated things good or very good (Friends and Family Test)",
    "carer_support": "Carers: get the support they need",
    "carer_time": "Carers: time for themselves",
    "carer_informed": "Carers: kept informed",
    "carer_listened": "Carers: listened to",
    "carer_health": "Carers: feel well in themselves",
}
# Where a question asks about what a national survey asks about, in other words and
# answers: its figure is like that survey's, not the same, nor an ASCOF measure (ASCS: the
# Adult Social Care Survey; SACE: the Survey of Adult Carers in England).
LIKE = {"safe": "ASCS", "control": "ASCS", "dignity": "ASCS", "company": "ASCS",
        "talk_to": "ASCS", "activities": "ASCS",
        "food": "ASCS", "carer_support": "SACE", "carer_time": "SACE",
        "carer_informed": "SACE", "carer_listened": "SACE"}
OUTCOME_KEYS = ("safe", "control", "dignity", "talk_to", "activities", "company", "food",
                "arrive", "stay", "on_time", "informed",
                "carer_overall", "carer_support", "carer_time", "carer_informed", "carer_listened",
                "carer_health")
HELPED = ("alone", "family", "carer", "advocate", "someone")


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    percent: int | None             # this period; None: too few people answered, or none
    change: int | None              # points since the week before the period's last; None:
                                    # a week not shown, or fewer than COMPARE_FROM answers
    trend: tuple[int | None, ...]   # one a week, oldest first, the period's last week last
    good: int | None = None         # this period's answers counted well (the share's top)
    counted: int | None = None      # … of these answers (None: hidden with the share;
                                    # 0: no answers this period, which hides nothing)
    poor_percent: int | None = None  # the share answering poor, or rarely or never
    poor: int | None = None         # … its top
    trend_counted: tuple[int | None, ...] = ()  # each week's answers behind its share (0:
                                                # none that week; None: hidden with it)
    trend_good: tuple[int | None, ...] = ()     # … of which answering well
    asked: bool = True              # in a check-in sent this period (else none could answer)

    @property
    def like(self) -> str | None:
        """The national survey whose question this is like (not the same as), if any."""
        return LIKE.get(self.key)

    @property
    def careful(self) -> bool:
        """A share of so few answers that one more would move it a lot."""
        return self.counted is not None and 0 < self.counted < CAREFUL_BELOW


@dataclass(frozen=True)
class ServiceMeasures:
    enrolled: int
    fft: Measure
    outcomes: tuple[Measure, ...]   # only those anyone answered
    helped_by: tuple[tuple[str, int | None], ...]
    alert_minutes: int | None       # median minutes from alert to someone acting
    alerts_waiting: int             # alerts in the period nobody has acted on yet
    acted_minutes: tuple[int, ...] = ()  # each acted-on alert's minutes to act, fastest first


@dataclass(frozen=True)
class Span:
    start: datetime        # of the first trend week
    weeks: int             # trend weeks
    period_weeks: int      # the last this many are the period

    @property
    def period(self) -> range:
        return range(self.weeks - self.period_weeks, self.weeks)


def period_span(start: datetime, end: datetime) -> Span:
    period_weeks = max(1, math.ceil((end - start) / timedelta(weeks=1)))
    weeks = max(TREND_WEEKS, period_weeks)
    return Span(end - timedelta(weeks=weeks), weeks, period_weeks)


def whole_weeks(start: datetime, end: datetime) -> bool:
    """A period of whole weeks is the last weeks of its span exactly, so its figures
    can be added up from the week counts."""
    return (end - start) % timedelta(weeks=1) == timedelta(0)


@dataclass(frozen=True)
class _Answers:
    """One service's answers to one question: {week: {choice: count}}, and people a week."""

    counts: dict[int, dict[str, int]]
    people: dict[int, int]


def _grouped(weeks: Weeks, keys: Sequence[str]) -> dict[tuple[int, str], _Answers]:
    """(service, question): its answers week by week, read from the week counts as they
    are (a year of 150 services is 117,000 of them: no copying)."""
    grouped: dict[tuple[int, str], _Answers] = {}
    for (service, week), counts in weeks.counts.items():
        for key in keys:
            if key in counts.people:
                answers = grouped.setdefault((service, key), _Answers({}, {}))
                answers.people[week] = counts.people[key]
                answers.counts[week] = counts.choices.get(key, {})
    return grouped


def _tallies(answers: _Answers, key: str) -> dict[int, tuple[int, int, int]]:
    """Each week's (answering well, answering poorly, counted): FFT very good or good and
    poor or very poor, of all answers (as the NHS counts it); an outcome always or mostly
    and rarely or never, of those who did not say don't know."""
    overall = key in ("fft", "carer_overall")
    good, poor = (FFT_GOOD, FFT_POOR) if overall else (OFTEN, SELDOM)
    found = {}
    for week, choices in answers.counts.items():
        well = badly = total = 0
        for choice, n in choices.items():
            if overall or choice != "dont_know":
                total += n
                well += n if choice in good else 0
                badly += n if choice in poor else 0
        found[week] = (well, badly, total)
    return found


def _measure(answers: _Answers | None, key: str, span: Span, threshold: int,
             asked: frozenset[str]) -> Measure:
    answers = answers or _Answers({}, {})
    tallies = _tallies(answers, key)
    weekly = [tallies.get(w, (0, 0, 0)) for w in range(span.weeks)]
    trend = tuple(share_percent(well, total, answers.people.get(w, 0), threshold)
                  for w, (well, _, total) in enumerate(weekly))
    # Beside each shown share its counts; beside a hidden one none (0 answers hide nothing).
    trend_counted = tuple(None if share is None and total else total
                          for share, (_, _, total) in zip(trend, weekly, strict=True))
    trend_good = tuple(None if share is None else well
                       for share, (well, _, _) in zip(trend, weekly, strict=True))
    period = [weekly[w] for w in span.period]
    each_week = [answers.people.get(w, 0) for w in span.period]
    # People in the period's busiest week; 0 (nothing shown) if any week of it is hidden.
    people = max(each_week) if every_week_shown(each_week, threshold) else 0
    well, badly, total = (sum(t[k] for t in period) for k in range(3))
    percent = share_percent(well, total, people, threshold)
    now, before = trend[-1], trend[-2]
    comparable = all(n is not None and n >= COMPARE_FROM for n in trend_counted[-2:])
    shown = percent is not None
    return Measure(
        key, LABELS[key], percent,
        change=now - before if now is not None and before is not None and comparable else None,
        trend=trend, good=well if shown else None,
        counted=total if shown or not total else None,  # 0: nobody answered, nothing hidden
        poor_percent=share_percent(badly, total, people, threshold),
        poor=badly if shown else None, trend_counted=trend_counted, trend_good=trend_good,
        asked=key in asked or total > 0)


def _acted(times: list[trends.AlertTimes]) -> list[float]:
    return sorted((t.acknowledged - t.raised) / timedelta(minutes=1) for t in times
                  if t.acknowledged is not None)


def _median_minutes(times: list[trends.AlertTimes]) -> int | None:
    acted = _acted(times)
    return round(statistics.median(acted)) if acted else None


def _each_minutes(times: list[trends.AlertTimes]) -> tuple[int, ...]:
    return tuple(round(m) for m in _acted(times))


def _a_week_hides_who_helped(weeks: Weeks, service: int, span: Span, threshold: int) -> bool:
    """Whether a period of several weeks holds one whose split of who helped has a hidden
    part: then the period's split, less the weeks' digests, would give it away."""
    return span.period_weeks > 1 and any(
        hidden(n, threshold) for w in span.period for n in weeks.of(service, w).helped.values())


async def _helped(db: Database, services: Sequence[int], start: datetime, end: datetime,
                  period: dict[int, PeriodCounts] | None) -> dict[int, dict[str, int]]:
    if period is not None:
        return {service: period[service].helped for service in services}
    return await trends.helped_by(db, services, start, end)


@dataclass(frozen=True)
class SpanCounts:
    """A report's week counts: every week of its span, and each service's period added
    up from them (None when the period is not whole weeks: then its figures are counted
    from the answers)."""

    weeks: Weeks
    period: dict[int, PeriodCounts] | None


async def span_counts(db: Database, services: Sequence[int], start: datetime,
                      end: datetime) -> SpanCounts:
    span = period_span(start, end)
    weeks = await counted_weeks(db, services, span.start, span.weeks)
    period = ({service: weeks.period(service, span.period) for service in services}
              if whole_weeks(start, end) else None)
    return SpanCounts(weeks, period)


async def service_measures(db: Database, services: Sequence[int], start: datetime, end: datetime,
                           threshold: int, counted: SpanCounts | None = None) -> dict[
                               int, ServiceMeasures]:
    """Each service's measures, in a handful of queries for them all; `counted`: the
    span's week counts, when the caller has them already."""
    span = period_span(start, end)
    counted = counted or await span_counts(db, services, start, end)
    counts = _grouped(counted.weeks, ("fft", *OUTCOME_KEYS))
    enrolled = await trends.enrolled(db, services)
    helped = await _helped(db, services, start, end, counted.period)
    alerts = await trends.alert_times(db, services, start, end)
    asked = await trends.questions_asked(db, services, start, end)
    found = {}
    for service in services:
        who = helped.get(service, {})
        theirs = asked.get(service, frozenset())
        shown = suppressed_counts({h: who.get(h, 0) for h in HELPED}, threshold)
        if (sum(who.get(h, 0) > 0 and shown[h] is None for h in HELPED) == 1
                or _a_week_hides_who_helped(counted.weeks, service, span, threshold)):
            shown = {}  # the one hidden is the finished check-ins less the rest: none shown
        found[service] = ServiceMeasures(
            enrolled=enrolled.get(service, 0),
            fft=_measure(counts.get((service, "fft")), "fft", span, threshold, theirs),
            outcomes=tuple(_measure(counts[(service, key)], key, span, threshold, theirs)
                           for key in OUTCOME_KEYS if (service, key) in counts),
            helped_by=tuple((h, shown[h]) for h in HELPED if who.get(h) and h in shown),
            alert_minutes=_median_minutes(alerts.get(service, [])),
            alerts_waiting=sum(t.acknowledged is None for t in alerts.get(service, [])),
            acted_minutes=_each_minutes(alerts.get(service, [])))
    return found
