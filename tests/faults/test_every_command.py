"""Every command and every kind of button, sent by every role (and by someone not
enrolled), in a private chat and in a group: no handler fails, every tap is answered,
every private command gets a reply, and a group gets nothing but the one notice."""

from __future__ import annotations

import itertools

import pytest

from carebot.bot.buttons import CallbackButton
from carebot.bot.menu import COMMANDS_BY_ROLE
from carebot.conversations.texts import text
from carebot.emulator.people import SimulatedPerson
from carebot.storage import events
from carebot.storage.models import EventKind, Role
from tests.conftest import SharedBot
from tests.helpers import BUTTON_EXAMPLES, enrol

pytestmark = pytest.mark.asyncio(loop_scope="module")

COMMANDS = ("start", "help", "talk", "digest", "checkin", "schedule", "pause", "resume",
            "mine", "issues", "notices", "mydata", "forget", "stop", "nonsense")
ROLES = (None, Role.PERSON, Role.CARER, Role.PROVIDER, Role.COMMISSIONER, Role.DUTY_CONTACT,
         Role.BOARD_MEMBER)
_users = itertools.count(8000)
_people: dict[Role | None, SimulatedPerson] = {}


async def _someone(shared: SharedBot, role: Role | None) -> SimulatedPerson:
    if role not in _people:
        user_id = next(_users)
        _people[role] = (shared.local.person(user_id, "Kim") if role is None else
                         await enrol(shared.local, shared.world, user_id, "Kim", role=role))
    return _people[role]


async def _handler_errors(shared: SharedBot) -> int:
    return len(await events.events_of_kind(shared.local.runtime.db, EventKind.HANDLER_ERROR))


@pytest.mark.parametrize("role", ROLES, ids=lambda r: "not enrolled" if r is None else r)
@pytest.mark.parametrize("command", COMMANDS)
async def test_every_command_in_private(shared_bot: SharedBot, role: Role | None,
                                        command: str) -> None:
    who = await _someone(shared_bot, role)
    before, errors = len(who.inbox), await _handler_errors(shared_bot)
    who.send_command(command)
    await shared_bot.local.settle()
    assert len(who.inbox) > before, f"/{command} from {role} got no reply"
    assert await _handler_errors(shared_bot) == errors


@pytest.mark.parametrize("role", ROLES, ids=lambda r: "not enrolled" if r is None else r)
@pytest.mark.parametrize("command", COMMANDS)
async def test_every_command_in_a_group(shared_bot: SharedBot, role: Role | None,
                                        command: str) -> None:
    local = shared_bot.local
    who = await _someone(shared_bot, role)
    group = local.emulator.shared_chat(-5000, "group", "Family", who.user)
    private_before, errors = len(who.inbox), await _handler_errors(shared_bot)
    who.send_command(f"{command}@carebot_local_bot", chat=group)
    await local.settle()
    assert [m.text for m in group.messages] == [text("odd.private_only")]
    assert len(who.inbox) == private_before
    assert await _handler_errors(shared_bot) == errors


@pytest.mark.parametrize("role", ROLES, ids=lambda r: "not enrolled" if r is None else r)
@pytest.mark.parametrize("button", BUTTON_EXAMPLES, ids=lambda b: type(b).__name__)
async def test_every_button_kind_is_answered(shared_bot: SharedBot, role: Role | None,
                                             button: CallbackButton) -> None:
    local = shared_bot.local
    who = await _someone(shared_bot, role)
    errors = await _handler_errors(shared_bot)
    query_id = who.press(99_999, button.pack())  # a message the bot no longer shows
    await local.settle()
    assert query_id in local.emulator.callback_answers, "the tap was never answered"
    assert await _handler_errors(shared_bot) == errors


@pytest.mark.parametrize("role", [role for role in ROLES if role in COMMANDS_BY_ROLE])
async def test_every_command_in_a_roles_menu_works_for_that_role(shared_bot: SharedBot,
                                                                 role: Role) -> None:
    """The menu never offers what the role would then be refused."""
    who = await enrol(shared_bot.local, shared_bot.world, next(_users), "Lee", role=role)
    for command in COMMANDS_BY_ROLE[role]:
        if command in ("stop", "forget"):
            continue  # they work, but would end this person's part in the other tests
        before = len(who.inbox)
        who.send_command(command)
        await shared_bot.local.settle()
        replies = who.texts()[before:]
        assert replies, f"/{command} for {role}: no reply"
        assert not {text("odd.not_allowed"), text("odd.stopped")} & set(replies), command
