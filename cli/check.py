"""`carebot check`: settings that cannot work (exit 2), then what in the directory would
stop the service doing its job (exit 1 if anything). `carebot run` runs the same checks."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from carebot.cli import admin
from carebot.cli.registry import command
from carebot.settings.clock import SystemClock
from carebot.settings.config import Config, problems_with
from carebot.storage import backup, postgres_engine
from carebot.storage.db import open_database
from carebot.storage.readiness import Gap, gaps
from carebot.storage.schema import latest_schema_version
from carebot.understanding import encoder, risk_model


def settings_problems(config: Config, *, running: bool) -> list[str]:
    problems = problems_with(config)
    if running and not config.token:
        problems.append("no bot token: set CAREBOT_TOKEN (from @BotFather), "
                        "or try `carebot demo`")
    return problems


@command("check", "check the settings and the database (without changing either), then list "
         "what would stop the service working: no token, no council or service, alerts "
         "that would reach nobody, invites about to lapse", example="carebot check")
async def check(args: argparse.Namespace) -> int:
    config = admin.config_of(args)
    if problems := settings_problems(config, running=False):
        for problem in problems:
            print(f"setting: {problem}")
        return 2
    found = [] if config.token else [Gap(
        "There is no bot token, so the bot cannot start.",
        "set CAREBOT_TOKEN to the token @BotFather gave (docs/deploy.md, section 1)")]
    found += _council_gaps(config)
    found += await _database_gaps(config)
    found += _reader_gaps()
    for gap in found:
        print(f"- {gap.what}\n  To put it right: {gap.fix}")
    things = "1 thing above needs" if len(found) == 1 else f"{len(found)} things above need"
    print(f"Settings are fine, but {things} putting right." if found
          else "Settings are fine, and nothing stands in the service's way.")
    return 1 if found else 0


async def _database_gaps(config: Config) -> list[Gap]:
    """The database's own state, then the directory's gaps. Nothing is created or
    upgraded: a database that is missing, damaged or behind is reported, not opened."""
    path = config.database
    if (file := config.database_file) is None:
        version, damage = await _server_state(str(path))
    else:
        version = await asyncio.to_thread(backup.schema_version, file)
        damage = [] if version is None else await asyncio.to_thread(backup.integrity_problems,
                                                                    file)
    if version is None:
        return [Gap(f"There is no database at {shown(path)} yet.",
                    "carebot migrate creates it (so does the bot when it starts)")]
    if damage and file is None:
        return [Gap(f"The database {shown(path)} cannot be reached: {damage[0]}.",
                    "check that the server is running and the address is right, or ask "
                    "the database's administrator")]
    if damage:
        return [Gap(f"The database {path} is damaged: {'; '.join(damage[:3])}.",
                    "stop the bot and put back the last good backup with carebot restore "
                    "(docs/deploy.md, section 5)")]
    if version < latest_schema_version():
        return [Gap(f"The database is at schema {version}; this carebot needs "
                    f"{latest_schema_version()}.",
                    "carebot migrate brings it up to date, backing it up first (so does the "
                    "bot when it starts)")]
    db = await open_database(path, config.backup_folder)
    try:
        return await gaps(db, SystemClock().now())
    finally:
        await db.close()


def _council_gaps(config: Config) -> list[Gap]:
    """What people are told that is still the demo's, or missing from their letters."""
    found = []
    if config.privacy_notice_url == Config().privacy_notice_url:  # .example: never real
        found.append(Gap("People are told to read the demo's made-up privacy notice "
                         f"({config.privacy_notice_url}).",
                         "set privacy_notice_url and data_controller in the settings file "
                         "(or CAREBOT_PRIVACY_NOTICE_URL and CAREBOT_DATA_CONTROLLER) to "
                         "your council's"))
    if not config.help_contact:
        found.append(Gap("Invite letters give no way to ask the council for help.",
                         "set help_contact (or CAREBOT_HELP_CONTACT) to a phone number and "
                         "hours, or an email address"))
    return found


def _reader_gaps() -> list[Gap]:
    """The risk reader's files, without which more worries are missed."""
    loaded = encoder.load()
    if loaded is None:
        return [Gap("The sentence encoder is missing or damaged, so risk is read by the "
                    "rules alone and more worries are missed.",
                    "make install (or rebuild the image): it installs "
                    "requirements-encoder.txt")]
    if loaded.tuning is None and risk_model.load().reads_tuned:
        return [Gap(f"The tuned risk reader ({encoder.TUNING_FILE}) is missing, so risk "
                    "is read by the rules alone and more worries are missed.",
                    "reinstall carebot (or rebuild the image): the file comes with it")]
    return []


async def _server_state(address: str) -> tuple[int | None, list[str]]:
    """A PostgreSQL database's schema version, read without changing it, or why it could
    not be read (0 as the version then, so the reason is what is reported)."""
    try:
        return await asyncio.to_thread(postgres_engine.schema_version_at, address), []
    except Exception as error:  # psycopg's, loaded only for PostgreSQL
        return 0, [str(error).strip().splitlines()[0] if str(error).strip() else repr(error)]


def shown(database: Path | str) -> str:
    """The database as the admin set it, without a password."""
    return str(database) if isinstance(database, Path) else postgres_engine.shown_address(
        database)
