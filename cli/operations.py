"""Commands an operator runs on the server, beside the bot: is it healthy, take a backup,
put one back, let old words go."""

from __future__ import annotations

import argparse
import asyncio
import os
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from carebot.care.references import alert_reference, issue_reference
from carebot.cli import admin
from carebot.cli.registry import argument, command
from carebot.storage import running_lock
from carebot.storage.backup import BackupError, Copy, make_backup, restore
from carebot.storage.copy_to_postgresql import CopyRefusedError, copy_to_postgresql
from carebot.storage.db import is_postgresql, open_database
from carebot.storage.postgres_engine import shown_address
from carebot.storage.retention import apply_retention, months_before, open_issues_kept
from carebot.storage.running_lock import DatabaseInUseError

ASK_TIMEOUT = 10  # seconds; /healthz itself gives the database 2


def health_url(host: str, port: int) -> str:
    """Where the running bot answers /healthz (a bot listening on every address is asked
    on this machine's own)."""
    host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    host = "[::1]" if host == "::" else host
    return f"http://{host}:{port}/healthz"


@command("healthcheck", "ask the running bot's /healthz: exit 0 if healthy, 1 (with the "
         "reason) if not; a container's HEALTHCHECK runs it", example="carebot healthcheck")
async def healthcheck(args: argparse.Namespace) -> int:
    config = admin.config_of(args)
    if not config.health_port:
        print("The health endpoint is off (health_port = 0).")
        return 1
    url = health_url(config.health_host, config.health_port)
    try:
        status, said = await asyncio.to_thread(_ask, url)
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", None) or error or type(error).__name__
        print(f"The bot did not answer at {url}: {reason}")
        return 1
    print(said if status == 200 else f"Not healthy: {said}")
    return 0 if status == 200 else 1


def _ask(url: str) -> tuple[int, str]:
    """GET url: its status and text, a 503's reasons included."""
    try:
        with urllib.request.urlopen(url, timeout=ASK_TIMEOUT) as answer:
            return int(answer.status), answer.read().decode("utf-8", "replace").strip()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace").strip()


@command("backup", "copy the database while the bot runs, check the copy (integrity, every "
         "table's rows) and only then name it; a folder (made if need be) gets a dated file",
         example="carebot backup /var/backups/carebot/",
         arguments=[argument("path", metavar="PATH",
                             help="a new file, or a folder (end it with / to make it)")],
         audited=True)
async def backup(args: argparse.Namespace) -> int:
    """A checked copy of the database, made while the bot runs. A folder gets a dated name."""
    config = admin.config_of(args)
    try:
        copy = await asyncio.to_thread(_back_up, admin.sqlite_file(config, "backup"), args.path)
    except BackupError as error:
        raise admin.AdminError(error.problem, error.next_step) from None
    print(f"Backed up {config.database} to {copy.path}: checked, {copy.summary()}.")
    return 0


def _back_up(database: Path, given: str) -> Copy:
    """To the file named, or into the folder named (an existing one, or one ending in /):
    a name with the moment in it, and a number after if that is taken."""
    target = Path(given)
    if not (given.endswith(("/", os.sep)) or target.is_dir()):
        return make_backup(database, target)
    stem = f"carebot-{datetime.now(UTC).strftime('%Y-%m-%dT%H%M%SZ')}"
    for number in range(1, 1000):
        named = target / (f"{stem}.sqlite3" if number == 1 else f"{stem}-{number}.sqlite3")
        if not named.exists():
            try:
                return make_backup(database, named)
            except BackupError:
                if not named.exists():  # not taken by another backup meanwhile
                    raise
    raise BackupError(f"{target} has a thousand backups of this second",
                      "give another folder")


@command("restore", "put a backup in place of the database, with the bot stopped; says what "
         "the database has that the backup does not, and restores over it only with --force "
         "(keeping it aside); marks sent what the sent journal says went after the backup; "
         "never gives an issue or alert reference twice",
         example="carebot restore /var/backups/carebot/carebot-2026-12-01.sqlite3",
         arguments=[
             argument("path", metavar="PATH", help="a backup file"),
             argument("--force", action="store_true",
                      help="restore even over a database with newer rows"),
             argument("--journal", metavar="FOLDER",
                      help="the sent journal to read (default: the 'sent' folder beside the "
                      "backups)"),
         ],
         audited=True)
