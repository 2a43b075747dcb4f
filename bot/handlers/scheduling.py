"""When check-ins come, as the person chooses: how often and when (/schedule), a break
(/pause, /resume), a check-in now (/checkin) and no more check-ins (/stop). All with
buttons."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import Update

from carebot.bot.buttons import PauseButton, ScheduleButton, one_per_row
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers import checkin_chat
from carebot.bot.handlers.common import (
    answer_query,
    note,
    remove_buttons,
    reply,
    usable_person,
    warn_if_duty_contact,
)
from carebot.bot.handlers.declared import on_command, on_person_tap
from carebot.conversations import schedule as schedules
from carebot.conversations.texts import text
from carebot.storage import checkins, directory
from carebot.storage.models import CheckInStatus, EventKind, Person, PersonStatus, Role
from carebot.translations.written_dates import long_day

PAUSE_DAYS = (7, 14, 28, 0)


def when(moment: datetime, rt: Runtime) -> str:
    """'Tuesday 24 November, in the morning', in the person's local time and language."""
    local = moment.astimezone(ZoneInfo(rt.config.timezone))
    part = "morning" if local.hour < 12 else "afternoon" if local.hour < 17 else "evening"
    return text("when.date_and_time", time_of_day=text(f"time_of_day.{part}"),
                date=long_day(local))


async def _person(update: Update, context: Context) -> Person | None:
    person = await usable_person(update, context)
    if person is not None and (person.role not in (Role.PERSON, Role.CARER)
                               or person.service_id is None):
        await note(context.runtime, update, EventKind.NOT_AUTHORISED, person, detail="control")
        await reply(context.runtime, update, text("odd.not_allowed"))
        return None
    return person


@on_command("schedule")
async def schedule_command(update: Update, context: Context) -> None:
    person = await _person(update, context)
    if person is None:
        return
    rt = context.runtime
    current = await checkins.schedule_of(rt.db, person.id)
    if current is not None and current.active:
        await reply(rt, update, text("schedule.current", frequency=text(
            f"choice.{current.frequency}").lower(), day=text(f"choice.day_{current.weekday}"),
            window=text(f"time_of_day.{current.time_window}")))
    choices = [(ScheduleButton(f), text(f"choice.{f}")) for f in schedules.FREQUENCIES]
    await reply(rt, update, text("schedule.how_often"), reply_markup=one_per_row(choices))


@on_person_tap(ScheduleButton)
async def schedule_tap(update: Update, context: Context, tap: ScheduleButton,
                       person: Person) -> None:
    """One step of choosing: how often, then the day, then the time of day."""
    rt = context.runtime
    await answer_query(update)
    await remove_buttons(update)
    if tap.weekday is None:
        days = [(ScheduleButton(tap.frequency, d), text(f"choice.day_{d}")) for d in range(7)]
        await reply(rt, update, text("schedule.which_day"), reply_markup=one_per_row(days))
        return
    if tap.window is None:
        windows = [(ScheduleButton(tap.frequency, tap.weekday, w), text(f"choice.{w}"))
                   for w in schedules.WINDOWS]
        await reply(rt, update, text("schedule.which_time"), reply_markup=one_per_row(windows))
        return
    due = schedules.first_due(rt.clock.now(), weekday=tap.weekday, window=tap.window,
                              timezone=rt.config.timezone)
    await checkins.set_schedule(rt.db, person_id=person.id, weekday=tap.weekday,
                                time_window=tap.window, next_due_at=due,
                                frequency=tap.frequency, timezone=rt.config.timezone)
    await note(rt, update, EventKind.SCHEDULE_SET, person,
               detail=f"{tap.frequency} {tap.weekday} {tap.window}")
    await reply(rt, update, text("schedule.saved", when=when(due, rt)))


@on_command("pause")
async def pause_command(update: Update, context: Context) -> None:
    person = await _person(update, context)
    if person is None:
        return
    choices = [(PauseButton(d), text(f"choice.pause_{d}")) for d in PAUSE_DAYS]
    await reply(context.runtime, update, text("pause.how_long"), reply_markup=one_per_row(choices))


@on_person_tap(PauseButton)
async def pause_tap(update: Update, context: Context, tap: PauseButton,
                    person: Person) -> None:
    rt = context.runtime
    schedule = await checkins.schedule_of(rt.db, person.id)
    await answer_query(update)
    await remove_buttons(update)
    if schedule is None:
        await reply(rt, update, text("checkin.none_yet"))
        return
    waiting = await checkins.open_checkin_of(rt.db, person.id)
    if waiting is not None:  # a break means no questions now either; answers so far stay
        await checkins.close_checkin(rt.db, waiting.id, CheckInStatus.EXPIRED)
    if tap.days == 0:
        await checkins.pause_schedule(rt.db, person.id, until=None, next_due_at=None)
        await reply(rt, update, text("pause.open"))
    else:
        until = rt.clock.now() + timedelta(days=tap.days)
        due = schedules.first_due(until, weekday=schedule.weekday,
                                  window=schedule.time_window, timezone=schedule.timezone)
        await checkins.pause_schedule(rt.db, person.id, until=until, next_due_at=due)
        local = until.astimezone(ZoneInfo(rt.config.timezone))
        await reply(rt, update, text("pause.until", date=long_day(local)))
    await note(rt, update, EventKind.PAUSED, person, detail=str(tap.days))


@on_command("resume")
async def resume_command(update: Update, context: Context) -> None:
    person = await _person(update, context)
    if person is None:
        return
    rt = context.runtime
    schedule = await checkins.schedule_of(rt.db, person.id)
    if schedule is None:
        await reply(rt, update, text("checkin.none_yet"))
        return
    now = rt.clock.now()
    paused = not schedule.active or (schedule.paused_until is not None
                                     and schedule.paused_until > now)
    if not paused:
        await reply(rt, update, text("resume.not_paused", when=when(schedule.next_due_at, rt)))
        return
    due = schedules.first_due(now, weekday=schedule.weekday, window=schedule.time_window,
                              timezone=schedule.timezone)
    await checkins.resume_schedule(rt.db, person.id, due)
    await note(rt, update, EventKind.RESUMED, person)
    await reply(rt, update, text("resume.done", when=when(due, rt)))


@on_command("checkin")
async def checkin_now_command(update: Update, context: Context) -> None:
    person = await _person(update, context)
    if person is not None:
        await checkin_chat.checkin_command(update, context, person)


@on_command("stop")
async def stop_command(update: Update, context: Context) -> None:
    person = await usable_person(update, context)
    if person is None:
        return
    rt = context.runtime
    now = rt.clock.now()
    waiting = await checkins.open_checkin_of(rt.db, person.id)
    if waiting is not None:
        await checkins.close_checkin(rt.db, waiting.id, CheckInStatus.EXPIRED)
    await checkins.pause_schedule(rt.db, person.id, until=None, next_due_at=None)
    await directory.set_person_status(rt.db, person.id, PersonStatus.STOPPED, now)
    await note(rt, update, EventKind.STOPPED, person)
    await reply(rt, update, text("stop.done"))
    await warn_if_duty_contact(update, rt, person, gone=False)
    await warn_if_duty_contact(update, rt, person, gone=True)
