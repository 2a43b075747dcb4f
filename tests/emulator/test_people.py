"""Simulated people do what real people do (issue 27, item 2): reply, forward, send albums,
pin, set messages to delete themselves, delete the bot's message, block and unblock, paste
more than a message holds, edit words and captions, send voice notes, and have names and
languages of every kind. Each update is taken over HTTP and read by PTB itself."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest
from telegram import (
    Bot,
    ChatMemberBanned,
    ChatMemberMember,
    MessageEntity,
    MessageOriginChannel,
    MessageOriginChat,
    MessageOriginHiddenUser,
    MessageOriginUser,
    Update,
)
from telegram.constants import MessageLimit

from carebot.bot.telegram_bot import UPDATES_WANTED
from carebot.emulator import BotApiEmulator, SimulatedPerson
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import ORIGINS, split_paste
from carebot.emulator.server import BOT_USER
from tests.emulator.test_server import TOKEN, call

BOT = Bot(TOKEN)  # only to read updates with: it never calls anything


async def _updates(emu: BotApiEmulator) -> list[Update]:
    """Every update waiting, read by PTB, and confirmed."""
    _, body = await call(emu, "getUpdates", timeout=0)
    updates = [Update.de_json(update, BOT) for update in body["result"]]
    if updates:
        await call(emu, "getUpdates", offset=updates[-1].update_id + 1, timeout=0)
    return updates


async def _bot_says(emu: BotApiEmulator, chat_id: int, words: str) -> dict[str, Any]:
    status, body = await call(emu, "sendMessage", chat_id=chat_id, text=words)
    assert status == 200, body
    result: dict[str, Any] = body["result"]
    return result


async def test_a_reply_carries_the_message_it_answers(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 31, "Sam")
    await _bot_says(emulator, 31, "How was your care overall?")
    asked = sam.last
    sam.reply(asked, "Actually it was bad, they were late")
    own = sam.send_text("first")
    sam.reply(own, "second, replying to my first")
    to_bot, to_self = (update.message for update in await _updates(emulator)
                       if update.message and update.message.reply_to_message)
    assert to_bot is not None and to_bot.reply_to_message is not None
    assert to_bot.reply_to_message.message_id == asked.message_id
    assert to_bot.reply_to_message.text == "How was your care overall?"
    assert to_bot.reply_to_message.from_user is not None
    assert to_bot.reply_to_message.from_user.id == BOT_USER["id"]
    assert to_self is not None and to_self.reply_to_message is not None
    assert to_self.reply_to_message.message_id == own["message_id"]


async def test_forwards_say_where_the_words_came_from(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 32, "Sam")
    for origin in ORIGINS:
        sam.forward("My carer never came", origin=origin, name="Rota Desk")
    await _bot_says(emulator, 32, "Hello")
    sam.forward_from_bot(sam.last)
    messages = [update.message for update in await _updates(emulator)]
    origins = [m.forward_origin for m in messages if m is not None]
    assert [type(o) for o in origins] == [MessageOriginUser, MessageOriginHiddenUser,
                                          MessageOriginChat, MessageOriginChannel,
                                          MessageOriginUser]
    user, hidden, chat, channel, bot = origins
    assert isinstance(user, MessageOriginUser) and user.sender_user.first_name == "Rota Desk"
    assert isinstance(hidden, MessageOriginHiddenUser)
    assert hidden.sender_user_name == "Rota Desk"
    assert isinstance(chat, MessageOriginChat) and chat.sender_chat.title == "Rota Desk"
    assert isinstance(channel, MessageOriginChannel) and channel.chat.type == "channel"
    assert isinstance(bot, MessageOriginUser) and bot.sender_user.is_bot
    first = messages[0]
    assert first is not None and user.date < first.date  # written before it was forwarded


async def test_an_album_is_several_messages_back_to_back(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 33, "Sam")
    sam.send_album(("photo", "photo", "video"), caption="The broken hoist")
    updates = await _updates(emulator)
    messages = [update.message for update in updates if update.message]
    assert [u.update_id for u in updates] == list(range(updates[0].update_id,
                                                        updates[0].update_id + 3))
    assert len({m.media_group_id for m in messages}) == 1 and messages[0].media_group_id
    assert [m.caption for m in messages] == ["The broken hoist", None, None]
    assert [bool(m.photo) for m in messages] == [True, True, False] and messages[2].video
    with pytest.raises(ValueError):
        sam.send_album(("photo",))


async def test_pins_and_auto_delete_timers_are_service_messages(
        emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 34, "Sam")
    await _bot_says(emulator, 34, "Your next check-in is on Monday")
    sam.pin(sam.last)
    sam.set_auto_delete(86400)
    pinned, timer = (update.message for update in await _updates(emulator))
    assert pinned is not None and pinned.pinned_message is not None
    assert pinned.pinned_message.message_id == sam.last.message_id == sam.chat.pinned
    assert pinned.text is None
    assert timer is not None and timer.message_auto_delete_timer_changed is not None
    assert timer.message_auto_delete_timer_changed.to_dict() == {
        "message_auto_delete_time": 86400}


async def test_a_deleted_message_is_gone_and_cannot_be_edited(
        emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 35, "Sam")
    sent = await _bot_says(emulator, 35, "Tap to answer")
    sam.delete(sent["message_id"])
    assert sam.inbox == [] and [m.text for m in sam.chat.deleted] == ["Tap to answer"]
    assert await _updates(emulator) == []  # the bot is not told
    status, body = await call(emulator, "editMessageText", chat_id=35,
                              message_id=sent["message_id"], text="Changed")
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")


async def test_blocking_and_unblocking_tell_the_bot(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 36, "Sam")
    sam.block_bot()
    status, body = await call(emulator, "sendMessage", chat_id=36, text="Hello?")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    sam.unblock_bot()
    sam.unblock_bot()  # already unblocked: nothing more happens
    blocked, unblocked = (update.my_chat_member for update in await _updates(emulator))
    assert blocked is not None and unblocked is not None
    assert blocked.chat.type == "private" and blocked.from_user.id == 36
    assert isinstance(blocked.old_chat_member, ChatMemberMember)
    assert isinstance(blocked.new_chat_member, ChatMemberBanned)
    assert blocked.new_chat_member.user.id == BOT_USER["id"]
    assert isinstance(unblocked.new_chat_member, ChatMemberMember)
    assert (await call(emulator, "sendMessage", chat_id=36, text="Welcome back"))[0] == 200


def test_a_long_paste_is_split_as_the_apps_split_it() -> None:
    limit = MessageLimit.MAX_TEXT_LENGTH
    words = " ".join(f"word{n}" for n in range(800))  # about 6,300 characters
    parts = split_paste(words)
    assert len(parts) == 2 and all(len(part) <= limit for part in parts)
    assert len(parts[0]) > limit - 20  # cut at the last space, near the limit
    assert " ".join(parts) == words
    lines = "A" * 3000 + "\n" + "B " * 1000
    assert split_paste(lines)[0] == "A" * 3000  # a line break is the better place
    unbroken = "x" * (limit + 10)
    assert [len(part) for part in split_paste(unbroken)] == [limit, 10]
    faces = "😀" * limit  # two UTF-16 units each, as Telegram counts them
    assert [len(part) for part in split_paste(faces)] == [limit // 2, limit // 2]


async def test_a_paste_arrives_as_messages_back_to_back(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 37, "Sam")
    words = ("The carer was late again. " * 240).strip()  # 6,239 characters
    sent = sam.paste(words)
    messages = [update.message for update in await _updates(emulator)]
    assert len(sent) == len(messages) == 2
    assert [len(m.text or "") for m in messages if m] == [len(part)
                                                           for part in split_paste(words)]
    assert " ".join(m.text or "" for m in messages if m) == words


async def test_edits_bring_new_entities_or_a_new_caption(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 38, "Sam")
    typed = sam.send_text("The carer was late")
    photo = sam.send_media("photo", caption="Broken hoist")
    bold = {"type": "bold", "offset": 4, "length": 5}
    sam.edit(typed, "The carer was very late", entities=[bold])
    sam.edit(photo, caption="Broken hoist, still not fixed")
    command = sam.send_command("checkin")
    sam.edit(command, "/checkin ")
    updates = await _updates(emulator)
    words, caption, again = (u.edited_message for u in updates if u.edited_message)
    assert words is not None and words.text == "The carer was very late"
    assert words.entities == (MessageEntity("bold", 4, 5),)
    assert caption is not None and caption.photo and caption.edit_date is not None
    assert caption.caption == "Broken hoist, still not fixed"
    assert again is not None and again.entities == (MessageEntity("bot_command", 0, 8),)


async def test_voice_notes_have_length_type_and_size(emulator: BotApiEmulator) -> None:
    sam = SimulatedPerson(emulator, 39, "Sam")
    sam.send_voice(duration=42, mime_type="audio/ogg", file_size=67_000)
    sam.send_media("voice")
    first, second = (update.message for update in await _updates(emulator))
    assert first is not None and first.voice is not None
    assert (first.voice.mime_type, first.voice.file_size) == ("audio/ogg", 67_000)
    assert first.voice.to_dict()["duration"] == 42
    assert second is not None and second.voice is not None and second.voice.file_size


async def test_names_and_languages_of_every_kind(emulator: BotApiEmulator) -> None:
    plain = SimulatedPerson(emulator, 40, "Sam")
    longest = SimulatedPerson(emulator, 41, "A" * 64, last_name="B" * 64, username="ab_cd",
                              language_code="cy")
    arabic = SimulatedPerson(emulator, 42, "مريم", language_code="ar")
    plain.send_text("hello")
    longest.send_text("shwmae")
    arabic.send_text("👋 مرحبا، تأخرت الممرضة اليوم /help")
    first, second, third = (update.message for update in await _updates(emulator))
    assert first is not None and first.from_user is not None
    assert (first.from_user.username, first.from_user.last_name,
            first.from_user.language_code) == (None, None, "en")
    assert second is not None and second.from_user is not None
    assert len(second.from_user.full_name) == 129 and second.from_user.language_code == "cy"
    assert second.chat.last_name == "B" * 64 and second.chat.username == "ab_cd"
    assert third is not None and third.text is not None and third.entities
    assert third.parse_entity(third.entities[0]) == "/help"  # offsets in UTF-16, past 👋
    assert third.text.startswith("👋 مرحبا")
    too_long = SimulatedPerson(emulator, 43, "A" * 65, last_name="B" * 65)
    assert (too_long.user["first_name"], too_long.user["last_name"]) == ("A" * 64, "B" * 64)
    with pytest.raises(ValueError):
        SimulatedPerson(emulator, 46, "")


async def test_local_bot_people_can_be_anyone(local: LocalBot) -> None:
    sam = local.person(44, "Siân", last_name="Ap Rhys", language_code="cy")
    assert sam.user == {"id": 44, "is_bot": False, "first_name": "Siân",
                        "last_name": "Ap Rhys", "language_code": "cy"}
    assert local.emulator.allow_local_webhook
    # It polls as production does, for the updates carebot reads and no others.
    assert local.emulator.allowed_updates == frozenset(UPDATES_WANTED)


async def test_control_routes_let_people_do_all_this(emulator: BotApiEmulator) -> None:
    base = f"http://127.0.0.1:{emulator.port}/_emulator/users/45"
    SimulatedPerson(emulator, 45, "Sam")
    sent = await _bot_says(emulator, 45, "How was it?")
    asks = [("messages", {"text": "Late", "reply_to": sent["message_id"]}),
            ("messages", {"text": "Their words", "forward_origin": "hidden_user"}),
            ("messages", {"album": ["photo", "photo"], "caption": "Hoist"}),
            ("messages", {"paste": "x " * 3000}),
            ("deletions", {"message_id": sent["message_id"]}),
            ("blocks", {"blocked": True})]
    async with aiohttp.ClientSession() as session:
        for route, body in asks:
            async with session.post(f"{base}/{route}", json=body) as answer:
                assert answer.status == 200, await answer.text()
        async with session.post(f"{base}/messages", json={"text": "?", "reply_to": 99}) as r:
            assert r.status == 400
    updates = await _updates(emulator)
    assert [bool(u.message and u.message.reply_to_message) for u in updates][:1] == [True]
    assert updates[1].message is not None and updates[1].message.forward_origin is not None
    assert len(updates) == 1 + 1 + 2 + 2 + 1 and updates[-1].my_chat_member is not None
    assert emulator.chats[45].deleted
