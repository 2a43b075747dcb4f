"""What the command line writes out for people to read: last week's digests, any text
with personal details taken out, a provider's monitoring pack, and every text the bot
says."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from carebot.cli.admin import AdminError, config_of, database
from carebot.cli.registry import argument, command
from carebot.conversations.texts import all_texts
from carebot.reports.redaction import KnownNames, redact
from carebot.settings.clock import SystemClock
from carebot.storage import directory
from carebot.storage.db import open_database
from carebot.storage.models import Role
from carebot.storage.private_files import private_folder


@command("digest", "write each commissioner's digest for the last full week to the output "
         "folder, without sending it", example="carebot digest")
async def digest(args: argparse.Namespace) -> int:
    """Write each commissioner's digest for the last complete week, without sending it."""
    from carebot.reports.weekly import make_digest, week_ending

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


@command("redact", "read lines on standard input and write them with names, phone numbers, "
         "emails, postcodes, NHS numbers, addresses and dates of birth taken out",
         example="carebot redact < comments.txt > redacted.txt")
def redact_lines(args: argparse.Namespace) -> int:
    """Personal details out, as every report shows them; the names of the people carebot
    knows come from the database when there is one."""
    from carebot.understanding.files import text_encoding

    known = KnownNames(asyncio.run(_known_names(args)))
    # Read as `carebot tag` reads a file: UTF-8, UTF-16 or the Windows code page, as
    # Excel and Notepad save them, whatever this machine's locale says (a file of
    # comments is small enough to read whole, so one code page covers all of it).
    data = sys.stdin.buffer.read()
    text = data.decode(text_encoding(data), errors="replace").lstrip("\ufeff")
    for line in text.splitlines():
        sys.stdout.write(redact(line, known) + "\n")
    return 0


async def _known_names(args: argparse.Namespace) -> list[str]:
    path = config_of(args).database
    if not path.exists():
        return []
    db = await open_database(path)
    try:
        return await directory.known_names(db)
    finally:
        await db.close()


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-30") from None


@command("pack", "write a provider's monitoring pack (PDF, A4) for a period: cover, contents, "
         "a section per service, actions and open issues",
         example="carebot pack --provider 2 --from 2026-09-01 --to 2026-11-30",
         arguments=[
             argument("--provider", type=int, required=True, metavar="ID"),
             argument("--from", dest="start", type=_day, required=True, metavar="DATE"),
             argument("--to", dest="end", type=_day, required=True, metavar="DATE",
                      help="the last day in the pack"),
             argument("--output", metavar="FILE", help="default: in the output folder"),
         ])
async def pack(args: argparse.Namespace) -> int:
    """Write one provider's monitoring pack (PDF) for a period."""
    from carebot.reports.pack_pdf import provider_pack

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


@command("texts", "print every text the bot says as JSON lines, for review and translation",
         example="carebot texts > texts.jsonl")
def texts(args: argparse.Namespace) -> int:
    for key, words in all_texts():
        print(json.dumps({"key": key, "text": words}, ensure_ascii=False))
    return 0
