"""copyMessage on the emulator, as Telegram has it: a person's photo, voice note, video
message or words copied into a staff member's chat with the same file ids, a new caption
if given, buttons if given, and a line in the transcript; a MessageId back; Telegram's
words when the message, or a chat, is not there, or the message is a service message; and
the same flood limits as any new message."""

from __future__ import annotations

import asyncio
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import pytest
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, MessageId, Update
from telegram.error import BadRequest, RetryAfter
from telegram.request import HTTPXRequest

from carebot.emulator import BotApiEmulator, SimulatedPerson
from carebot.emulator.people import MEDIA_KINDS
from carebot.emulator.spec import CallError, check_call
from carebot.emulator.transcript import chat_markdown
from tests.emulator.test_server import TOKEN, call

EMULATOR_WINDOW = 0.1  # one new message a chat a tenth of a second: tests wait less
PAUSE = 0.15
NOT_FOUND = "Bad Request: message to copy not found"


async def copy(emu: BotApiEmulator, to: int | str, chat: int | str, message_id: int,
               **options: Any) -> tuple[int, dict[str, Any]]:
    return await call(emu, "copyMessage", chat_id=to, from_chat_id=chat,
                      message_id=message_id, **options)


def people(emu: BotApiEmulator) -> tuple[SimulatedPerson, SimulatedPerson]:
    """Sam, who uses the service, and Alex, a staff member with a chat with the bot."""
    return SimulatedPerson(emu, 41, "Sam"), SimulatedPerson(emu, 51, "Alex")


async def test_a_photo_is_copied_with_its_file_id_a_new_caption_and_buttons(
        emulator: BotApiEmulator) -> None:
    sam, alex = people(emulator)
    photo = sam.send_media("photo", caption="The hoist is broken again")
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Seen", callback_data="seen")]])
    bot = Bot(TOKEN, base_url=emulator.base_url, request=HTTPXRequest())
    async with bot:
        copied = await bot.copy_message(alex.id, sam.id, photo["message_id"],
                                        caption="From Sam, 41", reply_markup=keyboard)
    assert isinstance(copied, MessageId) and copied.message_id == alex.last.message_id
    got = alex.last
    assert (got.kind, got.caption, got.text) == ("photo", "From Sam, 41", None)
    assert got.file_id == photo["photo"][-1]["file_id"]
    assert got.content["photo"] == photo["photo"]
    assert got.copied_from == (sam.id, photo["message_id"])
    assert alex.copies_of(photo) == [got] and alex.received("photo") == [got]
    assert [b["text"] for b in got.buttons()] == ["Seen"]
    assert alex.chat.lines[-1].words == "[photo] From Sam, 41\n[Seen]"
    assert sam.inbox == []  # nothing shows in Sam's chat


async def test_the_caption_is_kept_unless_a_new_one_is_given(emulator: BotApiEmulator) -> None:
    sam, alex = people(emulator)
    photo = sam.send_media("photo", caption="The hoist is broken again")
    status, _ = await copy(emulator, alex.id, sam.id, photo["message_id"])
    assert status == 200 and alex.last.caption == "The hoist is broken again"
    assert alex.chat.lines[-1].words == "[photo] The hoist is broken again"
    await asyncio.sleep(PAUSE)
    status, _ = await copy(emulator, alex.id, sam.id, photo["message_id"], caption="")
    assert status == 200 and alex.last.caption is None  # an empty one takes it away
    await asyncio.sleep(PAUSE)
    status, body = await copy(emulator, alex.id, sam.id, photo["message_id"],
                              caption="x" * 1025)
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")
    edited = sam.edit(photo, caption="Fixed now, thank you")
    status, _ = await copy(emulator, alex.id, sam.id, photo["message_id"])
    assert status == 200 and alex.last.caption == "Fixed now, thank you"
    assert alex.last.copied_from == (sam.id, edited["message_id"])


async def test_a_voice_note_is_copied_and_the_transcript_says_how_long(
        emulator: BotApiEmulator) -> None:
    sam, alex = people(emulator)
    voice = sam.send_voice(duration=12)
    status, body = await copy(emulator, alex.id, sam.id, voice["message_id"])
    assert status == 200 and body["result"] == {"message_id": alex.last.message_id}
    got = alex.last
    assert got.kind == "voice" and got.content["voice"] == voice["voice"]
    assert got.file_id == voice["voice"]["file_id"] and got.text is None
    assert alex.chat.lines[-1].words == sam.chat.lines[-1].words == "[voice note, 12 s]"
    assert alex.chat.lines[-1].from_bot and not sam.chat.lines[-1].from_bot
    # What the bot would see of it, e.g. in a reply, is a voice note from the bot.
    shown = emulator.message_json(got)
    assert shown["voice"]["file_id"] == voice["voice"]["file_id"]
    assert shown["from"]["is_bot"] and "forward_origin" not in shown


