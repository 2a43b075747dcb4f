"""The admin's tasks on councils, providers and services: list them with their ids, name
each service's duty and backup contacts and each council's safeguarding lead, and give a
service the CQC and ODS ids that reports carry."""

from __future__ import annotations

import argparse
import re

from carebot.cli.admin import AdminError, database
from carebot.cli.directory_admin import organisation, service, staff_member, tell
from carebot.cli.registry import argument, command
from carebot.settings.clock import SystemClock
from carebot.storage import directory, staff_changes
from carebot.storage.models import PersonStatus, Service


@command("organisations", "list the councils and providers with their ids",
         example="carebot organisations --kind council",
         arguments=[argument("--kind", choices=("council", "provider"))],
         audited=True)
async def organisations(args: argparse.Namespace) -> int:
    async with database(args) as db:
        found = await directory.organisations(db, args.kind)
    for each in found:
        print(f"{each.id:>4}  {each.kind:<8}  {each.name}")
    if not found:
        print("None yet: add one with carebot add-organisation --kind council --name NAME")
    return 0


def cqc_location_id(value: str) -> str:
    """A CQC location id as the register writes it ('1-101234567'), or '' to clear."""
    value = value.strip()
    if value and not re.fullmatch(r"1-\d{6,12}", value):
        raise AdminError(f"{value!r} is not a CQC location id",
                         "give it as the CQC register writes it, like 1-101234567")
    return value


def ods_code(value: str) -> str:
    """An NHS Organisation Data Service code (3 to 6 letters and digits), or '' to clear."""
    value = value.strip().upper()
    if value and not re.fullmatch(r"[A-Z0-9]{3,6}", value):
        raise AdminError(f"{value!r} is not an ODS code",
                         "give 3 to 6 letters and digits, such as VN123")
    return value


@command("services", "list the services with their ids and contacts; name a service's duty "
         "contact, or the backup an unanswered alert goes to next; give its CQC location "
         "id and ODS code, which reports carry; or close it, keeping its history",
         example="carebot services set-duty-contact --service 1 --person 4",
         arguments=[
             argument("what", nargs="?", default="list",
                      choices=("list", "set-duty-contact", "set-backup-contact", "set-ids",
                               "close")),
             argument("--service", type=int, metavar="ID"),
             argument("--person", type=int, metavar="ID",
                      help="a member of staff who has joined (see carebot people)"),
             argument("--cqc", metavar="LOCATION_ID",
                      help="with set-ids: its CQC location id ('' clears it)"),
             argument("--ods", metavar="CODE",
                      help="with set-ids: its ODS code ('' clears it)"),
             argument("--force", action="store_true",
                      help="with close: close it though people are still there"),
         ],
         audited=True)
async def services(args: argparse.Namespace) -> int:
    if args.what == "list":
        return await _list_services(args)
    if args.service is None:
        raise AdminError(f"carebot services {args.what} needs the service",
                         "add --service ID (`carebot services` lists them)")
    if args.what == "set-ids":
        return await _set_ids(args)
    if args.what == "close":
        return await _close(args)
    if args.person is None:
        raise AdminError(f"carebot services {args.what} needs the member of staff",
                         "add --person ID (`carebot people` lists them)")
    async with database(args) as db:
        found = await service(db, args.service)
        person = await staff_member(db, args.person)
        if args.what == "set-duty-contact":
            await directory.set_duty_contact(db, found.id, person.id)
            said, told = "duty contact", "now_duty_contact"
        else:
            await directory.set_backup_contact(db, found.id, person.id)
            said, told = "backup contact", "now_backup_contact"
        await tell(db, person, f"staff.{told}", name=person.display_name,
                                    service=found.name)
    print(f"{person.display_name} is now the {said} for {found.name}.")
    return 0


async def _list_services(args: argparse.Namespace) -> int:
    async with database(args) as db:
        names = {o.id: o.name for o in await directory.organisations(db)}
        everyone = {p.id: p.display_name for p in await directory.people_of(db)}
        found = await directory.all_services(db)
    for each in found:
        print(_service_line(each, names, everyone))
    if not found:
        print("None yet: add one with carebot add-service")
    return 0


async def _close(args: argparse.Namespace) -> int:
    async with database(args) as db:
        found = await service(db, args.service)
        if found.closed_at is not None:
            raise AdminError(f"{found.name} is closed already", "nothing more to do")
        still_there = await staff_changes.people_at(db, found.id)
        if still_there and not args.force:
            raise AdminError(f"{still_there} people and carers are still at {found.name}",
                             "move them first (carebot people move --person ID --service "
                             "ID), or add --force to close it and stop their check-ins")
        everyone = {p.id: p for p in await directory.people_of(db, service_id=found.id)}
        closed = await staff_changes.close_service(db, found.id, SystemClock().now())
        for person_id in closed.stopped:
            person = everyone[person_id]
            if person.status is PersonStatus.ACTIVE:
                await tell(db, person, "service.closed", name=person.display_name,
                                            service=found.name)
    print(f"{found.name} is closed. {len(closed.stopped)} people and carers there will be "
          f"asked no more; {closed.invites} waiting invites no longer work. Its history "
          "stays in the reports of the time it ran.")
    return 0


def _service_line(each: Service, names: dict[int, str], everyone: dict[int, str]) -> str:
    duty = everyone.get(each.duty_contact_id or 0, "none")
    backup = everyone.get(each.backup_contact_id or 0, "none")
    if each.closed_at is not None:
        return (f"{each.id:>4}  {each.name} ({each.kind}), run by "
                f"{names.get(each.provider_id)}: closed on {each.closed_at:%Y-%m-%d}")
    return (f"{each.id:>4}  {each.name} ({each.kind}), run by {names.get(each.provider_id)} "
            f"for {names.get(each.council_id)}; duty contact: {duty}; backup: {backup}")


async def _set_ids(args: argparse.Namespace) -> int:
    if args.cqc is None and args.ods is None:
        raise AdminError("carebot services set-ids needs an id to set",
                         "add --cqc LOCATION_ID, --ods CODE or both")
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
                    argument("--person", type=int, required=True, metavar="ID")],
         audited=True)
async def council_lead(args: argparse.Namespace) -> int:
    async with database(args) as db:
        council = await organisation(db, args.council, "council")
        person = await staff_member(db, args.person)
        await directory.set_safeguarding_lead(db, council.id, person.id)
        await tell(db, person, "staff.now_lead", name=person.display_name,
                                    council=council.name)
    print(f"{person.display_name} is now the safeguarding lead for {council.name}.")
    return 0
