"""The tagger's commands: tag a file (`carebot tag`), and, for developers, measure and
retrain it (`carebot eval`, `carebot train`, which use the lab and scikit-learn)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace) -> int:
    if args.command == "tag":
        from understanding.files import tag_file

        try:
            keep = [c.strip() for c in args.keep.split(",")] if args.keep else None
            count = tag_file(Path(args.source), Path(args.target),
                             text_column=args.text_column, id_column=args.id_column,
                             keep=keep)
        except (OSError, ValueError) as error:
            print(f"carebot tag: {error}", file=sys.stderr)
            return 2
        print(f"Tagged {count} rows into {args.target}")
        return 0
    if args.command == "eval":
        from understanding.lab.evaluation import main as evaluate

        evaluate(Path(args.data), Path(args.extra) if args.extra else None)
        if Path(args.coded).exists():
            from understanding.lab.scorecard import main as scorecard

            scorecard(Path(args.data), Path(args.coded), cross_validate=not args.quick)
        return 0
    from understanding import tagger
    from understanding.lab import training

    coded = Path(args.coded) if args.coded and Path(args.coded).exists() else None
    if args.cross_validate:
        from understanding.lab.coders import coders_agreement, format_coded, load_coded, report
        from understanding.lab.evaluation import format_report, load_feedback, split

        tuning, _ = split(load_feedback(Path(args.data)))
        print(format_report(training.cross_validate(tuning)))
        if coded is not None:
            messages = load_coded(coded)
            tagged = training.cross_validate_coded(tuning, messages)
            print(format_coded(report("social-care messages, 5-fold cross-validation", tagged),
                               coders_agreement(messages)))
        return 0
    out = Path(args.out) if args.out else Path(tagger.__file__).with_name(tagger.MODEL_FILE)
    training.main(Path(args.data), out, coded)
    return 0
