"""The admin's tasks on who is who, from the command line: invites for every role (each
checked for the council, provider or service it needs), listing and revoking them,
listing people, and naming each service's duty and backup contacts and each council's
safeguarding lead. A mistake is one plain line and exit status 2, never a traceback."""

from __future__ import annotations

import argparse
from datetime import timedelta
from typing import Any

from carebot.care.alert_policy import reachable
from carebot.care.languages import language_code
from carebot.cli.admin import AdminError, config_of, database
from carebot.cli.bulk_invites import alerts_reach_someone, invite_from_sheet, reminder_letters
from carebot.cli.registry import argument, command
from carebot.conversations.texts import text
from carebot.settings.clock import SystemClock
from carebot.storage import directory, outbox
from carebot.storage.db import Database
from carebot.storage.models import (
    STAFF_ROLES,
    Organisation,
    Person,
    PersonStatus,
    Purpose,
    Role,
    Service,
)
from carebot.translations.speaking import speaking

NEEDS_SERVICE = (Role.PERSON, Role.CARER, Role.DUTY_CONTACT)
NEEDS_COUNCIL = (Role.COMMISSIONER, Role.BOARD_MEMBER)


async def organisation(db: Database, organisation_id: int, kind: str) -> Organisation:
    found = await directory.get_organisation(db, organisation_id)
    if found is None:
        raise AdminError(f"there is no organisation {organisation_id}",
                         "`carebot organisations` lists them with their ids")
    if found.kind != kind:
        raise AdminError(f"organisation {organisation_id} ({found.name}) is a {found.kind}, "
                         f"not a {kind}", f"`carebot organisations` lists the {kind}s")
    return found


async def service(db: Database, service_id: int) -> Service:
    found = await directory.get_service(db, service_id)
    if found is None:
        raise AdminError(f"there is no service {service_id}",
                         "`carebot services` lists them with their ids")
    return found


async def staff_member(db: Database, person_id: int) -> Person:
    found = await directory.get_person(db, person_id)
    if found is None:
        raise AdminError(f"there is no person {person_id}",
                         "`carebot people` lists everyone who has joined, with their ids")
    if found.role not in STAFF_ROLES:
        raise AdminError(f"person {person_id} ({found.display_name}) is a {found.role}: only "
                         "staff can take this on", "choose a member of staff from "
                         "`carebot people --role duty_contact` (or provider, commissioner)")
    if found.status is not PersonStatus.ACTIVE:
        raise AdminError(f"person {person_id} ({found.display_name}) is {found.status}, so the "
                         "bot cannot reach them", "choose someone active from `carebot people`")
    return found


async def _invite_target(db: Database, args: argparse.Namespace,
                         role: Role) -> tuple[int | None, int | None]:
    """(organisation id, service id) for the invite, checked against the role."""
    if role in NEEDS_SERVICE and args.service is None:
        raise AdminError(f"an invite for a {role} needs the service",
                         "add --service ID (`carebot services` lists them)")
    if role in NEEDS_COUNCIL and args.organisation is None:
        raise AdminError(f"an invite for a {role} needs their council",
                         "add --organisation ID (`carebot organisations` lists them)")
    if role is Role.PROVIDER and args.service is None and args.organisation is None:
        raise AdminError("an invite for a provider needs their organisation or a service",
                         "add --organisation ID or --service ID")
    if args.service is not None and (found := await service(db, args.service)).closed_at:
        raise AdminError(f"{found.name} is closed", "invite them to a service that is open "
                         "(`carebot services` lists them)")
    if args.organisation is not None:
        await organisation(db, args.organisation,
                           "provider" if role is Role.PROVIDER else "council")
    if args.cares_for is not None:
        await _cared_for(db, role, args.cares_for)
    if role in (Role.PERSON, Role.CARER):
        await alerts_reach_someone(db, [args.service])
    return args.organisation, args.service


async def _cared_for(db: Database, role: Role, person_id: int) -> Person:
    """The person a carer's invite links to: someone who draws on care and has joined."""
    if role is not Role.CARER:
        raise AdminError(f"--cares-for is only for a carer's invite, not a {role}'s",
                         "add --role carer, or leave --cares-for out")
    found = await directory.get_person(db, person_id)
    if found is None:
        raise AdminError(f"there is no person {person_id} yet",
                         "the person must join first: `carebot invite list --waiting` shows "
                         "who has not, `carebot people --role person` the ids of those who have")
    if found.role is not Role.PERSON:
        raise AdminError(f"person {person_id} ({found.display_name}) is a {found.role}, not "
                         "someone who draws on care", "give the id of the person cared for "
                         "(`carebot people --role person`)")
    return found


