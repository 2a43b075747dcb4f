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
_SCHEDULE = re.compile(
    r"^s\|(weekly|fortnightly|monthly)(?:\|([0-6]))?(?:\|(morning|afternoon|evening))?$"
)
_PAUSE = re.compile(r"^p\|(0|7|14|28)$")
_ACK = re.compile(r"^ack\|(\d{1,12})$")
_FORGET = re.compile(r"^f\|(yes|no)$")


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


@dataclass(frozen=True)
class ScheduleTap:
    """A step of choosing a schedule; the choices so far ride in the button's data."""

    frequency: str
    weekday: int | None
    window: str | None


@dataclass(frozen=True)
class PauseTap:
    days: int  # 0: until the person resumes


@dataclass(frozen=True)
class AckTap:
    alert_id: int


@dataclass(frozen=True)
class ForgetTap:
    agreed: bool


Tap = AnswerTap | ConsentTap | KindTap | ScheduleTap | PauseTap | AckTap | ForgetTap


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
    if match := _SCHEDULE.match(data):
        weekday = None if match[2] is None else int(match[2])
        if match[3] is not None and weekday is None:
            return None
        return ScheduleTap(match[1], weekday, match[3])
    if match := _PAUSE.match(data):
        return PauseTap(int(match[1]))
    if match := _ACK.match(data):
        return AckTap(int(match[1]))
    if match := _FORGET.match(data):
        return ForgetTap(match[1] == "yes")
    return None
