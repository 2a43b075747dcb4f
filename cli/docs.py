"""The `carebot` command's documentation, made from its argument parser: the README's
table and docs/cli.md. `make docs` writes them with cog; `make lint` fails if they drift."""

from __future__ import annotations

import argparse
import re

from cli.arguments import COMMANDS, parser, subparsers_of


def synopsis(name: str, sub: argparse.ArgumentParser) -> str:
    """`carebot invite --role ROLE [--service ID] …`, without -h and choice lists."""
    usage = " ".join(sub.format_usage().split())
    usage = usage.removeprefix("usage: ").replace(" [-h]", "")
    return re.sub(r"\{([^}]*)\}", lambda m: m[1].replace(",", "|"), usage)


def command_table() -> str:
    subs = subparsers_of(parser())
    rows = ["| command | what it does | example |", "|---|---|---|"]
    for command in COMMANDS:
        usage = synopsis(command.name, subs[command.name]).replace("|", "\\|")
        rows.append(f"| `{usage}` | {command.help} | `{command.example}` |")
    return "\n".join(rows) + "\n"


def reference() -> str:
    """Every subcommand's whole help, as `carebot COMMAND --help` prints it."""
    subs = subparsers_of(parser())
    parts = ["# The `carebot` command\n",
             "Generated from the argument parser by `make docs`; do not edit by hand.\n",
             "```text\n" + parser().format_help() + "```\n"]
    for command in COMMANDS:
        parts.append(f"## `carebot {command.name}`\n")
        parts.append("```text\n" + subs[command.name].format_help() + "```\n")
    return "\n".join(parts)
