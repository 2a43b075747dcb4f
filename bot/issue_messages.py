"""The messages an issue's life sends: news to the person who raised it, with Yes/No when
it closes, and notices to the staff of its service. Made here as outbox rows, so that
`issues.change_status` writes them in the same transaction as the change."""

from __future__ import annotations

from collections.abc import Sequence

from bot.buttons import IssueOkButton, keyboard, keyboard_to_json
from conversations import issue_news
from conversations.texts import text
from storage import directory
from storage.db import Database
from storage.models import Issue, Person, Purpose, Role, Service
from storage.outbox import NewMessage

QUOTE_LIMIT = 1500  # characters of a person's words shown to staff; all are kept


def quoted(words: str) -> str:
    return words if len(words) <= QUOTE_LIMIT else words[:QUOTE_LIMIT] + "…"


async def organisation_name(db: Database, staff: Person | None, service: Service) -> str:
    """Who the person is told is acting: the staff member's organisation, else the
    service's provider."""
    if staff is not None and staff.organisation_id is not None:
        organisation = await directory.get_organisation(db, staff.organisation_id)
        if organisation is not None:
            return organisation.name
    return service.provider_name


async def who_is(db: Database, person: Person) -> str:
    """A person as staff need to know them: a carer with who they care for."""
    if person.role is Role.CARER and person.cares_for_id is not None:
        cared_for = await directory.get_person(db, person.cares_for_id)
        if cared_for is not None:
            return text("who.carer", name=person.display_name, cares_for=cared_for.display_name)
    return person.display_name


def news_for(raiser: Person | None, issue: Issue, organisation: str,
             note: str | None) -> list[NewMessage]:
    """The message telling the person who raised `issue` where it is now (none if they
    cannot be reached); a closed issue asks them whether that was OK."""
    if directory.reachable(raiser) is None:
        return []
    assert raiser is not None and raiser.chat_id is not None
    words = issue_news.news_for_raiser(status=issue.status, kind=issue.kind,
                                       reference=issue.reference, organisation=organisation,
                                       note=note)
    markup = None
    if issue_news.asks_if_ok(issue.status):
        markup = keyboard_to_json(keyboard([[
            (IssueOkButton(issue.id, True), text("issue.ok.yes")),
            (IssueOkButton(issue.id, False), text("issue.ok.no"))]]))
    return [NewMessage(raiser.chat_id, Purpose.ISSUE_NEWS, person_id=raiser.id, text=words,
                       reply_markup=markup)]


def notices_for(staff: Sequence[Person], words: str, *, daily_too: bool) -> list[NewMessage]:
    """The same notice to each member of staff; providers who chose a daily summary are
    left out unless `daily_too` (e.g. an issue opened again, which cannot wait)."""
    return [NewMessage(person.chat_id, Purpose.ISSUE_NOTICE, person_id=person.id, text=words)
            for person in staff if person.chat_id is not None and
            (daily_too or person.role is not Role.PROVIDER or person.issue_notices == "each")]


async def new_issue_notices(db: Database, issue: Issue, raiser: Person,
                            kind: str) -> list[NewMessage]:
    """Telling staff of feedback the person has just said is a `kind` (a problem)."""
    service = await directory.get_service(db, issue.service_id)
    assert service is not None
    words = text("issues.new", kind=issue_news.kind_word(kind), reference=issue.reference,
                 service=service.name, name=await who_is(db, raiser), words=quoted(issue.text))
    return notices_for(await directory.issue_staff(db, service), words, daily_too=False)


async def reopened_notices(db: Database, issue: Issue, raiser: Person) -> list[NewMessage]:
    service = await directory.get_service(db, issue.service_id)
    assert service is not None
    words = text("issues.reopened", reference=issue.reference, service=service.name,
                 name=await who_is(db, raiser))
    return notices_for(await directory.issue_staff(db, service), words, daily_too=True)
