"""The admin's tasks on who is who, from the command line: invites for every role (each
checked for the council, provider or service it needs), listing and revoking them,
listing people, and naming each service's duty and backup contacts and each council's
safeguarding lead. A mistake is one plain line and exit status 2, never a traceback."""

from __future__ import annotations

import argparse
import re
from datetime import timedelta

from carebot.care.alert_policy import reachable
from carebot.cli.admin import AdminError, config_of, database
from carebot.cli.registry import argument, command
from carebot.conversations.texts import text
from carebot.settings.clock import SystemClock
from carebot.storage import directory, outbox
from carebot.storage.db import Database
from carebot.storage.models import Organisation, Person, PersonStatus, Purpose, Role, Service

NEEDS_SERVICE = (Role.PERSON, Role.CARER, Role.DUTY_CONTACT)
NEEDS_COUNCIL = (Role.COMMISSIONER, Role.BOARD_MEMBER)
STAFF = (Role.PROVIDER, Role.COMMISSIONER, Role.DUTY_CONTACT, Role.BOARD_MEMBER, Role.ADMIN)


async def organisation(db: Database, organisation_id: int, kind: str) -> Organisation:
    found = await directory.get_organisation(db, organisation_id)
    if found is None:
        raise AdminError(f"there is no organisation {organisation_id}")
    if found.kind != kind:
        raise AdminError(f"organisation {organisation_id} ({found.name}) is a {found.kind}, "
                         f"not a {kind}")
    return found


async def service(db: Database, service_id: int) -> Service:
    found = await directory.get_service(db, service_id)
    if found is None:
        raise AdminError(f"there is no service {service_id}")
    return found


async def staff_member(db: Database, person_id: int) -> Person:
    found = await directory.get_person(db, person_id)
    if found is None:
        raise AdminError(f"there is no person {person_id}")
    if found.role not in STAFF:
        raise AdminError(f"person {person_id} is a {found.role}: only staff can take this on")
    if found.status is not PersonStatus.ACTIVE:
        raise AdminError(f"person {person_id} is {found.status}, so the bot cannot reach them")
    return found


async def _invite_target(db: Database, args: argparse.Namespace,
                         role: Role) -> tuple[int | None, int | None]:
    """(organisation id, service id) for the invite, checked against the role."""
    if role in NEEDS_SERVICE and args.service is None:
        raise AdminError(f"an invite for a {role} needs --service ID")
    if role in NEEDS_COUNCIL and args.organisation is None:
        raise AdminError(f"an invite for a {role} needs --organisation ID (their council)")
    if role is Role.PROVIDER and args.service is None and args.organisation is None:
        raise AdminError("an invite for a provider needs --organisation ID or --service ID")
    if args.service is not None:
        await service(db, args.service)
    if args.organisation is not None:
        await organisation(db, args.organisation,
                           "provider" if role is Role.PROVIDER else "council")
    if args.cares_for is not None:
        cared_for = await directory.get_person(db, args.cares_for)
        if role is not Role.CARER or cared_for is None or cared_for.role is not Role.PERSON:
            raise AdminError("--cares-for needs a carer's invite and the id of a person")
    return args.organisation, args.service


def deep_link(username: str | None, code: str) -> str:
    if not username:
        return f"send /start {code} to the bot (set bot_username to print a link)"
    return f"https://t.me/{username}?start={code}"


@command("invite", "make a single-use invite code and link for any role; `invite list` shows "
         "them all, `invite revoke CODE` stops one",
         example="carebot invite --role person --service 1 --name Sam",
         arguments=[
             argument("what", nargs="?", choices=("list", "revoke"),
                      help="leave out to make a new invite"),
             argument("code", nargs="?", help="the code to revoke"),
             argument("--role", choices=[r.value for r in Role]),
             argument("--service", type=int, metavar="ID",
                      help="the service (people, carers, duty contacts; or a provider's)"),
             argument("--organisation", type=int, metavar="ID",
                      help="the council (commissioners, board members) or the provider"),
             argument("--cares-for", type=int, metavar="ID",
                      help="for a carer: the person they care for"),
             argument("--name", help="the name the bot greets them by"),
             argument("--days", type=int, default=28, metavar="N",
                      help="how long the code works"),
         ])
async def invite(args: argparse.Namespace) -> int:
    if args.what == "list":
        return await _list_invites(args)
    if args.what == "revoke":
        return await _revoke(args)
    if args.role is None:
        raise AdminError("say which --role the invite is for")
    role, now = Role(args.role), SystemClock().now()
    async with database(args) as db:
        organisation_id, service_id = await _invite_target(db, args, role)
        code = await directory.create_invite(
            db, role=role, now=now, display_name=args.name, service_id=service_id,
            organisation_id=organisation_id, cares_for_id=args.cares_for,
            expires_at=now + timedelta(days=args.days))
    print(f"Invite code: {code} (for a {role}; it works once, for {args.days} days)")
    print(f"Link: {deep_link(config_of(args).bot_username, code)}")
    return 0


async def _list_invites(args: argparse.Namespace) -> int:
    now = SystemClock().now()
    async with database(args) as db:
        for row in await directory.list_invites(db):
            where = (f"service {row.service_id}" if row.service_id is not None
                     else f"organisation {row.organisation_id}")
            print(f"{row.code}  {row.role:<13} {where:<16} {row.state(now):<8} "
                  f"{row.display_name or ''}".rstrip())
    return 0


