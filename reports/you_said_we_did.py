""""You said, we did": an action agreed for a service goes back to its people, in plain
words, once each, at a time that suits them (never in quiet hours; paused people are
left out). The digests list it for four weeks after it was agreed, beside how often its
theme came up in the four weeks before and since, so a meeting sees whether it helped."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from carebot.conversations import schedule
from carebot.conversations.texts import text
from carebot.settings.config import Config
from carebot.storage import actions, directory
from carebot.storage.actions import NewAction
from carebot.storage.db import Database
from carebot.storage.models import Purpose
from carebot.storage.outbox import NewMessage
from carebot.translations.speaking import said_in_each
from carebot.understanding.themes import themes

COMPARE = timedelta(weeks=4)


def theme_topic(theme_id: str | None) -> str | None:
    """A theme as people would say it: "about timekeeping and missed visits"."""
    names = {theme.id: theme.name for theme in themes()}
    if theme_id not in names:
        return None
    name = names[theme_id]
    return text("action.about", topic=name[0].lower() + name[1:])


def action_words(service: str, you_said: str, we_did: str) -> str:
    return text("action.news", service=service, you_said=you_said, we_did=we_did)


async def record_and_send(db: Database, config: Config, action: NewAction,
                          now: datetime) -> tuple[int, int]:
    """Keep the action and queue its message to each person who can hear it, in one
    transaction; returns (action id, how many will hear it)."""
    service = await directory.get_service(db, action.service_id)
    if service is None:
        raise ValueError(f"there is no service {action.service_id}")
    hearers = await actions.listeners(db, service.id, now, config.timezone)
    words = await said_in_each((h.language for h in hearers), lambda: action_words(
        service.name, action.you_said, action.we_did))
    messages = [NewMessage(h.chat_id, Purpose.ACTION, person_id=h.person_id,
                           text=words[h.language],
                           not_before=schedule.next_allowed(now, h.timezone))
                for h in hearers]
    action_id = await actions.record_action(db, action, now=now, messages=messages)
    return action_id, len(hearers)


@dataclass(frozen=True)
class ActionEffect:
    """An action in a digest, with how often its theme came up before and after."""

    you_said: str
    we_did: str
    theme: str | None
    share_before: float | None  # the theme's share of comments in the 4 weeks before
    share_after: float | None   # and since (up to 4 weeks); None: no comments to count


async def _share(db: Database, service_id: int, theme: str | None, start: datetime,
                 end: datetime) -> float | None:
    if theme is None:
        return None
    comments = await actions.comment_count(db, service_id, start, end)
    if comments == 0:
        return None
    return (await actions.theme_counts(db, service_id, start, end)).get(theme, 0) / comments


async def effects(db: Database, service_ids: Sequence[int], start: datetime, end: datetime,
                  now: datetime) -> dict[int, list[ActionEffect]]:
    """Each service's actions agreed in [start, end) or the four weeks before (a change
    made last week shows its effect in this week's digest), each with its before and
    after; one query for the actions of them all."""
    found: dict[int, list[ActionEffect]] = {}
    for action in await actions.actions_between(db, service_ids, start - COMPARE, end):
        after_end = min(action.agreed_at + COMPARE, now)
        found.setdefault(action.service_id, []).append(ActionEffect(
            action.you_said, action.we_did, action.theme,
            await _share(db, action.service_id, action.theme, action.agreed_at - COMPARE,
                         action.agreed_at),
            await _share(db, action.service_id, action.theme, action.agreed_at, after_end)))
    return found
