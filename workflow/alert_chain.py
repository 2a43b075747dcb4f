"""Sending an alert along its chain, and on while nobody acts. Who it goes to, in what
order, who can be reached and how long each waits are the alert policy
(care/alert_policy.py): duty contact, backup contact, then the council's safeguarding
lead, passing over at once anyone who cannot be reached, and past the last chasing the
most senior who can be. Here each step becomes a message with its buttons, showing the
next person what happened so far, briefly: a chase that goes on for days names the first
step and the last two, and counts the rest, so its message stays the same size."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from carebot.care import alert_policy
from carebot.care.alert_policy import FOLLOW_UP, ChainStep, RiskLevel, Target, Waits
from carebot.care.references import alert_reference
from carebot.conversations import fitting
from carebot.conversations.texts import plural, text
from carebot.storage import alerts, directory, issues
from carebot.storage.alerts import Alert, AlertStep, Handover, NewAlert
from carebot.storage.models import (
    AlertKind,
    AlertOutcome,
    Buttons,
    Person,
    Purpose,
    Role,
    Service,
)
from carebot.storage.outbox import NewMessage
from carebot.translations.speaking import speaking
from carebot.translations.written_dates import short_day
from carebot.workflow.given import Given
from carebot.workflow.issue_messages import quoted

log = logging.getLogger(__name__)


# A chase shows every step before it while there are this many at most; after that, the
# first, a count of those between, and the last HISTORY_LAST.
HISTORY_WHOLE = 4
HISTORY_LAST = 2
WHY_SHOWN = 600  # characters of why words were flagged (the tags keep it all)


def wait_for(rt: Given, level: str) -> timedelta:
    """How long an alert of this level waits at each place, with this carebot's settings
    (the rule: care/alert_policy.py)."""
    return alert_policy.wait_for(RiskLevel(level), Waits.of(rt.config))


async def reachable_chain(rt: Given, service: Service) -> list[Target]:
    """The service's chain as it stands, with only those who can be reached."""
    return alert_policy.reachable_chain(await directory.alert_chain(rt.db, service))


def outcome_label(kind: AlertKind, outcome: AlertOutcome) -> str:
    """What a button says: for a request to talk, "I will get in touch", "We have talked"."""
    return text(f"alert.talk.{outcome}" if kind is AlertKind.TALK else f"alert.{outcome}")


def alert_buttons(alert_id: int, outcomes: tuple[AlertOutcome, ...], *,
                  kind: AlertKind = AlertKind.SAFEGUARDING, release: bool = False) -> Buttons:
    """What can still be said of the alert, and, always, a way to reach the person (and,
    for the council's lead, letting the provider see words that accuse its staff): the
    alert's kind first, then each outcome, then "release" (bot/keyboards.py builds it)."""
    return Buttons("alert", alert_id, (kind, *outcomes, *(("release",) if release else ())))


def handover(alert_id: int, target: Target | None, words: str, escalate_at: datetime,
             dedupe_key: str, kind: AlertKind = AlertKind.SAFEGUARDING,
             outcomes: tuple[AlertOutcome, ...] | None = None) -> Handover:
    """Give the alert to `target` with `words` and the three buttons; nobody: it waits,
    and the chain is looked at again after the wait."""
    if target is None:
        return Handover(ChainStep.DUTY_CONTACT, None, (), escalate_at)
    return Handover(target.step, target.person.id,
                    (alert_message(alert_id, target, words, dedupe_key, kind=kind,
                                   outcomes=outcomes),), escalate_at)


def alert_message(alert_id: int, target: Target, words: str, dedupe_key: str, *,
                  kind: AlertKind = AlertKind.SAFEGUARDING,
                  outcomes: tuple[AlertOutcome, ...] | None = None,
                  release: bool = False) -> NewMessage:
    """The alert as `target` sees it, with its buttons (`outcomes`: what may be said of
    it; by default all that may be said of a new one)."""
    assert target.person.chat_id is not None
    if outcomes is None:
        outcomes = alert_policy.next_outcomes(kind, None)
    return NewMessage(target.person.chat_id, Purpose.ALERT, person_id=target.person.id,
                      text=words, dedupe_key=dedupe_key,
                      buttons=alert_buttons(alert_id, outcomes, kind=kind, release=release))


