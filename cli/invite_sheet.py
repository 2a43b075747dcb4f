"""A council's spreadsheet of people to invite (.csv or .xlsx, as Excel saves them),
read and checked row by row before anything is made: each row that cannot be used is
said with its number (as Excel shows it) and what to put right.

The columns, in any order and any case: name (required), role (blank: someone who draws
on care), service (its id or its name), cares for (for a carer: the name of a person
in the same sheet and service, or the id of one who has joined), language, and contact
(how to reach them: printed on their letter, forgotten once they join)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from pathlib import Path

from carebot.care.languages import language_code
from carebot.storage import directory
from carebot.storage.db import Database
from carebot.storage.invites import NewInvite
from carebot.storage.models import Role, Service

# Each column by the names a council's sheet may give it (compared without case,
# spaces, hyphens or underscores).
COLUMNS = {
    "name": ("name", "full name", "preferred name", "known as"),
    "role": ("role", "who"),
    "service": ("service", "service name", "service id"),
    "cares_for": ("cares for", "caring for", "carer for"),
    "language": ("language", "preferred language"),
    "contact": ("contact", "how to reach them", "how to reach", "address"),
}
ROLES = {
    Role.PERSON: ("person", "person drawing on care", "client", "service user", "resident"),
    Role.CARER: ("carer", "unpaid carer", "family", "family carer"),
    Role.DUTY_CONTACT: ("duty contact", "duty"),
    Role.PROVIDER: ("provider", "manager", "provider staff"),
    Role.COMMISSIONER: ("commissioner",),
    Role.BOARD_MEMBER: ("board member", "board"),
}
LONGEST_NAME = 64
LONGEST_CONTACT = 300


def _plain(heading: str) -> str:
    return "".join(ch for ch in heading.casefold() if ch.isalnum())


_COLUMN_OF = {_plain(alias): key for key, aliases in COLUMNS.items() for alias in aliases}
_ROLE_OF = {_plain(alias): role for role, aliases in ROLES.items()
            for alias in (*aliases, role.value)}


@dataclass(frozen=True)
class BadRow:
    line: int
    problem: str
    fix: str

    def __str__(self) -> str:
        return f"row {self.line}: {self.problem}. {self.fix[:1].upper()}{self.fix[1:]}."


@dataclass(frozen=True)
class GoodRow:
    """A row to invite: its number, the invite, and where it is for (for the codes)."""

    line: int
    invite: NewInvite
    place: str  # the service's name, or the council's for its commissioners


@dataclass
class Sheet:
    """What the sheet asks for: the rows to invite, and the rows that cannot be used."""

    good: list[GoodRow] = field(default_factory=list)
    bad: list[BadRow] = field(default_factory=list)
    unused_columns: list[str] = field(default_factory=list)

    @property
    def invites(self) -> list[NewInvite]:
        return [row.invite for row in self.good]


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The header and each row (line number, cells by heading) of a .csv or .xlsx file."""
    from carebot.understanding.files import csv_shape
    from carebot.understanding.workbooks import sheet_rows

    if path.suffix.lower() == ".xlsx":
        header, rows = sheet_rows(path)
        return header, list(rows)
    if path.suffix.lower() != ".csv":
        raise ValueError(f"{path.name} is not a .csv or .xlsx file; save the sheet as one")
    data = path.read_bytes()
    shape = csv_shape(data[:65536], "name")
    reader = csv.DictReader(io.StringIO(data.decode(shape.encoding, errors="replace"),
                                        newline=""), delimiter=shape.delimiter)
    header = [h.strip() for h in reader.fieldnames or []]
    found = []
    for row, record in enumerate(reader, start=2):  # numbered as Excel shows the rows
        cells = {(k or "").strip(): (v or "").strip() for k, v in record.items()
                 if isinstance(v, str)}
        if any(cells.values()):
            found.append((row, cells))
    return header, found


async def check_sheet(db: Database, header: list[str],
                      rows: list[tuple[int, dict[str, str]]]) -> Sheet:
    """Every row checked against the directory and the rest of the sheet."""
    sheet = Sheet(unused_columns=[h for h in header if h and _plain(h) not in _COLUMN_OF])
    keys = {h: _COLUMN_OF[_plain(h)] for h in header if _plain(h) in _COLUMN_OF}
    if "name" not in keys.values():
        sheet.bad.append(BadRow(1, f"there is no name column (the columns are {header})",
                                "add a column headed name"))
        return sheet
    services = await directory.all_services(db)
    councils = {o.id: o.name for o in await directory.organisations(db, "council")}
    people: dict[tuple[int, str], int] = {}  # (service id, name) → index of its invite
    carers: list[tuple[int, str]] = []  # (index of its invite, cares-for as written)
    for line, record in rows:
        cells = {key: record.get(heading, "").strip() for heading, key in keys.items()}
        made = _row(line, cells, services, councils)
        if isinstance(made, BadRow):
            sheet.bad.append(made)
            continue
        invite, place = made
        same = (invite.service_id or 0, invite.display_name.casefold())
        if invite.role is Role.PERSON and same in people:
            sheet.bad.append(BadRow(line, f"{invite.display_name} at {place} is on "
                                    f"row {sheet.good[people[same]].line} already",
                                    "take out one of the two rows"))
            continue
        if invite.role is Role.PERSON:
            people[same] = len(sheet.good)
        if invite.role is Role.CARER and cells.get("cares_for"):
            carers.append((len(sheet.good), cells["cares_for"]))
        sheet.good.append(GoodRow(line, invite, place))
    await _link_carers(db, sheet, people, carers)
    return sheet


