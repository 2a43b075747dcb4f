"""Feedback given at any time, outside a check-in: the kinds it can be, as buttons."""

from __future__ import annotations

from carebot.conversations.texts import text

KINDS = ("problem", "compliment", "idea")


def kind_buttons() -> tuple[tuple[str, str], ...]:
    """(value, label) pairs, one button each."""
    return tuple((kind, text(f"feedback.{kind}")) for kind in KINDS)
