"""Feedback given at any time, outside a check-in: what kind it is, and its reference."""

from __future__ import annotations

from conversations.texts import text

KINDS = ("problem", "compliment", "idea")

# References start at CB-1001 so they look like references, not counts.
_REFERENCE_BASE = 1000


def reference_for(issue_id: int) -> str:
    return f"CB-{_REFERENCE_BASE + issue_id}"


def kind_buttons() -> tuple[tuple[str, str], ...]:
    """(value, label) pairs, one button each."""
    return tuple((kind, text(f"feedback.{kind}")) for kind in KINDS)
