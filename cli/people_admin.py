"""The admin's tasks on people as they come and go: list them; pause a member of staff
and turn them back on; hand what a leaver held to another; move a person (and their
carers) to another service, their history staying where it was said. Each person told
in the chat, in plain words."""

from __future__ import annotations

import argparse

from carebot.cli.admin import AdminError, database
from carebot.cli.directory_admin import service, staff_member, tell
from carebot.cli.registry import argument, command
from carebot.settings.clock import SystemClock
from carebot.storage import directory, staff_changes
from carebot.storage.db import Database
from carebot.storage.models import STAFF_ROLES, Person, PersonStatus, Role
from carebot.storage.staff_changes import Held

WHAT = ("list", "suspend", "resume", "remove", "move")


@command("people", "list who is enrolled (id, role, status, service); suspend or resume a "
         "member of staff; remove one who leaves, handing what they held to another; move "
         "a person to another service, keeping their history",
         example="carebot people remove --person 4 --hand-to 7",
         arguments=[argument("what", nargs="?", choices=WHAT, default="list"),
                    argument("--person", type=int, metavar="ID"),
                    argument("--hand-to", type=int, metavar="ID",
                             help="with remove: who takes over what they held"),
                    argument("--service", type=int, metavar="ID",
                             help="with list: only this service; with move: the new one"),
                    argument("--role", choices=[r.value for r in Role])],
         audited=True)
async def people(args: argparse.Namespace) -> int:
    if args.what == "list":
        return await _list(args)
    if args.person is None:
        raise AdminError(f"carebot people {args.what} needs the person",
                         "add --person ID (`carebot people` lists them)")
    async with database(args) as db:
        if args.what == "move":
            return await _move(db, args)
        if args.what == "remove":
            return await _remove(db, args)
        return await (_suspend(db, args.person) if args.what == "suspend"
                      else _resume(db, args.person))


async def _list(args: argparse.Namespace) -> int:
    async with database(args) as db:
        if args.service is not None:
            await service(db, args.service)
        role = None if args.role is None else Role(args.role)
        found = await directory.people_of(db, service_id=args.service, role=role)
        names = {s.id: s.name for s in await directory.all_services(db)}
    for person in found:
        status = "suspended" if person.admin_stopped_at else person.status
        where = names.get(person.service_id or 0, "")
        print(f"{person.id:>6}  {person.role:<13} {status:<17} {person.display_name}"
              + (f"  ({where})" if where else ""))
    return 0


async def _staff(db: Database, person_id: int) -> Person:
    """A member of staff, whatever their status."""
    found = await directory.get_person(db, person_id)
    if found is None:
        raise AdminError(f"there is no person {person_id}",
                         "`carebot people` lists everyone who has joined, with their ids")
    if found.role not in STAFF_ROLES:
        raise AdminError(f"person {person_id} ({found.display_name}) is a {found.role}, not "
                         "staff", "to stop their check-ins, they can send /stop; to change "
                         "their service, use carebot people move")
    return found


async def _suspend(db: Database, person_id: int) -> int:
    person = await _staff(db, person_id)
    if person.admin_stopped_at is not None:
        raise AdminError(f"{person.display_name} is suspended already",
                         f"carebot people resume --person {person_id} turns them back on")
    held = await staff_changes.held_by(db, person.id)
    await tell(db, person, "staff.paused", name=person.display_name)
    await staff_changes.stop_staff(db, person.id, SystemClock().now())
    print(f"{person.display_name} is suspended: the bot sends them nothing until "
          f"carebot people resume --person {person_id}.")
    _warn(held, person)
    return 0


async def _resume(db: Database, person_id: int) -> int:
    person = await _staff(db, person_id)
    if not await staff_changes.resume_staff(db, person.id):
        raise AdminError(f"{person.display_name} is not suspended",
                         "`carebot people` shows who is")
    resumed = await directory.get_person(db, person.id)
    assert resumed is not None
    await tell(db, resumed, "staff.resumed", name=person.display_name)
    print(f"{person.display_name} is back on.")
    return 0


def _warn(held: Held, person: Person) -> None:
    """What no longer reaches anyone through them, and how to put it right."""
    for name in held.duty_for:
        print(f"- {name} has lost its duty contact: its alerts go to its backup. Name "
              "another with carebot services set-duty-contact.")
    for name in held.backup_for:
        print(f"- {name} has lost its backup contact. Name another with carebot services "
              "set-backup-contact.")
    for name in held.lead_for:
        print(f"- {name} has lost its safeguarding lead. Name another with carebot council "
              "set-safeguarding-lead.")
    if held.alerts:
        print(f"- {held.alerts} open alerts {person.display_name} held go on up the chain "
              "at the bot's next tick.")


async def _remove(db: Database, args: argparse.Namespace) -> int:
    leaver = await _staff(db, args.person)
    if args.hand_to is None:
        raise AdminError(f"say who takes over from {leaver.display_name}",
                         "add --hand-to ID, a member of staff who has joined")
    if args.hand_to == leaver.id:
        raise AdminError("someone cannot take over from themselves",
                         "give another member of staff with --hand-to")
    taker = await staff_member(db, args.hand_to)
    now = SystemClock().now()
    await tell(db, leaver, "staff.left", name=leaver.display_name)
    held = await staff_changes.hand_over(db, leaver.id, taker.id, now)
    await tell(db, taker, "staff.took_over", name=taker.display_name,
                               leaver=leaver.display_name)
    for key, names in (("staff.now_duty_contact", held.duty_for),
                       ("staff.now_backup_contact", held.backup_for)):
        for name in names:
            await tell(db, taker, key, name=taker.display_name, service=name)
    for name in held.lead_for:
        await tell(db, taker, "staff.now_lead", name=taker.display_name, council=name)
    print(f"{leaver.display_name} is removed; the bot sends them nothing more. "
          f"{taker.display_name} takes over:")
    for what, names in (("duty contact", held.duty_for), ("backup", held.backup_for),
                        ("safeguarding lead", held.lead_for)):
        if names:
            print(f"- {what} for {', '.join(names)}")
    print(f"- {held.alerts} open alerts, passed on at the bot's next tick" if held.alerts
          else "- no open alerts")
    return 0


async def _move(db: Database, args: argparse.Namespace) -> int:
    if args.service is None:
        raise AdminError("say which service they move to", "add --service ID (`carebot "
                         "services` lists them)")
    person = await directory.get_person(db, args.person)
    if person is None or person.role is not Role.PERSON:
        raise AdminError(f"person {args.person} is not someone who draws on care",
                         "give their id from `carebot people --role person`; their carers "
                         "move with them")
    new = await service(db, args.service)
    if new.closed_at is not None:
        raise AdminError(f"{new.name} is closed", "choose a service that is open")
    if person.service_id == new.id:
        raise AdminError(f"{person.display_name} is at {new.name} already",
                         "give another --service")
    moved = await staff_changes.move_person(db, person.id, new.id, new.provider_id)
    if person.status is PersonStatus.ACTIVE:
        await tell(db, person, "person.moved", name=person.display_name, service=new.name)
    for carer_id in moved.carers:
        carer = await directory.get_person(db, carer_id)
        if carer is not None and carer.status is PersonStatus.ACTIVE:
            await tell(db, carer, "person.moved.carer", name=carer.display_name,
                                       service=new.name)
    carers = "1 carer" if len(moved.carers) == 1 else f"{len(moved.carers)} carers"
    print(f"{person.display_name} (and {carers}) now belong to {new.name}. What they said "
          "before stays with the service it was about.")
    return 0
