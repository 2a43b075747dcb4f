"""Whose record a button is about: for each `Mine` a button may declare (bot/buttons.py),
the one check the tap guard makes (`on_person_tap`, bot/handlers/declared.py), and the
lookups handlers share when they act on the record."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from carebot.bot.buttons import Mine
from carebot.bot.context import Runtime
from carebot.storage import alerts, checkins, directory, issues, read_list
from carebot.storage.alerts import Alert
from carebot.storage.models import Issue, Person, Role, Service


async def told_alert(rt: Runtime, person: Person, alert_id: int | None) -> Alert | None:
    """The alert, if it was sent to this person (only they may act on it)."""
    if alert_id is None or not await alerts.was_told(rt.db, alert_id, person.id):
        return None
    return await alerts.get_alert(rt.db, alert_id)


async def may_release(rt: Runtime, person: Person, alert: Alert) -> bool:
    """Only the council's safeguarding lead lets the provider see words that accuse one
    of its staff."""
    if not alert.names_staff:
        return False
    service = await directory.get_service(rt.db, alert.service_id)
    return service is not None and await directory.safeguarding_lead_id(
        rt.db, service.council_id) == person.id


async def issue_for(rt: Runtime, staff: Person, issue_id: int | None) -> Issue | None:
    """The issue, if it is at one of this member of staff's services."""
    issue = None if issue_id is None else await issues.get_issue(rt.db, issue_id)
    if issue is None:
        return None
    covered = {s.id for s in await directory.services_for_staff(rt.db, staff)}
    return issue if issue.service_id in covered else None


async def service_for(rt: Runtime, staff: Person, service_id: int | None) -> Service | None:
    """The service, if this member of staff looks after it."""
    found = [s for s in await directory.services_for_staff(rt.db, staff) if s.id == service_id]
    return found[0] if found else None


async def _checkin(rt: Runtime, person: Person, checkin_id: int) -> bool:
    checkin = await checkins.get_checkin(rt.db, checkin_id)
    return checkin is not None and checkin.person_id == person.id


async def _raised_issue(rt: Runtime, person: Person, issue_id: int) -> bool:
    issue = await issues.get_issue(rt.db, issue_id)
    return issue is not None and issue.raised_by_id == person.id


async def _service_issue(rt: Runtime, person: Person, issue_id: int) -> bool:
    return await issue_for(rt, person, issue_id) is not None


async def _told_alert(rt: Runtime, person: Person, alert_id: int) -> bool:
    return await told_alert(rt, person, alert_id) is not None


async def _releasable_alert(rt: Runtime, person: Person, alert_id: int) -> bool:
    alert = await told_alert(rt, person, alert_id)
    return alert is not None and await may_release(rt, person, alert)


async def _read_item(rt: Runtime, person: Person, item_id: int) -> bool:
    """At a service they read for; a provider is not shown what may accuse its staff or
    says someone does not feel safe with them (storage/read_list.py)."""
    item = await read_list.get_item(rt.db, item_id)
    if item is None or await service_for(rt, person, item.service_id) is None:
        return False
    return person.role is not Role.PROVIDER or item.shown_to_provider


async def _service(rt: Runtime, person: Person, service_id: int) -> bool:
    return await service_for(rt, person, service_id) is not None


CHECKS: dict[Mine, Callable[[Runtime, Person, int], Awaitable[bool]]] = {
    Mine.CHECKIN: _checkin,
    Mine.RAISED_ISSUE: _raised_issue,
    Mine.SERVICE_ISSUE: _service_issue,
    Mine.TOLD_ALERT: _told_alert,
    Mine.RELEASABLE_ALERT: _releasable_alert,
    Mine.SERVICE: _service,
    Mine.READ_ITEM: _read_item,
}


async def owns(rt: Runtime, person: Person, mine: Mine, record_id: int) -> bool:
    """Whether the record a tap is about is this person's, as the button declares."""
    return await CHECKS[mine](rt, person, record_id)
