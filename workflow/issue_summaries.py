"""The daily summary of new feedback for providers who chose it (/notices) instead of a
message for each new problem: one a day, after the digest hour, only when there is news.
It is queued in the same transaction as the mark that it was made; one too long for a
single message (a busy day, or days of downtime) is sent in labelled parts, split
between its lines (bot/delivery.py), so it is never refused and never cut."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from carebot.conversations import issue_news
from carebot.conversations.texts import text
from carebot.storage import directory, issues
from carebot.storage.models import Issue, Person, Purpose, Service
from carebot.storage.outbox import NewMessage
from carebot.translations.speaking import speaking
from carebot.workflow.given import Given

LOOK_BACK = timedelta(days=1)  # if when they chose a daily summary is not known


def summary_time(now: datetime, rt: Given) -> datetime:
    """Today's summary time, local: the digest hour."""
    local = now.astimezone(ZoneInfo(rt.config.timezone))
    return local.replace(hour=rt.config.digest_hour, minute=0, second=0, microsecond=0)


def summary_words(news: list[Issue], services: dict[int, Service]) -> str:
    lines = [text("issues.daily_line", reference=issue.reference,
                  kind=issue_news.a_kind(issue.kind), service=services[issue.service_id].name)
             for issue in news]
    return text("issues.daily", count=len(news), lines="\n".join(lines))


async def queue_summary(rt: Given, provider: Person, now: datetime) -> bool:
    """Queue one provider's summary if it is due; True if one was queued."""
    due = summary_time(now, rt)
    last = provider.issue_summary_at
    if now < due or (last is not None and last >= due) or provider.chat_id is None:
        return False
    services = {s.id: s for s in await directory.services_for_staff(rt.db, provider)}
    since = last if last is not None else now - LOOK_BACK  # after downtime, all since
    news = await issues.problems_raised_between(rt.db, list(services), since, now)
    with speaking(provider.language):
        message = None if not news else NewMessage(
            provider.chat_id, Purpose.ISSUE_NOTICE, person_id=provider.id,
            text=summary_words(news, services),
            dedupe_key=f"summary:{provider.id}:{due:%Y-%m-%d}")
    await directory.summary_sent(rt.db, provider.id, message, now)
    return message is not None
