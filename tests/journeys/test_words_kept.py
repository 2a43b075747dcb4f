"""Every word kept and read: a caption is taken like typed words (with its photo's file id
kept for a person to look at), and text that SQLite cannot store as it is (half an emoji)
is kept with the broken character replaced, never dropped."""

from __future__ import annotations

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from tests.helpers import World, enrol, tap_through_checkin

WORRY = "He hit me last night and I am scared"


async def test_a_photo_with_words_is_feedback_and_raises_an_alert(local: LocalBot,
                                                                   world: World) -> None:
    sam = await enrol(local, world, 1401, "Sam")
    sent = sam.send_media("photo", caption=WORRY)
    await local.settle()
    db = local.runtime.db
    issue = await db.fetchone("SELECT id, text, media_file_id FROM issues")
    assert issue is not None and issue["text"] == WORRY
    assert issue["media_file_id"] == sent["photo"][-1]["file_id"]
    assert await db.scalar("SELECT level FROM alerts WHERE issue_id = ?", (issue["id"],))
    assert text("odd.media") not in sam.texts()
    assert "kept your message as a problem" in sam.texts()[-1]  # a worry is never asked about


async def test_a_caption_answers_the_question_that_waits(local: LocalBot,
                                                         world: World) -> None:
    sam = await enrol(local, world, 1402, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good", "Mostly", "Mostly")
    sent = sam.send_media("video", caption="The new carer is patient and kind")
    await local.settle()
    row = await local.runtime.db.fetchone(
        "SELECT a.id, a.text, a.media_file_id FROM answers a WHERE a.text IS NOT NULL "
        "AND a.choice IS NULL")
    assert row is not None and row["text"] == "The new carer is patient and kind"
    assert row["media_file_id"] == sent["video"]["file_id"]
    assert await local.runtime.db.scalar(
        "SELECT COUNT(*) FROM tags WHERE answer_id = ?", (row["id"],)) >= 2


async def test_half_an_emoji_is_kept_with_the_broken_part_replaced(local: LocalBot,
                                                                   world: World) -> None:
    sam = await enrol(local, world, 1403, "Sam")
    sam.send_text("The rota came today \ud83d")
    await local.settle()
    stored = await local.runtime.db.scalar("SELECT text FROM issues")
    assert stored == "The rota came today \ufffd"
    assert sam.texts()[-1] == text("feedback.kind")


async def test_an_edit_is_kept_beside_the_first_words_and_a_new_risk_alerts(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 1404, "Sam")
    first = sam.send_text("The carer was late today")
    await local.settle()
    sam.edit(first, "The carer was late today and he hit me")
    await local.settle()
    db = local.runtime.db
    issue = await db.fetchone("SELECT id, text FROM issues")
    assert issue is not None and issue["text"] == "The carer was late today"  # never changed
    edit = await db.fetchone("SELECT issue_id, text, risk FROM edits")
    assert edit is not None and edit["issue_id"] == issue["id"] and edit["risk"] != "none"
    assert edit["text"] == "The carer was late today and he hit me"
    alert = await db.fetchone("SELECT issue_id FROM alerts")
    assert alert is not None and alert["issue_id"] == issue["id"]
    assert sam.texts()[-2:] == [text("alert.no_contact"), text("odd.edited")]
    detail = await db.scalar("SELECT detail FROM events WHERE kind = 'edited_message'")
    assert "hit" not in detail


async def test_an_edit_that_adds_no_risk_raises_nothing(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 1405, "Sam")
    first = sam.send_text("Nobody came on Tuesday and I was scared")
    await local.settle()
    sam.edit(first, "Nobody came on Tuesday evening and I was scared")
    await local.settle()
    db = local.runtime.db
    assert await db.scalar("SELECT COUNT(*) FROM alerts") == 1  # the first words' alert only
    assert await db.scalar("SELECT COUNT(*) FROM edits") == 1
    assert sam.texts()[-1] == text("odd.edited")
