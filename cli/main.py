"""The `carebot` command: run the bot, run the demo, and the admin's set-up tasks."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

from conversations.texts import all_texts
from settings.clock import SystemClock
from settings.config import Config
from storage import directory
from storage.db import Database, open_database
from storage.models import Role


def _config(args: argparse.Namespace) -> Config:
    return Config.load(Path(args.config) if args.config else None)


@asynccontextmanager
async def _database(args: argparse.Namespace) -> AsyncIterator[Database]:
    db = await open_database(_config(args).database)
    try:
        yield db
    finally:
        await db.close()


async def _demo(args: argparse.Namespace) -> int:
    try:
        from demo.run import run_demo
    except ModuleNotFoundError as missing:
        if missing.name != "aiohttp":
            raise
        print("The demo needs the local emulator: pip install 'carebot[demo]'",
              file=sys.stderr)
        return 2
    await run_demo(Path(args.output))
    return 0


def _run(args: argparse.Namespace) -> int:
    """Long-poll Telegram until stopped (Ctrl+C)."""
    from bot.application import build_application

    config = _config(args)
    if not config.token:
        print("No bot token. Set CAREBOT_TOKEN (from @BotFather), or try `carebot demo`.",
              file=sys.stderr)
        return 2
    # The application's own start-up and shut-down hooks open and close the database.
    build_application(config, SystemClock()).run_polling()
    return 0


async def _migrate(args: argparse.Namespace) -> int:
    async with _database(args) as db:
        version = await db.scalar("SELECT MAX(version) FROM schema_migrations")
    print(f"{db.path} is at schema version {version}.")
    return 0


async def _add_organisation(args: argparse.Namespace) -> int:
    async with _database(args) as db:
        organisation = await directory.add_organisation(db, args.kind, args.name,
                                                        SystemClock().now())
    print(f"{args.kind} {organisation.name!r} has id {organisation.id}.")
    return 0


async def _add_service(args: argparse.Namespace) -> int:
    async with _database(args) as db:
        service = await directory.add_service(
            db, council_id=args.council, provider_id=args.provider, name=args.name,
            kind=args.kind, now=SystemClock().now())
    print(f"Service {service.name!r} has id {service.id}.")
    return 0


async def _invite(args: argparse.Namespace) -> int:
    now = SystemClock().now()
    async with _database(args) as db:
        code = await directory.create_invite(
            db, role=Role(args.role), now=now, display_name=args.name,
            service_id=args.service, organisation_id=args.organisation,
            expires_at=now + timedelta(days=args.days))
    print(f"Invite code: {code} (send /start {code} to the bot; it works once, "
          f"for {args.days} days)")
    return 0


async def _digest(args: argparse.Namespace) -> int:
    """Write each commissioner's digest for the last complete week, without sending it."""
    from reports.weekly import make_digest, week_ending

    config = _config(args)
    now = SystemClock().now()
    async with _database(args) as db:
        start, end, _ = week_ending(now, config.digest_weekday, config.digest_hour,
                                    config.timezone)
        for commissioner in await directory.people_with_role(db, Role.COMMISSIONER):
            _, html_path, csv_path = await make_digest(db, config, commissioner, start, end,
                                                       now)
            print(f"Digest written to {html_path} and {csv_path}")
    return 0


def _tagger_command(args: argparse.Namespace) -> int:
    if args.command == "tag":
        from understanding.files import tag_file

        try:
            count = tag_file(Path(args.source), Path(args.target),
                             text_column=args.text_column, id_column=args.id_column)
        except (OSError, ValueError) as error:
            print(f"carebot tag: {error}", file=sys.stderr)
            return 2
        print(f"Tagged {count} rows into {args.target}")
        return 0
    if args.command == "eval":
        from understanding.lab.evaluation import main as evaluate

        evaluate(Path(args.data), Path(args.extra) if args.extra else None)
        return 0
    from understanding import tagger
    from understanding.lab import training

    if args.cross_validate:
        from understanding.lab.evaluation import format_report, load_feedback, split

        tuning, _ = split(load_feedback(Path(args.data)))
        print(format_report(training.cross_validate(tuning)))
        return 0
    out = Path(args.out) if args.out else Path(tagger.__file__).with_name(tagger.MODEL_FILE)
    training.main(Path(args.data), out)
    return 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="carebot", description=__doc__)
    top.add_argument("--config", help="a TOML file with a [carebot] table")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    commands = top.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="a week of carebot, offline, ending in a digest")
    demo.add_argument("--output", default="demo-output", help="folder for the digest and data")
    commands.add_parser("run", help="run the bot against Telegram (needs CAREBOT_TOKEN)")
    commands.add_parser("migrate", help="create the database or bring it up to date")

    org = commands.add_parser("add-organisation", help="add a council or a provider")
    org.add_argument("--kind", choices=("council", "provider"), required=True)
    org.add_argument("--name", required=True)

    service = commands.add_parser("add-service", help="add a service run by a provider")
    service.add_argument("--council", type=int, required=True)
    service.add_argument("--provider", type=int, required=True)
    service.add_argument("--name", required=True)
    service.add_argument("--kind", required=True, help="e.g. 'home care', 'day service'")

    invite = commands.add_parser("invite", help="make a single-use invite code")
    invite.add_argument("--role", choices=[r.value for r in Role], required=True)
    invite.add_argument("--service", type=int, help="the service (people, carers, duty)")
    invite.add_argument("--organisation", type=int, help="the council (commissioners)")
    invite.add_argument("--name", help="the name the bot greets them by")
    invite.add_argument("--days", type=int, default=28, help="how long the code works")

    commands.add_parser("digest", help="write last week's digests to the output folder")
    commands.add_parser("texts", help="print every text the bot says, as JSON lines")

    tag = commands.add_parser("tag", help="tag a .csv or .jsonl file of feedback")
    tag.add_argument("source", help="a .csv (with a text column) or .jsonl file")
    tag.add_argument("target", help="where to write: .csv or .jsonl")
    tag.add_argument("--text-column", default="text", help="the column (or field) to tag")
    tag.add_argument("--id-column", default="id", help="the column (or field) to keep as id")

    evaluate = commands.add_parser("eval", help="measure the tagger on labelled comments")
    evaluate.add_argument("--data", default="../shared/data/feedback-dev.csv",
                          help="the labelled FFT comments (feedback-dev.csv)")
    evaluate.add_argument("--extra", default=None,
                          help="a further labelled .csv (id, text, sentiment, themes, risk)")

    train = commands.add_parser("train", help="retrain the tagger's model (needs scikit-learn)")
    train.add_argument("--data", default="../shared/data/feedback-dev.csv")
    train.add_argument("--out", default=None, help="default: the shipped model file")
    train.add_argument("--cross-validate", action="store_true",
                       help="score training on the tuning split by 5-fold cross-validation "
                            "instead of writing a model")
    return top


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "run":
        return _run(args)
    if args.command == "texts":
        for key, words in all_texts():
            print(json.dumps({"key": key, "text": words}, ensure_ascii=False))
        return 0
    if args.command in ("tag", "eval", "train"):
        return _tagger_command(args)
    handlers = {"demo": _demo, "migrate": _migrate, "add-organisation": _add_organisation,
                "add-service": _add_service, "invite": _invite, "digest": _digest}
    return asyncio.run(handlers[args.command](args))


if __name__ == "__main__":
    raise SystemExit(main())
