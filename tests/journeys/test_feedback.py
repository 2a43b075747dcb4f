"""A carer's message at any time: kept at once, a kind chosen, a reference given."""

from __future__ import annotations

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.storage import issues, tags
from carebot.storage.models import Role, TagKind
from tests.helpers import World, enrol


async def test_carer_issue_gets_a_reference(local: LocalBot, world: World) -> None:
    jo = await enrol(local, world, 601, "Jo", role=Role.CARER)
    words = "The new rota has the visits at different times each week."
    jo.send_text(words)
    await local.settle()
    assert jo.texts()[-1] == text("feedback.kind")
    stored = await local.runtime.db.fetchone("SELECT id, kind, text, reference FROM issues")
    assert stored is not None
    assert (stored["kind"], stored["text"]) == (None, words)  # kept before any button
    jo.press_label("A problem")
    await local.settle()
    assert jo.texts()[-1] == text("feedback.saved", reference="CB-1001")
    issue = await issues.get_issue(local.runtime.db, stored["id"])
    assert issue is not None and (issue.kind, issue.reference) == ("problem", "CB-1001")
    found = {t.kind: t for t in await tags.tags_of_issue(local.runtime.db, issue.id)}
    assert found[TagKind.RISK].value == "none"
    # The old buttons cannot change the kind afterwards.
    jo.press(jo.inbox[-2], f"k|{issue.id}|compliment")
    await local.settle()
    again = await issues.get_issue(local.runtime.db, issue.id)
    assert again is not None and again.kind == "problem"


async def test_another_persons_issue_cannot_be_touched(local: LocalBot, world: World) -> None:
    jo = await enrol(local, world, 602, "Jo", role=Role.CARER)
    kim = await enrol(local, world, 603, "Kim", role=Role.CARER)
    jo.send_text("The rota changes every week.")
    await local.settle()
    issue_id = await local.runtime.db.scalar("SELECT id FROM issues")
    kim.press(kim.last, f"k|{issue_id}|compliment")
    await local.settle()
    assert await local.runtime.db.scalar("SELECT kind FROM issues") is None
