"""`/mydata` gives a person everything kept about them; `/forget` removes their name and
words after they say yes, keeping their button answers (with no name) and alerts."""

from __future__ import annotations

import json

import pytest

from carebot.bot.buttons import ForgetButton
from carebot.bot.menu import STAFF
from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.storage import directory, events
from carebot.storage.models import EventKind, Role
from tests.helpers import World, enrol, person_who_wrote


async def test_mydata_sends_everything_kept(local: LocalBot, world: World) -> None:
    sam = await person_who_wrote(local, world, 1401)
    sam.send_command("mydata")
    await local.settle()
    summary = sam.inbox[-2].text or ""
    assert summary.startswith("Here is what I keep about you, Sam.")
    assert "Answers: 5. Messages: 1." in summary
    name, content = sam.last.document or ("", b"")
    assert name == "my-carebot-data.json"
    held = json.loads(content)
    assert held["you"]["display_name"] == "Sam"
    assert "My carer Janet is always late on Fridays." in [a["text"] for a in held["answers"]]
    assert held["messages"][0]["text"] == "Please send the rota earlier."


async def test_forget_removes_name_and_words_and_keeps_choices(local: LocalBot,
                                                               world: World) -> None:
    sam = await person_who_wrote(local, world, 1402)
    sam.send_command("forget")
    await local.settle()
    assert sam.texts()[-1] == text("forget.ask")
    sam.press_label("No, keep it")
    await local.settle()
    assert sam.texts()[-1] == text("forget.kept")
    sam.send_command("forget")
    await local.settle()
    sam.press_label("Yes, forget me")
    await local.settle()
    assert sam.texts()[-1] == text("forget.done")
    db = local.runtime.db
    person = await db.fetchone(
        "SELECT display_name, telegram_user_id, chat_id, status FROM people")
    assert person is not None and tuple(person) == ("Forgotten", None, None, "forgotten")
    assert await db.scalar("SELECT COUNT(*) FROM answers WHERE text IS NOT NULL") == 0
    assert await db.scalar("SELECT COUNT(*) FROM answers WHERE choice IS NOT NULL") == 3
    assert await db.scalar("SELECT text FROM issues") == "(removed at the person's request)"
    assert await db.scalar("SELECT COUNT(*) FROM tags WHERE evidence IS NOT NULL") == 0
    # Replies are kept in the outbox; those that greeted them by name are emptied.
    assert await db.scalar("SELECT COUNT(*) FROM outbox WHERE text LIKE '%Sam%'") == 0
    assert await directory.person_by_telegram_id(db, 1402) is None
    sam.send_text("hello?")
    await local.settle()
    assert sam.texts()[-1] == text("odd.not_enrolled")


async def test_forget_keeps_safeguarding_alerts(local: LocalBot, world: World) -> None:
    jo = await enrol(local, world, 1403, "Jo", role=Role.CARER)
    jo.send_text("One of the carers slapped my dad and now he is bleeding.")
    await local.settle()
    jo.send_command("forget")
    await local.settle()
    jo.press_label("Yes, forget me")
    await local.settle()
    alert = await local.runtime.db.fetchone("SELECT level, evidence FROM alerts")
    assert alert is not None and alert["level"] == "urgent" and alert["evidence"]


@pytest.mark.parametrize("role", sorted(STAFF))
async def test_staff_records_are_not_forgotten_from_the_chat(local: LocalBot, world: World,
                                                            role: Role) -> None:
    """/forget is for people and carers: staff are told whom to ask, and a Yes tap
    (forged, or on buttons shown before this rule) deletes nothing either."""
    kit = await enrol(local, world, 1410, "Kit", role=role)
    kit.send_command("forget")
    await local.settle()
    assert kit.texts()[-1] == text("forget.staff")
    assert kit.last.buttons() == []
    query_id = kit.press(kit.last, ForgetButton(True).pack())
    await local.settle()
    assert query_id in local.emulator.callback_answers
    assert kit.texts()[-1] == text("forget.staff")
    db = local.runtime.db
    assert await db.scalar("SELECT display_name || ' ' || status FROM people") == "Kit active"
    assert await directory.person_by_telegram_id(db, kit.id) is not None
    refused = await events.events_of_kind(db, EventKind.NOT_AUTHORISED)
    assert [row["detail"] for row in refused] == ["/forget", "forget button"]


@pytest.mark.parametrize("role", sorted(STAFF))
async def test_staff_see_what_is_kept_about_them(local: LocalBot, world: World,
                                                 role: Role) -> None:
    kit = await enrol(local, world, 1411, "Kit", role=role)
    kit.send_command("mydata")
    await local.settle()
    assert kit.inbox[-2].text == text("mydata.staff", name="Kit")
    name, content = kit.last.document or ("", b"")
    assert name == "my-carebot-data.json"
    held = json.loads(content)
    assert held["you"]["display_name"] == "Kit" and held["you"]["role"] == role


async def test_a_carer_who_has_stopped_can_still_be_forgotten(local: LocalBot,
                                                              world: World) -> None:
    jo = await enrol(local, world, 1412, "Jo", role=Role.CARER)
    jo.send_command("stop")
    await local.settle()
    jo.send_command("forget")
    await local.settle()
    jo.press_label("Yes, forget me")
    await local.settle()
    assert jo.texts()[-1] == text("forget.done")
    assert await local.runtime.db.scalar("SELECT status FROM people") == "forgotten"