def deep_link(username: str | None, code: str) -> str:
    if not username:
        return f"send /start {code} to the bot (set bot_username to print a link)"
    return f"https://t.me/{username}?start={code}"


@command("invite", "make a single-use invite code and link for any role, or one for everyone "
         "in a spreadsheet with letters to print; `invite list` shows them (--waiting: who "
         "has not joined), `invite revoke CODE` stops one",
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
             argument("--language", metavar="LANGUAGE",
                      help="the language to speak to them (Welsh, cy, Polski…; default: "
                      "their Telegram app's, if carebot speaks it)"),
             argument("--days", type=int, default=28, metavar="N",
                      help="how long the code works"),
             argument("--waiting", action="store_true",
                      help="with list: only the codes not used yet and still working"),
             argument("--from", dest="from_file", metavar="SHEET",
                      help="invite everyone in a .csv or .xlsx sheet (columns: name, role, "
                      "service, cares for, language, contact): every row is checked first"),
             argument("--skip-bad", action="store_true",
                      help="with --from: invite the good rows even if some are not"),
             argument("--letters", metavar="PDF",
                      help="with --from: where to write the letters (default: the output "
                      "folder); with list: write reminder letters for everyone waiting"),
             argument("--codes", metavar="CSV",
                      help="with --from: where to write the list of codes"),
         ],
         audited=True)
async def invite(args: argparse.Namespace) -> int:
    if args.from_file:
        return await invite_from_sheet(args)
    if args.what == "list":
        return await (reminder_letters(args) if args.letters else _list_invites(args))
    if args.what == "revoke":
        return await _revoke(args)
    if args.role is None:
        raise AdminError("say who the invite is for",
                         "add --role person (or carer, duty_contact, provider, commissioner, "
                         "board_member, admin)")
    role, now = Role(args.role), SystemClock().now()
    language = None if args.language is None else language_code(args.language)
    if args.language is not None and language is None:
        raise AdminError(f"{args.language!r} is not a language carebot knows",
                         "write its name (Welsh, Polish, Urdu…) or its two-letter code")
    async with database(args) as db:
        organisation_id, service_id = await _invite_target(db, args, role)
        code = await directory.create_invite(
            db, role=role, now=now, display_name=args.name, service_id=service_id,
            organisation_id=organisation_id, cares_for_id=args.cares_for,
            expires_at=now + timedelta(days=args.days), language=language)
    print(f"Invite code: {code} (for a {role}; it works once, for {args.days} days)")
    print(f"Link: {deep_link(config_of(args).bot_username, code)}")
    return 0


async def _list_invites(args: argparse.Namespace) -> int:
    now = SystemClock().now()
    async with database(args) as db:
        for row in await directory.list_invites(db):
            if args.waiting and row.state(now) != "waiting":
                continue
            where = (f"service {row.service_id}" if row.service_id is not None
                     else f"organisation {row.organisation_id}")
            print(f"{row.code}  {row.role:<13} {where:<16} {row.state(now):<8} "
                  f"{row.display_name or ''}".rstrip())
    return 0


async def _revoke(args: argparse.Namespace) -> int:
    if not args.code:
        raise AdminError("say which code to stop", "run `carebot invite revoke CODE` "
                         "(`carebot invite list` shows the codes)")
    async with database(args) as db:
        if not await directory.revoke_invite(db, args.code, SystemClock().now()):
            raise AdminError(f"no unused invite {args.code.upper()} to revoke",
                             "`carebot invite list` shows each code and whether it is used")
    print(f"Invite {args.code.upper()} no longer works.")
    return 0


async def tell(db: Database, person: Person, key: str, **values: Any) -> None:
    """The person hears in the chat, in their language, the text `key` (the running bot
    sends it from the outbox); someone not yet in the chat hears it in their welcome."""
    if reachable(person) is None or person.chat_id is None:
        return
    with speaking(person.language):
        words = text(key, **values)
    await outbox.enqueue(db, outbox.NewMessage(person.chat_id, Purpose.REPLY,
                                               person_id=person.id, text=words),
                         SystemClock().now())