def _row(line: int, cells: dict[str, str], services: list[Service],
         councils: dict[int, str]) -> tuple[NewInvite, str] | BadRow:
    """The invite a row asks for, with where it is for (a service, or a council for
    its commissioners and board members), or what is wrong with the row."""
    name = " ".join(cells.get("name", "").split())
    if not name:
        return BadRow(line, "there is no name", "give the name they go by, e.g. Mrs Khan")
    if len(name) > LONGEST_NAME:
        return BadRow(line, f"the name is {len(name)} characters long",
                      f"give the name they go by, in {LONGEST_NAME} characters or fewer")
    role = _ROLE_OF.get(_plain(cells.get("role", "") or "person"))
    if role is None:
        return BadRow(line, f"{cells['role']!r} is not a role carebot knows",
                      "write person, carer, duty contact, provider, commissioner or "
                      "board member")
    for_council = role in (Role.COMMISSIONER, Role.BOARD_MEMBER)
    written = " ".join(cells.get("service", "").split()).casefold()
    council_id = next((i for i, n in councils.items() if n.casefold() == written), None)
    service: Service | str
    if for_council and council_id is not None:  # a council's staff: its name will do
        service = next((s for s in services if s.council_id == council_id),
                       "their council has no service yet")
    else:
        service = _service(cells.get("service", ""), services)
    if isinstance(service, str):
        return BadRow(line, service, "give the service's id or its name as `carebot "
                      "services` lists it (for a commissioner, their council's name will do)")
    language = cells.get("language", "")
    code = language_code(language) if language else None
    if language and code is None:
        return BadRow(line, f"{language!r} is not a language carebot knows",
                      "write its name in English (e.g. Welsh, Polish, Urdu) or leave it "
                      "blank for English")
    contact = cells.get("contact", "")
    if len(contact) > LONGEST_CONTACT:
        return BadRow(line, f"the contact is {len(contact)} characters long",
                      f"keep it to an address or number, {LONGEST_CONTACT} characters or "
                      "fewer")
    if cells.get("cares_for") and role is not Role.CARER:
        return BadRow(line, f"a {role} does not care for someone here",
                      "leave cares for blank, or make the role carer")
    organisation = (service.council_id if for_council
                    else service.provider_id if role is Role.PROVIDER else None)
    invite = NewInvite(role, name, None if for_council else service.id, organisation, code,
                       contact or None)
    return invite, councils[service.council_id] if for_council else service.name


def _service(written: str, services: list[Service]) -> Service | str:
    """The service a row names, or what is wrong with the name."""
    if not written:
        return "there is no service"
    if written.isdigit():
        found = [s for s in services if s.id == int(written)]
    else:
        found = [s for s in services if s.name.casefold() == " ".join(written.split())
                 .casefold()]
    if len(found) > 1:
        ids = ", ".join(str(s.id) for s in found)
        return f"more than one service is called {written!r} (ids {ids})"
    if found and found[0].closed_at is not None:
        return f"{found[0].name} is closed"
    return found[0] if found else f"there is no service {written!r}"


async def _link_carers(db: Database, sheet: Sheet, people: dict[tuple[int, str], int],
                       carers: list[tuple[int, str]]) -> None:
    """Each carer to the person they care for: a name in the sheet at the same service,
    or the id of someone who has joined. A carer who cannot be linked is a bad row."""
    dropped = set()
    for index, written in carers:
        row = sheet.good[index]
        linked = await _cared_for(db, row, written, people)
        if isinstance(linked, BadRow):
            sheet.bad.append(linked)
            dropped.add(index)
        else:
            sheet.good[index] = replace(row, invite=linked)
    kept = [i for i in range(len(sheet.good)) if i not in dropped]
    moved = {old: new for new, old in enumerate(kept)}  # people's rows, once carers go
    sheet.good = [_renumbered(sheet.good[i], moved) for i in kept]
    sheet.bad.sort(key=lambda bad: bad.line)


def _renumbered(row: GoodRow, moved: dict[int, int]) -> GoodRow:
    cared = row.invite.cares_for_row
    return row if cared is None else replace(
        row, invite=replace(row.invite, cares_for_row=moved[cared]))


async def _cared_for(db: Database, carer: GoodRow, written: str,
                     people: dict[tuple[int, str], int]) -> NewInvite | BadRow:
    if written.isdigit():
        found = await directory.get_person(db, int(written))
        if found is None or found.role is not Role.PERSON:
            return BadRow(carer.line, f"there is no person {written} who has joined",
                          "give the name of the person cared for, as the sheet has it")
        return replace(carer.invite, cares_for_id=found.id)
    row = people.get((carer.invite.service_id or 0, " ".join(written.split()).casefold()))
    if row is None:
        return BadRow(carer.line, f"there is no {written!r} at the same service in the sheet",
                      "give the name of the person cared for exactly as their own row "
                      "has it")
    return replace(carer.invite, cares_for_row=row)
