"""Who is who: organisations, services, people and the invites that enrol them."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from carebot.care import alert_policy

# Who the bot can reach is the alert policy's rule; the bot, the CLI and the tests read
# it from here as they did before it had a module.
from carebot.care.alert_policy import reachable
from carebot.storage.db import Database, Row, Transaction, from_db_time, maybe_time, to_db_time
from carebot.storage.models import Organisation, Person, PersonStatus, Role, Service
from carebot.storage.outbox import NewMessage, add_message

# Letters and digits that cannot be mistaken for each other when read aloud or typed.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"

_PERSON_COLUMNS = (
    "id, role, display_name, organisation_id, service_id, telegram_user_id, chat_id, status, "
    "enrolled_at, cares_for_id, issue_notices, issue_summary_at, digest_weekday, "
    "admin_stopped_at, language, easy_read"
)
# Who the bot can reach, in SQL: care.alert_policy.reachable (active, with a chat) for a
# query on `people`, written once, and the same rule as the Python (tests/care/
# test_alert_policy.py checks over every status, with and without a chat). Every query
# that picks people to write to uses it, with REACHABLE_PARAMS in its place among the
# query's parameters; NOT it picks those who cannot be reached (tests/storage/
# test_reachable_queries.py checks each query, and that none writes the rule again).
REACHABLE_PARAMS: tuple[PersonStatus, ...] = (PersonStatus.ACTIVE,)


def reachable_sql(alias: str) -> str:
    """The condition, in brackets, on the `people` row named `alias` in the query (its
    alias, or "people" itself)."""
    return f"({alias}.status = ? AND {alias}.chat_id IS NOT NULL)"


_SERVICE_SELECT = (
    "SELECT s.id, s.council_id, s.provider_id, s.name, s.kind, p.name AS provider_name, "
    "s.duty_contact_id, s.backup_contact_id, s.cqc_location_id, s.ods_code, s.closed_at "
    "FROM services s JOIN organisations p ON p.id = s.provider_id"
)


def _person(row: Row) -> Person:
    return Person(
        id=row["id"],
        role=Role(row["role"]),
        display_name=row["display_name"],
        organisation_id=row["organisation_id"],
        service_id=row["service_id"],
        telegram_user_id=row["telegram_user_id"],
        chat_id=row["chat_id"],
        status=PersonStatus(row["status"]),
        enrolled_at=from_db_time(row["enrolled_at"]),
        cares_for_id=row["cares_for_id"],
        issue_notices=row["issue_notices"],
        issue_summary_at=maybe_time(row["issue_summary_at"]),
        digest_weekday=row["digest_weekday"],
        admin_stopped_at=maybe_time(row["admin_stopped_at"]),
        language=row["language"],
        easy_read=bool(row["easy_read"]),
    )


def _service(row: Row) -> Service:
    return Service(
        id=row["id"],
        council_id=row["council_id"],
        provider_id=row["provider_id"],
        name=row["name"],
        kind=row["kind"],
        provider_name=row["provider_name"],
        duty_contact_id=row["duty_contact_id"],
        backup_contact_id=row["backup_contact_id"],
        cqc_location_id=row["cqc_location_id"],
        ods_code=row["ods_code"],
        closed_at=maybe_time(row["closed_at"]),
    )


async def add_organisation(db: Database, kind: str, name: str, now: datetime) -> Organisation:
    async with db.transaction() as tx:
        new_id = await tx.insert(
            "INSERT INTO organisations (kind, name, created_at) VALUES (?, ?, ?)",
            (kind, name, to_db_time(now)),
        )
    return Organisation(id=new_id, kind=kind, name=name)


async def get_organisation(db: Database, organisation_id: int) -> Organisation | None:
    row = await db.fetchone(
        "SELECT id, kind, name FROM organisations WHERE id = ?", (organisation_id,)
    )
    return None if row is None else Organisation(id=row["id"], kind=row["kind"], name=row["name"])


async def organisations(db: Database, kind: str | None = None) -> list[Organisation]:
    """Every council and provider (or those of one kind), by id."""
    rows = await db.fetchall("SELECT id, kind, name FROM organisations "
                             "WHERE CAST(? AS TEXT) IS NULL OR kind = ? ORDER BY id", (kind, kind))
    return [Organisation(id=row["id"], kind=row["kind"], name=row["name"]) for row in rows]


async def organisation_named(db: Database, kind: str, name: str) -> Organisation | None:
    """The council or provider of that name, if there is one (names are unique by kind)."""
    row = await db.fetchone("SELECT id FROM organisations WHERE kind = ? AND name = ?",
                            (kind, name))
    return None if row is None else await get_organisation(db, row["id"])


async def service_named(db: Database, provider_id: int, name: str) -> Service | None:
    """The provider's service of that name, if there is one (unique per provider)."""
    row = await db.fetchone("SELECT id FROM services WHERE provider_id = ? AND name = ?",
                            (provider_id, name))
    return None if row is None else await get_service(db, row["id"])


