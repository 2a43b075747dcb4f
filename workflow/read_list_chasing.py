"""Nothing on the read list waits for ever (issue 29). Each morning every reader hears how
many items wait at their services; an item nobody has read within `read_within_hours`
goes to the service's duty contact; within twice that, to the council's commissioners.
Each message is queued in the same transaction as the mark that it was sent (or, for the
morning message, under a key for the day), so a crash never sends one twice."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from carebot.conversations.texts import text
from carebot.storage import directory, read_list
from carebot.storage.models import Person, Purpose, Service
from carebot.storage.outbox import NewMessage, enqueue
from carebot.translations.speaking import said_in_each, speaking
from carebot.translations.written_dates import day_and_month
from carebot.workflow.given import Given

MORNING_ENDS = 12  # a morning message not sent by noon (the bot was down) waits a day


def _notice(person: Person, words: str, dedupe_key: str | None = None) -> NewMessage:
    assert person.chat_id is not None  # readers_of and commissioners_of: reachable
    return NewMessage(person.chat_id, Purpose.ISSUE_NOTICE, person_id=person.id, text=words,
                      dedupe_key=dedupe_key)


async def morning_messages(rt: Given, now: datetime) -> int:
    """Tell each reader how many items wait at their services, once a morning."""
    local = now.astimezone(ZoneInfo(rt.config.timezone))
    day = f"{local:%Y-%m-%d}"
    if (not rt.config.read_morning_hour <= local.hour < MORNING_ENDS
            or await read_list.morning_told(rt.db, day)):
        return 0
    waiting_for: Counter[int] = Counter()
    readers: dict[int, Person] = {}
    for waiting in await read_list.waiting(rt.db):
        service = await directory.get_service(rt.db, waiting.service_id)
        if service is None:
            continue
        for reader in await directory.readers_of(rt.db, service):
            readers[reader.id] = reader
            waiting_for[reader.id] += waiting.count
    queued = 0
    for reader_id, count in waiting_for.items():
        key = read_list.morning_key(day, reader_id)
        with speaking(readers[reader_id].language):
            words = text("read.morning", count=count)
        if await enqueue(rt.db, _notice(readers[reader_id], words, key), now) is not None:
            queued += 1
    return queued


async def _tell(rt: Given, service: Service, people: list[Person], words: Callable[[], str],
                before: datetime, told: str, now: datetime) -> None:
    """Tell each of `people`, in their language, of what waits."""
    said = await said_in_each((p.language for p in people), words)
    await read_list.tell_waiting(rt.db, service_id=service.id, arrived_before=before,
                                 told=told, messages=[_notice(p, said[p.language])
                                                      for p in people], now=now)


async def chase_unread(rt: Given, now: datetime) -> int:
    """Items unread too long: to the duty contact after `read_within_hours`, to the
    council's commissioners after twice that. How many services' items were passed on."""
    hours = rt.config.read_within_hours
    zone = ZoneInfo(rt.config.timezone)
    passed = 0
    overdue_before = now - timedelta(hours=hours)
    for waiting in await read_list.waiting(rt.db, arrived_before=overdue_before,
                                           not_told="overdue_told_at"):
        service = await directory.get_service(rt.db, waiting.service_id)
        if service is None:
            continue
        duty = await directory.reachable_duty_contact(rt.db, service)
        await _tell(rt, service, [] if duty is None else [duty],
                    partial(text, "read.overdue", service=service.name, hours=hours,
                            count=waiting.count),
                    overdue_before, "overdue_told_at", now)
        passed += 1
    late_before = now - timedelta(hours=2 * hours)
    for waiting in await read_list.waiting(rt.db, arrived_before=late_before,
                                           not_told="late_told_at"):
        service = await directory.get_service(rt.db, waiting.service_id)
        if service is None:
            continue
        words = partial(text, "read.late", service=service.name, hours=2 * hours,
                        count=waiting.count, date=day_and_month(waiting.oldest.astimezone(zone)))
        await _tell(rt, service, await directory.commissioners_of(rt.db, service.council_id),
                    words, late_before, "late_told_at", now)
        passed += 1
    return passed
