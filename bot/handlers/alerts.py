"""A duty contact taps "I am dealing with this" on a safeguarding alert."""

from __future__ import annotations

from telegram import Update

from bot.buttons import AckButton
from bot.context import Context
from bot.handlers.common import (
    answer_query,
    note,
    on_tap,
    remove_buttons,
    reply,
    sender_of,
)
from conversations.references import alert_reference
from conversations.texts import text
from storage import alerts
from storage.models import EventKind, Role


@on_tap(AckButton)
async def ack_tap(update: Update, context: Context, tap: AckButton) -> None:
    rt = context.runtime
    person = await sender_of(update, rt)
    if person is None or person.role is not Role.DUTY_CONTACT or not await alerts.acknowledge(
            rt.db, tap.alert_id, person.id, rt.clock.now()):
        await note(rt, update, EventKind.FORGED_BUTTON, person, detail=f"ack {tap.alert_id}")
        await answer_query(update, text("odd.unknown_button"))
        return
    await answer_query(update)
    await remove_buttons(update)
    reference = alert_reference(tap.alert_id)
    await note(rt, update, EventKind.ALERT_ACKNOWLEDGED, person, detail=reference)
    await reply(rt, update, text("alert.acknowledged", reference=reference))
