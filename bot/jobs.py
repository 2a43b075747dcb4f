"""The periodic job: due check-ins are read from SQLite, queued and sent; one reminder
goes to those not answered; stale ones close; weekly digests are made; problems nobody
has read are chased. Everything it needs to know is in the database, so a restart picks
up exactly where the last run stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import TypeVar

from carebot.bot.context import Context, Runtime
from carebot.bot.outbox_sender import send_logged, send_soon
from carebot.bot.telegram_bot import CarebotBot
from carebot.conversations import checkin as flow
from carebot.conversations import schedule as schedules
from carebot.operations.health import ticked
from carebot.operations.nightly_backups import start_nightly_backup
from carebot.operations.retention_job import remove_old_words
from carebot.reports.weekly import digests_due, make_weekly_digest
from carebot.storage import alerts, checkins, directory, events
from carebot.storage.models import EventKind, Role, Schedule
from carebot.workflow.alert_chain import escalate_one
from carebot.workflow.issue_chasing import chase_one, problems_due
from carebot.workflow.issue_summaries import queue_summary
from carebot.workflow.read_list_chasing import chase_unread, morning_messages

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_FAILURES = 3  # failures in a row before a record is set aside
# Check-ins opened at a time. When more are due, each batch starts going while the next
# is opened, so 10,000 due at once go at Telegram's full rate from the first second.
OPEN_BATCH = 100


@dataclass(frozen=True)
class TickReport:
    opened: int
    missed: int
    reminded: int
    expired: int
    sent: int
    digests: int
    escalated: int = 0
    chased: int = 0  # steps taken for problems nobody has read


def _next_due(schedule: Schedule, now: datetime) -> datetime:
    nxt = schedules.following_due(schedule.next_due_at, frequency=schedule.frequency,
                                  window=schedule.time_window, timezone=schedule.timezone)
    if nxt <= now:
        # After long downtime, do not queue a pile of old check-ins: the next is in future.
        nxt = schedules.first_due(now, weekday=schedule.weekday,
                                  window=schedule.time_window, timezone=schedule.timezone)
    return nxt


async def isolated(rt: Runtime, record: str, work: Callable[[], Awaitable[T]]) -> T | None:
    """Do one record's work so that its failure stops nothing else. A record that fails
    MAX_FAILURES times in a row is set aside: logged and noted once, then left alone until
    the bot restarts, instead of failing on every tick for ever."""
    if rt.ticks.failures[record] >= MAX_FAILURES:
        return None
    try:
        result = await work()
    except Exception:
        rt.ticks.failures[record] += 1
        log.exception("%s failed (%s of %s tries)", record, rt.ticks.failures[record], MAX_FAILURES)
        if rt.ticks.failures[record] == MAX_FAILURES:
            log.error("%s set aside after %s failures in a row: it needs a person to look",
                      record, MAX_FAILURES)
            with contextlib.suppress(Exception):  # the fault may be the database itself
                await events.log_event(rt.db, kind=EventKind.SET_ASIDE, now=rt.clock.now(),
                                       detail=record)
        return None
    rt.ticks.failures.pop(record, None)
    return result


async def _open_one(rt: Runtime, schedule: Schedule, now: datetime) -> int:
    """Queue one due check-in: 1 if it will be sent, -1 if missed, 0 if nothing to do."""
    person = await directory.get_person(rt.db, schedule.person_id)
    if person is None or person.service_id is None or person.chat_id is None:
        return 0
    closes = schedules.window_closes(schedule.next_due_at, window=schedule.time_window,
                                     timezone=schedule.timezone)
    plan = flow.choose_plan(await checkins.count_checkins(rt.db, person.id),
                            carer=person.role is Role.CARER, easy=person.easy_read)
    queued = await checkins.open_scheduled_checkin(
        rt.db, schedule=schedule, service_id=person.service_id, chat_id=person.chat_id,
        questions=plan, next_due_at=_next_due(schedule, now), now=now, missed=now > closes,
    )
    if queued is None:
        return 0
    return 1 if queued.outbox_id is not None else -1


async def open_due_checkins(bot: CarebotBot, rt: Runtime) -> tuple[int, int]:
    """Queue every check-in now due; returns (to be sent, missed). One whose window has
    closed (the bot was down) is recorded as missed, never sent late."""
    now = rt.clock.now()
    opened = missed = 0
    last: Schedule | None = None
    while True:
        due = await checkins.due_schedules(rt.db, now, limit=OPEN_BATCH, after=last)
        results = [await isolated(rt, f"schedule {s.id}", partial(_open_one, rt, s, now))
                   for s in due]
        opened, missed = opened + results.count(1), missed + results.count(-1)
        if len(due) < OPEN_BATCH:
            return opened, missed
        last = due[-1]  # one that keeps failing is passed over, not read again and again
        send_soon(bot, rt)


async def queue_reminders(rt: Runtime) -> int:
    """One reminder for each check-in unanswered after `reminder_after_hours`, sent only
    inside the person's window (or, for one they asked for, outside quiet hours)."""
    now = rt.clock.now()
    queued = 0
    sent_before = now - timedelta(hours=rt.config.reminder_after_hours)
    for due in await checkins.reminders_due(rt.db, sent_before):
        allowed = (schedules.in_window(now, window=due.time_window, timezone=due.timezone)
                   if due.time_window else not schedules.is_quiet(now, due.timezone))
        if allowed and await isolated(rt, f"check-in {due.checkin_id}",
                                      partial(checkins.queue_reminder, rt.db, due, now)):
            queued += 1
    return queued


