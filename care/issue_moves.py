"""An issue's life: where it can go from where it stands, what each of the four moves
staff make does, which of them asks for a note first, and when the person who raised it
is asked whether that was OK.

Open → seen → in progress → resolved (or closed with no change, with a reason). A closed
issue can only be opened again, by the person saying what was done did not help. Every
move tells the person who raised it; storage makes each move and its messages in one
transaction, and refuses a move this table does not allow (a double tap, a forged
button)."""

from __future__ import annotations

from carebot.storage.models import DraftPurpose, IssueStatus

CLOSED = (IssueStatus.RESOLVED, IssueStatus.CLOSED_NO_ACTION)

# Where an issue can go from where it is.
NEXT_STATUSES: dict[IssueStatus, tuple[IssueStatus, ...]] = {
    IssueStatus.OPEN: (IssueStatus.SEEN, IssueStatus.IN_PROGRESS, *CLOSED),
    IssueStatus.SEEN: (IssueStatus.IN_PROGRESS, *CLOSED),
    IssueStatus.IN_PROGRESS: CLOSED,
    IssueStatus.RESOLVED: (IssueStatus.OPEN,),
    IssueStatus.CLOSED_NO_ACTION: (IssueStatus.OPEN,),
}

# The moves staff make, by the word on their button, and where each takes the issue.
MOVES: dict[str, IssueStatus] = {
    "seen": IssueStatus.SEEN, "progress": IssueStatus.IN_PROGRESS,
    "resolve": IssueStatus.RESOLVED, "close": IssueStatus.CLOSED_NO_ACTION,
}

# The moves that close an issue ask first for a note: what was done, or why nothing was.
NOTE_FIRST: dict[str, DraftPurpose] = {"resolve": DraftPurpose.RESOLVE,
                                       "close": DraftPurpose.CLOSE}
STATUS_AFTER_NOTE: dict[DraftPurpose, IssueStatus] = {
    purpose: MOVES[move] for move, purpose in NOTE_FIRST.items()}


def can_move(status: IssueStatus, to: IssueStatus) -> bool:
    """Whether an issue where `status` says may go to `to`."""
    return to in NEXT_STATUSES[status]


def moves_open(status: IssueStatus) -> tuple[str, ...]:
    """The staff's moves open to an issue where it stands, in button order; none once it
    is closed (only the person can open it again)."""
    return tuple(move for move, to in MOVES.items() if can_move(status, to))


def asks_if_ok(status: IssueStatus) -> bool:
    """A closed issue asks the person who raised it whether that was OK."""
    return status in CLOSED
