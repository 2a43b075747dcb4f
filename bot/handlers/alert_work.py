"""Acting on an alert: anyone it was sent to taps [I will deal with it], [Contacted them]
or [Not a concern] (which asks for a reason). The first act stops the chain; the others
who were sent it are told who acted. A note they type next is kept on the alert."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from carebot.bot.buttons import AckButton, ReleaseButton
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers.common import answer_query, note, reply, set_buttons
from carebot.bot.handlers.declared import notes_of, on_person_tap
from carebot.bot.handlers.owners import may_release, told_alert
from carebot.bot.keyboards import keyboard_of
from carebot.bot.outbox_sender import send_pending
from carebot.care.alert_policy import FOLLOW_UP, reachable
from carebot.care.references import alert_reference
from carebot.conversations.texts import text
from carebot.storage import alerts, directory, drafts, issues
from carebot.storage.alerts import Alert
from carebot.storage.drafts import Draft
from carebot.storage.models import (
    AlertKind,
    AlertOutcome,
    DraftPurpose,
    EventKind,
    IssueKind,
    Person,
    Purpose,
)
from carebot.storage.outbox import NewMessage
from carebot.translations.speaking import speaking
from carebot.workflow.alert_chain import alert_buttons, outcome_label
from carebot.workflow.issue_messages import new_issue_notices

NOTE_WINDOW = timedelta(hours=24)  # a note typed this soon after an alert may be about it


async def tapped_alert(update: Update, rt: Runtime, alert_id: int) -> Alert:
    """The alert a button was tapped on, once the guard has found it was sent to the
    tapper; the tap is answered."""
    alert = await alerts.get_alert(rt.db, alert_id)
    assert alert is not None  # sent to them: the guard looked
    await answer_query(update)
    return alert


async def _others_told(rt: Runtime, alert: Alert, actor: Person,
                       outcome: AlertOutcome) -> list[NewMessage]:
    """Everyone else the alert went to hears who acted, so nobody acts twice."""
    told = {step.to_id for step in await alerts.history(rt.db, alert.id) if step.to_id}
    messages = []
    for person_id in sorted(told - {actor.id}):
        person = reachable(await directory.get_person(rt.db, person_id))
        if person is not None and person.chat_id is not None:
            with speaking(person.language):
                words = text("alert.acted", name=actor.display_name,
                             reference=alert_reference(alert.id),
                             outcome=outcome_label(alert.kind, outcome))
            messages.append(NewMessage(person.chat_id, Purpose.ALERT, person_id=person.id,
                                       text=words,
                                       dedupe_key=f"acted:{alert.id}:{outcome}:{person.id}"))
    return messages


async def act_on(context: Context, update: Update, person: Person, alert: Alert,
                 outcome: AlertOutcome, reason: str | None) -> str:
    """Record what the person did, tell the others, and what to say back."""
    rt = context.runtime
    reference = alert_reference(alert.id)
    now = rt.clock.now()
    tell = await _others_told(rt, alert, person, outcome)
    if alert.kind is AlertKind.TALK and outcome is AlertOutcome.DEALING:
        tell += await _talk_taken(rt, alert, person)
    acted = await alerts.act(rt.db, alert_id=alert.id, by_id=person.id, outcome=outcome,
                             note=reason, now=now, tell=tell,
                             follow_up_at=now + FOLLOW_UP[alert.kind])
    if acted is None:
        return text("alert.moved_on", reference=reference)
    await note(rt, update, EventKind.ALERT_ACKNOWLEDGED, person, detail=f"{reference} {outcome}")
    await send_pending(context.bot, rt)
    if outcome is not AlertOutcome.NOT_A_CONCERN:
        await drafts.start_draft(rt.db, person_id=person.id, purpose=DraftPurpose.ALERT_NOTE,
                                 target_id=alert.id, now=now)
    talk = "talk." if alert.kind is AlertKind.TALK else ""
    return text(f"alert.{talk}done.{outcome}", reference=reference)


async def person_of(rt: Runtime, alert: Alert) -> Person | None:
    """Who the alert's words came from (or who asked to talk), if carebot can still
    reach them."""
    if alert.about_id is None:
        return None
    return reachable(await directory.get_person(rt.db, alert.about_id))


async def _talk_taken(rt: Runtime, alert: Alert, staff: Person) -> list[NewMessage]:
    """The person who asked to talk hears who will get in touch."""
    asked = await person_of(rt, alert)
    service = await directory.get_service(rt.db, alert.service_id)
    if asked is None or asked.chat_id is None or service is None:
        return []
    with speaking(asked.language):
        words = text("alert.talk.taken", name=staff.display_name, service=service.name)
    return [NewMessage(asked.chat_id, Purpose.REPLY, person_id=asked.id, text=words,
                       dedupe_key=f"talk-taken:{alert.id}")]


@on_person_tap(AckButton)
async def ack_tap(update: Update, context: Context, tap: AckButton, person: Person) -> None:
    rt = context.runtime
    alert = await tapped_alert(update, rt, tap.alert_id)
    outcome = AlertOutcome(tap.outcome)
    if outcome not in alerts.next_outcomes(alert):
        await reply(rt, update, text("alert.moved_on", reference=alert_reference(alert.id)))
        return
    if outcome is AlertOutcome.NOT_A_CONCERN:
        await drafts.start_draft(rt.db, person_id=person.id, purpose=DraftPurpose.NOT_A_CONCERN,
                                 target_id=alert.id, now=rt.clock.now())
        await reply(rt, update, text("alert.ask_reason", reference=alert_reference(alert.id)))
        return
    words = await act_on(context, update, person, alert, outcome, None)
    after = await alerts.get_alert(rt.db, alert.id)
    if after is not None:
        release = await may_release(rt, person, after) and not after.released
        await set_buttons(update, keyboard_of(alert_buttons(
            alert.id, alerts.next_outcomes(after), kind=after.kind, release=release)))
    await reply(rt, update, words)


@on_person_tap(ReleaseButton)
async def release_tap(update: Update, context: Context, tap: ReleaseButton,
                      person: Person) -> None:
    """The lead lets the provider see the problem's name and words (the notice they had
    said only that there was one)."""
    rt = context.runtime
    alert = await tapped_alert(update, rt, tap.alert_id)
    issue = None if alert.issue_id is None else await issues.get_issue(rt.db, alert.issue_id)
    raiser = None if issue is None else await directory.get_person(rt.db, issue.raised_by_id)
    tell = ([] if issue is None or raiser is None
            else await new_issue_notices(rt.db, issue, raiser, IssueKind.PROBLEM))
    reference = alert_reference(alert.id)
    if not await alerts.release(rt.db, alert.id, rt.clock.now(), tell):
        await reply(rt, update, text("alert.released_before", reference=reference))
        return
    await note(rt, update, EventKind.ALERT_RELEASED, person, detail=reference)
    await send_pending(context.bot, rt)
    await reply(rt, update, text("alert.released", reference=reference))


async def loose_note(rt: Runtime, person: Person) -> bool:
    """Someone typing with no note started, who was sent an alert in the last day: what
    they type is taken as a note on it (shown to them to confirm first)."""
    alert = await alerts.latest_told(rt.db, person.id, rt.clock.now() - NOTE_WINDOW)
    if alert is None:
        return False
    await drafts.start_draft(rt.db, person_id=person.id, purpose=DraftPurpose.ALERT_NOTE,
                             target_id=alert.id, now=rt.clock.now())
    return True


async def preview_note(rt: Runtime, person: Person, draft: Draft) -> str | None:
    alert = await told_alert(rt, person, draft.target_id)
    if alert is None:
        return None
    key = ("alert.reason_confirm" if draft.purpose is DraftPurpose.NOT_A_CONCERN
           else "alert.note_confirm")
    return text(key, reference=alert_reference(alert.id), note=draft.text)


async def save_note(context: Context, update: Update, person: Person, draft: Draft) -> str:
    rt = context.runtime
    alert = await told_alert(rt, person, draft.target_id)
    if alert is None or draft.text is None:
        return text("draft.gone")
    if draft.purpose is DraftPurpose.NOT_A_CONCERN:
        return await act_on(context, update, person, alert, AlertOutcome.NOT_A_CONCERN,
                            draft.text)
    await alerts.add_note(rt.db, alert_id=alert.id, by_id=person.id, note=draft.text,
                          now=rt.clock.now())
    return text("alert.note_saved", reference=alert_reference(alert.id))


notes_of(DraftPurpose.ALERT_NOTE, DraftPurpose.NOT_A_CONCERN, preview=preview_note, send=save_note)
