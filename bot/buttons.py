"""Every kind of button the bot sends, each one declaration: its prefix and typed fields
(from which its pattern, `pack()` and `unpack()` are derived, bot/callback_data.py) and
`who` may tap it. Data that fits no pattern is forged or stale, and a catch-all handler
answers it. Also: turning rows of buttons into a Telegram keyboard and back.

A new kind of button: declare it here, and give its handler `@on_person_tap(TheButton)`
(or, for ANYONE, `@on_tap`) in the handler module that uses it (bot/handlers/declared.py)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, ClassVar, Final

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from carebot.bot.callback_data import (
    CallbackData,
    Digits,
    Id,
    Numbers,
    Offset,
    OneOf,
    Trailing,
    Weekday,
    Word,
    YesNo,
)
from carebot.bot.menu import PEOPLE, roles_for
from carebot.conversations.checkin import Prompt
from carebot.conversations.schedule import FREQUENCIES, WINDOWS
from carebot.storage.models import Role


class Mine(Enum):
    """Which record a button is about, that must be the tapper's: the record whose id is
    the button's first field. bot/handlers/owners.py checks each."""

    CHECKIN = "a check-in sent to them"
    RAISED_ISSUE = "an issue they raised"
    SERVICE_ISSUE = "an issue at a service they work for"
    TOLD_ALERT = "an alert sent to them"
    RELEASABLE_ALERT = "an alert sent to them that, as the council's lead, they may release"
    SERVICE = "a service they look after"
    READ_ITEM = "something sent to a service they read for"


@dataclass(frozen=True)
class Who:
    """Who may tap a kind of button, checked by the one guard (`tapper`, which
    `on_person_tap` puts before its handler, bot/handlers/declared.py): someone enrolled
    and consenting, of one of `roles` (None: any), whose `owns` record it is about.
    `what` names a refused tap in the event log."""

    what: str
    roles: tuple[Role, ...] | None = None
    owns: Mine | None = None


# Consenting and forgetting are for people not (or no longer) active: their handlers
# find who tapped themselves.
ANYONE: Final = None


def _may_use(command: str) -> tuple[Role, ...]:
    """The roles bot/menu.py lets use `/command`: its buttons allow the same."""
    return tuple(role for role in Role if role in roles_for(command))


CARED_FOR = tuple(role for role in Role if role in PEOPLE)  # who draws on care, and carers
ISSUE_STAFF = _may_use("issues")
ACTION_STAFF = _may_use("action")


class CallbackButton(CallbackData):
    """What every kind of button has: its data (bot/callback_data.py) and `who` may tap it."""

    who: ClassVar[Who | None]


@dataclass(frozen=True)
class AnswerButton(CallbackButton, prefix="a"):
    """An answer to one step of a check-in (step 0 is the hello)."""

    who: ClassVar = Who("checkin", owns=Mine.CHECKIN)
    checkin_id: Id
    step: Annotated[int, Digits(2)]
    value: Annotated[str, Word(20)]


@dataclass(frozen=True)
class ConsentButton(CallbackButton, prefix="consent"):
    who: ClassVar = ANYONE
    agreed: Annotated[bool, YesNo()]


@dataclass(frozen=True)
class KindButton(CallbackButton, prefix="k"):
    """What kind of feedback a message was: a problem, a thank you or an idea. (Whose the
    issue is, storage checks as it saves the kind.)"""

    who: ClassVar = Who("kind")
    issue_id: Id
    kind: Annotated[str, Word(20)]


@dataclass(frozen=True)
class ScheduleButton(CallbackButton, prefix="s"):
    """A step of choosing a schedule; the choices so far ride in the button's data."""

    who: ClassVar = Who("control", CARED_FOR)
    frequency: Annotated[str, OneOf(FREQUENCIES)]
    weekday: Annotated[int | None, Weekday(), Trailing()] = None
    window: Annotated[str | None, OneOf(WINDOWS), Trailing()] = None


@dataclass(frozen=True)
class PauseButton(CallbackButton, prefix="p"):
    who: ClassVar = Who("control", CARED_FOR)
    days: Annotated[int, Numbers((0, 7, 14, 28))]  # 0: until the person resumes


@dataclass(frozen=True)
class AckButton(CallbackButton, prefix="ack"):
    """Someone who was sent an alert saying what they did: dealing with it, contacted
    the person, or not a concern. ("ack|12", from before there were three, is dealing.)"""

    OUTCOMES: ClassVar = ("dealing", "contacted", "not_a_concern")
    who: ClassVar = Who("ack", owns=Mine.TOLD_ALERT)
    alert_id: Id
    outcome: Annotated[str, OneOf(OUTCOMES), Trailing(always_written=True)] = "dealing"


@dataclass(frozen=True)
class MessageThemButton(CallbackButton, prefix="msg"):
    """Someone sent an alert writing to the person it is about, through carebot."""

    who: ClassVar = Who("msg", owns=Mine.TOLD_ALERT)
    alert_id: Id


@dataclass(frozen=True)
class ReleaseButton(CallbackButton, prefix="rel"):
    """The council's safeguarding lead letting the provider see the name and words of a
    problem that accuses one of its staff."""

    who: ClassVar = Who("rel", owns=Mine.RELEASABLE_ALERT)
    alert_id: Id


