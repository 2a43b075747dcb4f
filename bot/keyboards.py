"""Keyboards built when a message is sent, from what its buttons mean (`Buttons`, kept in
the outbox: "the buttons for issue 12"). The rules that queue a message decide which
buttons it has; the words and Telegram's JSON are made here, one builder a kind, each
declared once (`@keyboard_for`)."""

from __future__ import annotations

from collections.abc import Callable

from telegram import InlineKeyboardMarkup

from carebot.bot.buttons import (
    AckButton,
    CallbackButton,
    IssueButton,
    IssueOkButton,
    MessageThemButton,
    ReleaseButton,
    keyboard,
    keyboard_from_json,
)
from carebot.conversations.texts import text
from carebot.storage.models import AlertKind, AlertOutcome, Buttons, OutboxMessage
from carebot.workflow.alert_chain import outcome_label

Builder = Callable[[Buttons], InlineKeyboardMarkup]
KEYBOARDS: dict[str, Builder] = {}


def keyboard_for(kind: str) -> Callable[[Builder], Builder]:
    """Declare how the keyboard for buttons of `kind` is built."""
    def register(builder: Builder) -> Builder:
        if kind in KEYBOARDS:
            raise TypeError(f"buttons of kind {kind!r} already have a keyboard")
        KEYBOARDS[kind] = builder
        return builder
    return register


def keyboard_of(buttons: Buttons | None) -> InlineKeyboardMarkup | None:
    """The keyboard for what `buttons` mean (none for none)."""
    return None if buttons is None else KEYBOARDS[buttons.kind](buttons)


def markup_of(item: OutboxMessage) -> InlineKeyboardMarkup | None:
    """The keyboard a queued message is sent with, if any."""
    if item.buttons is not None:
        return keyboard_of(item.buttons)
    return keyboard_from_json(item.reply_markup)


@keyboard_for("issue")
def _issue_moves(buttons: Buttons) -> InlineKeyboardMarkup:
    """The moves staff can make on issue `of`, one a row (care/issue_moves.py)."""
    return keyboard([[(IssueButton(buttons.of, move), text(f"issues.{move}"))]
                     for move in buttons.options])


@keyboard_for("issue_ok")
def _was_it_ok(buttons: Buttons) -> InlineKeyboardMarkup:
    """Yes / No: was closing issue `of` OK, for the person who raised it."""
    return keyboard([[(IssueOkButton(buttons.of, True), text("issue.ok.yes")),
                      (IssueOkButton(buttons.of, False), text("issue.ok.no"))]])


@keyboard_for("alert")
def _alert(buttons: Buttons) -> InlineKeyboardMarkup:
    """What can still be said of alert `of` (its kind first, then each outcome), a way to
    reach the person, and, if "release" ends the options, letting the provider see."""
    kind, *outcomes = buttons.options
    release = bool(outcomes) and outcomes[-1] == "release"
    rows: list[list[tuple[CallbackButton, str]]] = [
        [(AckButton(buttons.of, AlertOutcome(outcome)),
          outcome_label(AlertKind(kind), AlertOutcome(outcome)))]
        for outcome in (outcomes[:-1] if release else outcomes)]
    rows.append([(MessageThemButton(buttons.of), text("alert.message_them"))])
    if release:
        rows.append([(ReleaseButton(buttons.of), text("alert.release_button"))])
    return keyboard(rows)


@keyboard_for("message_them")
def _message_them(buttons: Buttons) -> InlineKeyboardMarkup:
    """For staff talking with the person alert `of` is about: write back to them."""
    return keyboard([[(MessageThemButton(buttons.of), text("alert.message_them"))]])
