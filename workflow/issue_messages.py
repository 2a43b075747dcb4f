"""The messages an issue's life sends: news to the person who raised it, with Yes/No when
it closes, notices to the staff of its service, and the chasing of a problem nobody
reads. Made here as outbox rows, so that storage writes them in the same transaction as
the change that causes them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from carebot.care.alert_policy import reachable
from carebot.care.issue_moves import asks_if_ok, moves_open
from carebot.conversations import issue_news
from carebot.conversations.texts import text
from carebot.storage import alerts, directory, issues
from carebot.storage.db import Database, to_db_time
from carebot.storage.models import (
    Buttons,
    Issue,
    IssueKind,
    IssueStatus,
    Person,
    Purpose,
    Role,
    Service,
)
from carebot.storage.outbox import NewMessage
from carebot.translations.speaking import InEachLanguage, said_in_each, speaking
from carebot.translations.written_dates import day_and_month
from carebot.workflow.given import Given

QUOTE_LIMIT = 1500  # characters of a person's words shown to staff; all are kept

def issue_buttons(issue: Issue) -> Buttons | None:
    """The moves open to an issue where it stands; none once it is closed. The same in
    /issues and on a reminder, so staff can act where they read it."""
    moves = moves_open(issue.status)
    return Buttons("issue", issue.id, moves) if moves else None


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


def passed_on(issue: Issue, name: str) -> str:
    """Who staff are told an issue is from: someone else's words forwarded by the person
    say so, so nobody takes them for the person's own."""
    if not issue.forwarded:
        return name
    return text("who.forwarded", name=name,
                origin=issue.forwarded_from or text("alert.part.someone"))


async def described(db: Database, issue: Issue, service: str, timezone: str) -> str:
    """An issue as staff see it: what, where, from whom, when, where it stands, the words;
    without the name and words while they may accuse a member of staff and the council's
    lead has not let the provider see them (as `new_issue_notices` held them back)."""
    raised = issue.created_at.astimezone(ZoneInfo(timezone))
    if await alerts.held_from_provider(db, issue.id):
        return text("issues.item_held", reference=issue.reference,
                    kind=issue_news.a_kind(issue.kind), service=service,
                    date=day_and_month(raised), status=issue_news.status_word(issue.status))
    raiser = await directory.get_person(db, issue.raised_by_id)
    return text("issues.item", reference=issue.reference, kind=issue_news.a_kind(issue.kind),
                service=service,
                name=passed_on(issue, await who_is(db, raiser) if raiser
                               else text("alert.part.someone")),
                date=day_and_month(raised), status=issue_news.status_word(issue.status),
                words=quoted(issue.text))


async def saved_words(db: Database, issue: Issue) -> str:
    """What the person is told once they say what kind their feedback is, promising only
    what happens: a problem is worked and chased, so they will hear what happens; a thank
    you is passed on, and that is all; an idea is passed on, and they hear if anyone
    answers it. Passed on to whoever new_issue_notices tells: the service's provider, or
    else the council; if nobody can be told, they are told that too."""
    if issue.kind not in (IssueKind.COMPLIMENT, IssueKind.IDEA):
        return text("feedback.saved", reference=issue.reference)
    service = await directory.get_service(db, issue.service_id)
    assert service is not None
    roles = {person.role for person in await directory.issue_staff(db, service)}
    council = await directory.get_organisation(db, service.council_id)
    if Role.PROVIDER in roles or Role.COMMISSIONER not in roles or council is None:
        to = service.name
    else:
        to = council.name
    key = (f"feedback.saved.{issue.kind}" if roles else "feedback.saved.nobody")
    return text(key, reference=issue.reference, service=to)


def news_for(raiser: Person | None, issue: Issue, organisation: str,
             note: str | None) -> list[NewMessage]:
    """The message telling the person who raised `issue` where it is now (none if they
    cannot be reached); a closed issue asks them whether that was OK."""
    if reachable(raiser) is None:
        return []
    assert raiser is not None and raiser.chat_id is not None
    with speaking(raiser.language):
        words = issue_news.news_for_raiser(status=issue.status, kind=issue.kind,
                                           reference=issue.reference,
                                           organisation=organisation, note=note)
    buttons = Buttons("issue_ok", issue.id) if asks_if_ok(issue.status) else None
    return [NewMessage(raiser.chat_id, Purpose.ISSUE_NEWS, person_id=raiser.id, text=words,
                       buttons=buttons)]


def notices_for(staff: Sequence[Person], words: InEachLanguage, *,
                daily_too: bool) -> list[NewMessage]:
    """The same notice to each member of staff, in their language; providers who chose a
    daily summary are left out unless `daily_too` (e.g. an issue opened again, which
    cannot wait)."""
    return [NewMessage(person.chat_id, Purpose.ISSUE_NOTICE, person_id=person.id,
                       text=words[person.language])
            for person in staff if person.chat_id is not None and
            (daily_too or person.role is not Role.PROVIDER or person.issue_notices == "each")]


