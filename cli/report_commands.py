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

from carebot.care.languages import language_code, language_name
from carebot.cli.admin import AdminError, config_of, database
from carebot.cli.dates import date_argument
from carebot.cli.registry import argument, command
from carebot.conversations.texts import all_texts, english_texts
from carebot.reports.redaction import KnownNames, redact
from carebot.settings.clock import SystemClock
from carebot.storage import directory
from carebot.storage.db import open_database
from carebot.storage.private_files import private_folder
from carebot.translations.catalogues import SOURCE_LANGUAGE, spoken_languages
from carebot.translations.speaking import speaking
from carebot.translations.upkeep import start, update_all


@command("digest", "write each council's digest (HTML and CSV) for the last full week, or "
         "for the days you give, to the output folder, without sending it",
         example="carebot digest --council 1 --from 2/11/2026 --to 8/11/2026",
         arguments=[
             argument("--council", type=int, metavar="ID", help="one council (default: all)"),
             argument("--from", dest="start", type=date_argument, metavar="DATE",
                      help="the first day (with --to; default: the last full week)"),
             argument("--to", dest="end", type=date_argument, metavar="DATE",
                      help="the last day in the digest"),
         ],
         audited=True)
async def digest(args: argparse.Namespace) -> int:
    """Write each council's digest for a period (the last complete week unless given),
    without sending it: one pair of files per council, however many read it."""
    from carebot.reports.weekly import week_ending, write_organisation_digest

    config = config_of(args)
    now = SystemClock().now()
    if (args.start is None) != (args.end is None):
        raise AdminError("a period needs both ends", "give --from DATE and --to DATE, or "
                         "neither for the last full week")
    if args.start is None:
        start, end, _ = week_ending(now, config.digest_weekday, config.digest_hour,
                                    config.timezone)
    else:
        start, end = _local_days(args.start, args.end, config.timezone)
    async with database(args) as db:
        councils = await directory.organisations(db, "council")
        if args.council is not None:
            councils = [c for c in councils if c.id == args.council]
            if not councils:
                raise AdminError(f"there is no council {args.council}",
                                 "`carebot organisations` lists the councils with their ids")
        for council in councils:
            services = await directory.services_of_council(db, council.id)
            _, html_path, csv_path = await write_organisation_digest(
                db, config, council.id, council.name, services, (start, end), now)
            print(f"{council.name}: digest written to {html_path} and {csv_path}")
    if not councils:
        print("There is no council yet: add one with carebot add-organisation --kind council")
    return 0


def _local_days(first: date, last: date, timezone: str) -> tuple[datetime, datetime]:
    """From the start of `first` to the end of `last`, in the council's time zone."""
    if last < first:
        raise AdminError("--to is before --from",
                         "give the first day with --from and the last with --to")
    zone = ZoneInfo(timezone)
    return (datetime.combine(first, time(0), tzinfo=zone),
            datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone))


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
    config = config_of(args)
    if config.database_file is not None and not config.database_file.exists():
        return []
    db = await open_database(config.database)
    try:
        return await directory.known_names(db)
    finally:
        await db.close()


@command("pack", "write a provider's monitoring pack (PDF, A4) for a period: cover, contents, "
         "a section per service, actions and open issues",
         example="carebot pack --provider 2 --from 2026-09-01 --to 2026-11-30",
         arguments=[
             argument("--provider", type=int, required=True, metavar="ID"),
             argument("--from", dest="start", type=date_argument, required=True, metavar="DATE"),
             argument("--to", dest="end", type=date_argument, required=True, metavar="DATE",
                      help="the last day in the pack"),
             argument("--output", metavar="FILE", help="default: in the output folder"),
         ],
         audited=True)
async def pack(args: argparse.Namespace) -> int:
    """Write one provider's monitoring pack (PDF) for a period."""
    from carebot.reports.pack_pdf import provider_pack

    config = config_of(args)
    start, end = _local_days(args.start, args.end, config.timezone)
    path = Path(args.output) if args.output else config.output_dir / (
        f"pack-{args.provider}-{args.start:%Y-%m-%d}-to-{args.end:%Y-%m-%d}.pdf")
    private_folder(path.parent)
    async with database(args) as db:
        try:
            name, path = await provider_pack(
                db, args.provider, start, end, threshold=config.suppression_threshold,
                now=SystemClock().now(), path=path)
        except LookupError as error:
            raise AdminError(str(error), "`carebot organisations` lists the providers "
                             "with their ids") from None
    print(f"Monitoring pack for {name} written to {path}")
    return 0


@command("texts", "print every text the bot says as JSON lines, in English or in a "
         "language it speaks, for review; or bring the translation catalogues up to date",
         example="carebot texts --language cy > cymraeg.jsonl",
         arguments=[
             argument("--language", metavar="CODE", default=SOURCE_LANGUAGE,
                      help="the language to print, by its code (cy, pl, ur; default: en)"),
             argument("--new-language", metavar="CODE",
                      help="start a catalogue for a language carebot does not speak yet"),
             argument("--update-catalogues", action="store_true",
                      help="after changing the English (conversations/texts.py): add new "
                           "texts to every catalogue and mark changed ones for the "
                           "translator to check"),
         ])
def texts(args: argparse.Namespace) -> int:
    if args.new_language:
        if language_code(args.new_language) != args.new_language:
            raise AdminError(f"'{args.new_language}' is not a language code carebot knows",
                             "Give its two-letter ISO 639-1 code, such as cy for Welsh")
        try:
            print(f"Started {start(args.new_language, english_texts())}: translate it")
        except FileExistsError:
            raise AdminError(f"there is a catalogue for '{args.new_language}' already",
                             "Use --update-catalogues to bring it up to date") from None
        return 0
    if args.update_catalogues:
        for changes in update_all(english_texts()):
            print(f"{language_name(changes.language)}: {changes.added} new, "
                  f"{changes.changed} to check again, {changes.dropped} no longer used")
        return 0
    if args.language not in spoken_languages():
        raise AdminError(f"carebot does not speak '{args.language}' yet",
                         f"Write one of {', '.join(spoken_languages())}")
    with speaking(args.language):
        for key, words in all_texts():
            print(json.dumps({"key": key, "text": words}, ensure_ascii=False))
    return 0