@dataclass(frozen=True)
class AlertWords:
    """What the person acting needs: who wrote, who to check on (the person at risk, who
    may be the one a carer cares for), which service, the words, why they worry, and the
    problem they were also kept as (made before the alert is stored, so its reference is
    filled in as it is)."""

    kind: AlertKind
    level: str
    writer: str                # "": not known, said as "someone" in the reader's language
    carer: bool                # the writer is a carer, writing about the person they care for
    cared_for: str | None      # that person's name, if carebot knows it
    service: str
    words: str
    why: str
    issue: str | None = None
    forwarded_from: str | None = None  # the words were someone else's, forwarded by the writer

    def render(self, alert_id: int, language: str | None) -> str:
        """The alert in the reader's language (the person's words stay as they wrote them)."""
        with speaking(language):
            someone = text("alert.part.someone")
            return replace(self, writer=self.writer or someone,
                           forwarded_from=None if self.forwarded_from is None
                           else self.forwarded_from or someone)._render(alert_id)

    def _render(self, alert_id: int) -> str:
        reference = alert_reference(alert_id)
        if self.kind is AlertKind.TALK:
            asked = (text("alert.talk.carer", carer=self.writer, name=self.cared_for,
                          service=self.service, reference=reference)
                     if self.carer and self.cared_for is not None
                     else text("alert.talk", name=self.writer, service=self.service,
                               reference=reference))
            # After a worrying answer, the answer that led to it (the reason it was asked).
            return asked if not self.why else f"{asked}\n\n{self.why}"
        check_on, writer = self.writer, self.writer
        if self.carer:
            check_on = self.cared_for or text("alert.part.their_person", carer=self.writer)
            writer = text("alert.part.told_by", carer=self.writer)
        also = "" if self.issue is None else " " + text("alert.part.also_problem",
                                                        issue=self.issue)
        said = (text("alert.part.wrote", name=writer) if self.forwarded_from is None
                else text("alert.part.forwarded_by", name=writer, origin=self.forwarded_from))
        return text("alert.duty", level=text(f"alert.level.{self.level}"), name=check_on,
                    service=self.service, said=said, words=quoted(self.words),
                    why=fitting.shorten(self.why.replace("_", " "), WHY_SHOWN, "…"),
                    also=also, reference=reference)


async def alert_words(rt: Given, new: NewAlert, words: str | None) -> AlertWords:
    service = await directory.get_service(rt.db, new.service_id)
    assert service is not None
    about = await directory.get_person(rt.db, new.about_id)
    cared_for = (None if about is None or about.cares_for_id is None
                 else await directory.get_person(rt.db, about.cares_for_id))
    issue = None if new.issue_id is None else await issues.get_issue(rt.db, new.issue_id)
    return AlertWords(
        new.kind, new.level, "" if about is None else about.display_name,
        about is not None and about.role is Role.CARER,
        None if cared_for is None else cared_for.display_name, service.name, words or "",
        new.evidence or "", None if issue is None else issue.reference,
        None if issue is None or not issue.forwarded
        else issue.forwarded_from or "")


async def raise_and_send(rt: Given, service: Service, new: NewAlert,
                         words: str | None) -> tuple[int, Person | None]:
    """Keep a new alert and give it to the first person in the chain who can be reached;
    returns the alert id and that person (None: nobody could be reached)."""
    now = rt.clock.now()
    chain = await reachable_chain(rt, service)
    first = alert_policy.first_holder(chain)
    lead = alert_policy.lead_from_the_start(chain, new.names_staff)
    shown = await alert_words(rt, new, words)

    async with alerts.raising(rt.db, new, now) as raised:
        await raised.hand_over(_first_handover(raised.id, new, shown, first, lead,
                                               now + wait_for(rt, new.level)))
    alert_id = raised.id
    return alert_id, None if first is None else first.person


def _first_handover(alert_id: int, new: NewAlert, shown: AlertWords, first: Target | None,
                    lead: Target | None, escalate_at: datetime) -> Handover:
    """Who is sent a new alert first, with its words and buttons; one that accuses
    someone the provider employs goes to the council's lead from the start too, and the
    lead decides when the provider may see the name and words."""
    language = None if first is None else first.person.language
    first_step = handover(alert_id, first, shown.render(alert_id, language), escalate_at,
                          f"alert:{alert_id}", new.kind)
    if lead is None:
        return first_step
    to_lead = alert_message(alert_id, lead, shown.render(alert_id, lead.person.language),
                            f"alert:{alert_id}:lead", release=True)
    return replace(first_step, messages=(*first_step.messages, to_lead),
                   also_to=((lead.step, lead.person.id),))


