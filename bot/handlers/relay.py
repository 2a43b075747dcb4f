"""Writing to the person an alert is about, through carebot: anyone the alert was sent to
taps [Message them here], types a message, sees it and sends it; it reaches the person
(or the carer who told us) with their service's name, and what they write back in the
next `TALKING_FOR` comes to that member of staff instead of being kept as new feedback.
Every message both ways is kept on the alert's record (storage/alert_messages.py)."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from carebot.bot.buttons import MessageThemButton
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers.alert_work import person_of, tapped_alert
from carebot.bot.handlers.common import Said, note, reply
from carebot.bot.handlers.declared import notes_of, on_person_tap
from carebot.bot.handlers.owners import told_alert
from carebot.bot.outbox_sender import send_pending
from carebot.care.alert_policy import reachable
from carebot.care.references import alert_reference
from carebot.conversations.texts import text
from carebot.storage import alert_messages, checkins, directory, drafts
from carebot.storage.drafts import Draft
from carebot.storage.models import Buttons, DraftPurpose, EventKind, Person, Purpose
from carebot.storage.outbox import NewMessage
from carebot.translations.speaking import speaking

TALKING_FOR = timedelta(hours=48)  # after staff last wrote, the person's words go to them


@on_person_tap(MessageThemButton)
async def message_tap(update: Update, context: Context, tap: MessageThemButton,
                      staff: Person) -> None:
    rt = context.runtime
    alert = await tapped_alert(update, rt, tap.alert_id)
    person = await person_of(rt, alert)
    if person is None:
        await reply(rt, update, text("alert.message_nobody"))
        return
    await drafts.start_draft(rt.db, person_id=staff.id, purpose=DraftPurpose.MESSAGE,
                             target_id=alert.id, now=rt.clock.now())
    await reply(rt, update, text("alert.message_ask", name=person.display_name))


async def preview(rt: Runtime, staff: Person, draft: Draft) -> str | None:
    alert = await told_alert(rt, staff, draft.target_id)
    person = None if alert is None else await person_of(rt, alert)
    if person is None:
        return None
    return text("alert.message_confirm", name=person.display_name, note=draft.text)


async def send(context: Context, update: Update, staff: Person, draft: Draft) -> str:
    rt = context.runtime
    alert = await told_alert(rt, staff, draft.target_id)
    person = None if alert is None else await person_of(rt, alert)
    if alert is None or person is None or draft.text is None or person.chat_id is None:
        return text("draft.gone")
    service = await directory.get_service(rt.db, alert.service_id)
    assert service is not None
    with speaking(person.language):
        words = text("alert.message_to_person", staff=staff.display_name,
                     service=service.name, words=draft.text)
    await alert_messages.to_person(
        rt.db, alert_id=alert.id, staff_id=staff.id, person_id=person.id, words=draft.text,
        now=rt.clock.now(), message=NewMessage(person.chat_id, Purpose.REPLY,
                                               person_id=person.id, text=words))
    await note(rt, update, EventKind.ALERT_MESSAGE, staff, detail=alert_reference(alert.id))
    await send_pending(context.bot, rt)
    return text("alert.message_sent", name=person.display_name,
                reference=alert_reference(alert.id))


notes_of(DraftPurpose.MESSAGE, preview=preview, send=send)


async def passed_to_staff(update: Update, context: Context, person: Person,
                          said: Said) -> bool:
    """A person's words while a member of staff is talking with them about an alert go to
    that member of staff (not kept as new feedback); False if nobody is. While a check-in
    question waits, only a reply to the staff's message goes to them."""
    rt = context.runtime
    now = rt.clock.now()
    talking = await alert_messages.talking_with(rt.db, person.id, now - TALKING_FOR)
    if talking is None:
        return False
    message = update.effective_message
    replying = message is not None and message.reply_to_message is not None
    if not replying and await checkins.open_checkin_of(rt.db, person.id) is not None:
        return False
    staff = reachable(await directory.get_person(rt.db, talking.staff_id))
    if staff is None or staff.chat_id is None:
        return False
    reference = alert_reference(talking.alert_id)
    with speaking(staff.language):
        words = text("alert.reply_from_person", name=person.display_name,
                     reference=reference, words=said.words)
    forward = NewMessage(staff.chat_id, Purpose.ALERT, person_id=staff.id, text=words,
                         buttons=Buttons("message_them", talking.alert_id))
    await alert_messages.from_person(rt.db, talking=talking, person_id=person.id,
                                     words=said.words, message_id=said.message_id, now=now,
                                     message=forward)
    await send_pending(context.bot, rt)
    await reply(rt, update, text("alert.reply_passed", staff=staff.display_name))
    return True
