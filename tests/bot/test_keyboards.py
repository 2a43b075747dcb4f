"""Buttons kept in the outbox as what they mean are built, when sent, into the keyboard
the same message had when its JSON was kept; every kind of meaning the source queues has
a builder; and a meaning survives the database unchanged."""

from __future__ import annotations

import ast

import pytest

from carebot.bot.buttons import (
    AckButton,
    CallbackButton,
    IssueButton,
    IssueOkButton,
    MessageThemButton,
    ReleaseButton,
    keyboard,
)
from carebot.bot.keyboards import KEYBOARDS, keyboard_of
from carebot.care.alert_policy import next_outcomes
from carebot.conversations.texts import text
from carebot.storage.models import AlertKind, AlertOutcome, Buttons
from carebot.workflow.alert_chain import alert_buttons, outcome_label
from tests.helpers import REPO


def _data(buttons: Buttons) -> list[list[tuple[str, str | None]]]:
    markup = keyboard_of(buttons)
    assert markup is not None
    return [[(b.text, str(b.callback_data)) for b in row] for row in markup.inline_keyboard]


def _same(markup: object) -> list[list[tuple[str, str | None]]]:
    return [[(b.text, str(b.callback_data)) for b in row]
            for row in markup.inline_keyboard]  # type: ignore[attr-defined]


def test_each_meaning_builds_the_keyboard_it_stands_for() -> None:
    assert _data(Buttons("issue", 12, ("progress", "resolve", "close"))) == _same(keyboard(
        [[(IssueButton(12, move), text(f"issues.{move}"))]
         for move in ("progress", "resolve", "close")]))
    assert _data(Buttons("issue_ok", 12)) == _same(keyboard([[
        (IssueOkButton(12, True), text("issue.ok.yes")),
        (IssueOkButton(12, False), text("issue.ok.no"))]]))
    assert _data(Buttons("message_them", 7)) == _same(keyboard(
        [[(MessageThemButton(7), text("alert.message_them"))]]))
    assert keyboard_of(None) is None


@pytest.mark.parametrize("kind", list(AlertKind))
@pytest.mark.parametrize("release", [False, True])
@pytest.mark.parametrize("taken", [False, True])
def test_an_alerts_buttons_are_its_outcomes_a_way_to_reach_them_and_a_release(
        kind: AlertKind, release: bool, taken: bool) -> None:
    outcomes = next_outcomes(kind, AlertOutcome.DEALING if taken else None)
    rows: list[list[tuple[CallbackButton, str]]] = [
        [(AckButton(17, outcome), outcome_label(kind, outcome))] for outcome in outcomes]
    rows.append([(MessageThemButton(17), text("alert.message_them"))])
    if release:
        rows.append([(ReleaseButton(17), text("alert.release_button"))])
    meaning = alert_buttons(17, outcomes, kind=kind, release=release)
    assert Buttons.from_stored(meaning.stored()) == meaning
    assert _data(meaning) == _same(keyboard(rows))


def test_a_meaning_is_kept_as_it_was_given() -> None:
    for buttons in (Buttons("issue", 12, ("seen", "close")), Buttons("issue_ok", 3),
                    Buttons("alert", 17, ("dealing", "contacted", "release"))):
        assert Buttons.from_stored(buttons.stored()) == buttons
    assert Buttons.from_stored(None) is None and Buttons.from_stored("") is None


@pytest.mark.parametrize(("kind", "options"), [
    ("message them", ()), ("", ()), ("issue", ("a b",)), ("issue", ("",)), ("issue", ("a\tb",))])
def test_a_word_that_would_come_back_as_something_else_is_refused(
        kind: str, options: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="single words"):
        Buttons(kind, 1, options)


def test_every_kind_the_source_queues_has_a_builder() -> None:
    """Read from the source: every `Buttons("kind", ...)` written anywhere."""
    kinds = set()
    for path in REPO.glob("*/**/*.py"):
        if path.parts[len(REPO.parts)] in ("tests", "build", ".venv", "carebot", "bench"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "Buttons" and node.args
                    and isinstance(node.args[0], ast.Constant)):
                kinds.add(node.args[0].value)
    assert kinds and kinds <= set(KEYBOARDS)
