"""The one tap guard, as each button declares it (`who`, bot/buttons.py): a role the button
does not allow is refused as a command would be, and a tap on someone else's record as
forged, named in the event log as the button declares, before any handler runs."""

from __future__ import annotations

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.storage import events, issues
from carebot.storage.models import EventKind, Role
from tests.helpers import World, enrol


async def _details(local: LocalBot, kind: EventKind) -> list[str]:
    return [row["detail"] for row in await events.events_of_kind(local.runtime.db, kind)]


async def test_a_role_the_button_does_not_allow_is_refused(local: LocalBot,
                                                           world: World) -> None:
    sam = await enrol(local, world, 721, "Sam")
    query = sam.press(sam.last, "i|1|seen")
    await local.settle()
    assert local.emulator.callback_answers[query].get("text") is None
    assert sam.texts()[-1] == text("odd.not_allowed")
    assert await _details(local, EventKind.NOT_AUTHORISED) == ["issue"]


async def test_a_tap_on_someone_elses_record_is_forged(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 722, "Sam")
    sam.send_text("The carer did not come on Tuesday and nobody rang.")
    await local.settle()
    issue_id = await local.runtime.db.scalar("SELECT id FROM issues")
    pat = await enrol(local, world, 723, "Pat")
    staff = await enrol(local, world, 724, "Lee", role=Role.COMMISSIONER)
    taps = [pat.press(pat.last, f"ok|{issue_id}|yes"), staff.press(staff.last, "ack|999"),
            staff.press(staff.last, "rel|999"), pat.press(pat.last, "a|999|1|good")]
    await local.settle()
    answers = [local.emulator.callback_answers[query].get("text") for query in taps]
    assert answers == [text("odd.unknown_button")] * 4
    assert sorted(await _details(local, EventKind.FORGED_BUTTON)) == [
        "ack 999", "checkin 999", f"ok {issue_id}", "rel 999"]
    issue = await issues.get_issue(local.runtime.db, issue_id)
    assert issue is not None and issue.status.value == "open"  # Pat's tap changed nothing