async def add_service(
    db: Database, *, council_id: int, provider_id: int, name: str, kind: str, now: datetime
) -> Service:
    async with db.transaction() as tx:
        new_id = await tx.insert(
            "INSERT INTO services (council_id, provider_id, name, kind, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (council_id, provider_id, name, kind, to_db_time(now)),
        )
    service = await get_service(db, new_id)
    assert service is not None
    return service


async def set_duty_contact(db: Database, service_id: int, person_id: int) -> None:
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE services SET duty_contact_id = ? WHERE id = ?", (person_id, service_id)
        )


async def set_backup_contact(db: Database, service_id: int, person_id: int) -> None:
    """Who an alert goes to when the duty contact has not acted in time."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE services SET backup_contact_id = ? WHERE id = ?", (person_id, service_id)
        )


async def set_service_ids(db: Database, service_id: int, *, cqc_location_id: str | None,
                          ods_code: str | None) -> None:
    """The service's ids in the CQC's register and the NHS's (ODS); None leaves one as
    it is, "" clears it."""
    async with db.transaction() as tx:
        for column, value in (("cqc_location_id", cqc_location_id), ("ods_code", ods_code)):
            if value is not None:
                await tx.execute(f"UPDATE services SET {column} = ? WHERE id = ?",
                                 (value or None, service_id))


async def set_safeguarding_lead(db: Database, council_id: int, person_id: int) -> None:
    """The council's safeguarding lead: the last step of every alert's chain."""
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE organisations SET safeguarding_lead_id = ? WHERE id = ?",
            (person_id, council_id),
        )


async def reachable_duty_contact(db: Database, service: Service) -> Person | None:
    """The service's duty contact, if the bot can reach them: active, with a chat."""
    if service.duty_contact_id is None:
        return None
    return reachable(await get_person(db, service.duty_contact_id))


async def safeguarding_lead_id(db: Database, council_id: int) -> int | None:
    found = await db.scalar(
        "SELECT safeguarding_lead_id FROM organisations WHERE id = ?", (council_id,))
    return None if found is None else int(found)


async def alert_chain(db: Database, service: Service) -> list[Person | None]:
    """Who an alert about this service goes to, in turn, while nobody acts: the duty
    contact, the backup contact, the council's safeguarding lead (None: not set)."""
    lead_id = await safeguarding_lead_id(db, service.council_id)
    chain = []
    for person_id in alert_policy.chain_of(service, lead_id):
        chain.append(None if person_id is None else await get_person(db, int(person_id)))
    return chain


