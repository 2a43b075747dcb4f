"""An action's before and after: how many comments at its service, typed answers and
issues alike, carried each theme in a period; nothing from other services or times."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from carebot.storage import actions, directory, history, issues, tags
from carebot.storage.db import Database
from carebot.storage.history import PastAnswer, PastCheckIn
from carebot.storage.models import Role, TagKind, TagRecord
from tests.helpers import joined, small_world

START = datetime(2026, 11, 2, tzinfo=UTC)
END = START + timedelta(weeks=4)


def _theme(theme: str) -> TagRecord:
    return TagRecord(TagKind.THEME, theme, 1.0, theme)


async def test_themes_are_counted_from_answers_and_issues_of_the_period(db: Database) -> None:
    world = await small_world(db, START)
    other = await directory.add_service(  # another service: never counted
        db, council_id=world.council_id, provider_id=world.provider_id, name="Day Centre",
        kind="day service", now=START)
    person = await joined(db, world, START, telegram_user_id=901, role=Role.PERSON, name="A")
    stranger = await joined(db, replace(world, service_id=other.id), START,
                            telegram_user_id=902, role=Role.PERSON, name="B")
    for who, service, at in ((person, world.service_id, START + timedelta(days=3)),
                             (person, world.service_id, END + timedelta(days=1)),  # after
                             (stranger, other.id, START + timedelta(days=3))):
        await history.add_past_checkins(db, [PastCheckIn(who.id, service, at, "working", [
            PastAnswer("working", at, text="late again", prompt_kind="working",
                       tags=[_theme("punctuality")])])], tagger="test", now=END)
    raised = await issues.raise_issue(
        db, raised_by_id=person.id, service_id=world.service_id, text="late, nobody rang",
        now=START + timedelta(days=5))
    await tags.add_tags(db, tags=[_theme("punctuality"), _theme("communication")],
                        tagger="test", now=END, issue_id=raised.id)
    found = await actions.theme_counts(db, world.service_id, START, END)
    assert found == {"punctuality": 2, "communication": 1}
    assert list(found) == ["punctuality", "communication"]  # most first
    assert await actions.comment_count(db, world.service_id, START, END) == 2
