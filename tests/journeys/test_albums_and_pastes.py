"""What the apps send apart is one message (issue 27, item 4): an album of photos arrives
as one message a photo sharing a `media_group_id`, the caption on one of them; a paste
longer than Telegram's 4,096 characters arrives as parts of at most 4,096, back to back.
Each is taken as the person meant it: one message, every photo kept, one reply."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.settings.clock import SimulatedClock
from carebot.storage import events
from carebot.storage.models import EventKind
from tests.helpers import World, enrol, tap_through_checkin

LIMIT = 4096
WORDS = "Our carer comes late most days and leaves early, so Mum misses her lunch. "


def _send_album(local: LocalBot, person: SimulatedPerson, group: str, count: int = 3,
                caption: str | None = None, caption_on: int = 0) -> list[str]:
    """`count` photos as one album, as Telegram brings them (one message a photo, the
    caption on one); the file id of each photo's largest size, in order."""
    largest = []
    for n in range(count):
        file_id = f"{group}-photo-{n}"
        content: dict[str, Any] = {
            "media_group_id": group,
            "photo": [{"file_id": f"{file_id}-small", "file_unique_id": f"u-{file_id}-s",
                       "width": 320, "height": 240},
                      {"file_id": file_id, "file_unique_id": f"u-{file_id}",
                       "width": 1280, "height": 960}]}
        if caption is not None and n == caption_on:
            content["caption"] = caption
        person.sent.append(local.emulator.user_message(person.user, **content))
        largest.append(file_id)
    return largest


def _paste(person: SimulatedPerson, words: str) -> None:
    """`words` pasted: sent as the apps send a paste too long for one message, in parts of
    at most 4,096 characters, one straight after another."""
    for start in range(0, len(words), LIMIT):
        person.send_text(words[start:start + LIMIT])


