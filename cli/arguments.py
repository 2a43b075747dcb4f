"""The `carebot` command's arguments: every subcommand with its help, its options and an
example. The README's command table and docs/cli.md are generated from this (cli/docs.py),
so they cannot drift from what the command accepts."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from datetime import date

from storage.models import Role


@dataclass(frozen=True)
class Command:
    name: str
    help: str      # one line, for the table and `carebot --help`
    example: str   # a whole command line that works


COMMANDS = (
    Command("demo", "three weeks of carebot, offline, ending in reports",
            "carebot demo --output demo-output"),
    Command("run", "run the bot against Telegram (needs CAREBOT_TOKEN): long polling, or "
            "a webhook behind a reverse proxy with --webhook",
            "carebot run --webhook https://carebot.example.org/telegram --listen "
            "127.0.0.1:8443"),
    Command("check", "check the settings, then list what would stop the service working: "
            "alerts that would reach nobody, invites about to lapse", "carebot check"),
    Command("healthcheck", "ask the running bot's /healthz: exit 0 if healthy, 1 (with "
            "the reason) if not; a container's HEALTHCHECK runs it", "carebot healthcheck"),
    Command("backup", "copy the database while the bot runs, check the copy (integrity, "
            "every table's rows) and only then name it; a folder gets a dated file",
            "carebot backup /var/backups/carebot"),
    Command("restore", "put a backup in place of the database, with the bot stopped; "
            "refuses a database newer than the backup unless --force; keeps the old one; "
            "marks sent what the sent journal says went after the backup",
            "carebot restore /var/backups/carebot/carebot-2026-12-01.sqlite3"),
    Command("retention", "take the words from answers, messages and closed issues older "
            "than retention_months (the bot does it daily); --dry-run says how many",
            "carebot retention --dry-run"),
    Command("migrate", "create the database, or bring its schema up to date",
            "carebot migrate"),
    Command("add-organisation", "add a council or a provider",
            "carebot add-organisation --kind council --name 'Northshire County Council'"),
    Command("add-service", "add a service a provider runs for a council",
            "carebot add-service --council 1 --provider 2 --name 'Home Care North' "
            "--kind 'home care'"),
    Command("invite", "make a single-use invite code and link for any role; "
            "`invite list` shows them all, `invite revoke CODE` stops one",
            "carebot invite --role person --service 1 --name Sam"),
    Command("people", "list who is enrolled, with their id, role and status",
            "carebot people --service 1"),
    Command("service", "name a service's duty contact, or the backup an unanswered "
            "alert goes to next", "carebot service set-duty-contact --service 1 --person 4"),
    Command("council", "name a council's safeguarding lead: the last step of every "
            "alert's chain", "carebot council set-safeguarding-lead --council 1 --person 6"),
    Command("action", "record a \"you said, we did\" action; it goes to the people of the "
            "service", "carebot action add --service 1 --theme punctuality "
            "--did 'We now text you if we will be more than 15 minutes late.'"),
    Command("audit", "print what staff have done: issues moved, alert steps, actions",
            "carebot audit --days 7"),
    Command("digest", "write each commissioner's digest for the last full week to the "
            "output folder, without sending it", "carebot digest"),
    Command("redact", "read lines on standard input and write them with names, phone "
            "numbers, emails, postcodes, NHS numbers, addresses and dates of birth taken out",
            "carebot redact < comments.txt > redacted.txt"),
    Command("pack", "write a provider's monitoring pack (PDF, A4) for a period: cover, "
            "contents, a section per service, actions and open issues",
            "carebot pack --provider 2 --from 2026-09-01 --to 2026-11-30"),
    Command("texts", "print every text the bot says as JSON lines, for review and "
            "translation", "carebot texts > texts.jsonl"),
    Command("tag", "tag a .csv or .jsonl file of feedback (paper surveys, emails): "
            "sentiment, themes, risk and evidence per row, streamed",
            "carebot tag survey.csv tagged.csv --text-column comment"),
    Command("eval", "measure the tagger on labelled comments it was not tuned on",
            "carebot eval --data ../shared/data/feedback-dev.csv"),
    Command("train", "retrain the tagger's model on the tuning split (needs scikit-learn: "
            "pip install -e '.[train]')", "carebot train --cross-validate"),
)


def _add_admin_options(commands: dict[str, argparse.ArgumentParser]) -> None:
    commands["demo"].add_argument("--output", default="demo-output", metavar="DIR",
                                  help="folder for the digest and data")
    commands["run"].add_argument("--webhook", metavar="URL",
                                 help="receive updates at this https:// address instead of "
                                 "long polling (or set webhook_url)")
    commands["run"].add_argument("--listen", metavar="HOST:PORT",
                                 help="where the webhook's server listens (webhook_listen; "
                                 "default 127.0.0.1:8443)")
    commands["backup"].add_argument("path", metavar="PATH", help="a new file, or a folder")
    commands["restore"].add_argument("path", metavar="PATH", help="a backup file")
    commands["restore"].add_argument("--force", action="store_true",
                                     help="restore even over a database with newer rows")
    commands["retention"].add_argument("--dry-run", action="store_true",
                                       help="only say how many records would lose words")
    commands["restore"].add_argument(
        "--journal", metavar="FOLDER",
        help="the sent journal to read (default: the 'sent' folder beside the backups)")
    org = commands["add-organisation"]
    org.add_argument("--kind", choices=("council", "provider"), required=True)
    org.add_argument("--name", required=True)
    service = commands["add-service"]
    service.add_argument("--council", type=int, required=True, metavar="ID")
    service.add_argument("--provider", type=int, required=True, metavar="ID")
    service.add_argument("--name", required=True)
    service.add_argument("--kind", required=True, help="e.g. 'home care', 'day service'")
    invite = commands["invite"]
    invite.add_argument("what", nargs="?", choices=("list", "revoke"),
                        help="leave out to make a new invite")
    invite.add_argument("code", nargs="?", help="the code to revoke")
    invite.add_argument("--role", choices=[r.value for r in Role])
    invite.add_argument("--service", type=int, metavar="ID",
                        help="the service (people, carers, duty contacts; or a provider's)")
    invite.add_argument("--organisation", type=int, metavar="ID",
                        help="the council (commissioners, board members) or the provider")
    invite.add_argument("--cares-for", type=int, metavar="ID",
                        help="for a carer: the person they care for")
    invite.add_argument("--name", help="the name the bot greets them by")
    invite.add_argument("--days", type=int, default=28, metavar="N",
                        help="how long the code works")
    _add_people_options(commands)
    _add_pack_options(commands)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-11-30") from None


def _add_pack_options(commands: dict[str, argparse.ArgumentParser]) -> None:
    pack = commands["pack"]
    pack.add_argument("--provider", type=int, required=True, metavar="ID")
    pack.add_argument("--from", dest="start", type=_day, required=True, metavar="DATE")
    pack.add_argument("--to", dest="end", type=_day, required=True, metavar="DATE",
                      help="the last day in the pack")
    pack.add_argument("--output", metavar="FILE", help="default: in the output folder")


def _add_people_options(commands: dict[str, argparse.ArgumentParser]) -> None:
    people = commands["people"]
    people.add_argument("what", nargs="?", choices=("list",), default="list")
    people.add_argument("--service", type=int, metavar="ID")
    people.add_argument("--role", choices=[r.value for r in Role])
    service = commands["service"]
    service.add_argument("what", choices=("set-duty-contact", "set-backup-contact"))
    service.add_argument("--service", type=int, required=True, metavar="ID")
    service.add_argument("--person", type=int, required=True, metavar="ID",
                         help="a member of staff who has joined (see carebot people)")
    council = commands["council"]
    council.add_argument("what", choices=("set-safeguarding-lead",))
    council.add_argument("--council", type=int, required=True, metavar="ID")
    council.add_argument("--person", type=int, required=True, metavar="ID")
    action = commands["action"]
    action.add_argument("what", choices=("add",))
    action.add_argument("--service", type=int, required=True, metavar="ID")
    action.add_argument("--did", required=True, metavar="TEXT",
                        help="what changed, in words people will understand")
    action.add_argument("--theme", metavar="ID", help="the theme it answers, e.g. punctuality")
    action.add_argument("--said", metavar="TEXT",
                        help="what people said, finishing 'You told us ...'")
    action.add_argument("--issue", metavar="REF", help="the issue it answers, e.g. CB-1001")
    commands["audit"].add_argument("--days", type=int, default=30, metavar="N",
                                   help="how far back")


def _add_tagger_options(commands: dict[str, argparse.ArgumentParser]) -> None:
    tag = commands["tag"]
    tag.add_argument("source", metavar="IN", help="a .csv (with a text column) or .jsonl file")
    tag.add_argument("target", metavar="OUT", help="where to write: .csv or .jsonl")
    tag.add_argument("--text-column", default="text", metavar="C",
                     help="the column (or field) to tag")
    tag.add_argument("--id-column", default="id", metavar="C",
                     help="the column (or field) to keep as id")
    tag.add_argument("--keep", default=None, metavar="C,C",
                     help="the input columns to keep in the output (default: all of a "
                          "CSV's columns; the id of a .jsonl)")
    evaluate = commands["eval"]
    evaluate.add_argument("--data", default="../shared/data/feedback-dev.csv", metavar="FILE",
                          help="the labelled FFT comments (feedback-dev.csv)")
    evaluate.add_argument("--extra", default=None, metavar="FILE",
                          help="a further labelled .csv (id, text, sentiment, themes, risk)")
    evaluate.add_argument("--coded", default="../shared/data/social-care-dev.tsv",
                          metavar="FILE", help="social-care messages coded by two coders")
    evaluate.add_argument("--quick", action="store_true",
                          help="leave out the cross-validation (minutes, needs scikit-learn)")
    train = commands["train"]
    train.add_argument("--data", default="../shared/data/feedback-dev.csv", metavar="FILE")
    train.add_argument("--coded", default="../shared/data/social-care-dev.tsv", metavar="FILE",
                       help="social-care messages coded by two coders (social-care-dev.tsv)")
    train.add_argument("--out", default=None, metavar="FILE",
                       help="default: the shipped model file")
    train.add_argument("--cross-validate", action="store_true",
                       help="score a change to cues or model by 5-fold cross-validation "
                            "(FFT tuning split and social-care messages), and write nothing")


class _Help(argparse.HelpFormatter):
    """Help at a fixed width, so the generated docs do not depend on the terminal."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=92)


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="carebot", formatter_class=_Help,
        description="carebot: continuous feedback on adult social care, over Telegram.")
    top.add_argument("--config", metavar="FILE", help="a TOML file with a [carebot] table")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    commands = {
        c.name: subparsers.add_parser(c.name, help=c.help, description=c.help,
                                      epilog=f"example: {c.example}", formatter_class=_Help)
        for c in COMMANDS
    }
    _add_admin_options(commands)
    _add_tagger_options(commands)
    return top


def subparsers_of(top: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's own parser, by name."""
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}
