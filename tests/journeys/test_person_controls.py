"""What a person controls, with buttons: when check-ins come, a break, a check-in now,
who is helping, "not now", and stopping. Plus the one reminder and the commands menu."""

from __future__ import annotations

import json
from datetime import timedelta
from zoneinfo import ZoneInfo

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.storage import checkins
from carebot.storage.db import from_db_time
from carebot.storage.models import Role
from tests.helpers import World, enrol

LONDON = ZoneInfo("Europe/London")


async def _person_id(local: LocalBot, user_id: int) -> int:
    return int(await local.runtime.db.scalar(
        "SELECT id FROM people WHERE telegram_user_id = ?", (user_id,)))


async def test_schedule_is_chosen_with_buttons(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 1201, "Sam")
    sam.send_command("schedule")
    await local.settle()
    assert sam.texts()[-1] == text("schedule.how_often")
    for label in ("Every two weeks", "Thursday", "Evening (6pm to 8pm)"):
        sam.press_label(label)
        await local.settle()
    schedule = await checkins.schedule_of(local.runtime.db, await _person_id(local, 1201))
    assert schedule is not None
    assert (schedule.frequency, schedule.weekday, schedule.time_window) == (
        "fortnightly", 3, "evening")
    due = schedule.next_due_at.astimezone(LONDON)
    assert (due.weekday(), due.hour) == (3, 18)
    assert sam.texts()[-1] == text("schedule.saved", when="Thursday 19 November, in the evening")
    assert all(not m.buttons() for m in sam.inbox[-4:])  # used buttons are taken away


async def test_pause_for_two_weeks_then_resume(local: LocalBot, world: World,
                                               clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 1202, "Sam")
    person_id = await _person_id(local, 1202)
    sam.send_command("pause")
    await local.settle()
    sam.press_label("Two weeks")
    await local.settle()
    assert sam.texts()[-1] == text("pause.until", date="Monday 30 November")
    clock.advance(timedelta(days=13))
    assert (await local.tick()).opened == 0
    schedule = await checkins.schedule_of(local.runtime.db, person_id)
    assert schedule is not None and schedule.next_due_at > clock.now()
    sam.send_command("resume")
    await local.settle()
    assert sam.texts()[-1].startswith("Welcome back. I will send your next check-in on")
    resumed = await checkins.schedule_of(local.runtime.db, person_id)
    assert resumed is not None and resumed.paused_until is None
    assert resumed.next_due_at - clock.now() < timedelta(days=7)


async def test_pause_until_i_say(local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 1203, "Sam")
    sam.send_command("pause")
    await local.settle()
    sam.press_label("Until I say")
    await local.settle()
    assert sam.texts()[-1] == text("pause.open")
    clock.advance(timedelta(days=60))
    assert (await local.tick()).opened == 0
    sam.send_command("resume")
    await local.settle()
    clock.set(from_db_time(await local.runtime.db.scalar("SELECT next_due_at FROM schedules")))
    assert (await local.tick()).opened == 1


async def test_stop_and_come_back(local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 1204, "Sam")
    sam.send_command("stop")
    await local.settle()
    assert sam.texts()[-1] == text("stop.done")
    clock.advance(timedelta(days=30))
    assert (await local.tick()).opened == 0
    sam.send_text("hello again")
    await local.settle()
    assert sam.texts()[-1] == text("odd.stopped")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM issues") == 0
    sam.send_command("start")
    await local.settle()
    sam.press_label("Yes")
    await local.settle()
    assert await local.runtime.db.scalar("SELECT status FROM people") == "active"
    clock.set(from_db_time(await local.runtime.db.scalar("SELECT next_due_at FROM schedules")))
    assert (await local.tick()).opened == 1


async def test_someone_helping_is_recorded(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 1205, "Sam")
    sam.send_command("checkin")
    await local.settle()
    sam.press_label("Someone is helping me")
    await local.settle()
    assert sam.texts()[-1] == text("checkin.who_helps")
    sam.press_label("An advocate")
    await local.settle()
    assert sam.texts()[-1] == text("question.fft", service=world.service_name)
    sam.press_label("Good")
    await local.settle()
    row = await local.runtime.db.fetchone(
        "SELECT c.helped_by, a.choice FROM checkins c JOIN answers a ON a.checkin_id = c.id")
    assert row is not None and (row["helped_by"], row["choice"]) == ("advocate", "good")


async def test_not_now_then_one_reminder_then_closed(local: LocalBot, world: World,
                                                     clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 1206, "Sam")
    clock.set(from_db_time(await local.runtime.db.scalar("SELECT next_due_at FROM schedules")))
    await local.tick()
    sam.press_label("Not now")
    await local.settle()
    assert sam.texts()[-1] == text("checkin.not_now")
    clock.advance(timedelta(hours=24, minutes=30))
    report = await local.tick()
    assert report.reminded == 1
    assert sam.last.text == text("checkin.reminder", name="Sam",
                                 service="Home Care East from Sunrise Care")
    assert (await local.tick()).reminded == 0  # one reminder only
    sam.press_label("Not now")
    await local.settle()
    assert sam.texts()[-1] == text("checkin.not_now_last")
    assert await local.runtime.db.scalar("SELECT status FROM checkins") == "expired"


async def test_reminder_waits_for_the_window(local: LocalBot, world: World,
                                             clock: SimulatedClock) -> None:
    await enrol(local, world, 1207, "Sam")
    clock.set(from_db_time(await local.runtime.db.scalar("SELECT next_due_at FROM schedules")))
    await local.tick()
    clock.advance(timedelta(hours=27))  # past 24 hours, but at 13:00 the window is shut
    assert (await local.tick()).reminded == 0
    clock.advance(timedelta(hours=21))  # the next morning at 10:00, inside the window
    assert (await local.tick()).reminded == 1


async def test_commands_menu_fits_each_role(local: LocalBot, world: World) -> None:
    await enrol(local, world, 1208, "Sam")
    await enrol(local, world, 1209, "Alex", role=Role.COMMISSIONER)
    menus = {json.loads(key)[0].get("chat_id"): [c["command"] for c in value]
             for key, value in local.emulator.commands.items()}
    assert menus[None] == ["start", "help"]
    assert menus[1208] == ["checkin", "talk", "mine", "schedule", "pause", "resume",
                           "language", "easyread", "mydata", "forget", "stop", "help"]
    assert menus[1209] == ["issues", "read", "action", "digest", "language", "mydata", "stop",
                           "help"]


async def test_carer_opts_into_their_own_check_ins(local: LocalBot, world: World) -> None:
    jo = await enrol(local, world, 1210, "Jo", role=Role.CARER)
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM schedules") == 0
    jo.send_command("checkin")
    await local.settle()
    jo.press_label("Start")
    await local.settle()
    assert jo.last.text == text("question.carer_overall")
