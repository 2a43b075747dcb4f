"""The periodic job: due check-ins are read from SQLite, queued and sent; one reminder
goes to those not answered; stale ones close; weekly digests are made. Everything it
needs to know is in the database, so a restart picks up exactly where the last run stopped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from telegram import Bot

from bot.context import Context, Runtime
from bot.outbox_sender import send_pending
from conversations import checkin as flow
from conversations import schedule as schedules
from reports.weekly import weekly_digests
from storage import checkins, directory
from storage.models import Role, Schedule

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TickReport:
    opened: int
    missed: int
    reminded: int
    expired: int
    sent: int
    digests: int


def _next_due(schedule: Schedule, now: datetime) -> datetime:
    nxt = schedules.following_due(schedule.next_due_at, frequency=schedule.frequency,
                                  window=schedule.time_window, timezone=schedule.timezone)
    if nxt <= now:
        # After long downtime, do not queue a pile of old check-ins: the next is in future.
        nxt = schedules.first_due(now, weekday=schedule.weekday,
                                  window=schedule.time_window, timezone=schedule.timezone)
    return nxt


async def open_due_checkins(rt: Runtime) -> tuple[int, int]:
    """Queue every check-in now due; returns (to be sent, missed). One whose window has
    closed (the bot was down) is recorded as missed, never sent late."""
    now = rt.clock.now()
    opened = missed = 0
    for schedule in await checkins.due_schedules(rt.db, now):
        person = await directory.get_person(rt.db, schedule.person_id)
        if person is None or person.service_id is None or person.chat_id is None:
            continue
        closes = schedules.window_closes(schedule.next_due_at, window=schedule.time_window,
                                         timezone=schedule.timezone)
        plan = flow.choose_plan(await checkins.count_checkins(rt.db, person.id),
                                carer=person.role is Role.CARER)
        queued = await checkins.open_scheduled_checkin(
            rt.db, schedule=schedule, service_id=person.service_id, chat_id=person.chat_id,
            questions=plan, next_due_at=_next_due(schedule, now), now=now,
            missed=now > closes,
        )
        if queued is not None:
            opened += queued.outbox_id is not None
            missed += queued.outbox_id is None
    return opened, missed


async def queue_reminders(rt: Runtime) -> int:
    """One reminder for each check-in unanswered after `reminder_after_hours`, sent only
    inside the person's window (or, for one they asked for, outside quiet hours)."""
    now = rt.clock.now()
    queued = 0
    sent_before = now - timedelta(hours=rt.config.reminder_after_hours)
    for due in await checkins.reminders_due(rt.db, sent_before):
        allowed = (schedules.in_window(now, window=due.time_window, timezone=due.timezone)
                   if due.time_window else not schedules.is_quiet(now, due.timezone))
        if allowed:
            queued += await checkins.queue_reminder(rt.db, due, now)
    return queued


async def run_tick(bot: Bot, rt: Runtime) -> TickReport:
    """One pass of everything time-driven. Safe to run at any moment, and again."""
    async with rt.tick_lock:
        opened, missed = await open_due_checkins(rt)
        expired = await checkins.expire_stale_checkins(
            rt.db, rt.clock.now() - timedelta(hours=rt.config.checkin_expiry_hours)
        )
        reminded = await queue_reminders(rt)
        digests = await weekly_digests(rt.db, rt.config, rt.clock.now())
        sent = await send_pending(bot, rt)
    report = TickReport(opened, missed, reminded, expired, sent, digests)
    if any((opened, missed, reminded, expired, sent, digests)):
        log.info("tick: %s", report)
    return report


async def tick_job(context: Context) -> None:
    rt = context.runtime
    if rt.tick_lock.locked():
        return  # a pass is under way already; the next interval will look again
    await run_tick(context.bot, rt)
