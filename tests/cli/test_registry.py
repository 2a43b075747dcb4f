"""Each subcommand is registered once: a second registration of a name is refused (so
which module is imported last decides nothing), and a command whose module is not in the
parser's list is an error rather than a command silently missing."""

from __future__ import annotations

import argparse

import pytest

from carebot.cli.arguments import BY_NAME, COMMANDS, MODULES
from carebot.cli.registry import REGISTRY, Command, DuplicateCommandError, Registry, argument


def _status(args: argparse.Namespace) -> int:
    return int(args.status)


async def _later(args: argparse.Namespace) -> int:
    return int(args.status) + 1


def test_a_name_registered_twice_is_refused_naming_both_functions() -> None:
    registry = Registry()
    registry.command("hello", "say hello", example="carebot hello")(_status)
    with pytest.raises(DuplicateCommandError, match="hello is registered twice") as refused:
        registry.command("hello", "say hello again", example="carebot hello")(_later)
    assert "_status" in str(refused.value) and "_later" in str(refused.value)
    assert [c.action for c in registry.in_order([__name__])] == [_status]


def test_a_real_command_cannot_be_taken_over() -> None:
    with pytest.raises(DuplicateCommandError, match="invite"):
        REGISTRY.command("invite", "something else", example="carebot invite")(_status)
    assert BY_NAME["invite"].action.__name__ == "invite"
    assert REGISTRY.in_order([m.__name__ for m in MODULES]) == COMMANDS


def test_a_command_from_an_unlisted_module_is_an_error() -> None:
    registry = Registry()
    registry.command("hello", "say hello", example="carebot hello")(_status)
    with pytest.raises(LookupError, match="_status"):
        registry.in_order(["cli.admin"])


def test_a_command_runs_its_function_sync_or_async_with_its_arguments() -> None:
    sync = Command("a", "a", "carebot a", _status, (argument("--status", type=int),))
    parser = argparse.ArgumentParser()
    sync.add_arguments(parser)
    args = parser.parse_args(["--status", "3"])
    assert sync.run(args) == 3
    assert Command("b", "b", "carebot b", _later).run(args) == 4


def test_each_module_declares_its_commands_in_the_order_the_help_lists_them() -> None:
    modules = [m.__name__ for m in MODULES]
    positions = [modules.index(c.module) for c in COMMANDS]
    assert positions == sorted(positions)
    assert len(COMMANDS) == len(BY_NAME)