async def services_for_staff(db: Database, person: Person) -> list[Service]:
    """The services a member of staff works on: a provider's own, a commissioner's
    council's, and those a duty contact covers (as duty contact or backup)."""
    params: tuple[int | None, ...]
    if person.role is Role.PROVIDER:
        where, params = "s.provider_id = ?", (person.organisation_id,)
    elif person.role is Role.COMMISSIONER:
        where, params = "s.council_id = ?", (person.organisation_id,)
    elif person.role is Role.DUTY_CONTACT:
        where = "s.duty_contact_id = ? OR s.backup_contact_id = ? OR s.id = ?"
        params = (person.id, person.id, person.service_id)
    else:
        return []
    rows = await db.fetchall(f"{_SERVICE_SELECT} WHERE {where} ORDER BY s.id", params)
    return [_service(row) for row in rows]


async def issue_staff(db: Database, service: Service) -> list[Person]:
    """Who hears of a service's problems: the provider's staff and the council's
    commissioners who can be reached."""
    rows = await db.fetchall(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE {reachable_sql('people')} AND "
        "((role = ? AND organisation_id = ?) OR (role = ? AND organisation_id = ?)) "
        "ORDER BY id",
        (*REACHABLE_PARAMS, Role.PROVIDER, service.provider_id, Role.COMMISSIONER,
         service.council_id),
    )
    return [_person(row) for row in rows]


async def readers_of(db: Database, service: Service) -> list[Person]:
    """Who reads a service's read list and can be reached: the provider's staff and the
    service's duty contact (storage/read_list.py)."""
    rows = await db.fetchall(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE {reachable_sql('people')} AND "
        "((role = ? AND organisation_id = ?) OR id = ?) ORDER BY id",
        (*REACHABLE_PARAMS, Role.PROVIDER, service.provider_id, service.duty_contact_id))
    return [_person(row) for row in rows]


async def commissioners_of(db: Database, council_id: int) -> list[Person]:
    """The council's commissioners who can be reached."""
    rows = await db.fetchall(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE {reachable_sql('people')} AND "
        "role = ? AND organisation_id = ? ORDER BY id",
        (*REACHABLE_PARAMS, Role.COMMISSIONER, council_id))
    return [_person(row) for row in rows]


async def daily_summary_providers(db: Database) -> list[Person]:
    """Providers who chose one summary a day of new feedback, and can be reached."""
    rows = await db.fetchall(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE role = ? AND issue_notices = 'daily' "
        f"AND {reachable_sql('people')} ORDER BY id",
        (Role.PROVIDER, *REACHABLE_PARAMS))
    return [_person(row) for row in rows]


async def summary_sent(db: Database, person_id: int, message: NewMessage | None,
                       now: datetime) -> None:
    """Mark today's summary made, with its message (if there was news), together."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE people SET issue_summary_at = ? WHERE id = ?",
                         (to_db_time(now), person_id))
        if message is not None:
            await add_message(tx, message, now)


async def set_digest_weekday(db: Database, person_id: int, weekday: int) -> None:
    async with db.transaction() as tx:
        await tx.execute("UPDATE people SET digest_weekday = ? WHERE id = ?",
                         (weekday, person_id))


async def set_issue_notices(db: Database, person_id: int, how: str, now: datetime) -> None:
    """Each new problem as it comes, or daily; the first summary covers from now."""
    async with db.transaction() as tx:
        await tx.execute("UPDATE people SET issue_notices = ?, issue_summary_at = ? "
                         "WHERE id = ?", (how, to_db_time(now), person_id))


async def services_without_reachable_duty_contact(db: Database) -> list[Service]:
    """Open services whose safeguarding alerts would reach nobody (as
    reachable_duty_contact judges, in one query for all services)."""
    rows = await db.fetchall(
        f"{_SERVICE_SELECT} LEFT JOIN people d ON d.id = s.duty_contact_id "
        f"WHERE s.closed_at IS NULL AND (d.id IS NULL OR NOT {reachable_sql('d')}) "
        "ORDER BY s.id",
        REACHABLE_PARAMS,
    )
    return [_service(row) for row in rows]


async def services_covered_by(db: Database, person_id: int) -> list[Service]:
    """The services whose safeguarding alerts go to this person."""
    rows = await db.fetchall(f"{_SERVICE_SELECT} WHERE s.duty_contact_id = ? ORDER BY s.id",
                             (person_id,))
    return [_service(row) for row in rows]


async def get_service(db: Database, service_id: int) -> Service | None:
    row = await db.fetchone(f"{_SERVICE_SELECT} WHERE s.id = ?", (service_id,))
    return None if row is None else _service(row)


async def services_of_provider(db: Database, provider_id: int) -> list[Service]:
    rows = await db.fetchall(
        f"{_SERVICE_SELECT} WHERE s.provider_id = ? ORDER BY s.name", (provider_id,)
    )
    return [_service(row) for row in rows]


async def all_services(db: Database) -> list[Service]:
    """Every service, by id."""
    rows = await db.fetchall(f"{_SERVICE_SELECT} ORDER BY s.id")
    return [_service(row) for row in rows]


async def services_of_council(db: Database, council_id: int) -> list[Service]:
    rows = await db.fetchall(
        f"{_SERVICE_SELECT} WHERE s.council_id = ? ORDER BY p.name, s.name", (council_id,)
    )
    return [_service(row) for row in rows]


def new_code() -> str:
    """A fresh invite code, e.g. 'K7P2QW9M': hard to guess, easy to type."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(8))