async def new_issue_notices(db: Database, issue: Issue, raiser: Person,
                            kind: str, *, names_staff: bool = False) -> list[NewMessage]:
    """Telling staff of feedback the person has just said is a `kind`: a problem to work
    on, a thank you to pass on to the team, or an idea to answer. Words that accuse
    someone paid to care are for the council's safeguarding team first: the provider, who
    employs them, is told there is one, without the name or the words."""
    service = await directory.get_service(db, issue.service_id)
    assert service is not None
    key = (f"issues.new.{kind}" if kind in (IssueKind.COMPLIMENT, IssueKind.IDEA)
           else "issues.new")
    staff = await directory.issue_staff(db, service)

    async def notice() -> str:
        if names_staff:
            return text("issues.new_held", reference=issue.reference, service=service.name)
        name = passed_on(issue, await who_is(db, raiser))  # "(who cares for Meg)", theirs
        return text(key, kind=issue_news.kind_word(kind), reference=issue.reference,
                    service=service.name, name=name, words=quoted(issue.text))
    words = await said_in_each((p.language for p in staff), notice)
    return notices_for(staff, words, daily_too=False)


async def reopened_notices(db: Database, issue: Issue, raiser: Person) -> list[NewMessage]:
    service = await directory.get_service(db, issue.service_id)
    assert service is not None
    staff = await directory.issue_staff(db, service)

    async def notice() -> str:
        return text("issues.reopened", reference=issue.reference, service=service.name,
                    name=await who_is(db, raiser))
    words = await said_in_each((p.language for p in staff), notice)
    return notices_for(staff, words, daily_too=True)


# Chasing a problem nobody has marked seen (workflow/issue_chasing.py decides when).


def _chase_key(step: str, issue: Issue, person: Person) -> str:
    """One message per step, wait and person, even if the step were written twice."""
    since = to_db_time(issue.updated_at or issue.created_at)
    return f"chase:{step}:{issue.id}:{since}:{person.id}"


def _to_staff(staff: Sequence[Person], words: InEachLanguage, issue: Issue,
              step: str) -> list[NewMessage]:
    """The same words to each, in their language, with the issue's buttons: they can act
    where they read it."""
    buttons = issue_buttons(issue)
    return [NewMessage(person.chat_id, Purpose.ISSUE_NOTICE, person_id=person.id,
                       text=words[person.language],
                       buttons=buttons, dedupe_key=_chase_key(step, issue, person))
            for person in staff if person.chat_id is not None]


async def reminder_messages(db: Database, issue: Issue, service: Service, now: datetime,
                            timezone: str) -> list[NewMessage]:
    """A reminder to the provider's staff who hear of the service's problems (those who
    chose a daily summary too: it is overdue), naming the problem and how long it has
    waited."""
    providers = [p for p in await directory.issue_staff(db, service) if p.role is Role.PROVIDER]

    async def reminder() -> str:
        return text("issues.remind", reference=issue.reference,
                    waited=_waited(issue, now, timezone),
                    item=await described(db, issue, service.name, timezone))
    words = await said_in_each((p.language for p in providers), reminder)
    return _to_staff(providers, words, issue, "remind")


async def escalation_messages(db: Database, issue: Issue, service: Service, now: datetime,
                              timezone: str) -> list[NewMessage]:
    """The council's commissioners are told, and so is the person who raised it: that it is
    late, and which organisations know (never a member of staff's name)."""
    staff = await directory.issue_staff(db, service)
    commissioners = [p for p in staff if p.role is Role.COMMISSIONER]
    key = ("issues.escalated" if any(p.role is Role.PROVIDER for p in staff)
           else "issues.escalated.unreached")

    async def escalation() -> str:
        return text(key, reference=issue.reference, waited=_waited(issue, now, timezone),
                    provider=service.provider_name,
                    item=await described(db, issue, service.name, timezone))
    words = await said_in_each((p.language for p in commissioners), escalation)
    told = _to_staff(commissioners, words, issue, "escalate")
    return told + await _late_news(db, issue, service, council_told=bool(told))


async def _late_news(db: Database, issue: Issue, service: Service,
                     council_told: bool) -> list[NewMessage]:
    raiser = reachable(await directory.get_person(db, issue.raised_by_id))
    if raiser is None or raiser.chat_id is None:
        return []
    council = await directory.get_organisation(db, service.council_id)
    with speaking(raiser.language):
        words = (text("issue.late", reference=issue.reference,
                      provider=service.provider_name, council=council.name)
                 if council_told and council is not None else
                 text("issue.late.no_council", reference=issue.reference,
                      provider=service.provider_name))
    return [NewMessage(raiser.chat_id, Purpose.ISSUE_NEWS, person_id=raiser.id, text=words,
                       dedupe_key=_chase_key("late", issue, raiser))]


def _waited(issue: Issue, now: datetime, timezone: str) -> str:
    since = issue.updated_at or issue.created_at
    return issue_news.waited_words(issue_news.working_days_waited(since, now, timezone))


async def move_issue(rt: Given, staff: Person, issue: Issue, status: IssueStatus,
                     note: str | None) -> Issue | None:
    """Move an issue on and queue the news for the person who raised it, in one
    transaction (storage/issues.py); None if it had moved on already."""
    service = await directory.get_service(rt.db, issue.service_id)
    assert service is not None
    organisation = await organisation_name(rt.db, staff, service)
    raiser = await directory.get_person(rt.db, issue.raised_by_id)
    tell = news_for(raiser, replace(issue, status=status), organisation, note)
    return await issues.change_status(rt.db, issue_id=issue.id, status=status, by_id=staff.id,
                                      note=note, tell=tell, now=rt.clock.now())
