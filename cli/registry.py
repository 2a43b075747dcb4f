"""Where each `carebot` subcommand is declared once, on the function that does it: its name,
help, example and arguments together (`@command`). The parser (cli/arguments.py), the
dispatch (cli/main.py) and the generated docs (cli/docs.py) all read this registry, so a
command cannot be half added; a name registered twice is refused rather than one silently
winning by import order."""

from __future__ import annotations

import argparse
import asyncio
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

# What a subcommand runs: given the parsed arguments, an exit status (async ones are run
# to completion on their own event loop).
Action = Callable[[argparse.Namespace], int | Coroutine[Any, Any, int]]
A = TypeVar("A", bound=Action)


class DuplicateCommandError(Exception):
    """Two functions claim the same subcommand name."""


@dataclass(frozen=True)
class Argument:
    """One `add_argument` call, kept as data so it sits on the command it belongs to."""

    flags: tuple[str, ...]
    options: dict[str, Any] = field(default_factory=dict)


def argument(*flags: str, **options: Any) -> Argument:
    """Say an argument exactly as `ArgumentParser.add_argument` would take it."""
    return Argument(flags, options)


@dataclass(frozen=True)
class Command:
    name: str
    help: str      # one line, for the table and `carebot --help`
    example: str   # a whole command line that works
    action: Action
    arguments: tuple[Argument, ...] = ()
    audited: bool = False  # kept in the audit log, with who ran it, once it has worked

    @property
    def module(self) -> str:
        return self.action.__module__

    @property
    def where(self) -> str:
        return f"{self.module}.{getattr(self.action, '__qualname__', self.action)}"

    def add_arguments(self, sub: argparse.ArgumentParser) -> None:
        for each in self.arguments:
            sub.add_argument(*each.flags, **each.options)

    def run(self, args: argparse.Namespace) -> int:
        done = self.action(args)
        return done if isinstance(done, int) else asyncio.run(done)


class Registry:
    """Subcommands by name, each registered once."""

    def __init__(self) -> None:
        self._commands: dict[str, Command] = {}

    def add(self, new: Command) -> None:
        if (old := self._commands.get(new.name)) is not None:
            raise DuplicateCommandError(f"carebot {new.name} is registered twice: by "
                                        f"{old.where} and by {new.where}")
        self._commands[new.name] = new

    def command(self, name: str, help: str, *, example: str,
                arguments: Sequence[Argument] = (), audited: bool = False) -> Callable[[A], A]:
        """Register the decorated function as `carebot NAME`; the function is unchanged."""
        def register(action: A) -> A:
            self.add(Command(name, help, example, action, tuple(arguments), audited))
            return action
        return register

    def in_order(self, modules: Sequence[str]) -> tuple[Command, ...]:
        """Every command, module by module in the order given, then as each module declares
        them; a command from a module not in the list is an error, not left out."""
        strays = [c.where for c in self._commands.values() if c.module not in modules]
        if strays:
            raise LookupError(f"list their modules in cli/arguments.py: {', '.join(strays)}")
        return tuple(sorted(self._commands.values(), key=lambda c: modules.index(c.module)))


REGISTRY = Registry()
command = REGISTRY.command