async def test_other_media_keep_their_shapes_and_read_naturally(
        emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 41, "Sam")
    sent = {kind: sam.send_media(kind) for kind in MEDIA_KINDS}
    sent["document"] = sam.send_media("document", caption="My care plan",
                                      file_name="care plan.pdf")
    sent["video_note"] = sam.send_media("video_note", duration=75)
    lines = {}
    for n, (kind, message) in enumerate(sent.items()):
        staff = SimulatedPerson(emulator, 60 + n, "Staff")
        status, body = await copy(emulator, staff.id, sam.id, message["message_id"])
        assert status == 200, body
        assert staff.last.kind == kind and staff.last.content[kind] == message[kind]
        lines[kind] = staff.chat.lines[-1].words
    assert lines == {
        "photo": "[photo]", "sticker": "[sticker 👍]", "voice": "[voice note, 4 s]",
        "video": "[video, 5 s]", "video_note": "[video message, 1 min 15 s]",
        "audio": "[audio, 1 min 35 s]", "animation": "[GIF]",
        "document": "[file: care plan.pdf] My care plan", "location": "[location]",
        "contact": "[contact: Jo]"}
    gif = SimulatedPerson(emulator, 60 + list(sent).index("animation"), "Staff").last
    assert gif.content["document"]["file_id"] == gif.content["animation"]["file_id"]
    with pytest.raises(ValueError, match="no caption"):
        sam.send_media("sticker", caption="hello")


async def test_words_are_copied_with_their_entities_and_no_caption(
        emulator: BotApiEmulator) -> None:
    sam, alex = people(emulator)
    words = sam.send_text("/help the carer did not come")
    sam.reply(words, "and nobody rang")  # a reply: the copy does not say so
    status, body = await copy(emulator, alex.id, sam.id, words["message_id"],
                              caption="ignored for words")
    assert status == 200, body
    got = alex.last
    assert (got.kind, got.text, got.caption) == ("text", "/help the carer did not come", None)
    assert got.content == {"entities": words["entities"]}
    assert alex.texts() == ["/help the carer did not come"]
    assert alex.chat.lines[-1].words == "/help the carer did not come"
    await asyncio.sleep(PAUSE)
    status, _ = await copy(emulator, alex.id, sam.id, words["message_id"] + 1)
    assert status == 200 and alex.last.text == "and nobody rang"
    assert "reply_to_message" not in emulator.message_json(alex.last)
    # A copied text is the bot's own now: it may edit it; a copied photo has no text.
    status, _ = await call(emulator, "editMessageText", chat_id=alex.id,
                           message_id=got.message_id, text="Sam: the carer did not come")
    assert status == 200 and got.text == "Sam: the carer did not come"
    assert "entities" not in got.content


async def test_copies_read_by_ptb_as_the_bot_would_see_them(emulator: BotApiEmulator) -> None:
    sam, alex = people(emulator)
    clip = sam.send_media("video_note", duration=9)
    status, _ = await copy(emulator, alex.id, sam.id, clip["message_id"])
    assert status == 200
    alex.reply(alex.last, "I'll call her")
    _, body = await call(emulator, "getUpdates", timeout=0)
    updates = [Update.de_json(update, Bot(TOKEN)) for update in body["result"]]
    reply = updates[-1].message
    assert reply is not None and reply.reply_to_message is not None
    quoted = reply.reply_to_message.video_note
    assert quoted is not None and quoted.file_id == clip["video_note"]["file_id"]
    assert quoted.duration.total_seconds() == 9  # type: ignore[union-attr]


async def test_what_is_not_there_gets_telegrams_words(emulator: BotApiEmulator) -> None:
    sam, alex = people(emulator)
    photo = sam.send_media("photo")
    for message_id in (999, 0, -1):
        status, body = await copy(emulator, alex.id, sam.id, message_id)
        assert (status, body["description"]) == (400, NOT_FOUND)
    status, body = await copy(emulator, alex.id, 424242, photo["message_id"])
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    status, body = await copy(emulator, 424242, sam.id, photo["message_id"])
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    status, body = await copy(emulator, "@nobody", sam.id, photo["message_id"])
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    # The message is looked for first, as telegram-bot-api does.
    status, body = await copy(emulator, 424242, sam.id, 999)
    assert (status, body["description"]) == (400, NOT_FOUND)
    # A message of Sam's is in Sam's chat only.
    status, body = await copy(emulator, sam.id, alex.id, photo["message_id"])
    assert (status, body["description"]) == (400, NOT_FOUND)
    alex.block_bot()
    status, body = await copy(emulator, alex.id, sam.id, photo["message_id"])
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    assert alex.inbox == [] and emulator.bad_calls[-1][0] == "copyMessage"


