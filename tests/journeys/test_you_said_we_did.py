""""You said, we did": a commissioner records what changed, and it reaches the active,
unpaused people and carers of that service only, once each, outside quiet hours."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from carebot.conversations.texts import plural, text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.reports.render import digest_summary
from carebot.reports.weekly import make_digest
from carebot.reports.you_said_we_did import effects
from carebot.settings.clock import SimulatedClock
from carebot.storage import directory
from carebot.storage.models import Role
from tests.helpers import World, enrol

DID = "We now text you if we will be more than 15 minutes late."


def _heard(who: SimulatedPerson) -> list[str]:
    return [t for t in who.texts() if t.startswith("You said, we did")]


async def _people(local: LocalBot, world: World) -> dict[str, SimulatedPerson]:
    db, now = local.runtime.db, local.runtime.clock.now()
    other = await directory.add_service(db, council_id=world.council_id,
                                        provider_id=world.provider_id, name="Day Centre West",
                                        kind="day service", now=now)
    code = await directory.create_invite(db, role=Role.PERSON, now=now, service_id=other.id)
    elsewhere = local.person(5005, "Lee")
    elsewhere.send_command("start", code)
    await elsewhere.wait_for_messages(1)
    elsewhere.press_label("Yes")
    people = {"sam": await enrol(local, world, 5001, "Sam"),
              "jo": await enrol(local, world, 5002, "Jo", role=Role.CARER),
              "kim": await enrol(local, world, 5003, "Kim"),
              "max": await enrol(local, world, 5004, "Max"), "lee": elsewhere}
    people["kim"].send_command("pause")
    await local.settle()
    people["kim"].press_label("Two weeks")
    people["max"].send_command("stop")
    await local.settle()
    people["sam"].send_text("The carers are always late in the morning")
    await local.settle()
    people["sam"].press_label("A problem")
    await local.settle()
    return people


async def _record(local: LocalBot, alex: SimulatedPerson, theme_label: str) -> None:
    alex.send_command("action")
    await local.settle()
    if alex.texts()[-1] == text("action.pick_service"):
        alex.press_label("Home Care East")
        await local.settle()
    alex.press_label(theme_label)
    await local.settle()
    assert alex.texts()[-1] == text("action.ask_did")
    alex.send_text(DID)
    await local.settle()


async def test_an_action_reaches_only_that_services_active_people_once(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    people = await _people(local, world)
    alex = await enrol(local, world, 5010, "Alex", role=Role.COMMISSIONER)
    clock.advance(timedelta(minutes=5))
    await _record(local, alex, "Timekeeping and missed visits")
    news = text("action.news", service=world.service_name,
                you_said="about timekeeping and missed visits", we_did=DID)
    assert alex.texts()[-1] == plural("action.confirm", 2, service=world.service_name,
                                    message=news)
    assert not _heard(people["sam"]), "nothing goes before it is confirmed"
    alex.press_label("Send it")
    await local.settle()
    assert alex.texts()[-1] == plural("action.sent", 2)
    assert _heard(people["sam"]) == [news] and _heard(people["jo"]) == [news]
    for left_out in ("kim", "max", "lee"):  # paused, stopped, another service
        assert not _heard(people[left_out]), left_out
    clock.advance(timedelta(hours=1))
    await local.tick()
    await local.settle()
    assert len(_heard(people["sam"])) == 1
    row = await local.runtime.db.fetchone("SELECT theme, we_did, recorded_by FROM actions")
    assert row is not None and (row["theme"], row["we_did"]) == ("punctuality", DID)

    commissioner = await directory.person_by_telegram_id(local.runtime.db, alex.id)
    assert commissioner is not None
    rt = local.runtime
    digest, html_path, _ = await make_digest(
        rt.db, rt.config, commissioner, clock.now() - timedelta(days=7), clock.now(),
        clock.now())
    html = await asyncio.to_thread(Path(html_path).read_text, encoding="utf-8")
    assert "You said, we did" in html and DID in html
    assert "Comments on this" not in html, "too few people answered to show shares"
    # Sam's one comment was on timekeeping, in the 4 weeks before; none since.
    found = (await effects(rt.db, [world.service_id], clock.now() - timedelta(days=7),
                           clock.now(), clock.now()))[world.service_id]
    assert [(e.share_before, e.share_after) for e in found] == [(1.0, None)]
    assert "You said, we did: 1 action in the last 4 weeks." in digest_summary(digest)
    # Next week's digest still shows it, with what changed since; five weeks on, not.
    for weeks_on, listed in ((1, 1), (3, 1), (5, 0)):
        later = clock.now() + timedelta(weeks=weeks_on)
        found_then = await effects(rt.db, [world.service_id], later - timedelta(days=7), later,
                                   later)
        assert len(found_then.get(world.service_id, [])) == listed, weeks_on


async def test_an_action_recorded_late_at_night_waits_for_the_morning(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    sam = await enrol(local, world, 5001, "Sam")
    alex = await enrol(local, world, 5010, "Alex", role=Role.COMMISSIONER)
    clock.set(clock.now().replace(hour=22))
    await _record(local, alex, "Something else")
    alex.press_label("Send it")
    await local.settle()
    assert not _heard(sam)
    clock.set(clock.now().replace(hour=7, minute=59) + timedelta(days=1))
    await local.tick()
    await local.settle()
    assert not _heard(sam)
    clock.advance(timedelta(minutes=2))
    await local.tick()
    await local.settle()
    assert _heard(sam) == [text("action.news", service=world.service_name,
                                you_said=text("action.said_general"), we_did=DID)]


async def test_only_providers_and_commissioners_record_actions(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 5001, "Sam")
    sam.send_command("action")
    await local.settle()
    assert sam.texts()[-1] == text("odd.not_allowed")
    sam.press(sam.last, f"ac|{world.service_id}|punctuality")  # a forged tap
    await local.settle()
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM drafts") == 0
