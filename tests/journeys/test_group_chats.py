"""Private chats only: in a group or channel nothing a person says is stored or acted on,
no check-in or data goes there, and the chat is told once, briefly, why."""

from __future__ import annotations

from typing import Any

import pytest

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.storage import events
from carebot.storage.models import EventKind
from tests.helpers import World, enrol

GROUP = -1001
CHANNEL = -1002


async def _counts(local: LocalBot) -> tuple[int, ...]:
    db = local.runtime.db
    return tuple([int(await db.scalar(f"SELECT COUNT(*) FROM {table}")) for table in
                  ("answers", "issues", "alerts", "tags", "outbox", "people", "events")])


async def test_a_group_gets_one_notice_and_nothing_is_kept(local: LocalBot,
                                                           world: World) -> None:
    sam = await enrol(local, world, 1201, "Sam")
    group = local.emulator.shared_chat(GROUP, "group", "Sam's family", sam.user)
    sam.send_command("checkin")
    await local.settle()
    private_before = len(sam.inbox)
    before = await _counts(local)
    sam.send_text("He hit me last night and I am scared", chat=group)
    sam.send_command("mydata@carebot_local_bot", chat=group)
    sam.send_command("forget", chat=group)
    sam.send_media("photo", caption="nobody came", chat=group)
    await local.settle()
    assert [m.text for m in local.emulator.chats[GROUP].messages] == [text("odd.private_only")]
    assert all(m.document is None for m in local.emulator.chats[GROUP].messages)
    assert await _counts(local) == before
    assert len(sam.inbox) == private_before  # the check-in waits in private, untouched
    assert not await events.events_of_kind(local.runtime.db, EventKind.NOT_ENROLLED)


async def test_a_stranger_in_a_supergroup_is_not_greeted_as_a_new_person(
        local: LocalBot, world: World) -> None:
    stranger = local.person(1202, "Kim")
    group = local.emulator.shared_chat(GROUP, "supergroup", "Carers' circle", stranger.user)
    stranger.send_command("start", "ABC123", chat=group)
    stranger.send_text("hello?", chat=group)
    await local.settle()
    assert [m.text for m in local.emulator.chats[GROUP].messages] == [text("odd.private_only")]
    assert stranger.inbox == []


async def test_channel_posts_and_their_edits_are_left_alone(local: LocalBot,
                                                            world: World) -> None:
    owner = local.person(1203, "Pat")
    channel = local.emulator.shared_chat(CHANNEL, "channel", "News", owner.user)
    before = await _counts(local)
    post = owner.send_text("Our new opening hours", chat=channel)
    owner.edit(post, "Our new opening hours from Monday")
    await local.settle()
    texts = [m.text for m in local.emulator.chats[CHANNEL].messages]
    assert texts == [text("odd.private_only")]
    assert text("odd.not_enrolled") not in texts
    assert await _counts(local) == before


def _member(user: dict[str, Any], status: str) -> dict[str, Any]:
    return {"status": status, "user": user}


def _not_said_to_the_bot(chat: dict[str, Any], user: dict[str, Any],
                         bot: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Updates about a group or channel that nobody wrote to the bot, as Telegram sends
    them: each must be logged and left alone, never answered in the chat."""
    base = {"chat": chat, "from": user, "date": 1}
    return {
        "chat_join_request": {"chat_join_request": {**base, "user_chat_id": user["id"]}},
        "bot added": {"my_chat_member": {**base, "old_chat_member": _member(bot, "left"),
                                         "new_chat_member": _member(bot, "member")}},
        "bot made admin": {"my_chat_member": {
            **base, "old_chat_member": _member(bot, "member"),
            "new_chat_member": {**_member(bot, "administrator"), "can_be_edited": False,
                                **dict.fromkeys(
                                    ("is_anonymous", "can_manage_chat", "can_delete_messages",
                                     "can_manage_video_chats", "can_restrict_members",
                                     "can_promote_members", "can_change_info",
                                     "can_invite_users", "can_post_stories",
                                     "can_edit_stories", "can_delete_stories"), True)}}},
        "someone joined": {"chat_member": {**base, "old_chat_member": _member(user, "left"),
                                           "new_chat_member": _member(user, "member")}},
        "a reaction": {"message_reaction": {
            "chat": chat, "user": user, "message_id": 1, "date": 1, "old_reaction": [],
            "new_reaction": [{"type": "emoji", "emoji": "👍"}]}},
        "joined message": {"message": {**base, "message_id": 7, "new_chat_members": [bot]}},
        "pinned message": {"message": {**base, "message_id": 8, "pinned_message": {
            "chat": chat, "message_id": 2, "date": 0}}},
    }


@pytest.mark.parametrize("kind", ["group", "supergroup", "channel"])
async def test_what_nobody_said_to_the_bot_is_never_answered_in_the_chat(
        local: LocalBot, world: World, kind: str) -> None:
    """A request to join, the bot or someone added, a reaction, a pinned message: logged
    and ignored. The bot posts nothing, and a person who then writes there is still told
    once that it only talks one to one."""
    sam = await enrol(local, world, 1204, "Sam")
    chat = local.emulator.shared_chat(GROUP, kind, "Sam's family", sam.user)
    chat_json = {"id": GROUP, "type": kind, "title": "Sam's family"}
    bot = {"id": 1000001, "is_bot": True, "first_name": "carebot",
           "username": "carebot_local_bot"}
    before, private_before = await _counts(local), len(sam.inbox)
    updates = _not_said_to_the_bot(chat_json, sam.user, bot)
    for update in updates.values():
        local.emulator.push_update(update)
    await local.settle()
    # A join request, someone joining and a reaction are kinds carebot does not ask for
    # (bot/telegram_bot.py UPDATES_WANTED), so Telegram never sends them.
    assert local.emulator.filtered_updates == 3
    assert chat.messages == [], [m.text for m in chat.messages]
    assert len(sam.inbox) == private_before  # nor to the person who asked to join
    assert await _counts(local) == before
    assert not await events.events_of_kind(local.runtime.db, EventKind.HANDLER_ERROR)
    sam.send_text("hello?", chat=chat)
    await local.settle()
    assert [m.text for m in chat.messages] == [text("odd.private_only")]
