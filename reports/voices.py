"""What people said, per service: the top themes (with the change since last week and
against the 8-week average), two or three quotes for each, redacted, with the words that
found the theme marked; the Working Together for Change answers grouped as working, not
working and what matters for the future; and carers' problems, thank yous and ideas with
their themes. Quotes come only from services where enough people answered."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from carebot.care.suppression import enough_people, hidden, suppressed_counts
from carebot.reports.measures import Span
from carebot.reports.redaction import KnownNames, redact
from carebot.storage import trends
from carebot.storage.db import Database
from carebot.storage.week_counts import Weeks, counted_weeks
from carebot.understanding.themes import themes

TOP_THEMES = 6
QUOTES = 3
QUOTE_LENGTH = 300  # characters; a longer comment is cut, never changed
PROMPTS = ("working", "not_working", "future")


@dataclass(frozen=True)
class Quote:
    text: str                  # redacted
    marks: tuple[str, ...]     # words to highlight: what found the theme


@dataclass(frozen=True)
class ThemeFigure:
    name: str
    comments: int              # this period
    last_week: int             # the week before the period's last
    average: float             # a week, over `weeks`
    quotes: tuple[Quote, ...]
    weeks: int = 8             # of the trend's weeks, those since the service's first answer
    theme: str = ""            # its id in themes.toml
    period_weeks: int = 1      # the weeks `comments` is over: a week is compared with one


@dataclass(frozen=True)
class Prompted:
    """The answers to one Working Together for Change question."""

    prompt: str
    count: int | None
    quotes: tuple[Quote, ...]


@dataclass(frozen=True)
class ServiceVoices:
    themes: tuple[ThemeFigure, ...]
    prompted: tuple[Prompted, ...]
    carers: tuple[tuple[str, int | None], ...]       # kind: count
    carer_themes: tuple[tuple[str, int | None], ...]  # theme name: count


Redact = Callable[[str], str]


def _quote(said: trends.Said, redacted: Redact, theme: str | None = None) -> Quote:
    words = redacted(said.text)
    if len(words) > QUOTE_LENGTH:
        words = words[:QUOTE_LENGTH].rsplit(" ", 1)[0] + " …"
    evidence = said.themes.get(theme, "") if theme else ""
    return Quote(words, tuple(e.strip() for e in evidence.split(";") if e.strip()))


def _quotes(said: list[trends.Said], redacted: Redact, theme: str | None = None) -> tuple[
        Quote, ...]:
    """Up to QUOTES, each from a different person and saying something different,
    newest first."""
    people: set[int] = set()
    chosen: list[Quote] = []
    for one in said:
        quote = _quote(one, redacted, theme)
        if one.person_id not in people and quote.text not in {q.text for q in chosen}:
            people.add(one.person_id)
            chosen.append(quote)
        if len(chosen) == QUOTES:
            break
    return tuple(chosen)


def _top_themes(by_theme: dict[str, dict[int, tuple[int, int]]], span: Span,
                threshold: int, first_week: int = 0) -> list[tuple[str, ThemeFigure]]:
    """The service's top themes, without quotes yet; `by_theme` is {theme: {week:
    (comments, people)}}. A theme fewer people raised than the threshold is left out. Its
    weekly average is over the weeks since `first_week` (the service's first answer in
    the span): a service three weeks old has not been quiet for the five before."""
    running = max(1, span.weeks - first_week)
    names = {t.id: t.name for t in themes()}
    found = []
    for theme, by_week in by_theme.items():
        if theme not in names:
            continue
        comments = sum(n for w, (n, _) in by_week.items() if w in span.period)
        people = max((p for w, (_, p) in by_week.items() if w in span.period), default=0)
        if not enough_people(people, threshold):
            continue
        found.append((theme, ThemeFigure(
            names[theme], comments, by_week.get(span.weeks - 2, (0, 0))[0],
            sum(n for n, _ in by_week.values()) / running, (), running, theme,
            span.period_weeks)))
    found.sort(key=lambda t: (-t[1].comments, t[1].name))
    return found[:TOP_THEMES]


def _quoted(top: list[tuple[str, ThemeFigure]], said: list[trends.Said],
            redacted: Redact) -> tuple[ThemeFigure, ...]:
    return tuple(replace(figure, quotes=_quotes([one for one in said if theme in one.themes],
                                                redacted, theme))
                 for theme, figure in top)


def _prompted(said: list[trends.Said], counts: dict[str, tuple[int, int]],
              redacted: Redact, threshold: int, quoting: bool) -> tuple[Prompted, ...]:
    found = []
    for prompt in PROMPTS:
        answers, people = counts.get(prompt, (0, 0))
        if answers:
            found.append(Prompted(
                prompt, None if hidden(people, threshold) else answers,
                _quotes([one for one in said if one.prompt_kind == prompt], redacted)
                if quoting else ()))
    return tuple(found)


def _carers(said: trends.CarersSaid, threshold: int) -> tuple[
        tuple[tuple[str, int | None], ...], tuple[tuple[str, int | None], ...]]:
    names = {t.id: t.name for t in themes()}
    kinds = {kind or "not said": n for kind, n in said.kinds.items()}
    about = Counter({names.get(t, t): n for t, n in said.themes.items()})
    shown_kinds = suppressed_counts(kinds, threshold)
    shown_themes = suppressed_counts(dict(about.most_common(TOP_THEMES)), threshold)
    return tuple(shown_kinds.items()), tuple(shown_themes.items())


def _wanted(top: dict[int, list[tuple[str, ThemeFigure]]],
            prompts: dict[int, dict[str, tuple[int, int]]], quoting: set[int]) -> trends.Wanted:
    """What needs quotes: each quoted service's top themes and Working Together for
    Change questions, with how many comments each has in the period."""
    return {service: {
        **{("theme", theme): figure.comments for theme, figure in top[service]},
        **{("prompt", prompt): n for prompt, (n, _) in prompts.get(service, {}).items()
           if prompt in PROMPTS}}
        for service in quoting}


async def service_voices(db: Database, services: Sequence[int], start: datetime,
                         end: datetime, span: Span, threshold: int,
                         names: Sequence[str], quoting: set[int],
                         counted: Weeks | None = None) -> dict[int, ServiceVoices]:
    """Every service's voices; quotes only for the services in `quoting` (those where
    enough people answered for their words to be shown). `counted`: the span's week
    counts, when the caller has them already."""
    counted = counted or await counted_weeks(db, services, span.start, span.weeks)
    weeks: dict[int, dict[str, dict[int, tuple[int, int]]]] = {}
    first_week: dict[int, int] = {}
    for (service, week), counts in counted.counts.items():
        if counts.answers:  # every week has counts, most of a new service's empty
            first_week[service] = min(week, first_week.get(service, week))
        for theme, counted_theme in counts.themes.items():
            weeks.setdefault(service, {}).setdefault(theme, {})[week] = counted_theme
    prompts: dict[int, dict[str, tuple[int, int]]] = {}
    for (service, prompt), answered in (
            await trends.prompt_counts(db, services, start, end)).items():
        prompts.setdefault(service, {})[prompt] = answered
    top = {service: _top_themes(weeks.get(service, {}), span, threshold,
                                first_week.get(service, 0)) for service in services}
    said: dict[int, list[trends.Said]] = {}
    for one in await trends.words_said(db, _wanted(top, prompts, quoting), start, end,
                                       enough=QUOTES):
        said.setdefault(one.service_id, []).append(one)
    carers = await trends.carers_said(db, services, start, end)
    # One comment can be a candidate for several themes and its question: redacted once.
    known = KnownNames(names, (one.text for theirs in said.values() for one in theirs))
    redacted: Redact = cache(lambda text: redact(text, known))
    found = {}
    for service in services:
        theirs = said.get(service, [])
        kinds, carer_themes = _carers(carers.get(service, trends.CarersSaid()), threshold)
        found[service] = ServiceVoices(
            _quoted(top[service], theirs, redacted) if service in quoting
            else tuple(figure for _, figure in top[service]),
            _prompted(theirs, prompts.get(service, {}), redacted, threshold,
                      service in quoting),
            kinds, carer_themes)
    return found
