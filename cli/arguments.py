"""The `carebot` command's arguments, built from the registry (cli/registry.py): each
subcommand's help, example and options are declared on the function that does it. The
README's command table and docs/cli.md are generated from the same registry (cli/docs.py),
so they cannot drift from what the command accepts."""

from __future__ import annotations

import argparse
from typing import NoReturn

from carebot.cli import (
    admin,
    check,
    directory_admin,
    loop_admin,
    operations,
    people_admin,
    report_commands,
    run_commands,
    service_admin,
    tagging,
)
from carebot.cli.registry import REGISTRY, Command

# The modules that declare subcommands, in the order `carebot --help` and the docs list
# them (within a module, in the order it declares them). A module missing here is an
# error when the parser is built, not a command silently left out.
MODULES = (run_commands, check, operations, admin, service_admin, directory_admin, people_admin,
           loop_admin, report_commands, tagging)

COMMANDS: tuple[Command, ...] = REGISTRY.in_order([m.__name__ for m in MODULES])
BY_NAME = {c.name: c for c in COMMANDS}


class _Help(argparse.HelpFormatter):
    """Help at a fixed width, so the generated docs do not depend on the terminal."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=92)


class _OneLine(argparse.ArgumentParser):
    """A mistake in the command line is one line that says what to do, as every other
    mistake is (argparse's own prints the whole usage first)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message}. See `{self.prog} --help` for what it "
                     "takes.\n")


def parser() -> argparse.ArgumentParser:
    top = _OneLine(
        prog="carebot", formatter_class=_Help,
        description="carebot: continuous feedback on adult social care, over Telegram.")
    top.add_argument("--config", metavar="FILE", help="a TOML file with a [carebot] table")
    top.add_argument("-v", "--verbose", action="store_true", help="log more")
    subparsers = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        sub = subparsers.add_parser(command.name, help=command.help, description=command.help,
                                    epilog=f"example: {command.example}", formatter_class=_Help)
        command.add_arguments(sub)
    return top


def subparsers_of(top: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Each subcommand's own parser, by name."""
    for action in top._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}
