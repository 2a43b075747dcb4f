"""The weekly digest for one council's commissioner: what people said, service by service.

Built from stored figures and stored tags only (nothing is re-tagged here). Privacy is
applied here, once, before anything is rendered: a service where fewer people answered
than the threshold shows no answers and no quotes.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from carebot.care.suppression import enough_people, every_week_shown, percent_of
from carebot.conversations.issue_news import status_word
from carebot.conversations.questions import FFT_SCALE
from carebot.conversations.schedule import DEFAULT_TIMEZONE
from carebot.reports.measures import ServiceMeasures, period_span, service_measures, span_counts
from carebot.reports.voices import ServiceVoices, service_voices
from carebot.reports.you_said_we_did import ActionEffect, effects
from carebot.storage import directory, read_figures, reporting
from carebot.storage.db import Database
from carebot.storage.models import Service
from carebot.storage.read_figures import ReadFigures
from carebot.storage.reporting import ServiceFigures
from carebot.understanding.labels import SENTIMENTS

TOP_THEMES = 6
SENTIMENTS_BEST_FIRST = tuple(reversed(SENTIMENTS))


@dataclass(frozen=True)
class OpenIssue:
    reference: str
    kind: str
    age_days: int
    status: str = "waiting to be read"  # in plain words: read, being looked at, …


@dataclass(frozen=True)
class ServiceDigest:
    service: str
    provider: str
    kind: str
    checkins_sent: int
    checkins_completed: int
    answers: int
    respondents: int
    suppressed: bool
    fft: tuple[tuple[str, int], ...]        # (value, count) in scale order; empty if suppressed
    sentiment: tuple[tuple[str, int], ...]  # (label, count); empty if suppressed
    open_issues: tuple[OpenIssue, ...]      # problems, ideas and not-yet-said, oldest first
    compliments: int                        # thank yous in the period
    alerts: tuple[int, int] = (0, 0)        # safeguarding alerts raised, acknowledged
    talks: tuple[int, int] = (0, 0)         # requests to talk to someone, acted on
    actions: tuple[ActionEffect, ...] = ()  # "you said, we did" agreed in the period
    measures: ServiceMeasures | None = None  # shares answering well, with 8-week trends
    voices: ServiceVoices | None = None      # themes, quotes, WTfC answers, carers' feedback
    reading: ReadFigures | None = None       # how quickly staff read what people sent
    service_id: int = 0                      # carebot's id, for joining with other data
    cqc_location_id: str | None = None       # … and the CQC's and the NHS's, where set
    ods_code: str | None = None

    @property
    def fft_responses(self) -> int:
        return sum(count for _, count in self.fft)

    @property
    def fft_positive_percent(self) -> int | None:
        """The FFT's headline: very good and good, as a share of all responses."""
        total = self.fft_responses
        if not total:
            return None
        good = sum(count for value, count in self.fft if value in ("very_good", "good"))
        return percent_of(good, total)

    @property
    def response_rate_percent(self) -> int | None:
        if not self.checkins_sent:
            return None
        return percent_of(self.checkins_completed, self.checkins_sent)


@dataclass(frozen=True)
class Digest:
    council: str
    start: datetime
    end: datetime
    made_at: datetime
    threshold: int
    services: tuple[ServiceDigest, ...]
    timezone: str = DEFAULT_TIMEZONE  # the council's: times are shown in it

    @property
    def period(self) -> str:
        last_day: date = (self.end - timedelta(seconds=1)).date()
        return f"{self.start:%d %b %Y} to {last_day:%d %b %Y}"


def _shown(effect: ActionEffect, suppressed: bool) -> ActionEffect:
    """An action is always listed; its before-and-after shares only where answers are."""
    return replace(effect, share_before=None, share_after=None) if suppressed else effect


def _measures_shown(measures: ServiceMeasures | None,
                    suppressed: bool) -> ServiceMeasures | None:
    """Who helped people answer is what a group said, too: not shown where it is hidden."""
    return replace(measures, helped_by=()) if measures is not None and suppressed else measures


