"""The admin's tasks on the database: create or update it, add councils, providers and
services; and what every command that opens the database shares (its settings, the
database itself, and a mistake said in one plain line)."""

from __future__ import annotations

import argparse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from carebot.cli.registry import argument, command
from carebot.settings.clock import SystemClock
from carebot.settings.config import Config
from carebot.storage import directory
from carebot.storage.db import Database, open_database, schema_version


class AdminError(Exception):
    """A mistake in what the admin asked for, and what to do about it: one plain line,
    and exit status 2. The next step is required, so no error leaves the admin stuck."""

    def __init__(self, problem: str, next_step: str) -> None:
        super().__init__(problem, next_step)
        self.problem, self.next_step = problem.rstrip("."), next_step.rstrip(".")

    def __str__(self) -> str:
        return f"{self.problem}. {self.next_step[:1].upper()}{self.next_step[1:]}."


def config_of(args: argparse.Namespace) -> Config:
    return Config.load(Path(args.config) if args.config else None)


def sqlite_file(config: Config, doing: str) -> Path:
    """The database file, for what only a SQLite file allows: a PostgreSQL server's copies
    are made and put back by its own tools."""
    if config.database_file is None:
        raise AdminError(f"carebot {doing} works on a SQLite file, and this carebot's "
                         "database is on PostgreSQL",
                         "use pg_dump and pg_restore, or the server's point-in-time "
                         "recovery, as docs/deploy.md says under 'PostgreSQL'")
    return config.database_file


@asynccontextmanager
async def database(args: argparse.Namespace) -> AsyncIterator[Database]:
    config = config_of(args)
    db = await open_database(config.database, config.backup_folder)
    try:
        yield db
    finally:
        await db.close()


@command("migrate", "create the database, or bring its schema up to date",
         example="carebot migrate")
async def migrate(args: argparse.Namespace) -> int:
    async with database(args) as db:
        version = await schema_version(db)
    print(f"{db.where} is at schema version {version}.")
    return 0


@command("add-organisation", "add a council or a provider",
         example="carebot add-organisation --kind council --name 'Northshire County Council'",
         arguments=[argument("--kind", choices=("council", "provider"), required=True),
                    argument("--name", required=True)],
         audited=True)
async def add_organisation(args: argparse.Namespace) -> int:
    async with database(args) as db:
        if (same := await directory.organisation_named(db, args.kind, args.name)) is not None:
            raise AdminError(f"there is already a {args.kind} called {args.name!r} "
                             f"(id {same.id})", f"use id {same.id}, or give another --name")
        organisation = await directory.add_organisation(db, args.kind, args.name,
                                                        SystemClock().now())
    print(f"{args.kind} {organisation.name!r} has id {organisation.id}.")
    return 0


@command("add-service", "add a service a provider runs for a council",
         example="carebot add-service --council 1 --provider 2 --name 'Home Care North' "
         "--kind 'home care'",
         arguments=[argument("--council", type=int, required=True, metavar="ID"),
                    argument("--provider", type=int, required=True, metavar="ID"),
                    argument("--name", required=True),
                    argument("--kind", required=True, help="e.g. 'home care', 'day service'")],
         audited=True)
async def add_service(args: argparse.Namespace) -> int:
    async with database(args) as db:
        for organisation_id, kind in ((args.council, "council"), (args.provider, "provider")):
            found = await directory.get_organisation(db, organisation_id)
            if found is None or found.kind != kind:
                raise AdminError(f"organisation {organisation_id} is not a {kind}",
                                 f"see the {kind}s' ids with `carebot organisations`")
        if (same := await directory.service_named(db, args.provider, args.name)) is not None:
            raise AdminError(f"this provider already runs a service called {args.name!r} "
                             f"(id {same.id})", "give the new one another --name, or use "
                             f"service {same.id}")
        service = await directory.add_service(
            db, council_id=args.council, provider_id=args.provider, name=args.name,
            kind=args.kind, now=SystemClock().now())
    print(f"Service {service.name!r} has id {service.id}.")
    return 0