async def create_invite(
    db: Database,
    *,
    role: Role,
    now: datetime,
    display_name: str | None = None,
    organisation_id: int | None = None,
    service_id: int | None = None,
    cares_for_id: int | None = None,
    expires_at: datetime | None = None,
    language: str | None = None,
    easy_read: bool = False,
) -> str:
    """A new single-use invite code, e.g. 'K7P2QW9M'."""
    if role in (Role.PERSON, Role.CARER, Role.DUTY_CONTACT) and service_id is None:
        raise ValueError(f"an invite for a {role} must name a service")
    code = new_code()
    async with db.transaction() as tx:
        await tx.execute(
            "INSERT INTO invites (code, role, display_name, organisation_id, service_id, "
            "cares_for_id, created_at, expires_at, language, easy_read) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                code,
                role.value,
                display_name,
                organisation_id,
                service_id,
                cares_for_id,
                to_db_time(now),
                None if expires_at is None else to_db_time(expires_at),
                language,
                int(easy_read),
            ),
        )
    return code


async def _usable_invite(tx: Transaction, code: str, now: datetime) -> Row | None:
    return await tx.fetchone(
        "SELECT code, role, display_name, organisation_id, service_id, cares_for_id, "
        "language, easy_read FROM invites WHERE code = ? AND used_at IS NULL "
        "AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)",
        (code.strip().upper(), to_db_time(now)),
    )


async def _organisation_of(tx: Transaction, invite: Row) -> int | None:
    """The invite's organisation; for a service's people, the provider that runs it."""
    if invite["organisation_id"] is not None or invite["service_id"] is None:
        found: int | None = invite["organisation_id"]
        return found
    service = await tx.fetchone("SELECT provider_id FROM services WHERE id = ?",
                                (invite["service_id"],))
    assert service is not None
    return int(service["provider_id"])


