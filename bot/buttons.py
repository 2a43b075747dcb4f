"""Every kind of button the bot sends, each a small class that owns its callback data: the
`PATTERN` it is registered with in `build_application`, `pack()` to make the data, and
`unpack()` to read it back. Data that fits no pattern is forged or stale, and a catch-all
handler answers it. Also: turning rows of buttons into a Telegram keyboard and back."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import ClassVar, Self

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from conversations.checkin import Prompt
from conversations.schedule import FREQUENCIES, WINDOWS


class CallbackButton:
    """What every kind of button has. `PATTERN` matches exactly the data `pack()` makes."""

    PATTERN: ClassVar[re.Pattern[str]]

    def pack(self) -> str:
        raise NotImplementedError

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        raise NotImplementedError

    @classmethod
    def unpack(cls, data: str | None) -> Self | None:
        """What this button's data means, or None if it is not this kind's."""
        match = cls.PATTERN.match(data or "")
        return None if match is None else cls.from_match(match)


def _choice(options: Iterable[str]) -> str:
    return "|".join(re.escape(option) for option in options)


@dataclass(frozen=True)
class AnswerButton(CallbackButton):
    """An answer to one step of a check-in (step 0 is the hello)."""

    checkin_id: int
    step: int
    value: str
    PATTERN: ClassVar = re.compile(r"^a\|(\d{1,12})\|(\d{1,2})\|([a-z_]{1,20})\Z")

    def pack(self) -> str:
        return f"a|{self.checkin_id}|{self.step}|{self.value}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]), int(match[2]), match[3])


@dataclass(frozen=True)
class ConsentButton(CallbackButton):
    agreed: bool
    PATTERN: ClassVar = re.compile(r"^consent\|(yes|no)\Z")

    def pack(self) -> str:
        return f"consent|{'yes' if self.agreed else 'no'}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(match[1] == "yes")


@dataclass(frozen=True)
class KindButton(CallbackButton):
    """What kind of feedback a message was: a problem, a thank you or an idea."""

    issue_id: int
    kind: str
    PATTERN: ClassVar = re.compile(r"^k\|(\d{1,12})\|([a-z_]{1,20})\Z")

    def pack(self) -> str:
        return f"k|{self.issue_id}|{self.kind}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]), match[2])


@dataclass(frozen=True)
class ScheduleButton(CallbackButton):
    """A step of choosing a schedule; the choices so far ride in the button's data."""

    frequency: str
    weekday: int | None = None
    window: str | None = None
    PATTERN: ClassVar = re.compile(
        rf"^s\|({_choice(FREQUENCIES)})(?:\|([0-6])(?:\|({_choice(WINDOWS)}))?)?\Z")

    def pack(self) -> str:
        chosen = [self.frequency, self.weekday, self.window]
        return "|".join(["s", *(str(part) for part in chosen if part is not None)])

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(match[1], None if match[2] is None else int(match[2]), match[3])


@dataclass(frozen=True)
class PauseButton(CallbackButton):
    days: int  # 0: until the person resumes
    PATTERN: ClassVar = re.compile(r"^p\|(0|7|14|28)\Z")

    def pack(self) -> str:
        return f"p|{self.days}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]))


@dataclass(frozen=True)
class AckButton(CallbackButton):
    """Someone who was sent an alert saying what they did: dealing with it, contacted
    the person, or not a concern. ("ack|12", from before there were three, is dealing.)"""

    alert_id: int
    outcome: str = "dealing"
    OUTCOMES: ClassVar = ("dealing", "contacted", "not_a_concern")
    PATTERN: ClassVar = re.compile(rf"^ack\|(\d{{1,12}})(?:\|({_choice(OUTCOMES)}))?\Z")

    def pack(self) -> str:
        return f"ack|{self.alert_id}|{self.outcome}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]), match[2] or "dealing")


@dataclass(frozen=True)
class MessageThemButton(CallbackButton):
    """Someone sent an alert writing to the person it is about, through carebot."""

    alert_id: int
    PATTERN: ClassVar = re.compile(r"^msg\|(\d{1,12})\Z")

    def pack(self) -> str:
        return f"msg|{self.alert_id}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]))


@dataclass(frozen=True)
class ReleaseButton(CallbackButton):
    """The council's safeguarding lead letting the provider see the name and words of a
    problem that accuses one of its staff."""

    alert_id: int
    PATTERN: ClassVar = re.compile(r"^rel\|(\d{1,12})\Z")

    def pack(self) -> str:
        return f"rel|{self.alert_id}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]))


@dataclass(frozen=True)
class ForgetButton(CallbackButton):
    agreed: bool
    PATTERN: ClassVar = re.compile(r"^f\|(yes|no)\Z")

    def pack(self) -> str:
        return f"f|{'yes' if self.agreed else 'no'}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(match[1] == "yes")


