"""`carebot invite --from people.xlsx`: every row checked first, then every invite made
in one go (or none), with a printable PDF of letters and a CSV of the codes; and
`carebot invite list --waiting --letters FILE`: reminder letters for who has not joined."""

from __future__ import annotations

import argparse
import csv
from datetime import datetime, timedelta
from pathlib import Path

from carebot.care.languages import language_name
from carebot.cli.admin import AdminError, config_of, database
from carebot.cli.invite_sheet import Sheet, check_sheet, read_rows
from carebot.reports.invite_letters import LetterSettings, joining_link, write_letters
from carebot.settings.clock import SystemClock
from carebot.settings.config import Config
from carebot.storage import directory
from carebot.storage.db import Database
from carebot.storage.invites import create_invites, waiting_invites
from carebot.storage.models import PEOPLE_ROLES
from carebot.storage.private_files import make_private, private_folder

CODE_COLUMNS = ("row in the sheet", "name", "role", "service", "code", "link", "works until",
                "language")


async def alerts_reach_someone(db: Database, service_ids: list[int]) -> None:
    """People are invited only where a worry they tell us reaches someone at once: each
    service with a duty contact the bot can reach (as `carebot check` says)."""
    unreached = [s.name for s in await directory.services_without_reachable_duty_contact(db)
                 if s.id in service_ids]
    if unreached:
        names = ", ".join(unreached)
        raise AdminError(f"a worry told at {names} would reach nobody yet: no duty contact "
                         "has joined there", "invite the staff first, then name each "
                         "service's duty contact (carebot services set-duty-contact), then "
                         "invite people")


def letter_settings(config: Config, now: datetime) -> LetterSettings:
    if not config.bot_username:
        raise AdminError("letters need the bot's username for their link and QR code",
                         "set CAREBOT_BOT_USERNAME (or bot_username in the settings file), "
                         "e.g. northshire_care_bot")
    return LetterSettings(config.bot_username, config.data_controller,
                          config.privacy_notice_url, now.date(), config.help_contact)


async def invite_from_sheet(args: argparse.Namespace) -> int:
    config, now = config_of(args), SystemClock().now()
    settings = letter_settings(config, now)
    path = Path(args.from_file)
    try:
        header, rows = read_rows(path)
    except (OSError, ValueError) as error:
        raise AdminError(str(error).rstrip("."), "save the sheet as .csv or .xlsx and give "
                         "its path") from None
    async with database(args) as db:
        sheet = await check_sheet(db, header, rows)
        _say_problems(sheet, skip_bad=args.skip_bad)
        await alerts_reach_someone(db, [i.service_id for i in sheet.invites
                                        if i.role in PEOPLE_ROLES and i.service_id is not None])
        if not sheet.invites:
            raise AdminError("there is no row to invite", "add a row for each person, "
                             "under a header row with at least a name column")
        expires = now + timedelta(days=args.days)
        codes = await create_invites(db, sheet.invites, now, expires)
        made = await waiting_invites(db, now, codes)
    stamp = f"{now:%Y-%m-%d-%H%M%S}"
    letters = Path(args.letters) if args.letters else config.output_dir / (
        f"invite-letters-{stamp}.pdf")
    listed = Path(args.codes) if args.codes else config.output_dir / f"invites-{stamp}.csv"
    for folder in {letters.parent, listed.parent}:
        private_folder(folder)
    write_letters(made, settings, letters)
    _write_codes(listed, sheet, codes, settings.bot_username, expires)
    print(f"Made {len(codes)} invites, each working once for {args.days} days.")
    print(f"Letters to print: {letters}")
    print(f"The codes, for your records: {listed} (keep it safe: a code lets anyone join "
          "as that person)")
    return 0


def _say_problems(sheet: Sheet, *, skip_bad: bool) -> None:
    """Every row that cannot be used, with what to put right; nothing is made while any
    is left unless --skip-bad."""
    if sheet.unused_columns:
        print(f"Not used: the columns {', '.join(sheet.unused_columns)}.")
    for bad in sheet.bad:
        print(bad)
    if sheet.bad and not skip_bad:
        rows = "1 row needs" if len(sheet.bad) == 1 else f"{len(sheet.bad)} rows need"
        raise AdminError(f"{rows} putting right, so no invite was made",
                         "put them right and run this again, or add --skip-bad to invite "
                         "the other rows now")
    if sheet.bad:
        print(f"Left out {len(sheet.bad)} rows, as --skip-bad asked.")


def _write_codes(path: Path, sheet: Sheet, codes: list[str], bot: str,
                 expires: datetime) -> None:
    """One row per invite, with a byte-order mark so that Excel opens it as UTF-8."""
    make_private(path)
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(CODE_COLUMNS)
        for row, code in zip(sheet.good, codes, strict=True):
            invite = row.invite
            writer.writerow([row.line, invite.display_name, invite.role.value, row.place,
                             code, joining_link(bot, code), f"{expires:%Y-%m-%d}",
                             language_name(invite.language) if invite.language else ""])


async def reminder_letters(args: argparse.Namespace) -> int:
    """Letters again, marked as a reminder, for every person and carer whose invite is
    still waiting (staff are reminded at work, not by post)."""
    config, now = config_of(args), SystemClock().now()
    settings = letter_settings(config, now)
    async with database(args) as db:
        waiting = [w for w in await waiting_invites(db, now) if w.role in PEOPLE_ROLES]
    if not waiting:
        print("Every invite still working has been used: no reminder to send.")
        return 0
    path = Path(args.letters)
    private_folder(path.parent)
    write_letters(waiting, settings, path, reminder=True)
    print(f"{len(waiting)} reminder letters to print: {path}")
    return 0
