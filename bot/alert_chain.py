"""Who an alert goes to, and who next while nobody acts. The chain for a service is its
duty contact, its backup contact, then the council's safeguarding lead; anyone who cannot
be reached (not set, left, blocked the bot) is passed over at once. After the last,
the alert is chased with the most senior person who can be reached, each wait, until
someone acts. Each step shows the next person what happened so far."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.buttons import AckButton, keyboard, keyboard_to_json
from bot.context import Runtime
from bot.issue_messages import quoted, who_is
from conversations.references import alert_reference
from conversations.texts import text
from storage import alerts, directory
from storage.alerts import Alert, Handover, NewAlert
from storage.models import AlertKind, AlertOutcome, Person, Purpose, Service
from storage.outbox import NewMessage

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Target:
    step: int       # 0: duty contact, 1: backup contact, 2: safeguarding lead
    person: Person


def wait_for(rt: Runtime, level: str) -> timedelta:
    minutes = (rt.config.alert_escalate_urgent_minutes if level == "urgent"
               else rt.config.alert_escalate_minutes)
    return timedelta(minutes=minutes)


async def reachable_chain(rt: Runtime, service: Service) -> list[Target]:
    chain = await directory.alert_chain(rt.db, service)
    return [Target(step, person) for step, person in enumerate(chain)
            if directory.reachable(person) is not None and person is not None]


def alert_keyboard(alert_id: int, outcomes: tuple[AlertOutcome, ...]) -> str | None:
    if not outcomes:
        return None
    return keyboard_to_json(keyboard([[(AckButton(alert_id, outcome), text(f"alert.{outcome}"))]
                                      for outcome in outcomes]))


def handover(alert_id: int, target: Target | None, words: str, escalate_at: datetime,
             dedupe_key: str) -> Handover:
    """Give the alert to `target` with `words` and the three buttons; nobody: it waits,
    and the chain is looked at again after the wait."""
    if target is None:
        return Handover(0, None, (), escalate_at)
    assert target.person.chat_id is not None
    message = NewMessage(target.person.chat_id, Purpose.ALERT, person_id=target.person.id,
                         text=words, reply_markup=alert_keyboard(alert_id, tuple(AlertOutcome)),
                         dedupe_key=dedupe_key)
    return Handover(target.step, target.person.id, (message,), escalate_at)


@dataclass(frozen=True)
class AlertWords:
    """What the person acting needs: who, which service, what they said, why it worries
    (made before the alert is stored, so its reference is filled in as it is)."""

    kind: AlertKind
    level: str
    name: str
    service: str
    words: str
    why: str

    def render(self, alert_id: int) -> str:
        reference = alert_reference(alert_id)
        if self.kind is AlertKind.TALK:
            return text("alert.talk", name=self.name, service=self.service, reference=reference)
        return text("alert.duty", level=self.level, name=self.name, service=self.service,
                    words=quoted(self.words), why=self.why, reference=reference)


async def alert_words(rt: Runtime, new: NewAlert, words: str | None) -> AlertWords:
    service = await directory.get_service(rt.db, new.service_id)
    assert service is not None
    about = await directory.get_person(rt.db, new.about_id)
    name = await who_is(rt.db, about) if about is not None else "someone"
    return AlertWords(new.kind, new.level, name, service.name, words or "", new.evidence or "")


async def raise_and_send(rt: Runtime, service: Service, new: NewAlert,
                         words: str | None) -> tuple[int, Person | None]:
    """Keep a new alert and give it to the first person in the chain who can be reached;
    returns the alert id and that person (None: nobody could be reached)."""
    now = rt.clock.now()
    chain = await reachable_chain(rt, service)
    first = chain[0] if chain else None
    shown = await alert_words(rt, new, words)
    alert_id = await alerts.raise_alert(
        rt.db, new, now=now, hand_over=lambda alert_id: handover(
            alert_id, first, shown.render(alert_id), now + wait_for(rt, new.level),
            f"alert:{alert_id}"))
    return alert_id, None if first is None else first.person


async def _history(rt: Runtime, alert: Alert) -> str:
    zone = ZoneInfo(rt.config.timezone)
    lines = []
    for step in await alerts.history(rt.db, alert.id):
        if step.what not in ("sent", "escalated", "nobody"):
            continue
        person = None if step.to_id is None else await directory.get_person(rt.db, step.to_id)
        lines.append(text(f"alert.history.{step.what}", time=f"{step.at.astimezone(zone):%H:%M}",
                          name=person.display_name if person else "",
                          role=text(f"chain.{step.step}")))
    return "\n".join(lines)


async def escalate_one(rt: Runtime, alert: Alert, now: datetime) -> bool:
    """Pass one alert nobody acted on to the next person who can be reached, or chase it
    with the most senior one; True if someone was sent it."""
    service = await directory.get_service(rt.db, alert.service_id)
    assert service is not None
    chain = await reachable_chain(rt, service)
    higher = [t for t in chain if alert.holder_id is None or t.step > alert.step]
    target = higher[0] if higher else (chain[-1] if chain else None)
    again = NewAlert(alert.service_id, alert.about_id or 0, alert.level, alert.evidence,
                     kind=alert.kind)
    body = (await alert_words(rt, again, await alerts.words_of(rt.db, alert))).render(alert.id)
    history = await _history(rt, alert)
    words = "" if target is None else text(
        "alert.passed_on" if higher else "alert.chased", role=text(f"chain.{target.step}"),
        service=service.name, history=history, body=body)
    steps_so_far = len(await alerts.history(rt.db, alert.id))
    moved = await alerts.escalate(rt.db, alert, handover(
        alert.id, target, words, now + wait_for(rt, alert.level),
        f"alert:{alert.id}:{steps_so_far}"), now)
    if moved and target is None:
        log.error("alert %s for service %s: nobody in its chain can be reached; set a duty "
                  "contact, backup or safeguarding lead", alert_reference(alert.id), service.id)
    elif moved and target is not None:
        log.warning("alert %s not acted on: sent to person %s (%s)", alert_reference(alert.id),
                    target.person.id, text(f"chain.{target.step}"))
    return moved and target is not None
