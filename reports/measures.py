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

from carebot.care.suppression import share_percent, suppressed_counts
from carebot.storage import trends
from carebot.storage.db import Database
from carebot.storage.week_counts import PeriodCounts, Weeks, counted_weeks

TREND_WEEKS = 8
FFT_GOOD = ("very_good", "good")
OFTEN = ("always", "mostly")
# Labelled as commissioners know them from the Adult Social Care Survey (ASCS) and the
# Survey of Adult Carers (SACE), and the outcome framework (ASCOF) measures they feed.
LABELS = {
    "fft": "Rated the service good or very good (Friends and Family Test)",
    "safe": "Feel safe (ASCS; ASCOF 4A)",
    "control": "Control over daily life (ASCS; ASCOF 1B)",
    "dignity": "Treated with dignity and respect (ASCS)",
    "company": "Social contact and things to do (ASCS; ASCOF 1I)",
    "food": "Food and drink they like (ASCS)",
    "on_time": "Carers come on time and stay (local measure)",
    "informed": "Kept informed about their care (local measure)",
    "carer_overall": "Carers: rated things good or very good",
    "carer_support": "Carers: get the support they need (SACE)",
    "carer_time": "Carers: time for themselves (SACE)",
    "carer_informed": "Carers: kept informed (SACE)",
    "carer_listened": "Carers: listened to (SACE)",
    "carer_health": "Carers: feel well in themselves",
}
OUTCOME_KEYS = ("safe", "control", "dignity", "company", "food", "on_time", "informed",
                "carer_overall", "carer_support", "carer_time", "carer_informed", "carer_listened",
                "carer_health")
HELPED = ("alone", "family", "carer", "advocate", "someone")


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    percent: int | None             # this period; None: too few people answered
    change: int | None              # points since the week before the period's last
    trend: tuple[int | None, ...]   # one a week, oldest first, the period's last week last


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


def _tallies(answers: _Answers, key: str) -> dict[int, tuple[int, int]]:
    """Each week's (answering well, counted): FFT very good or good, of all answers (as
    the NHS counts it); an outcome always or mostly, of those who did not say don't know."""
    overall = key in ("fft", "carer_overall")
    good = FFT_GOOD if overall else OFTEN
    found = {}
    for week, choices in answers.counts.items():
        part = total = 0
        for choice, n in choices.items():
            if overall or choice != "dont_know":
                total += n
                part += n if choice in good else 0
        found[week] = (part, total)
    return found


def _measure(answers: _Answers | None, key: str, span: Span, threshold: int) -> Measure:
    answers = answers or _Answers({}, {})
    tallies = _tallies(answers, key)
    trend = tuple(share_percent(*tallies.get(w, (0, 0)), answers.people.get(w, 0), threshold)
                  for w in range(span.weeks))
    period = [tallies.get(w, (0, 0)) for w in span.period]
    people = max((answers.people.get(w, 0) for w in span.period), default=0)
    now, before = trend[-1], trend[-2]
    return Measure(key, LABELS[key], share_percent(sum(p for p, _ in period),
                                                   sum(t for _, t in period), people, threshold),
                   None if now is None or before is None else now - before, trend)


def _acted(times: list[trends.AlertTimes]) -> list[float]:
    return sorted((t.acknowledged - t.raised) / timedelta(minutes=1) for t in times
                  if t.acknowledged is not None)


def _median_minutes(times: list[trends.AlertTimes]) -> int | None:
    acted = _acted(times)
    return round(statistics.median(acted)) if acted else None


def _each_minutes(times: list[trends.AlertTimes]) -> tuple[int, ...]:
    return tuple(round(m) for m in _acted(times))


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
    found = {}
    for service in services:
        who = helped.get(service, {})
        shown = suppressed_counts({h: who.get(h, 0) for h in HELPED}, threshold)
        found[service] = ServiceMeasures(
            enrolled=enrolled.get(service, 0),
            fft=_measure(counts.get((service, "fft")), "fft", span, threshold),
            outcomes=tuple(_measure(counts[(service, key)], key, span, threshold)
                           for key in OUTCOME_KEYS if (service, key) in counts),
            helped_by=tuple((h, shown[h]) for h in HELPED if who.get(h)),
            alert_minutes=_median_minutes(alerts.get(service, [])),
            alerts_waiting=sum(t.acknowledged is None for t in alerts.get(service, [])),
            acted_minutes=_each_minutes(alerts.get(service, [])))
    return found
