"""What people said, per service: quotes redacted and only where enough people answered,
Working Together for Change answers grouped, carers' messages counted with the rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from carebot.reports.measures import Span, period_span
from carebot.reports.voices import ServiceVoices, _top_themes, service_voices
from carebot.storage import checkins, issues, tags
from carebot.storage.db import Database
from carebot.storage.models import IssueKind, Person, Role, TagKind, TagRecord
from tests.helpers import World, joined, small_world

END = datetime(2026, 11, 23, tzinfo=UTC)
AT = END - timedelta(days=2)
SAID = [("working", "Priya is kind and always on time", ("staff_attitude", "kind")),
        ("not_working", "The carers are late every morning", ("punctuality", "late")),
        ("future", "I want to go to the garden club", None)]


async def _typed(db: Database, person: Person, prompt: str, words: str,
                 theme: tuple[str, str] | None) -> None:
    assert person.service_id is not None
    checkin = await checkins.open_checkin_now(db, person_id=person.id,
                                              service_id=person.service_id,
                                              questions=f"free.{prompt}", now=AT)
    assert checkin is not None
    await checkins.mark_checkin_sent(db, checkin.id, 1, AT)
    await checkins.start_checkin(db, checkin.id, None)
    now = await checkins.get_checkin(db, checkin.id)
    assert now is not None
    kept = await checkins.record_answer(
        db, checkin=now, step=1, last_step=True, now=AT,
        answer=checkins.NewAnswer(f"free.{prompt}", prompt, None, words, False))
    assert kept is not None
    if theme is not None:
        await tags.add_tags(db, answer_id=kept.answer_id, tagger="test", now=AT,
                            tags=[TagRecord(TagKind.THEME, theme[0], None, theme[1])])


async def _world(db: Database, people: int) -> tuple[World, list[Person]]:
    world = await small_world(db, AT)
    return world, [await joined(db, world, AT, telegram_user_id=600 + n, role=Role.PERSON,
                                name=f"P{n}") for n in range(people)]


async def _voices(db: Database, world: World, quoting: bool) -> ServiceVoices:
    found = await service_voices(db, [world.service_id], END - timedelta(days=7), END,
                                 period_span(END - timedelta(days=7), END), 3, ["P0"],
                                 {world.service_id} if quoting else set())
    return found[world.service_id]


async def test_answers_are_grouped_and_quotes_redacted(db: Database) -> None:
    world, people = await _world(db, 3)
    for person in people:
        for prompt, words, theme in SAID:
            await _typed(db, person, prompt, words, theme)
    voices = await _voices(db, world, quoting=True)
    assert [(p.prompt, p.count) for p in voices.prompted] == [("working", 3),
                                                              ("not_working", 3), ("future", 3)]
    working = voices.prompted[0].quotes
    # The same words from three people are quoted once.
    assert [q.text for q in working] == ["[name] is kind and always on time"]
    names = [t.name for t in voices.themes]
    assert names == ["Staff attitude and kindness", "Timekeeping and missed visits"]


async def test_no_quotes_where_too_few_answered(db: Database) -> None:
    world, people = await _world(db, 3)
    for person in people:
        await _typed(db, person, *SAID[1])
    voices = await _voices(db, world, quoting=False)
    assert all(not t.quotes for t in voices.themes)
    assert all(not p.quotes for p in voices.prompted)


async def test_carers_messages_are_counted_with_the_rule(db: Database) -> None:
    world, _ = await _world(db, 0)
    carers = [await joined(db, world, AT, telegram_user_id=650 + n, name=f"C{n}")
              for n in range(5)]
    for n, carer in enumerate(carers):
        issue = await issues.raise_issue(db, raised_by_id=carer.id, service_id=world.service_id,
                                         text="Late again", now=AT)
        kind = IssueKind.PROBLEM if n < 4 else IssueKind.COMPLIMENT
        await issues.set_issue_kind(db, issue.id, carer.id, kind, AT)
        await tags.add_tags(db, issue_id=issue.id, tagger="test", now=AT,
                            tags=[TagRecord(TagKind.THEME, "punctuality", None, "late")])
    voices = await _voices(db, world, quoting=True)
    # 4 problems and 1 thank you: messages, each on the staff's read list, so shown.
    assert dict(voices.carers) == {"problem": 4, "compliment": 1}
    assert dict(voices.carer_themes) == {"Timekeeping and missed visits": 5}


def test_a_young_service_averages_over_the_weeks_it_has_run() -> None:
    """Three weeks old: 9 comments are 3 a week over 3 weeks, not 1.1 over 8."""
    span = Span(datetime(2026, 9, 28, tzinfo=UTC), 8, 1)
    by_theme = {"punctuality": {5: (3, 3), 6: (2, 2), 7: (4, 4)}}
    ((_, young),) = _top_themes(by_theme, span, 1, first_week=5)
    assert (young.comments, young.last_week, young.average, young.weeks) == (4, 2, 3.0, 3)
    ((_, old),) = _top_themes(by_theme, span, 1, first_week=0)
    assert (round(old.average, 3), old.weeks) == (1.125, 8)


def test_a_theme_with_a_hidden_week_is_listed_without_its_count() -> None:
    """Over three weeks: a theme raised by 2 people in one of them keeps its place on the
    list, after those with a count, but not its count (that week's digest hid it)."""
    span = Span(datetime(2026, 9, 28, tzinfo=UTC), 8, 3)
    by_theme = {"punctuality": {5: (4, 4), 6: (2, 2), 7: (4, 4)},
                "staff_attitude": {5: (3, 3), 6: (3, 3)},
                "food_drink": {7: (1, 1)}}
    found = [(theme, figure.comments) for theme, figure in _top_themes(by_theme, span, 3)]
    assert found == [("staff_attitude", 6), ("punctuality", None)]
