"""Closing the loop from the command line: record a "you said, we did" action (it goes
to the people of the service as it would from /action), and read the audit log of
everything staff have done."""

from __future__ import annotations

import argparse
from datetime import timedelta

from carebot.cli.admin import AdminError, config_of, database
from carebot.cli.directory_admin import service
from carebot.cli.registry import argument, command
from carebot.conversations.texts import text
from carebot.reports.you_said_we_did import record_and_send, theme_topic
from carebot.settings.clock import SystemClock
from carebot.storage import issues
from carebot.storage.actions import NewAction
from carebot.storage.audit import audit_since
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
         ])
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


@command("audit", "print what staff have done: issues moved, alert steps, actions",
         example="carebot audit --days 7",
         arguments=[argument("--days", type=int, default=30, metavar="N", help="how far back")])
async def audit(args: argparse.Namespace) -> int:
    since = SystemClock().now() - timedelta(days=args.days)
    async with database(args) as db:
        entries = await audit_since(db, since)
    for entry in entries:
        who = "-" if entry.person_id is None else f"person {entry.person_id}"
        note = "" if entry.note is None else f"  {entry.note}"
        print(f"{entry.at:%Y-%m-%d %H:%M}  {who:<11} {entry.what:<24} {entry.about:<10} "
              f"service {entry.service_id}{note}")
    return 0