async def enrol_from_invite(
    db: Database, *, code: str, telegram_user_id: int, chat_id: int, fallback_name: str,
    now: datetime, telegram_language: str | None = None,
) -> Person | None:
    """Use an invite: the person waits for consent. None if the code cannot be used.

    Their language is the invite's if it names one, else the one their Telegram app is
    set to (`telegram_language`, when carebot speaks it), else none yet (English).

    The invite is marked used in the same transaction, so one code enrols one person.
    Someone who said no, or stopped, and comes back with a new code keeps their record
    (and what they said before); the new invite's role and service replace the old.
    """
    async with db.transaction() as tx:
        invite = await _usable_invite(tx, code, now)
        if invite is None:
            return None
        returning = await tx.fetchone(
            "SELECT id, status FROM people WHERE telegram_user_id = ?", (telegram_user_id,)
        )
        if returning is not None and returning["status"] not in (
            PersonStatus.DECLINED, PersonStatus.STOPPED
        ):
            return None
        values = (
            invite["role"], invite["display_name"] or fallback_name,
            await _organisation_of(tx, invite), invite["service_id"], invite["cares_for_id"],
            chat_id, to_db_time(now), invite["code"], PersonStatus.AWAITING_CONSENT,
            invite["language"] or telegram_language, invite["easy_read"],
        )
        if returning is not None:
            person_id = returning["id"]
            await tx.execute(
                "UPDATE people SET role = ?, display_name = ?, organisation_id = ?, "
                "service_id = ?, cares_for_id = ?, chat_id = ?, enrolled_at = ?, "
                "invite_code = ?, status = ?, language = COALESCE(?, language), "
                "easy_read = ?, consent_at = NULL, admin_stopped_at = NULL WHERE id = ?",
                (*values, person_id),
            )
        else:
            person_id = await tx.insert(
                "INSERT INTO people (role, display_name, organisation_id, service_id, "
                "cares_for_id, chat_id, enrolled_at, invite_code, status, language, easy_read, "
                "telegram_user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (*values, telegram_user_id),
            )
        # How to reach them was for their letter: once they have joined, it goes.
        await tx.execute("UPDATE invites SET used_at = ?, contact = NULL WHERE code = ?",
                         (to_db_time(now), invite["code"]))
        await _link_carers(tx, invite["code"], person_id)
        return await _get_person_tx(tx, person_id)


async def _link_carers(tx: Transaction, code: str, person_id: int) -> None:
    """Carers and the person they care for, invited together, are linked whichever of
    them joins first: a carer joining after the person gets the person's id; a person
    joining after their carers is given to each of them."""
    await tx.execute(
        "UPDATE people SET cares_for_id = (SELECT cared.id FROM invites i JOIN people cared "
        "ON cared.invite_code = i.cares_for_code WHERE i.code = ?) WHERE id = ? AND "
        "cares_for_id IS NULL", (code, person_id))
    await tx.execute(
        "UPDATE people SET cares_for_id = ? WHERE cares_for_id IS NULL AND invite_code IN "
        "(SELECT code FROM invites WHERE cares_for_code = ?)", (person_id, code))


async def _get_person_tx(tx: Transaction, person_id: int) -> Person:
    row = await tx.fetchone(f"SELECT {_PERSON_COLUMNS} FROM people WHERE id = ?", (person_id,))
    assert row is not None
    return _person(row)


async def get_person(db: Database, person_id: int) -> Person | None:
    row = await db.fetchone(f"SELECT {_PERSON_COLUMNS} FROM people WHERE id = ?", (person_id,))
    return None if row is None else _person(row)


async def person_by_telegram_id(db: Database, telegram_user_id: int) -> Person | None:
    row = await db.fetchone(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE telegram_user_id = ?", (telegram_user_id,)
    )
    return None if row is None else _person(row)


async def set_person_status(
    db: Database, person_id: int, status: PersonStatus, now: datetime
) -> None:
    consent = to_db_time(now) if status is PersonStatus.ACTIVE else None
    async with db.transaction() as tx:
        await tx.execute(
            "UPDATE people SET status = ?, consent_at = COALESCE(consent_at, ?) WHERE id = ?",
            (status.value, consent, person_id),
        )


async def mark_blocked(db: Database, person_id: int) -> bool:
    """An active person has blocked the bot; True if that changed their status. Someone
    who had stopped, declined or not yet said yes keeps that status, so unblocking
    never makes them active."""
    changed = await db.execute(
        "UPDATE people SET status = ? WHERE id = ? AND status = ?",
        (PersonStatus.BLOCKED.value, person_id, PersonStatus.ACTIVE.value))
    return changed > 0


