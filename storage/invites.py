"""Invites made many at once, from a council's spreadsheet: all of them in one
transaction or none, a carer's linked to the invite of the person they care for; and
the invites still waiting, with what a letter needs to reach each person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from carebot.storage.db import Database, from_db_time, maybe_time, to_db_time
from carebot.storage.directory import new_code
from carebot.storage.models import Role


@dataclass(frozen=True)
class NewInvite:
    role: Role
    display_name: str
    service_id: int | None
    organisation_id: int | None
    language: str | None = None
    contact: str | None = None
    cares_for_id: int | None = None     # a person who has joined
    cares_for_row: int | None = None    # or the index, in the same batch, of their invite


async def create_invites(db: Database, invites: list[NewInvite], now: datetime,
                         expires_at: datetime) -> list[str]:
    """Each invite's code, in order; every one made, or (on any error) none."""
    codes = [new_code() for _ in invites]
    async with db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO invites (code, role, display_name, organisation_id, service_id, "
            "cares_for_id, language, contact, created_at, expires_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(code, each.role.value, each.display_name, each.organisation_id, each.service_id,
              each.cares_for_id, each.language, each.contact, to_db_time(now),
              to_db_time(expires_at)) for code, each in zip(codes, invites, strict=True)])
        await tx.executemany(
            "UPDATE invites SET cares_for_code = ? WHERE code = ?",
            [(codes[each.cares_for_row], code) for code, each in zip(codes, invites, strict=True)
             if each.cares_for_row is not None])
    return codes


@dataclass(frozen=True)
class WaitingInvite:
    """An invite not used yet and still working, with what its letter says."""

    code: str
    role: Role
    display_name: str | None
    language: str | None
    contact: str | None
    service: str | None
    provider: str | None
    council: str | None
    created_at: datetime
    expires_at: datetime | None
    cares_for: str | None = None  # for a carer: the name of the person they help


async def waiting_invites(db: Database, now: datetime,
                          codes: list[str] | None = None) -> list[WaitingInvite]:
    """Invites not yet used, revoked or lapsed (or just those of `codes`), oldest first."""
    rows = await db.fetchall(
        "SELECT i.code, i.role, i.display_name, i.language, i.contact, i.created_at, "
        "i.expires_at, s.name AS service, p.name AS provider, "
        "COALESCE(c.name, CASE WHEN o.kind = 'council' THEN o.name END) AS council, "
        "COALESCE(cared.display_name, cared_invite.display_name) AS cares_for "
        "FROM invites i "
        "LEFT JOIN people cared ON cared.id = i.cares_for_id "
        "LEFT JOIN invites cared_invite ON cared_invite.code = i.cares_for_code "
        "LEFT JOIN services s ON s.id = i.service_id "
        "LEFT JOIN organisations p ON p.id = s.provider_id "
        "LEFT JOIN organisations c ON c.id = s.council_id "
        "LEFT JOIN organisations o ON o.id = i.organisation_id "
        "WHERE i.used_at IS NULL AND i.revoked_at IS NULL "
        "AND (i.expires_at IS NULL OR i.expires_at > ?) ORDER BY i.created_at, i.rowid",
        (to_db_time(now),))
    found = [WaitingInvite(r["code"], Role(r["role"]), r["display_name"], r["language"],
                           r["contact"], r["service"], r["provider"], r["council"],
                           from_db_time(r["created_at"]), maybe_time(r["expires_at"]),
                           r["cares_for"])
             for r in rows]
    if codes is None:
        return found
    wanted = {code: n for n, code in enumerate(codes)}
    return sorted((w for w in found if w.code in wanted), key=lambda w: wanted[w.code])
