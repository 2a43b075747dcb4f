"""The admin's tasks on the database: create or update it, add councils, providers and
services, and write last week's digests without sending them."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from settings.clock import SystemClock
from settings.config import Config
from storage import directory
from storage.db import Database, open_database
from storage.models import Role
from storage.private_files import private_folder


class AdminError(Exception):
    """A mistake in what the admin asked for: one plain line, and exit status 2."""


def config_of(args: argparse.Namespace) -> Config:
    return Config.load(Path(args.config) if args.config else None)


@asynccontextmanager
async def database(args: argparse.Namespace) -> AsyncIterator[Database]:
    config = config_of(args)
    db = await open_database(config.database, config.backup_folder)
    try:
        yield db
    finally:
        await db.close()


async def migrate(args: argparse.Namespace) -> int:
    async with database(args) as db:
        version = await db.scalar("SELECT MAX(version) FROM schema_migrations")
    print(f"{db.path} is at schema version {version}.")
    return 0


async def add_organisation(args: argparse.Namespace) -> int:
    async with database(args) as db:
        organisation = await directory.add_organisation(db, args.kind, args.name,
                                                        SystemClock().now())
    print(f"{args.kind} {organisation.name!r} has id {organisation.id}.")
    return 0


async def add_service(args: argparse.Namespace) -> int:
    async with database(args) as db:
        for organisation_id, kind in ((args.council, "council"), (args.provider, "provider")):
            found = await directory.get_organisation(db, organisation_id)
            if found is None or found.kind != kind:
                raise AdminError(f"organisation {organisation_id} is not a {kind}")
        service = await directory.add_service(
            db, council_id=args.council, provider_id=args.provider, name=args.name,
            kind=args.kind, now=SystemClock().now())
    print(f"Service {service.name!r} has id {service.id}.")
    return 0


async def digest(args: argparse.Namespace) -> int:
    """Write each commissioner's digest for the last complete week, without sending it."""
    from reports.weekly import make_digest, week_ending

    config = config_of(args)
    now = SystemClock().now()
    async with database(args) as db:
        start, end, _ = week_ending(now, config.digest_weekday, config.digest_hour,
                                    config.timezone)
        for commissioner in await directory.people_with_role(db, Role.COMMISSIONER):
            _, html_path, csv_path = await make_digest(db, config, commissioner, start, end,
                                                       now)
            print(f"Digest written to {html_path} and {csv_path}")
    return 0


async def pack(args: argparse.Namespace) -> int:
    """Write one provider's monitoring pack (PDF) for a period."""
    from reports.pack_pdf import provider_pack

    config = config_of(args)
    zone = ZoneInfo(config.timezone)
    start = datetime.combine(args.start, time(0), tzinfo=zone)
    end = datetime.combine(args.end + timedelta(days=1), time(0), tzinfo=zone)
    if end <= start:
        raise AdminError("--to must not be before --from")
    path = Path(args.output) if args.output else config.output_dir / (
        f"pack-{args.provider}-{args.start:%Y-%m-%d}-to-{args.end:%Y-%m-%d}.pdf")
    private_folder(path.parent)
    async with database(args) as db:
        try:
            name, path = await provider_pack(
                db, args.provider, start, end, threshold=config.suppression_threshold,
                now=SystemClock().now(), path=path)
        except LookupError as error:
            raise AdminError(str(error)) from None
    print(f"Monitoring pack for {name} written to {path}")
    return 0


COMMANDS = {"migrate": migrate, "pack": pack, "add-organisation": add_organisation,
            "add-service": add_service, "digest": digest}