async def mark_unblocked(db: Database, person_id: int) -> bool:
    """A person marked as having blocked the bot has unblocked it (or written again): they
    are active again. True if they were marked blocked."""
    changed = await db.execute(
        "UPDATE people SET status = ? WHERE id = ? AND status = ?",
        (PersonStatus.ACTIVE.value, person_id, PersonStatus.BLOCKED.value))
    return changed > 0


async def people_with_role(db: Database, role: Role) -> list[Person]:
    rows = await db.fetchall(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE role = ? ORDER BY id", (role.value,)
    )
    return [_person(row) for row in rows]


@dataclass(frozen=True)
class InviteRow:
    code: str
    role: Role
    display_name: str | None
    organisation_id: int | None
    service_id: int | None
    created_at: datetime
    expires_at: datetime | None
    used_at: datetime | None
    revoked_at: datetime | None

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.used_at is not None:
            return "used"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "waiting"


async def list_invites(db: Database) -> list[InviteRow]:
    rows = await db.fetchall(
        "SELECT code, role, display_name, organisation_id, service_id, created_at, "
        "expires_at, used_at, revoked_at FROM invites ORDER BY created_at, code")
    return [InviteRow(r["code"], Role(r["role"]), r["display_name"], r["organisation_id"],
                      r["service_id"], from_db_time(r["created_at"]),
                      maybe_time(r["expires_at"]), maybe_time(r["used_at"]),
                      maybe_time(r["revoked_at"])) for r in rows]


async def revoke_invite(db: Database, code: str, now: datetime) -> bool:
    """Stop a code that has not been used from working; False if there is no such code
    waiting to be used."""
    async with db.transaction() as tx:
        changed = await tx.execute(
            "UPDATE invites SET revoked_at = ? WHERE code = ? AND used_at IS NULL AND "
            "revoked_at IS NULL", (to_db_time(now), code.strip().upper()))
    return changed == 1


async def known_names(db: Database) -> list[str]:
    """The names of everyone enrolled: reports take them out of what people wrote.
    (Repeats are left in: the name look-up drops them, cheaper than SQL's DISTINCT.)"""
    rows = await db.fetchall("SELECT display_name FROM people WHERE display_name IS NOT NULL")
    return [str(row[0]) for row in rows]


async def people_of(db: Database, *, service_id: int | None = None,
                    role: Role | None = None) -> list[Person]:
    """Everyone enrolled, or those of one service and/or one role."""
    rows = await db.fetchall(
        f"SELECT {_PERSON_COLUMNS} FROM people WHERE (CAST(? AS BIGINT) IS NULL OR "
        "service_id = ?) AND (CAST(? AS TEXT) IS NULL OR role = ?) ORDER BY id",
        (service_id, service_id, role, role))
    return [_person(row) for row in rows]


async def set_language(db: Database, person_id: int, language: str) -> None:
    await db.execute("UPDATE people SET language = ? WHERE id = ?", (language, person_id))


async def set_easy_read(db: Database, person_id: int, easy_read: bool) -> None:
    await db.execute("UPDATE people SET easy_read = ? WHERE id = ?", (int(easy_read), person_id))


async def language_of_user(db: Database, telegram_user_id: int) -> str | None:
    """The language a person chose or was given, by their Telegram account (None: not
    known, or no choice yet)."""
    found: str | None = await db.scalar(
        "SELECT language FROM people WHERE telegram_user_id = ?", (telegram_user_id,))
    return found


async def language_of_chat(db: Database, chat_id: int) -> str | None:
    """The language of the person in a one-to-one chat (None: not known, or no choice)."""
    found: str | None = await db.scalar(
        "SELECT language FROM people WHERE chat_id = ? ORDER BY id LIMIT 1", (chat_id,))
    return found
