"""Private chats only: in a group or channel nothing a person says is stored or acted on,
no check-in or data goes there, and the chat is told once, briefly, why."""

from __future__ import annotations

from conversations.texts import text
from emulator.harness import LocalBot
from storage import events
from storage.models import EventKind
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