def _when(at: datetime, zone: ZoneInfo, now: datetime) -> str:
    """The time of a step, with its day if that was not today."""
    local = at.astimezone(zone)
    if local.date() == now.astimezone(zone).date():
        return f"{local:%H:%M}"
    return text("alert.history.when", time=f"{local:%H:%M}", date=short_day(local))


async def _history(rt: Given, steps: list[AlertStep], now: datetime) -> str:
    """Who it went to so far, briefly: every step of a short chain; for a long chase the
    first step, how many came between and the last two, so the message never grows (the
    whole history is in the audit log, `carebot audit`)."""
    zone = ZoneInfo(rt.config.timezone)
    handed = [step for step in steps if step.what in ("sent", "escalated", "nobody")]
    shown: list[AlertStep | None] = list(handed)
    between = len(handed) - 1 - HISTORY_LAST
    if len(handed) > HISTORY_WHOLE:
        shown = [handed[0], None, *handed[-HISTORY_LAST:]]
    lines = []
    for step in shown:
        if step is None:
            lines.append(plural("alert.history.between", between))
            continue
        person = None if step.to_id is None else await directory.get_person(rt.db, step.to_id)
        lines.append(text(f"alert.history.{step.what}", time=_when(step.at, zone, now),
                          name=person.display_name if person else "",
                          role=text(f"chain.{step.step}")))
    return "\n".join(lines)


async def escalate_one(rt: Given, alert: Alert, now: datetime) -> bool:
    """Pass one alert nobody acted on to the next person who can be reached, or chase it
    with the most senior one; True if someone was sent it."""
    service = await directory.get_service(rt.db, alert.service_id)
    assert service is not None
    if alert.outcome is AlertOutcome.DEALING:  # taken, but nobody contacted yet
        return await _follow_up(rt, alert, service, now)
    climb = alert_policy.next_holder(await reachable_chain(rt, service), alert.holder_id,
                                     alert.step)
    target = climb.target
    again = NewAlert(alert.service_id, alert.about_id or 0, alert.level, alert.evidence,
                     issue_id=alert.issue_id, kind=alert.kind)
    shown = await alert_words(rt, again, await alerts.words_of(rt.db, alert))
    steps = await alerts.history(rt.db, alert.id)
    words = ""
    if target is not None:
        with speaking(target.person.language):
            words = text("alert.passed_on" if climb.passed_on else "alert.chased",
                         role=text(f"chain.{target.step}"), service=service.name,
                         history=await _history(rt, steps, now),
                         body=shown.render(alert.id, target.person.language))
    steps_so_far = len(steps)
    moved = await alerts.escalate(rt.db, alert, handover(
        alert.id, target, words, now + wait_for(rt, alert.level),
        f"alert:{alert.id}:{steps_so_far}", alert.kind, alerts.next_outcomes(alert)), now)
    if moved and target is None:
        log.error("alert %s for service %s: nobody in its chain can be reached; set a duty "
                  "contact, backup or safeguarding lead", alert_reference(alert.id), service.id)
    elif moved and target is not None:
        log.warning("alert %s not acted on: sent to person %s (%s)", alert_reference(alert.id),
                    target.person.id, text(f"chain.{target.step}"))
    return moved and target is not None


async def _follow_up(rt: Given, alert: Alert, service: Service, now: datetime) -> bool:
    """Ask whoever said they would deal with it whether they have contacted the person
    (talked, for a request to talk); if they can no longer be reached, it goes back to
    the start of the chain as if nobody had taken it."""
    taker = (None if alert.acknowledged_by is None
             else await directory.get_person(rt.db, alert.acknowledged_by))
    target = alert_policy.follow_up_target(taker, alert.step,
                                           await reachable_chain(rt, service))
    again = NewAlert(alert.service_id, alert.about_id or 0, alert.level, alert.evidence,
                     issue_id=alert.issue_id, kind=alert.kind)
    shown = await alert_words(rt, again, await alerts.words_of(rt.db, alert))
    talk = "talk." if alert.kind is AlertKind.TALK else ""
    language = None if target is None else target.person.language
    with speaking(language):
        words = text(f"alert.{talk}follow_up", body=shown.render(alert.id, language))
    steps_so_far = len(await alerts.history(rt.db, alert.id))
    moved = await alerts.escalate(rt.db, alert, handover(
        alert.id, target, words, now + FOLLOW_UP[alert.kind],
        f"alert:{alert.id}:{steps_so_far}", alert.kind, alerts.next_outcomes(alert)), now)
    return moved and target is not None