async def test_service_messages_cannot_be_copied(emulator: BotApiEmulator) -> None:
    sam, alex = people(emulator)
    status, body = await call(emulator, "sendMessage", chat_id=sam.id, text="See you Monday")
    pin = sam.pin(sam.last)
    timer = sam.set_auto_delete(86400)
    for service in (pin, timer):
        status, body = await copy(emulator, alex.id, sam.id, service["message_id"])
        assert (status, body["description"]) == (400, "Bad Request: can't copy message")
    # The bot's own message in Sam's chat can be copied, though.
    status, _ = await copy(emulator, alex.id, sam.id, sam.last.message_id)
    assert status == 200 and alex.last.text == "See you Monday"
    assert alex.last.copied_from == (sam.id, sam.last.message_id)


async def test_a_copy_is_a_new_message_for_the_flood_limits(emulator: BotApiEmulator) -> None:
    sam, alex = people(emulator)
    voice = sam.send_voice()
    # PTB's Bot started first: its start (getMe) could outlast the window on a slow
    # machine, and the third copy would then be a new one, not a burst.
    bot = Bot(TOKEN, base_url=emulator.base_url, request=HTTPXRequest())
    async with bot:
        first = await copy(emulator, alex.id, sam.id, voice["message_id"])
        second = await copy(emulator, alex.id, sam.id, voice["message_id"])
        assert first[0] == 200 and second[0] == 429
        assert second[1]["parameters"]["retry_after"] >= 1
        assert emulator.flood_breaches == 1 and len(alex.inbox) == 1
        with pytest.raises(RetryAfter):
            await bot.copy_message(alex.id, sam.id, voice["message_id"])
        await asyncio.sleep(PAUSE)
        with pytest.raises(BadRequest, match="Message to copy not found"):
            await bot.copy_message(alex.id, sam.id, 999)


async def test_the_specification_checks_copy_message_calls(emulator: BotApiEmulator) -> None:
    form = {"chat_id": "51", "from_chat_id": "41", "message_id": "3", "caption": "5",
            "disable_notification": "true", "protect_content": "false",
            "caption_entities": '[{"type": "bold", "offset": 0, "length": 1}]',
            "reply_markup": '{"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}'}
    check_call("copyMessage", form, from_form=True)
    for missing in ("chat_id", "from_chat_id", "message_id"):
        with pytest.raises(CallError, match=f'"{missing}" is required'):
            check_call("copyMessage", {k: v for k, v in form.items() if k != missing},
                       from_form=True)
    with pytest.raises(CallError, match="message_id"):
        check_call("copyMessage", {**form, "message_id": "three"}, from_form=True)
    sam, alex = people(emulator)
    photo = sam.send_media("photo")
    status, body = await copy(emulator, alex.id, sam.id, photo["message_id"],
                              caption=5)  # a caption is text, as Telegram says
    assert status == 400 and '"caption"' in body["description"]
    status, body = await copy(emulator, alex.id, sam.id, photo["message_id"],
                              caption="*5*", parse_mode="MarkdownV2", protect_content=True,
                              caption_entities=[{"type": "bold", "offset": 0, "length": 3}],
                              show_caption_above_media=True, disable_notification=True)
    assert status == 200, body
    shown = emulator.message_json(alex.last)
    assert shown["has_protected_content"] and shown["show_caption_above_media"]
    assert shown["caption_entities"] == [{"type": "bold", "offset": 0, "length": 3}]
    await asyncio.sleep(PAUSE)
    status, body = await copy(emulator, str(alex.id), str(sam.id), photo["message_id"])
    assert status == 200, body  # ids as text, as Telegram takes them
    assert "show_caption_above_media" not in emulator.message_json(alex.last)


async def test_a_staff_chat_shows_copies_over_http_and_in_the_transcript(
        emulator: BotApiEmulator) -> None:
    base = f"http://127.0.0.1:{emulator.port}/_emulator"
    alex = SimulatedPerson(emulator, 51, "Alex")
    async with aiohttp.ClientSession() as session:
        async with session.post(f"{base}/users/41/messages",
                                json={"media": "voice", "details": {"duration": 12}}) as r:
            voice_id = (await r.json())["result"]["message_id"]
        async with session.post(f"{base}/users/41/messages",
                                json={"media": "nonsense"}) as r:
            assert r.status == 400
        assert (await copy(emulator, alex.id, 41, voice_id))[0] == 200
        async with session.get(f"{base}/chats/51/messages") as r:
            (shown,) = (await r.json())["result"]
    assert shown["kind"] == "voice" and shown["content"]["voice"]["duration"] == 12
    assert shown["copied_from"] == [41, voice_id]
    assert shown["content"]["voice"]["file_id"] == emulator.find_received(
        41, voice_id)["voice"]["file_id"]  # type: ignore[index]
    markdown = chat_markdown(alex.chat, "Alex, duty manager", ZoneInfo("Europe/London"))
    assert markdown.endswith(", carebot**\n\n> [voice note, 12 s]\n")
