"""An issue's life as a table: every move allowed and every move refused, the buttons
each status shows, and which moves ask for a note first."""

from __future__ import annotations

import itertools

import pytest

from carebot.care.issue_moves import (
    CLOSED,
    MOVES,
    NEXT_STATUSES,
    NOTE_FIRST,
    STATUS_AFTER_NOTE,
    asks_if_ok,
    can_move,
    moves_open,
)
from carebot.storage.models import DraftPurpose
from carebot.storage.models import IssueStatus as S

ALLOWED = {
    (S.OPEN, S.SEEN), (S.OPEN, S.IN_PROGRESS), (S.OPEN, S.RESOLVED),
    (S.OPEN, S.CLOSED_NO_ACTION),
    (S.SEEN, S.IN_PROGRESS), (S.SEEN, S.RESOLVED), (S.SEEN, S.CLOSED_NO_ACTION),
    (S.IN_PROGRESS, S.RESOLVED), (S.IN_PROGRESS, S.CLOSED_NO_ACTION),
    (S.RESOLVED, S.OPEN), (S.CLOSED_NO_ACTION, S.OPEN),  # the person says it did not help
}


@pytest.mark.parametrize(("status", "to"), list(itertools.product(S, S)))
def test_exactly_the_moves_of_an_issues_life_are_allowed(status: S, to: S) -> None:
    assert can_move(status, to) is ((status, to) in ALLOWED)


def test_every_status_has_its_moves() -> None:
    assert set(NEXT_STATUSES) == set(S)


@pytest.mark.parametrize(("status", "buttons"), [
    (S.OPEN, ("seen", "progress", "resolve", "close")),
    (S.SEEN, ("progress", "resolve", "close")),
    (S.IN_PROGRESS, ("resolve", "close")),
    (S.RESOLVED, ()),  # staff cannot open it again: only the person can
    (S.CLOSED_NO_ACTION, ()),
])
def test_staff_see_the_moves_open_in_button_order(status: S, buttons: tuple[str, ...]) -> None:
    assert moves_open(status) == buttons


def test_the_moves_that_close_ask_for_a_note_and_then_close() -> None:
    assert NOTE_FIRST == {"resolve": DraftPurpose.RESOLVE, "close": DraftPurpose.CLOSE}
    assert STATUS_AFTER_NOTE == {DraftPurpose.RESOLVE: S.RESOLVED,
                                 DraftPurpose.CLOSE: S.CLOSED_NO_ACTION}
    assert {MOVES[move] for move in NOTE_FIRST} == set(CLOSED)
    assert MOVES["seen"] is S.SEEN and MOVES["progress"] is S.IN_PROGRESS


@pytest.mark.parametrize("status", list(S))
def test_only_a_closed_issue_asks_whether_that_was_ok(status: S) -> None:
    assert asks_if_ok(status) is (status in (S.RESOLVED, S.CLOSED_NO_ACTION))
