"""The tagger's commands: tag a file (`carebot tag`), and, for developers, measure and
retrain it (`carebot eval`, `carebot train`, which use the lab and scikit-learn)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from carebot.cli.registry import argument, command

FEEDBACK = "../shared/data/feedback-dev.csv"
CODED = "../shared/data/social-care-dev.tsv"


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
         ])
def tag(args: argparse.Namespace) -> int:
    from carebot.understanding.files import tag_file

    try:
        keep = [c.strip() for c in args.keep.split(",")] if args.keep else None
        count = tag_file(Path(args.source), Path(args.target),
                         text_column=args.text_column, id_column=args.id_column, keep=keep)
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
             argument("--coded", default=CODED, metavar="FILE",
                      help="social-care messages coded by two coders"),
             argument("--quick", action="store_true",
                      help="leave out the cross-validation (minutes, needs scikit-learn)"),
         ])
def evaluate(args: argparse.Namespace) -> int:
    from carebot.understanding.lab.evaluation import main as evaluation

    evaluation(Path(args.data), Path(args.extra) if args.extra else None)
    if Path(args.coded).exists():
        from carebot.understanding.lab.scorecard import main as scorecard

        scorecard(Path(args.data), Path(args.coded), cross_validate=not args.quick)
    return 0


@command("train", "retrain the tagger's model on the tuning split (needs scikit-learn: pip "
         "install -e '.[train]')", example="carebot train --cross-validate",
         arguments=[
             argument("--data", default=FEEDBACK, metavar="FILE"),
             argument("--coded", default=CODED, metavar="FILE",
                      help="social-care messages coded by two coders (social-care-dev.tsv)"),
             argument("--out", default=None, metavar="FILE",
                      help="default: the shipped model file"),
             argument("--cross-validate", action="store_true",
                      help="score a change to cues or model by 5-fold cross-validation (FFT "
                      "tuning split and social-care messages), and write nothing"),
         ])
def train(args: argparse.Namespace) -> int:
    from carebot.understanding import tagger
    from carebot.understanding.lab import training

    coded = Path(args.coded) if args.coded and Path(args.coded).exists() else None
    if args.cross_validate:
        return _cross_validate(Path(args.data), coded)
    out = Path(args.out) if args.out else Path(tagger.__file__).with_name(tagger.MODEL_FILE)
    training.main(Path(args.data), out, coded)
    return 0


def _cross_validate(data: Path, coded: Path | None) -> int:
    """Score the cues and model without writing anything: the FFT tuning split, then the
    social-care messages if they are here."""
    from carebot.understanding.lab import training
    from carebot.understanding.lab.coders import coders_agreement, format_coded, load_coded, report
    from carebot.understanding.lab.evaluation import format_report, load_feedback, split

    tuning, _ = split(load_feedback(data))
    print(format_report(training.cross_validate(tuning)))
    if coded is not None:
        messages = load_coded(coded)
        tagged = training.cross_validate_coded(tuning, messages)
        print(format_coded(report("social-care messages, 5-fold cross-validation", tagged),
                           coders_agreement(messages)))
    return 0