@dataclass(frozen=True)
class ForgetButton(CallbackButton, prefix="f"):
    who: ClassVar = ANYONE
    agreed: Annotated[bool, YesNo()]


@dataclass(frozen=True)
class IssueButton(CallbackButton, prefix="i"):
    """Staff moving an issue on: seen, in progress, or closing it with a note."""

    ACTIONS: ClassVar = ("seen", "progress", "resolve", "close")
    who: ClassVar = Who("issue", ISSUE_STAFF, Mine.SERVICE_ISSUE)
    issue_id: Id
    action: Annotated[str, OneOf(ACTIONS)]


@dataclass(frozen=True)
class IssuesPageButton(CallbackButton, prefix="ip"):
    """The next page of /issues."""

    who: ClassVar = Who("issues", ISSUE_STAFF)
    offset: Offset


@dataclass(frozen=True)
class IssueOkButton(CallbackButton, prefix="ok"):
    """The person who raised an issue saying whether how it was closed was OK."""

    who: ClassVar = Who("ok", owns=Mine.RAISED_ISSUE)
    issue_id: Id
    ok: Annotated[bool, YesNo()]


@dataclass(frozen=True)
class DraftButton(CallbackButton, prefix="d"):
    """What to do with a note staff typed: send it, type it again, or drop it. (It is
    always the tapper's own draft.)"""

    CHOICES: ClassVar = ("send", "change", "cancel")
    who: ClassVar = Who("draft")
    choice: Annotated[str, OneOf(CHOICES)]


@dataclass(frozen=True)
class NoticesButton(CallbackButton, prefix="n"):
    """How a provider hears of new problems: each as it comes, or daily."""

    who: ClassVar = Who("notices", (Role.PROVIDER,))
    how: Annotated[str, OneOf(("each", "daily"))]


@dataclass(frozen=True)
class ActionButton(CallbackButton, prefix="ac"):
    """Recording "you said, we did": the service, then the theme it answers ("" until
    chosen; "other": something else)."""

    who: ClassVar = Who("action button", ACTION_STAFF, Mine.SERVICE)
    service_id: Id
    theme: Annotated[str, Word(30), Trailing()] = ""


@dataclass(frozen=True)
class ActionPageButton(CallbackButton, prefix="acp"):
    """Another page of the services "you said, we did" offers: a commissioner may look
    after a whole council's, more than one message's buttons can hold."""

    who: ClassVar = Who("action button", ACTION_STAFF)
    offset: Offset


@dataclass(frozen=True)
class DigestButton(CallbackButton, prefix="dg"):
    """Which weeks a digest asked for now covers."""

    SPANS: ClassVar = ("this_week", "last_week", "four_weeks")
    who: ClassVar = Who("digest button", _may_use("digest"))
    span: Annotated[str, OneOf(SPANS)]


@dataclass(frozen=True)
class DigestDayButton(CallbackButton, prefix="dd"):
    """Choosing the day a reader's weekly digest comes (None: show the days)."""

    who: ClassVar = Who("digest day button", _may_use("digest"))
    weekday: Annotated[int | None, Weekday(none="days")] = None


READERS = _may_use("read")


@dataclass(frozen=True)
class ReadButton(CallbackButton, prefix="r"):
    """A reader's judgement of one thing a person sent (storage/read_list.py)."""

    ACTIONS: ClassVar = ("read", "concern", "problem", "not_concern")
    who: ClassVar = Who("read button", READERS, Mine.READ_ITEM)
    item_id: Id
    action: Annotated[str, OneOf(ACTIONS)]


# Five ids in Telegram's 64 bytes: ten digits each (ten thousand million items) fit.
ItemOnPage = Annotated[int | None, Digits(10), Trailing()]


@dataclass(frozen=True)
class ReadPageButton(CallbackButton, prefix="rp"):
    """Marking every item of a page of /read as read, in one tap (the handler checks
    each item is at the reader's services)."""

    who: ClassVar = Who("read button", READERS)
    first: Annotated[int, Digits(10)]
    second: ItemOnPage = None
    third: ItemOnPage = None
    fourth: ItemOnPage = None
    fifth: ItemOnPage = None

    @property
    def item_ids(self) -> list[int]:
        return [i for i in (self.first, self.second, self.third, self.fourth, self.fifth)
                if i is not None]


@dataclass(frozen=True)
class SafetyTalkButton(CallbackButton, prefix="st"):
    """After a worrying answer to a safety question: do they want someone to get in
    touch?"""

    who: ClassVar = Who("safety", CARED_FOR, Mine.CHECKIN)
    checkin_id: Id
    yes: Annotated[bool, YesNo()]


@dataclass(frozen=True)
class LanguageButton(CallbackButton, prefix="lang"):
    """The language to speak from now on, by its code; one carebot does not speak is a
    forged tap."""

    who: ClassVar = Who("language", _may_use("language"))
    code: Annotated[str, Word(3)]


@dataclass(frozen=True)
class EasyReadButton(CallbackButton, prefix="er"):
    """Easy-read check-ins from now on, or the usual ones."""

    who: ClassVar = Who("easy read", _may_use("easyread"))
    wanted: Annotated[bool, YesNo()]


# Read every declaration now, so that a mistake in one fails as carebot starts, not at
# the first tap on it.
for _kind in CallbackButton.__subclasses__():
    _kind.pattern()


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
