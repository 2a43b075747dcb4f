"""`carebot`: picks the subcommand and hands it what it needs (settings, the database and
the clock, for the bot, the reports, the demo or the lab); each subcommand itself is
declared, with its arguments, on its function (cli/registry.py)."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Sequence

from carebot.cli import admin
from carebot.cli.arguments import BY_NAME, parser
from carebot.cli.audit_trail import record_command
from carebot.cli.logs import configure_logging
from carebot.settings.config import SettingsError


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    os.umask(0o077)  # whatever carebot writes is the service's alone
    try:
        config = admin.config_of(args)
    except SettingsError as error:
        for problem in error.problems:
            print(f"carebot {args.command}: {problem}.", file=sys.stderr)
        return 2
    configure_logging(args.verbose, [config.token], config.log_format,
                      service=args.command == "run")
    try:
        command = BY_NAME[args.command]
        status = command.run(args)
        if status == 0:
            record_command(command, args, config)
        sys.stdout.flush()  # here, so that a reader who stopped is caught below
        return status
    except admin.AdminError as error:
        print(f"carebot {args.command}: {error}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return _reader_stopped()
    except (OSError, sqlite3.Error) as error:
        print(f"carebot {args.command}: {_plainly(error)}", file=sys.stderr)
        return 2


def _reader_stopped() -> int:
    """`carebot people | head` stopped reading: nothing went wrong, so say nothing. What
    is still buffered goes nowhere, not to a closed pipe at exit (Python's advice)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return 0


def _plainly(error: OSError | sqlite3.Error) -> str:
    """One line a person running the command can act on."""
    if isinstance(error, OSError):
        where = f" ({error.filename})" if error.filename else ""
        return (f"{error.strerror or error}{where}. Check the path, and that this user may "
                "read and write there.")
    if "locked" in str(error):
        return "the database is busy (is carebot running?). Try again when it has stopped."
    if isinstance(error, sqlite3.IntegrityError) and "UNIQUE" in str(error):
        return ("that is there already (one of the same name or code). List what is there "
                "(carebot organisations, services, people or invite list) and use it, or "
                "choose another name.")
    return (f"the database could not be used: {error}. Run `carebot check`, which says "
            "what to put right.")


if __name__ == "__main__":
    raise SystemExit(main())