def _service_digest(service: Service, figures: ServiceFigures,
                    context: _Context) -> ServiceDigest:
    suppressed = (not enough_people(figures.respondents, context.threshold)
                  or service.id in context.a_week_hidden)
    return ServiceDigest(
        service=service.name,
        provider=service.provider_name,
        kind=service.kind,
        checkins_sent=figures.checkins_sent,
        checkins_completed=figures.checkins_completed,
        answers=figures.answers,
        respondents=figures.respondents,
        suppressed=suppressed,
        fft=() if suppressed else tuple(
            (value, figures.fft.get(value, 0)) for value in FFT_SCALE
        ),
        sentiment=() if suppressed else tuple(
            (label, figures.sentiment.get(label, 0)) for label in SENTIMENTS_BEST_FIRST
        ),
        open_issues=tuple(
            OpenIssue(reference, kind or "not said", (context.end - raised).days,
                      status_word(status))
            for reference, kind, raised, status in figures.open_issues
        ),
        # A message sent, as a problem is: the staff's read list counts every one, so
        # hiding how many would hide nothing (care/suppression.py).
        compliments=figures.compliments,
        alerts=figures.alerts,
        talks=figures.talks,  # duty, as alerts are: never hidden
        actions=tuple(_shown(effect, suppressed)
                      for effect in context.actions.get(service.id, [])),
        measures=_measures_shown(context.measures.get(service.id), suppressed),
        voices=context.voices.get(service.id),
        reading=context.reading.get(service.id),
        service_id=service.id,
        cqc_location_id=service.cqc_location_id,
        ods_code=service.ods_code,
    )


@dataclass(frozen=True)
class _Context:
    """What every service's digest is made with: the period, the threshold, and the
    figures counted for all the council's services at once."""

    end: datetime
    threshold: int
    a_week_hidden: set[int]  # services with a week of the period too few answered in
    measures: dict[int, ServiceMeasures]
    voices: dict[int, ServiceVoices]
    actions: dict[int, list[ActionEffect]]
    reading: dict[int, ReadFigures]


async def build_digest(db: Database, *, council_id: int, start: datetime, end: datetime,
                       threshold: int, now: datetime) -> Digest:
    """A council's digest: every service it commissions."""
    council = await directory.get_organisation(db, council_id)
    if council is None:
        raise LookupError(f"no council {council_id}")
    services = await directory.services_of_council(db, council_id)
    return await build_for(db, title=council.name, services=services, start=start, end=end,
                           threshold=threshold, now=now)


async def build_for(db: Database, *, title: str, services: list[Service], start: datetime,
                    end: datetime, threshold: int, now: datetime,
                    timezone: str = DEFAULT_TIMEZONE) -> Digest:
    """A digest of these services (one council's, or one provider's across councils)."""
    names = await directory.known_names(db)
    ids = [s.id for s in services]
    counted = await span_counts(db, ids, start, end)
    figures = await reporting.services_figures(db, ids, start, end, counted.period)
    span = period_span(start, end)
    a_week_hidden = {s for s in ids if not every_week_shown(
        (len(counted.weeks.of(s, w).answered) for w in span.period), threshold)}
    quoting = {s for s, f in figures.items()
               if enough_people(f.respondents, threshold) and s not in a_week_hidden}
    measures = await service_measures(db, ids, start, end, threshold, counted)
    voices = await service_voices(db, ids, start, end, span, threshold,
                                  names, quoting, counted.weeks)
    context = _Context(end, threshold, a_week_hidden, measures, voices,
                       await effects(db, ids, start, end, now),
                       await read_figures.read_figures(db, ids, start, end, now))
    made = [_service_digest(s, figures[s.id], context) for s in services]
    return Digest(council=title, start=start, end=end, made_at=now,
                  threshold=threshold, services=tuple(made), timezone=timezone)