def _long_words(length: int) -> str:
    return (WORDS * (length // len(WORDS) + 1))[:length]


async def _all_handled(local: LocalBot) -> bool:
    waiting = await local.runtime.db.scalar(
        "SELECT COUNT(*) FROM updates_received WHERE status != 'handled'")
    return bool(waiting == 0)


async def test_an_album_with_a_caption_is_one_message_with_every_photo_kept(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 2701, "Sam")
    before = len(sam.inbox)
    photos = _send_album(local, sam, "album-1", caption="The bathroom has been left like this")
    await local.settle()
    db = local.runtime.db
    issues = await db.fetchall("SELECT text, media_file_id FROM issues")
    assert [(row["text"], row["media_file_id"]) for row in issues] == [
        ("The bathroom has been left like this", "\n".join(photos))]
    assert sam.texts()[before:] == [text("feedback.kind")]  # one reply, and no "I cannot…"
    assert await _all_handled(local)


async def test_the_caption_may_be_on_any_photo_of_the_album(local: LocalBot,
                                                            world: World) -> None:
    sam = await enrol(local, world, 2702, "Sam")
    before = len(sam.inbox)
    photos = _send_album(local, sam, "album-2", count=4, caption="Broken rail on the stairs",
                         caption_on=2)
    await local.settle()
    issue = await local.runtime.db.fetchone("SELECT text, media_file_id FROM issues")
    assert issue is not None and issue["text"] == "Broken rail on the stairs"
    assert issue["media_file_id"].split("\n") == photos
    assert sam.texts()[before:] == [text("feedback.kind")]


async def test_an_album_without_words_gets_one_reply_and_is_noted_once(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 2703, "Sam")
    before = len(sam.inbox)
    photos = _send_album(local, sam, "album-3")
    await local.settle()
    assert sam.texts()[before:] == [text("thanks.picture", service="Home Care East")]
    assert await local.runtime.db.scalar("SELECT file_ids FROM media_messages") == "\n".join(
        photos)
    noted = await events.events_of_kind(local.runtime.db, EventKind.MEDIA_RECEIVED)
    assert [row["detail"] for row in noted] == ["album of 3 (photo)"]
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM issues") == 0
    assert await _all_handled(local)


async def test_an_album_answering_a_check_in_keeps_every_photo_with_the_answer(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 2704, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good", "Mostly", "Mostly")
    photos = _send_album(local, sam, "album-4", caption="This is the new rota they gave us")
    await local.settle()
    rows = await local.runtime.db.fetchall(
        "SELECT text, media_file_id FROM answers WHERE text IS NOT NULL")
    assert [(row["text"], row["media_file_id"]) for row in rows] == [
        ("This is the new rota they gave us", "\n".join(photos))]
    assert text("odd.media") not in sam.texts()


async def test_two_albums_one_after_the_other_stay_two(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 2705, "Sam")
    first = _send_album(local, sam, "album-5", count=2, caption="The kitchen")
    second = _send_album(local, sam, "album-6", count=2, caption="The garden")
    await local.settle()
    issues = await local.runtime.db.fetchall(
        "SELECT text, media_file_id FROM issues ORDER BY id")
    assert [(row["text"], row["media_file_id"].split("\n")) for row in issues] == [
        ("The kitchen", first), ("The garden", second)]


async def test_mydata_lists_an_albums_photos_one_by_one(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 2706, "Sam")
    photos = _send_album(local, sam, "album-7", caption="The bruise on her arm")
    await local.settle()
    sam.send_command("mydata")
    await local.settle()
    _, content = sam.last.document or ("", b"")
    held = json.loads(content)
    assert held["messages"][0]["photos_or_files"] == photos


async def test_a_paste_split_by_the_app_is_one_message(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 2707, "Sam")
    before = len(sam.inbox)
    words = _long_words(6000)
    _paste(sam, words)  # 4,096 + 1,904
    await local.settle()
    issues = await local.runtime.db.fetchall("SELECT text FROM issues")
    assert [row["text"] for row in issues] == [words]
    assert sam.texts()[before:] == [text("odd.too_long"), text("feedback.kind")]
    assert await _all_handled(local)


async def test_a_paste_in_three_parts_is_one_answer_to_the_question_that_waits(
        local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 2708, "Sam")
    await tap_through_checkin(local, sam, "Start", "Good", "Mostly", "Mostly")
    words = _long_words(10_000)
    _paste(sam, words)  # 4,096 + 4,096 + 1,808
    await local.settle()
    rows = await local.runtime.db.fetchall("SELECT text FROM answers WHERE text IS NOT NULL")
    assert [row["text"] for row in rows] == [words]
    assert sam.texts().count(text("odd.too_long")) == 1


async def test_a_paste_cut_where_a_space_was_keeps_the_space(local: LocalBot,
                                                             world: World) -> None:
    """An app that cuts a paste at a space sends parts shorter than 4,096, without the
    space (Telegram trims each message): the words are joined with one again."""
    sam = await enrol(local, world, 2709, "Sam")
    words = _long_words(5000)
    cut = words.rindex(" ", 0, LIMIT)
    sam.send_text(words[:cut])
    sam.send_text(words[cut + 1:])
    await local.settle()
    assert await local.runtime.db.scalar("SELECT text FROM issues") == words


async def test_a_paste_cut_at_line_breaks_is_one_message(local: LocalBot,
                                                         world: World) -> None:
    """Where a paste has line breaks, the app cuts at the last one in the second half of
    the limit (and Telegram trims it): a part may be little more than 2,048 characters."""
    sam = await enrol(local, world, 2712, "Sam")
    paragraph = _long_words(700).strip()
    words = "\n".join(f"{n}. {paragraph}" for n in range(12))  # 8,500 characters
    rest, parts = words, []
    while len(rest) > LIMIT:
        cut = rest.rindex("\n", LIMIT // 2, LIMIT)
        parts.append(rest[:cut])
        rest = rest[cut + 1:]
    for part in [*parts, rest]:
        sam.send_text(part)
    await local.settle()
    assert len(parts) == 2 and all(len(part) < LIMIT - 500 for part in parts)
    kept = [row["text"] for row in await local.runtime.db.fetchall("SELECT text FROM issues")]
    assert kept == [words]


async def test_two_ordinary_messages_sent_quickly_stay_two(local: LocalBot,
                                                           world: World) -> None:
    sam = await enrol(local, world, 2710, "Sam")
    before = len(sam.inbox)
    sam.send_text("The carer was late again today.")
    sam.send_text("And nobody phoned to say so.")
    await local.settle()
    issues = await local.runtime.db.fetchall("SELECT text FROM issues ORDER BY id")
    assert [row["text"] for row in issues] == ["The carer was late again today.",
                                                "And nobody phoned to say so."]
    assert sam.texts()[before:] == [text("feedback.kind")] * 2


async def test_a_long_message_and_one_sent_a_while_later_stay_two(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    """Near the limit, but the next message was sent well after it: not a paste's part."""
    sam = await enrol(local, world, 2711, "Sam")
    long_words = _long_words(LIMIT)
    sam.send_text(long_words)
    clock.advance(timedelta(seconds=30))
    sam.send_text("Sorry, that was long.")
    await local.settle()
    issues = await local.runtime.db.fetchall("SELECT text FROM issues ORDER BY id")
    assert [row["text"] for row in issues] == [long_words, "Sorry, that was long."]


async def test_what_the_simulated_app_sends_is_taken_whole(local: LocalBot, world: World) -> None:
    """The emulator's own album and paste (emulator/people.py, split as the apps split):
    one message each, every photo and every word kept."""
    sam = await enrol(local, world, 2720, "Sam")
    paragraph = _long_words(900).strip()
    words = "\n\n".join(f"{n}. {paragraph}" for n in range(8))
    assert len(sam.paste(words)) > 1
    await local.settle()
    sam.send_album(("photo", "photo", "video"), caption="The bathroom after the visit.")
    await local.settle()
    kept = await local.runtime.db.fetchall("SELECT text, media_file_id FROM issues ORDER BY id")
    # The app cuts at a line break and Telegram trims each part, so a blank line at the
    # cut comes back as one line break; every word is there, in order.
    assert kept[0]["text"].split() == words.split()
    assert len(kept) == 2 and kept[1]["text"] == "The bathroom after the visit."
    assert len(str(kept[1]["media_file_id"]).splitlines()) == 3
    assert text("odd.media") not in sam.texts()
