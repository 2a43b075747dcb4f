"""The tagger's commands: tag a file (`carebot tag`), and, for developers, measure and
retrain it (`carebot eval`, `carebot train`, which use the lab and scikit-learn)."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from carebot.cli.registry import argument, command

if TYPE_CHECKING:
    from carebot.understanding.lab.reviews import Judged

FEEDBACK = "../shared/data/feedback-dev.csv"
CODED = ("../shared/data/social-care-dev.tsv", "../shared/data/social-care-dev-2.tsv")
REVIEW_DAYS = 30


def _coded(given: list[str] | None) -> list[Path]:
    """The coded files asked for (--coded, repeated), else those of CODED that are here."""
    return [Path(p) for p in given] if given else [Path(p) for p in CODED if Path(p).exists()]


@command("tag", "tag a .csv or .jsonl file of feedback (paper surveys, emails): sentiment, "
         "themes, risk and evidence per row, streamed",
         example="carebot tag survey.csv tagged.csv --text-column comment",
         arguments=[
             argument("source", metavar="IN", help="a .csv (with a text column) or .jsonl file"),
             argument("target", metavar="OUT", help="where to write: .csv or .jsonl"),
             argument("--text-column", default="text", metavar="C",
                      help="the column (or field) to tag"),
             argument("--id-column", default="id", metavar="C",
                      help="the column (or field) to keep as id"),
             argument("--keep", default=None, metavar="C,C",
                      help="the input columns to keep in the output (default: all of a "
                      "CSV's columns; the id of a .jsonl)"),
             argument("--fast", action="store_true",
                      help="risk by the rules alone, without the learned risk model"),
         ])
def tag(args: argparse.Namespace) -> int:
    from carebot.understanding.files import tag_file

    try:
        keep = [c.strip() for c in args.keep.split(",")] if args.keep else None
        count = tag_file(Path(args.source), Path(args.target),
                         text_column=args.text_column, id_column=args.id_column, keep=keep,
                         fast=args.fast)
    except (OSError, ValueError) as error:
        print(f"carebot tag: {error}", file=sys.stderr)
        return 2
    print(f"Tagged {count} rows into {args.target}")
    return 0


@command("eval", "measure the tagger on labelled comments it was not tuned on",
         example="carebot eval --data ../shared/data/feedback-dev.csv",
         arguments=[
             argument("--data", default=FEEDBACK, metavar="FILE",
                      help="the labelled FFT comments (feedback-dev.csv)"),
             argument("--extra", default=None, metavar="FILE",
                      help="a further labelled .csv (id, text, sentiment, themes, risk)"),
             argument("--coded", action="append", metavar="FILE",
                      help="social-care messages coded by two coders (repeat for more; "
                      "default: social-care-dev.tsv and social-care-dev-2.tsv)"),
             argument("--quick", action="store_true",
                      help="leave out the cross-validation (minutes, needs scikit-learn)"),
             argument("--reviews", action="store_true",
                      help="instead: how the tagger agreed with readers of the read list "
                      "(the settings' database): flags they confirmed, worries it missed"),
             argument("--days", type=int, default=REVIEW_DAYS, metavar="N",
                      help=f"with --reviews: judgements of the last N days (default "
                      f"{REVIEW_DAYS})"),
         ])
def evaluate(args: argparse.Namespace) -> int:
    if args.reviews:
        from carebot.understanding.lab.reviews import agreement

        since = datetime.now(UTC) - timedelta(days=args.days)
        print("\n".join(agreement(asyncio.run(_judged(args, since))).lines(args.days)))
        return 0
    from carebot.understanding.lab.evaluation import main as evaluation

    evaluation(Path(args.data), Path(args.extra) if args.extra else None)
    coded = _coded(args.coded)
    if coded:
        from carebot.understanding.lab.scorecard import main as scorecard

        scorecard(Path(args.data), coded, cross_validate=not args.quick)
    return 0


@command("train", "retrain the tagger's model on the tuning split (needs scikit-learn: pip "
         "install -e '.[train]')", example="carebot train --cross-validate",
         arguments=[
             argument("--data", default=FEEDBACK, metavar="FILE"),
             argument("--coded", action="append", metavar="FILE",
                      help="social-care messages coded by two coders (repeat for more; "
                      "default: social-care-dev.tsv and social-care-dev-2.tsv)"),
             argument("--out", default=None, metavar="FILE",
                      help="default: the shipped model file"),
             argument("--cross-validate", action="store_true",
                      help="score a change to cues or model by 5-fold cross-validation (FFT "
                      "tuning split and social-care messages), and write nothing"),
             argument("--risk", action="store_true",
                      help="the learned risk model (risk_model.json) instead, its alert "
                      "thresholds chosen by grouped cross-validation, and the tuned "
                      "reader it weighs (risk_tuning.npz; needs PyTorch: "
                      "requirements-train.txt)"),
             argument("--with-reviews", action="store_true",
                      help="with --risk: also learn from what readers of the read list "
                      "judged (the settings' database): a concern is a risk, the rest none"),
         ])
def train(args: argparse.Namespace) -> int:
    from carebot.understanding import risk_model, tagger

    coded = _coded(args.coded)
    if args.with_reviews and not args.risk:
        print("carebot train: --with-reviews teaches the risk model: add --risk",
              file=sys.stderr)
        return 2
    if args.risk:
        from carebot.understanding.lab import risk_training
        from carebot.understanding.lab.reviews import as_coded

        reviewed = as_coded(asyncio.run(_judged(args, None))) if args.with_reviews else []
        if args.with_reviews:
            print(f"Learning from {len(reviewed)} messages readers judged, beside the coded "
                  "files.")
        out = Path(args.out) if args.out else Path(risk_model.__file__).with_name(
            risk_model.MODEL_FILE)
        try:
            if args.cross_validate:
                risk_training.cross_validate(Path(args.data), coded, reviewed)
            else:
                risk_training.main(Path(args.data), coded, out, reviewed)
        except ValueError as error:  # no encoder, or no PyTorch: what to install
            print(f"carebot train: {error}", file=sys.stderr)
            return 2
        return 0
    from carebot.understanding.lab import training

    if args.cross_validate:
        return _cross_validate(Path(args.data), coded)
    out = Path(args.out) if args.out else Path(tagger.__file__).with_name(tagger.MODEL_FILE)
    training.main(Path(args.data), out, coded)
    return 0


async def _judged(args: argparse.Namespace, since: datetime | None) -> list[Judged]:
    """What readers judged (since `since`), from the settings' database, for the lab."""
    from carebot.cli.admin import database
    from carebot.storage import read_list
    from carebot.understanding.lab.reviews import Judged

    async with database(args) as db:
        reviews = await read_list.reviews(db, since=since)
    return [Judged(r.words, r.worrying, r.tagger_risk != "none") for r in reviews]


def _cross_validate(data: Path, coded: list[Path]) -> int:
    """Score the cues and model without writing anything: the FFT tuning split, then the
    social-care messages if they are here."""
    from carebot.understanding.lab import training
    from carebot.understanding.lab.coders import coders_agreement, format_coded, report
    from carebot.understanding.lab.evaluation import format_report, load_feedback, split

    tuning, _ = split(load_feedback(data))
    print(format_report(training.cross_validate(tuning)))
    if coded:
        messages = training.load_all_coded(coded)
        tagged = training.cross_validate_coded(tuning, messages)
        print(format_coded(report("social-care messages, 5-fold cross-validation", tagged),
                           coders_agreement(messages)))
    return 0
