"""Buttons: from conversations' (value, label) rows to Telegram keyboards, and callback
data to what it means. Callback data is checked strictly: anything else is forged or stale."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from conversations.checkin import Prompt

Rows = tuple[tuple[tuple[str, str], ...], ...]

_ANSWER = re.compile(r"^a\|(\d{1,12})\|(\d{1,2})\|([a-z_]{1,20})$")
_CONSENT = re.compile(r"^consent\|(yes|no)$")
_KIND = re.compile(r"^k\|(\d{1,12})\|([a-z_]{1,20})$")


def markup(rows: Rows, prefix: str) -> InlineKeyboardMarkup:
    """`prefix` + value is each button's callback data."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=f"{prefix}{value}") for value, label in row]
         for row in rows]
    )


def checkin_markup(checkin_id: int, prompt: Prompt) -> InlineKeyboardMarkup:
    return markup(prompt.buttons, f"a|{checkin_id}|{prompt.step}|")


def consent_markup(yes: str, no: str) -> InlineKeyboardMarkup:
    return markup(((("yes", yes),), (("no", no),)), "consent|")


def kind_markup(issue_id: int, rows: Rows) -> InlineKeyboardMarkup:
    return markup(rows, f"k|{issue_id}|")


def markup_to_json(keyboard: InlineKeyboardMarkup) -> str:
    return json.dumps(keyboard.to_dict())


def markup_from_json(text: str | None) -> InlineKeyboardMarkup | None:
    if not text:
        return None
    return InlineKeyboardMarkup.de_json(json.loads(text), None)


@dataclass(frozen=True)
class AnswerTap:
    checkin_id: int
    step: int
    value: str


@dataclass(frozen=True)
class ConsentTap:
    agreed: bool


@dataclass(frozen=True)
class KindTap:
    issue_id: int
    kind: str


Tap = AnswerTap | ConsentTap | KindTap


def parse_tap(data: str | None) -> Tap | None:
    """What a button's callback data means, or None if it is not ours."""
    if not data:
        return None
    if match := _ANSWER.match(data):
        return AnswerTap(int(match[1]), int(match[2]), match[3])
    if match := _CONSENT.match(data):
        return ConsentTap(match[1] == "yes")
    if match := _KIND.match(data):
        return KindTap(int(match[1]), match[2])
    return None