async def make_digests(rt: Runtime) -> int:
    """Each weekly digest that is due, one reader at a time."""
    now = rt.clock.now()
    made = [await isolated(rt, f"digest for person {reader.id}",
                           partial(make_weekly_digest, rt.db, rt.config, reader, period, now))
            for reader, period in await digests_due(rt.db, rt.config, now)]
    return sum(bool(m) for m in made)


async def issue_summaries(rt: Runtime) -> int:
    """Each provider's daily summary of new feedback, when it is due."""
    now = rt.clock.now()
    made = [await isolated(rt, f"issue summary for {p.id}", partial(queue_summary, rt, p, now))
            for p in await directory.daily_summary_providers(rt.db)]
    return sum(bool(m) for m in made)


async def escalate_alerts(rt: Runtime) -> int:
    """Alerts nobody acted on in time go up the chain, each one apart."""
    now = rt.clock.now()
    moved = [await isolated(rt, f"alert {a.id}", partial(escalate_one, rt, a, now))
             for a in await alerts.to_escalate(rt.db, now)]
    return sum(bool(m) for m in moved)


async def chase_problems(rt: Runtime) -> int:
    """Problems nobody has marked seen in time are chased, each step once, each apart."""
    now = rt.clock.now()
    chased = [await isolated(rt, f"issue {issue.id} {step.name.lower()}",
                             partial(chase_one, rt, issue, step, now))
              for step, issue in await problems_due(rt, now)]
    return sum(bool(c) for c in chased)


async def _expire(rt: Runtime) -> int:
    return await checkins.expire_stale_checkins(
        rt.db, rt.clock.now() - timedelta(hours=rt.config.checkin_expiry_hours))


async def _send_due(bot: CarebotBot, rt: Runtime) -> int:
    """The pass's send-out, waited for at most one tick: a long one (a chat's own window
    full, thousands due) goes on in the background, so it never holds up the next pass,
    which chases alerts (and which /healthz watches). How many went, if it finished."""
    task = asyncio.create_task(send_logged(bot, rt))
    rt.ops.background.add(task)
    task.add_done_callback(rt.ops.background.discard)
    done, _ = await asyncio.wait({task}, timeout=rt.config.tick_seconds)
    return task.result() if task in done else 0


async def _duty(name: str, work: Awaitable[T], nothing: T) -> T:
    """One duty of the periodic job; its failure is logged and stops none of the others."""
    try:
        return await work
    except Exception:
        log.exception("the periodic job's %s failed; its other duties carry on", name)
        return nothing


async def run_tick(bot: CarebotBot, rt: Runtime) -> TickReport:
    """One pass of everything time-driven. Safe to run at any moment, and again."""
    async with rt.ticks.lock:
        escalated = await _duty("alerts", escalate_alerts(rt), 0)
        opened, missed = await _duty("check-ins", open_due_checkins(bot, rt), (0, 0))
        expired = await _duty("expiry", _expire(rt), 0)
        reminded = await _duty("reminders", queue_reminders(rt), 0)
        digests = await _duty("digests", make_digests(rt), 0)
        await _duty("issue summaries", issue_summaries(rt), 0)
        chased = await _duty("chasing problems", chase_problems(rt), 0)
        if rt.config.read_reminders:
            await _duty("read list mornings", morning_messages(rt, rt.clock.now()), 0)
            await _duty("read list chasing", chase_unread(rt, rt.clock.now()), 0)
        sent = await _duty("outbox", _send_due(bot, rt), 0)
        await _duty("retention", remove_old_words(rt), 0)
        await _duty("backup", start_nightly_backup(rt), False)
    report = TickReport(opened, missed, reminded, expired, sent, digests, escalated, chased)
    if any((opened, missed, reminded, expired, sent, digests, escalated, chased)):
        log.info("tick: %s", report)
    return report


async def tick_job(context: Context) -> None:
    rt = context.runtime
    ticked(rt)
    if rt.ticks.lock.locked():
        return  # a pass is under way already; the next interval will look again
    await run_tick(context.bot, rt)
