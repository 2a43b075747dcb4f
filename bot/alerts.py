"""A risk never waits for a digest: worrying words alert the service's duty contact at once,
and the person is told what happens next."""

from __future__ import annotations

import logging

from telegram import Bot, Update

from bot.buttons import AckTap, markup, markup_to_json
from bot.context import Runtime, runtime_of
from bot.handlers.common import Context, answer_tap, note, remove_buttons, reply, sender_of
from bot.outbox_sender import send_pending
from conversations.texts import text
from storage import alerts, directory
from storage.models import Person, Role
from understanding.tagger import Tags

log = logging.getLogger(__name__)
QUOTE_LIMIT = 1500


def reference_for(alert_id: int) -> str:
    return f"A-{alert_id}"


async def alert_if_worrying(bot: Bot, rt: Runtime, person: Person, words: str, found: Tags, *,
                            answer_id: int | None = None,
                            issue_id: int | None = None) -> str | None:
    """Raise an alert for a concern or urgent risk; returns what to tell the person."""
    if found.risk == "none" or person.service_id is None:
        return None
    service = await directory.get_service(rt.db, person.service_id)
    assert service is not None
    duty = await directory.reachable_duty_contact(rt.db, service)
    why = ", ".join((*found.risk_reasons, *found.evidence.get("risk", ())))

    def message(alert_id: int) -> tuple[str, str | None]:
        words_shown = words if len(words) <= QUOTE_LIMIT else words[:QUOTE_LIMIT] + "…"
        body = text("alert.duty", level=found.risk, name=person.display_name,
                    service=service.name, words=words_shown, why=why,
                    reference=reference_for(alert_id))
        keyboard = markup((((str(alert_id), text("alert.ack")),),), "ack|")
        return body, markup_to_json(keyboard)

    alert_id = await alerts.raise_alert(
        rt.db, alerts.NewAlert(service.id, person.id, found.risk, why, answer_id, issue_id),
        duty_contact_id=service.duty_contact_id,
        duty_chat_id=duty.chat_id if duty is not None else None,
        make_message=message, now=rt.clock.now(),
    )
    log.warning("safeguarding %s alert %s for person %s at service %s", found.risk,
                reference_for(alert_id), person.id, service.id)
    await send_pending(bot, rt)  # now, not at the next tick
    if duty is None:
        log.error("safeguarding alert %s for service %s reached nobody: set a reachable "
                  "duty contact for it", reference_for(alert_id), service.id)
        return text("alert.no_contact")
    return text("alert.person", service=service.name)


async def ack_tap(update: Update, context: Context, tap: AckTap) -> None:
    rt = runtime_of(context)
    person = await sender_of(update, rt)
    if person is None or person.role is not Role.DUTY_CONTACT or not await alerts.acknowledge(
            rt.db, tap.alert_id, person.id, rt.clock.now()):
        await note(rt, update, "forged_button", person, detail=f"ack {tap.alert_id}")
        await answer_tap(update, text("odd.unknown_button"))
        return
    await answer_tap(update)
    await remove_buttons(update)
    await note(rt, update, "alert_acknowledged", person, detail=reference_for(tap.alert_id))
    await reply(update, text("alert.acknowledged", reference=reference_for(tap.alert_id)))