@dataclass(frozen=True)
class IssueButton(CallbackButton):
    """Staff moving an issue on: seen, in progress, or closing it with a note."""

    issue_id: int
    action: str
    ACTIONS: ClassVar = ("seen", "progress", "resolve", "close")
    PATTERN: ClassVar = re.compile(rf"^i\|(\d{{1,12}})\|({_choice(ACTIONS)})\Z")

    def pack(self) -> str:
        return f"i|{self.issue_id}|{self.action}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]), match[2])


@dataclass(frozen=True)
class IssuesPageButton(CallbackButton):
    """The next page of /issues."""

    offset: int
    PATTERN: ClassVar = re.compile(r"^ip\|(\d{1,6})\Z")

    def pack(self) -> str:
        return f"ip|{self.offset}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]))


@dataclass(frozen=True)
class IssueOkButton(CallbackButton):
    """The person who raised an issue saying whether how it was closed was OK."""

    issue_id: int
    ok: bool
    PATTERN: ClassVar = re.compile(r"^ok\|(\d{1,12})\|(yes|no)\Z")

    def pack(self) -> str:
        return f"ok|{self.issue_id}|{'yes' if self.ok else 'no'}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]), match[2] == "yes")


@dataclass(frozen=True)
class DraftButton(CallbackButton):
    """What to do with a note staff typed: send it, type it again, or drop it."""

    choice: str
    CHOICES: ClassVar = ("send", "change", "cancel")
    PATTERN: ClassVar = re.compile(rf"^d\|({_choice(CHOICES)})\Z")

    def pack(self) -> str:
        return f"d|{self.choice}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(match[1])


@dataclass(frozen=True)
class NoticesButton(CallbackButton):
    """How a provider hears of new problems: each as it comes, or daily."""

    how: str
    PATTERN: ClassVar = re.compile(r"^n\|(each|daily)\Z")

    def pack(self) -> str:
        return f"n|{self.how}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(match[1])


@dataclass(frozen=True)
class ActionButton(CallbackButton):
    """Recording "you said, we did": the service, then the theme it answers ("" until
    chosen; "other": something else)."""

    service_id: int
    theme: str = ""
    PATTERN: ClassVar = re.compile(r"^ac\|(\d{1,12})(?:\|([a-z_]{1,30}))?\Z")

    def pack(self) -> str:
        return f"ac|{self.service_id}|{self.theme}" if self.theme else f"ac|{self.service_id}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]), match[2] or "")


@dataclass(frozen=True)
class ActionPageButton(CallbackButton):
    """Another page of the services "you said, we did" offers: a commissioner may look
    after a whole council's, more than one message's buttons can hold."""

    offset: int
    PATTERN: ClassVar = re.compile(r"^acp\|(\d{1,6})\Z")

    def pack(self) -> str:
        return f"acp|{self.offset}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(int(match[1]))


@dataclass(frozen=True)
class DigestButton(CallbackButton):
    """Which weeks a digest asked for now covers."""

    span: str
    SPANS: ClassVar = ("this_week", "last_week", "four_weeks")
    PATTERN: ClassVar = re.compile(rf"^dg\|({_choice(SPANS)})\Z")

    def pack(self) -> str:
        return f"dg|{self.span}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(match[1])


@dataclass(frozen=True)
class DigestDayButton(CallbackButton):
    """Choosing the day a reader's weekly digest comes (None: show the days)."""

    weekday: int | None = None
    PATTERN: ClassVar = re.compile(r"^dd\|([0-6]|days)\Z")

    def pack(self) -> str:
        return f"dd|{'days' if self.weekday is None else self.weekday}"

    @classmethod
    def from_match(cls, match: re.Match[str]) -> Self:
        return cls(None if match[1] == "days" else int(match[1]))


ButtonRows = Sequence[Sequence[tuple[CallbackButton, str]]]


def keyboard(rows: ButtonRows) -> InlineKeyboardMarkup:
    """Rows of (button, label) as a Telegram keyboard."""
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(label, callback_data=button.pack()) for button, label in row]
         for row in rows]
    )


def one_per_row(choices: Sequence[tuple[CallbackButton, str]]) -> InlineKeyboardMarkup:
    return keyboard([[choice] for choice in choices])


def checkin_keyboard(checkin_id: int, prompt: Prompt) -> InlineKeyboardMarkup:
    return keyboard([[(AnswerButton(checkin_id, prompt.step, value), label)
                      for value, label in row] for row in prompt.buttons])


def keyboard_to_json(markup: InlineKeyboardMarkup) -> str:
    return json.dumps(markup.to_dict())


def keyboard_from_json(text: str | None) -> InlineKeyboardMarkup | None:
    if not text:
        return None
    return InlineKeyboardMarkup.de_json(json.loads(text), None)
