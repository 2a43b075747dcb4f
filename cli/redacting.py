"""`carebot redact`: lines on standard input, written out with personal details taken
out, as every report shows them. The names of people carebot knows are taken from the
database when there is one."""

from __future__ import annotations

import argparse
import asyncio
import sys

from cli.admin import config_of
from reports.redaction import KnownNames, redact
from storage import directory
from storage.db import open_database


async def _known_names(args: argparse.Namespace) -> list[str]:
    path = config_of(args).database
    if not path.exists():
        return []
    db = await open_database(path)
    try:
        return await directory.known_names(db)
    finally:
        await db.close()


def run(args: argparse.Namespace) -> int:
    known = KnownNames(asyncio.run(_known_names(args)))
    for line in sys.stdin:
        sys.stdout.write(redact(line.rstrip("\n"), known) + "\n")
    return 0
