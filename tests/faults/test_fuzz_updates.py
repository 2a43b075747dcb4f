"""Property: no update Telegram could send, however odd, makes a handler fail, and the bot
keeps answering people afterwards. Updates are drawn by hypothesis: messages, edits, taps
and channel posts with any text (long, emoji, other scripts, half an emoji), any entities,
captions and media, from people enrolled or not, in private chats, groups and channels,
and shapes PTB cannot read at all."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebot.conversations.texts import text
from carebot.storage import events
from carebot.storage.models import EventKind, Role
from tests.conftest import SharedBot
from tests.helpers import enrol

pytestmark = pytest.mark.asyncio(loop_scope="module")

USERS: list[dict[str, Any]] = [{"id": 4100 + n, "is_bot": False, "first_name": name}
         for n, name in enumerate(("Sam", "Jo", "Stranger"))]
_ids = itertools.count(1_000_000)

words = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=4000, max_size=4200),
    st.sampled_from(["/start", "/help", "/forget", "/mydata@carebot_local_bot", "yes",
                     "He hit me", "\ud83d", "a|1|1|good", "🙂", "وقت", "不好"]),
)
chats = st.sampled_from([None, {"id": -1001, "type": "group", "title": "G"},
                         {"id": -1002, "type": "supergroup", "title": "S"},
                         {"id": -1003, "type": "channel", "title": "C"}])
entities = st.lists(st.fixed_dictionaries({
    "type": st.sampled_from(["bot_command", "mention", "url", "bold", "spoiler"]),
    "offset": st.integers(0, 40), "length": st.integers(0, 40)}), max_size=3)
PHOTO = {"photo": [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]}
STICKER = {"sticker": {"file_id": "s", "file_unique_id": "u", "type": "regular", "width": 1,
                       "height": 1, "is_animated": False, "is_video": False}}
PLACE = {"location": {"latitude": 1.0, "longitude": 2.0}}
media: st.SearchStrategy[dict[str, Any]] = st.sampled_from([{}, PHOTO, STICKER, PLACE])


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    user = draw(st.sampled_from(USERS))
    chat = draw(chats) or {"id": user["id"], "type": "private", "first_name": user["first_name"]}
    message: dict[str, Any] = {"message_id": next(_ids), "date": 1, "chat": chat,
                               "from": user, **draw(media)}
    if draw(st.booleans()):
        message["caption" if "photo" in message else "text"] = draw(words)
        message["entities"] = draw(entities)
    kind = draw(st.sampled_from(["message", "edited_message", "callback_query",
                                 "channel_post", "junk"]))
    if kind == "callback_query":
        return {"callback_query": {"id": str(next(_ids)), "from": user, "chat_instance": "i",
                                   "data": draw(st.text(max_size=64)), "message": message}}
    if kind == "edited_message":
        return {"edited_message": {**message, "edit_date": 2}}
    if kind == "junk":
        return {draw(st.sampled_from(["message", "poll", "callback_query"])): draw(
            st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=8),
                            max_size=3))}
    return {kind: message}


async def test_set_up(shared_bot: SharedBot) -> None:
    local, world = shared_bot.local, shared_bot.world
    for user in USERS:
        local.emulator.chat_for(user)
    await enrol(local, world, int(USERS[0]["id"]), "Sam")
    await enrol(local, world, int(USERS[1]["id"]), "Jo", role=Role.CARER)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(update=updates())
async def test_no_update_makes_a_handler_fail(shared_bot: SharedBot,
                                              update: dict[str, Any]) -> None:
    local = shared_bot.local
    before = len(await events.events_of_kind(local.runtime.db, EventKind.HANDLER_ERROR))
    local.emulator.push_update(update)
    await local.settle()
    after = len(await events.events_of_kind(local.runtime.db, EventKind.HANDLER_ERROR))
    assert after == before


async def test_the_bot_still_answers_afterwards(shared_bot: SharedBot) -> None:
    local = shared_bot.local
    sam = local.person(int(USERS[0]["id"]), "Sam")
    sam.send_command("help")
    await local.settle()
    assert sam.texts()[-1] == text("help.person")
