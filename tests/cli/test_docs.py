"""Docs that cannot drift: every subcommand has help text and an example that the parser
accepts and a place in the README's table and docs/cli.md, the README's table of chat
commands says who may use each as `bot.menu` does, and the generated README tables and
docs/cli.md are up to date."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys

import pytest

from carebot.bot import menu
from carebot.cli.arguments import COMMANDS, parser, subparsers_of
from carebot.cli.docs import chat_command_table, command_table, reference
from carebot.cli.registry import Command
from tests.helpers import REPO


def test_every_subcommand_is_in_the_table_with_help_and_an_example() -> None:
    assert sorted(c.name for c in COMMANDS) == sorted(subparsers_of(parser()))
    for command in COMMANDS:
        assert len(command.help) > 10, command.name
        assert f"carebot {command.name}" in command.example, command.name


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_each_example_is_a_command_line_the_parser_accepts(command: Command) -> None:
    words = shlex.split(re.split("[<>]", command.example)[0])  # no shell redirections
    words = words[words.index("carebot") + 1:]
    assert parser().parse_args(words).command == command.name  # exits (fails) if not


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_registered_command_is_in_the_docs(command: Command) -> None:
    table = [row for row in command_table().splitlines()
             if row.startswith(f"| `carebot {command.name}")]
    assert len(table) == 1 and command.help in table[0] and command.example in table[0]
    assert f"## `carebot {command.name}`\n" in reference()
    assert command.help in " ".join(reference().split())
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    cli_md = (REPO / "docs/cli.md").read_text(encoding="utf-8")
    assert table[0] in readme and f"## `carebot {command.name}`\n" in cli_md


GENERATED = ("README.md", "docs/cli.md", "docs/architecture.md")


def test_generated_docs_are_up_to_date() -> None:
    checked = subprocess.run([sys.executable, "-m", "cogapp", "--check", *GENERATED],
                             cwd=REPO, capture_output=True, text=True)
    assert checked.returncode == 0, f"run `make docs`: {checked.stdout}{checked.stderr}"


def test_the_chat_table_has_a_row_per_command_saying_who_as_the_bot_does() -> None:
    rows = [line.split(" | ") for line in chat_command_table().splitlines()
            if line.startswith("| `/")]
    assert [row[0].removeprefix("| `/").split()[0].rstrip("`") for row in rows] == [
        command.name for command in menu.COMMANDS]
    who = {row[0].removeprefix("| `/").split()[0].rstrip("`"): row[1] for row in rows}
    assert who["talk"] == who["forget"] == "people, carers"
    assert who["mydata"] == who["stop"] == who["help"] == "everyone"
    assert who["digest"] == "providers, commissioners, board members"
    assert who["start"] == "anyone with an invite"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert chat_command_table() in readme
