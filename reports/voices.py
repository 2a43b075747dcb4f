"""What people said, per service: the top themes (with the change since last week and
against the 8-week average), two or three quotes for each, redacted, with the words that
found the theme marked; the Working Together for Change answers grouped as working, not
working and what matters for the future; and carers' problems, thank yous and ideas with
their themes. Themes, quotes and answers come only from services where enough people
answered (in every week of the period)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache

from carebot.care.suppression import (
    enough_people,
    every_week_shown,
    hidden,
    suppressed_counts,
)
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
    language: str | None = None  # ISO 639-1, when not English: quoted as written, labelled


@dataclass(frozen=True)
class ThemeFigure:
    name: str
    comments: int | None       # this period; None: hidden (a week of it too few raised it)
    last_week: int | None      # the week before the period's last; None: hidden
    average: float             # a week, over `weeks`
    quotes: tuple[Quote, ...]
    weeks: int = 8             # of the trend's weeks since the service's first answer,
                               # those whose count could be shown
    theme: str = ""            # its id in themes.toml
    period_weeks: int = 1      # the weeks `comments` is over: a week is compared with one
    running_weeks: int = 8     # the trend's weeks since the service's first answer


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
    carers: tuple[tuple[str, int], ...]              # kind: count (duty: never hidden)
    carer_themes: tuple[tuple[str, int | None], ...]  # theme name: count


Redact = Callable[[str, bool], str]  # words, and whether they are in English


def _quote(said: trends.Said, redacted: Redact, theme: str | None = None) -> Quote:
    words = redacted(said.text, said.language is None)
    if len(words) > QUOTE_LENGTH:
        words = words[:QUOTE_LENGTH].rsplit(" ", 1)[0] + " …"
    evidence = said.themes.get(theme, "") if theme else ""
    return Quote(words, tuple(e.strip() for e in evidence.split(";") if e.strip()),
                 said.language)


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
    (comments, people)}}. A theme fewer people raised than the threshold is left out; over
    several weeks, one with a week fewer raised it in is listed, its count hidden. Its
    weekly average is over the weeks since `first_week` (the service's first answer in
    the span): a service three weeks old has not been quiet for the five before."""
    running = range(first_week, span.weeks)
    names = {t.id: t.name for t in themes()}
    found = []
    for theme, by_week in by_theme.items():
        if theme not in names:
            continue
        each_week = [by_week.get(w, (0, 0))[1] for w in span.period]
        if not enough_people(max(each_week), threshold):
            continue
        # Over several weeks, one too few raised it in hides the total (and its quotes).
        counted = every_week_shown(each_week, threshold)
        # The weeks whose count could be shown: a hidden one is in no sum shown beside
        # the others (the week before, the average), or taking them away would give it.
        shown = [w for w in running if not hidden(by_week.get(w, (0, 0))[1], threshold)]
        before = by_week.get(span.weeks - 2, (0, 0))
        found.append((theme, ThemeFigure(
            names[theme],
            sum(by_week.get(w, (0, 0))[0] for w in span.period) if counted else None,
            None if hidden(before[1], threshold) else before[0],
            sum(by_week.get(w, (0, 0))[0] for w in shown) / max(1, len(shown)), (),
            len(shown), theme, span.period_weeks, len(running))))
    # Those with a count first, most first; those without, by name (their count is in
    # no order shown, not even in which of them make the list).
    found.sort(key=lambda t: (t[1].comments is None, -(t[1].comments or 0), t[1].name))
    return found[:TOP_THEMES]


def _quoted(top: list[tuple[str, ThemeFigure]], said: list[trends.Said],
            redacted: Redact) -> tuple[ThemeFigure, ...]:
    return tuple(figure if figure.comments is None else replace(
        figure, quotes=_quotes([one for one in said if theme in one.themes], redacted, theme))
        for theme, figure in top)


def _prompted(said: list[trends.Said], counts: dict[str, tuple[int, int]],
              each_week: dict[str, list[int]], redacted: Redact, threshold: int,
              quoting: bool) -> tuple[Prompted, ...]:
    """Each question's answers, where enough people answered for what they said to be
    shown (even that a small group answered "what is not working" says something), in
    the period and in each of its weeks (`each_week`: people answering it, week by week)."""
    if not quoting:
        return ()
    found = []
    for prompt in PROMPTS:
        answers, people = counts.get(prompt, (0, 0))
        if answers and (hidden(people, threshold)  # a quote each would count them
                        or not every_week_shown(each_week.get(prompt, []), threshold)):
            found.append(Prompted(prompt, None, ()))
        elif answers:
            found.append(Prompted(prompt, answers, _quotes(
                [one for one in said if one.prompt_kind == prompt], redacted)))
    return tuple(found)


def _carers(said: trends.CarersSaid, threshold: int) -> tuple[
        tuple[tuple[str, int], ...], tuple[tuple[str, int | None], ...]]:
    """How many messages of each kind (each one is on the staff's read list and every
    problem on the open issues: duty, never hidden), and what they were about (a view,
    hidden under the threshold)."""
    names = {t.id: t.name for t in themes()}
    kinds = {kind or "not said": n for kind, n in said.kinds.items()}
    about = Counter({names.get(t, t): n for t, n in said.themes.items()})
    # Over several weeks, a theme hidden in any week's digest is hidden in the total too.
    hide = {names.get(t, t) for t, weekly in said.weekly.items()
            if not every_week_shown(weekly, threshold)}
    shown_themes = suppressed_counts(dict(about.most_common(TOP_THEMES)), threshold, hide)
    return tuple(kinds.items()), tuple(shown_themes.items())


def _prompt_weeks(counted: Weeks, service: int, span: Span) -> dict[str, list[int]]:
    """People answering each Working Together for Change question, in each period week."""
    found: dict[str, list[int]] = {}
    for week in span.period:
        for prompt, (_, people) in counted.of(service, week).prompts.items():
            found.setdefault(prompt, []).append(people)
    return found


def _wanted(top: dict[int, list[tuple[str, ThemeFigure]]],
            prompts: dict[int, dict[str, tuple[int, int]]], quoting: set[int]) -> trends.Wanted:
    """What needs quotes: each quoted service's top themes and Working Together for
    Change questions, with how many comments each has in the period."""
    return {service: {
        **{("theme", theme): figure.comments for theme, figure in top[service]
           if figure.comments is not None},
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
    carers = await trends.carers_said(db, services, start, end, by_week=span.period_weeks > 1)
    # One comment can be a candidate for several themes and its question: redacted once.
    known = KnownNames(names, (one.text for theirs in said.values() for one in theirs))
    redacted: Redact = cache(lambda text, english: redact(text, known, english=english))
    found = {}
    for service in services:
        theirs = said.get(service, [])
        kinds, carer_themes = _carers(carers.get(service, trends.CarersSaid()), threshold)
        found[service] = ServiceVoices(
            _quoted(top[service], theirs, redacted) if service in quoting else (),
            _prompted(theirs, prompts.get(service, {}), _prompt_weeks(counted, service, span),
                      redacted, threshold, service in quoting),
            kinds, carer_themes)
    return found