async def _revoke(args: argparse.Namespace) -> int:
    if not args.code:
        raise AdminError("say which code: carebot invite revoke CODE")
    async with database(args) as db:
        if not await directory.revoke_invite(db, args.code, SystemClock().now()):
            raise AdminError(f"no unused invite {args.code.upper()} to revoke")
    print(f"Invite {args.code.upper()} no longer works.")
    return 0


@command("people", "list who is enrolled, with their id, role and status",
         example="carebot people --service 1",
         arguments=[argument("what", nargs="?", choices=("list",), default="list"),
                    argument("--service", type=int, metavar="ID"),
                    argument("--role", choices=[r.value for r in Role])])
async def people(args: argparse.Namespace) -> int:
    async with database(args) as db:
        if args.service is not None:
            await service(db, args.service)
        role = None if args.role is None else Role(args.role)
        for person in await directory.people_of(db, service_id=args.service, role=role):
            print(f"{person.id:>6}  {person.role:<13} {person.status:<17} {person.display_name}")
    return 0


def cqc_location_id(value: str) -> str:
    """A CQC location id as the register writes it ('1-101234567'), or '' to clear."""
    value = value.strip()
    if value and not re.fullmatch(r"1-\d{6,12}", value):
        raise AdminError(f"{value!r} is not a CQC location id: they look like 1-101234567")
    return value


def ods_code(value: str) -> str:
    """An NHS Organisation Data Service code (3 to 6 letters and digits), or '' to clear."""
    value = value.strip().upper()
    if value and not re.fullmatch(r"[A-Z0-9]{3,6}", value):
        raise AdminError(f"{value!r} is not an ODS code: 3 to 6 letters and digits, such as "
                         "VN123")
    return value


@command("service", "name a service's duty contact, or the backup an unanswered alert goes "
         "to next; or give its CQC location id and ODS code, which reports carry",
         example="carebot service set-duty-contact --service 1 --person 4",
         arguments=[
             argument("what", choices=("set-duty-contact", "set-backup-contact", "set-ids")),
             argument("--service", type=int, required=True, metavar="ID"),
             argument("--person", type=int, metavar="ID",
                      help="a member of staff who has joined (see carebot people)"),
             argument("--cqc", metavar="LOCATION_ID",
                      help="with set-ids: its CQC location id ('' clears it)"),
             argument("--ods", metavar="CODE",
                      help="with set-ids: its ODS code ('' clears it)"),
         ])
async def service_contact(args: argparse.Namespace) -> int:
    if args.what == "set-ids":
        return await _set_ids(args)
    if args.person is None:
        raise AdminError(f"carebot service {args.what} needs --person")
    async with database(args) as db:
        found = await service(db, args.service)
        person = await staff_member(db, args.person)
        if args.what == "set-duty-contact":
            await directory.set_duty_contact(db, found.id, person.id)
            said, told = "duty contact", "now_duty_contact"
        else:
            await directory.set_backup_contact(db, found.id, person.id)
            said, told = "backup contact", "now_backup_contact"
        await _tell(db, person, text(f"staff.{told}", name=person.display_name,
                                     service=found.name))
    print(f"{person.display_name} is now the {said} for {found.name}.")
    return 0


async def _set_ids(args: argparse.Namespace) -> int:
    if args.cqc is None and args.ods is None:
        raise AdminError("carebot service set-ids needs --cqc, --ods or both")
    async with database(args) as db:
        found = await service(db, args.service)
        await directory.set_service_ids(
            db, found.id, cqc_location_id=None if args.cqc is None else cqc_location_id(args.cqc),
            ods_code=None if args.ods is None else ods_code(args.ods))
        now = await directory.get_service(db, found.id)
    assert now is not None
    print(f"{found.name}: CQC location id {now.cqc_location_id or 'not set'}, "
          f"ODS code {now.ods_code or 'not set'}.")
    return 0


@command("council", "name a council's safeguarding lead: the last step of every alert's "
         "chain", example="carebot council set-safeguarding-lead --council 1 --person 6",
         arguments=[argument("what", choices=("set-safeguarding-lead",)),
                    argument("--council", type=int, required=True, metavar="ID"),
                    argument("--person", type=int, required=True, metavar="ID")])
async def council_lead(args: argparse.Namespace) -> int:
    async with database(args) as db:
        council = await organisation(db, args.council, "council")
        person = await staff_member(db, args.person)
        await directory.set_safeguarding_lead(db, council.id, person.id)
        await _tell(db, person, text("staff.now_lead", name=person.display_name,
                                     council=council.name))
    print(f"{person.display_name} is now the safeguarding lead for {council.name}.")
    return 0


async def _tell(db: Database, person: Person, words: str) -> None:
    """The member of staff hears in the chat what they will now be sent (the running bot
    sends it from the outbox); someone not yet in the chat hears it in their welcome."""
    if reachable(person) is None or person.chat_id is None:
        return
    await outbox.enqueue(db, outbox.NewMessage(person.chat_id, Purpose.REPLY,
                                               person_id=person.id, text=words),
                         SystemClock().now())