async def restore_backup(args: argparse.Namespace) -> int:
    """Put a backup in place of the database, with the bot stopped; what was there is kept."""
    config = admin.config_of(args)
    backup = Path(args.path)
    journal = (Path(args.journal) if args.journal
               else config.journal_folder if config.sent_journal else None)
    try:
        done = await asyncio.to_thread(restore, backup, admin.sqlite_file(config, "restore"),
                                       datetime.now(UTC),
                                       force=args.force, journal=journal)
    except BackupError as error:
        raise admin.AdminError(error.problem, error.next_step) from None
    except DatabaseInUseError:
        raise admin.AdminError(f"{config.database} is in use by a running carebot",
                               "stop the bot (systemctl stop carebot, or docker compose "
                               "stop), then restore") from None
    if done.kept_aside is not None:
        print(f"The database as it was is kept at {done.kept_aside}.")
    if done.lost:
        print(f"Not in the backup, so gone from the bot (kept in the copy above): "
              f"{'; '.join(done.lost)}.")
    print(f"Restored {backup} to {config.database}: checked, "
          f"{Copy(backup, done.rows).summary()}.")
    if done.journal.marked_sent:
        print(f"{done.journal.marked_sent} messages sent after the backup was taken are "
              f"marked sent (from the journal in {journal}), so they do not go twice.")
    if done.journal.not_in_backup:
        print(f"{done.journal.not_in_backup} messages went after the backup was taken about "
              "things it does not hold: what people said since then is not in it, and some "
              "people may be asked a check-in again.")
    highest = ([issue_reference(done.floors["issue"])] if done.floors["issue"] else []) + (
        [alert_reference(done.floors["alert"])] if done.floors["alert"] else [])
    if highest:
        print(f"New references go on after {' and '.join(highest)}, the highest given "
              "before, so none is given twice.")
    print("Start the bot: it brings the schema up to date and sends what was waiting.")
    return 0


@command("retention", "take the words from answers, messages and closed issues older than "
         "retention_months (the bot does it daily); --dry-run says how many",
         example="carebot retention --dry-run",
         arguments=[argument("--dry-run", action="store_true",
                             help="only say how many records would lose words")],
         audited=True)
async def retention(args: argparse.Namespace) -> int:
    """Take the words from records older than retention_months now (the bot does it once
    a day by itself); with --dry-run, only say how many would lose them."""
    config = admin.config_of(args)
    now = datetime.now(UTC)
    async with admin.database(args) as db:
        gone = await apply_retention(db, now, config.retention_months, dry_run=args.dry_run)
        still_open = await open_issues_kept(db, months_before(now, config.retention_months))
    before = months_before(now, config.retention_months).date()
    verb = "would lose" if args.dry_run else "lost"
    print(f"Records from before {before} (retention_months = {config.retention_months}) "
          f"{verb} their words; the records and every count stay:")
    for what, count in gone.items():
        print(f"  {what}: {count}")
    if still_open:
        print(f"  {still_open} older issues are still open: they keep their words until "
              "they are closed.")
    return 0


@command("copy-to-postgresql", "copy the SQLite database, every row with its own id, into "
         "an empty PostgreSQL database, with the bot stopped; then set database to its "
         "address", example="carebot copy-to-postgresql "
         "postgresql://carebot@db.council.example/carebot",
         arguments=[argument("address", metavar="ADDRESS",
                             help="the empty PostgreSQL database to copy into")],
         audited=True)
async def copy_to_server(args: argparse.Namespace) -> int:
    """Move a council from its file to its IT's PostgreSQL server (docs/deploy.md, 5b)."""
    config = admin.config_of(args)
    if config.database_file is None:
        raise admin.AdminError("this carebot's database is on PostgreSQL already",
                               "there is nothing to copy")
    if not is_postgresql(args.address):
        raise admin.AdminError(f"{args.address!r} is not a postgresql:// address",
                               "write it as postgresql://user@host/database")
    try:
        lock = running_lock.hold(config.database_file, "a copy to PostgreSQL")
    except DatabaseInUseError:
        raise admin.AdminError(f"{config.database_file} is in use by a running carebot",
                               "stop the bot first, so that nothing changes while it is "
                               "copied") from None
    try:
        await (await open_database(args.address)).close()  # its schema made, or checked
        copied = await asyncio.to_thread(copy_to_postgresql, config.database_file,
                                         args.address)
    except CopyRefusedError as refused:
        raise admin.AdminError(refused.problem, refused.next_step) from None
    finally:
        lock.release()
    print(f"Copied {copied.rows} rows of {copied.tables} tables to "
          f"{shown_address(args.address)}. Set database to that address in the settings "
          "(CAREBOT_DATABASE), then start carebot. The file is left as it was.")
    return 0
