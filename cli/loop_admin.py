"""Closing the loop from the command line: record a "you said, we did" action (it goes
to the people of the service as it would from /action), and read the audit log of
everything staff have done."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from dataclasses import asdict
from datetime import timedelta

from carebot.cli.admin import AdminError, config_of, database
from carebot.cli.directory_admin import service
from carebot.cli.registry import argument, command
from carebot.conversations.texts import text
from carebot.reports.you_said_we_did import record_and_send, theme_topic
from carebot.settings.clock import SystemClock
from carebot.storage import issues
from carebot.storage.actions import NewAction
from carebot.storage.audit import AuditEntry, audit_since
from carebot.storage.db import to_db_time
from carebot.understanding.themes import THEME_IDS


@command("action", 'record a "you said, we did" action; it goes to the people of the service',
         example="carebot action add --service 1 --theme punctuality "
         "--did 'We now text you if we will be more than 15 minutes late.'",
         arguments=[
             argument("what", choices=("add",)),
             argument("--service", type=int, required=True, metavar="ID"),
             argument("--did", required=True, metavar="TEXT",
                      help="what changed, in words people will understand"),
             argument("--theme", metavar="ID", help="the theme it answers, e.g. punctuality"),
             argument("--said", metavar="TEXT",
                      help="what people said, finishing 'You told us ...'"),
             argument("--issue", metavar="REF", help="the issue it answers, e.g. CB-1001"),
         ],
         audited=True)
async def action(args: argparse.Namespace) -> int:
    if args.theme is not None and args.theme not in THEME_IDS:
        raise AdminError(f"there is no theme {args.theme!r}",
                         f"choose one of {', '.join(THEME_IDS)}")
    if not args.did.strip():
        raise AdminError("say what changed", "add --did 'We now ...'")
    async with database(args) as db:
        found = await service(db, args.service)
        issue_id = None
        if args.issue is not None:
            issue = await issues.issue_by_reference(db, args.issue.strip().upper())
            if issue is None or issue.service_id != found.id:
                raise AdminError(f"there is no {args.issue} at {found.name}",
                                 "give a reference from that service's open issues, "
                                 "like CB-1001, or leave --issue out")
            issue_id = issue.id
        said = args.said or theme_topic(args.theme) or text("action.said_general")
        action_id, count = await record_and_send(
            db, config_of(args), NewAction(found.id, args.theme, said, args.did.strip(), None,
                                           issue_id), SystemClock().now())
    print(f"Action {action_id} recorded for {found.name}; it goes to {count} people "
          "when the bot next runs, outside quiet hours.")
    return 0


@command("audit", "print what staff and admins have done, with names: issues moved, alert "
         "steps, actions, admin commands, who was shown people's words",
         example="carebot audit --days 7 --format csv > audit.csv",
         arguments=[argument("--days", type=int, default=30, metavar="N", help="how far back"),
                    argument("--format", choices=("text", "csv", "json"), default="text",
                             help="csv (Excel opens it) or json lines, to keep or share")],
         audited=True)
async def audit(args: argparse.Namespace) -> int:
    since = SystemClock().now() - timedelta(days=args.days)
    async with database(args) as db:
        entries = await audit_since(db, since)
    if args.format == "csv":
        _audit_csv(entries)
    for entry in entries if args.format != "csv" else ():
        if args.format == "json":
            print(json.dumps({**asdict(entry), "at": to_db_time(entry.at)}, ensure_ascii=False))
            continue
        where = f"  at {entry.service}" if entry.service else ""
        note = f"  {entry.note}" if entry.note else ""
        print(f"{entry.at:%Y-%m-%d %H:%M}  {entry.who}: {entry.what} {entry.about}".rstrip()
              + where + note)
    return 0


def _audit_csv(entries: list[AuditEntry]) -> None:
    """With a byte-order mark, so that Excel opens the names right."""
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8-sig", newline="",
                           write_through=True)
    writer = csv.writer(out)
    writer.writerow(["at", "who", "what", "about", "service", "note"])
    for entry in entries:
        writer.writerow([to_db_time(entry.at), entry.who, entry.what, entry.about,
                         entry.service, entry.note])
    out.detach()
