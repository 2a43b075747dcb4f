"""Each kind of button is one declaration, and its data is what it was: old buttons sit in
people's chats for months, so every kind packs, reads and refuses exactly as the
hand-written classes before it did (the data and patterns below were captured from them,
not from the declarations). Nothing else matches a kind, and every kind is routed in
`build_application`, with a catch-all last for forged or stale taps."""

from __future__ import annotations

import re

import pytest
from telegram.ext import CallbackQueryHandler

from carebot.bot.application import build_application
from carebot.bot.buttons import (
    AckButton,
    ActionButton,
    AnswerButton,
    CallbackButton,
    DigestButton,
    DigestDayButton,
    DraftButton,
    IssueButton,
    IssueOkButton,
    IssuesPageButton,
    KindButton,
    NoticesButton,
    PauseButton,
    ReadPageButton,
    ScheduleButton,
)
from carebot.settings.clock import SystemClock
from carebot.settings.config import Config
from tests.helpers import BUTTON_EXAMPLES

KINDS = sorted(CallbackButton.__subclasses__(), key=lambda kind: kind.__name__)

# What the hand-written `pack()`s made, byte for byte (BUTTON_EXAMPLES, then more).
WIRE: dict[CallbackButton, str] = dict(zip(BUTTON_EXAMPLES, (
    "a|12|3|very_good", "a|1|0|h_family", "consent|yes", "consent|no", "k|7|compliment",
    "s|weekly", "s|monthly|6", "s|fortnightly|0|evening", "p|0", "p|28", "ack|99|dealing",
    "msg|99", "rel|99", "f|yes", "f|no", "i|1|seen", "i|1|resolve", "ip|5", "ok|1|yes",
    "ok|1|no", "d|send", "d|cancel", "n|daily", "ac|1", "ac|1|punctuality", "ac|1|other",
    "acp|0", "acp|140", "dg|this_week", "dg|four_weeks", "dd|days", "dd|4",
    "r|1|read", "r|1|concern", "r|1|not_concern", "rp|1", "rp|1|2|3|4|5", "st|3|yes",
    "st|3|no", "lang|cy", "er|yes", "er|no",
), strict=True)) | {
    KindButton(12345678901, "problem"): "k|12345678901|problem",
    ScheduleButton("weekly", 6, "morning"): "s|weekly|6|morning",
    ScheduleButton("monthly", 3, "afternoon"): "s|monthly|3|afternoon",
    PauseButton(7): "p|7", PauseButton(14): "p|14",
    AckButton(1, "contacted"): "ack|1|contacted",
    AckButton(123456789012, "not_a_concern"): "ack|123456789012|not_a_concern",
    NoticesButton("each"): "n|each",
    IssueButton(999999999999, "progress"): "i|999999999999|progress",
    IssueButton(2, "close"): "i|2|close",
    DraftButton("change"): "d|change", DigestButton("last_week"): "dg|last_week",
    DigestDayButton(0): "dd|0", DigestDayButton(6): "dd|6",
    ActionButton(7, "a" * 30): "ac|7|" + "a" * 30, IssuesPageButton(999999): "ip|999999",
    AnswerButton(123456789012, 99, "z" * 20): "a|123456789012|99|" + "z" * 20,
    IssueOkButton(42, True): "ok|42|yes",
    ReadPageButton(9999999999, 9999999999, 9999999999, 9999999999, 9999999999):
        "rp|" + "|".join(["9999999999"] * 5),
}

# The hand-written patterns, character for character.
TODAY = {
    "AnswerButton": r"^a\|(\d{1,12})\|(\d{1,2})\|([a-z_]{1,20})\Z",
    "ConsentButton": r"^consent\|(yes|no)\Z",
    "KindButton": r"^k\|(\d{1,12})\|([a-z_]{1,20})\Z",
    "ScheduleButton": r"^s\|(weekly|fortnightly|monthly)"
                      r"(?:\|([0-6])(?:\|(morning|afternoon|evening))?)?\Z",
    "PauseButton": r"^p\|(0|7|14|28)\Z",
    "AckButton": r"^ack\|(\d{1,12})(?:\|(dealing|contacted|not_a_concern))?\Z",
    "MessageThemButton": r"^msg\|(\d{1,12})\Z",
    "ReleaseButton": r"^rel\|(\d{1,12})\Z",
    "ForgetButton": r"^f\|(yes|no)\Z",
    "IssueButton": r"^i\|(\d{1,12})\|(seen|progress|resolve|close)\Z",
    "IssuesPageButton": r"^ip\|(\d{1,6})\Z",
    "IssueOkButton": r"^ok\|(\d{1,12})\|(yes|no)\Z",
    "DraftButton": r"^d\|(send|change|cancel)\Z",
    "NoticesButton": r"^n\|(each|daily)\Z",
    "ActionButton": r"^ac\|(\d{1,12})(?:\|([a-z_]{1,30}))?\Z",
    "ActionPageButton": r"^acp\|(\d{1,6})\Z",
    "DigestButton": r"^dg\|(this_week|last_week|four_weeks)\Z",
    "DigestDayButton": r"^dd\|([0-6]|days)\Z",
    "ReadButton": r"^r\|(\d{1,12})\|(read|concern|problem|not_concern)\Z",
    "ReadPageButton": r"^rp\|(\d{1,10})(?:\|(\d{1,10})(?:\|(\d{1,10})(?:\|(\d{1,10})"
                      r"(?:\|(\d{1,10}))?)?)?)?\Z",
    "SafetyTalkButton": r"^st\|(\d{1,12})\|(yes|no)\Z",
    "LanguageButton": r"^lang\|([a-z_]{1,3})\Z",
    "EasyReadButton": r"^er\|(yes|no)\Z",
}

FORGED = [
    "", "a|1|1", "a|1|1|VERY_GOOD", "a|1|1|x\n", "a|-1|1|x", "consent|maybe", "k|1|",
    "s|yearly", "s|weekly|7", "s|weekly|morning", "s|weekly|1|night", "p|3", "ack|x",
    "f|yes|no", "a|1234567890123|1|x", "ack|1 ", "consent|yes\n", "ack|1|dealing|x",
    "ack|1|", "ac|1|", "ac|1|" + "a" * 31, "ip|1234567", "acp|-1", "dd|7", "dd|", "dd|Days",
    "ok|1|true", "i|1|open", "d|", "n|weekly", "dg|next_week", "p|00", "s|weekly|1|",
    "rel|1|1", "msg|", "A|1|1|x", "x|1", "ack:1", " ack|1", "ok|1|yes|no",
]


def _variants(data: str) -> list[str]:
    """Near misses of good data: cut, grown, changed case, a prefix swapped."""
    prefixes = {kind.prefix for kind in KINDS}
    head, _, rest = data.partition("|")
    return [data[:-1], data + "|x", data + "|1", data + "1", data + "\n", data.upper(),
            data.replace("1", "٣"), "|".join(data.split("|")[:-1]),
            *(f"{prefix}|{rest}" for prefix in prefixes if prefix != head)]


CORPUS = sorted({*WIRE.values(), *FORGED,
                 *(variant for data in WIRE.values() for variant in _variants(data))})


def test_the_examples_cover_every_kind_of_button() -> None:
    assert {type(button) for button in BUTTON_EXAMPLES} == set(KINDS)
    assert {type(button) for button in WIRE} == set(KINDS)


@pytest.mark.parametrize(("button", "data"), WIRE.items(), ids=repr)
def test_each_button_packs_as_it_always_has(button: CallbackButton, data: str) -> None:
    assert button.pack() == data
    assert len(data.encode()) <= 64  # Telegram's limit on callback data
    assert type(button).unpack(data) == button
    assert [kind for kind in KINDS if kind is not type(button) and kind.unpack(data)] == []


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_each_pattern_is_the_one_it_always_was(kind: type[CallbackButton]) -> None:
    assert kind.pattern().pattern == TODAY[kind.__name__]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_each_kind_reads_what_it_always_read_and_refuses_the_rest(
        kind: type[CallbackButton]) -> None:
    today = re.compile(TODAY[kind.__name__])
    for data in CORPUS:
        read = kind.unpack(data)
        assert (read is not None) == bool(today.match(data)), data
        if read is not None:  # and reads the same: what it packs to reads back as it
            assert kind.unpack(read.pack()) == read


@pytest.mark.parametrize("data", FORGED)
def test_forged_data_fits_no_kind(data: str) -> None:
    assert [kind.__name__ for kind in KINDS if kind.unpack(data) is not None] == []


def test_old_data_without_a_later_field_reads_as_its_default() -> None:
    assert AckButton.unpack("ack|12") == AckButton(12, "dealing")
    assert AckButton(12).pack() == "ack|12|dealing"
    assert ActionButton.unpack("ac|3") == ActionButton(3)


def test_every_kind_says_who_may_tap_it() -> None:
    assert all("who" in vars(kind) for kind in KINDS)


def test_every_kind_is_routed_and_a_catch_all_comes_last() -> None:
    app = build_application(Config(token="1:TEST"), SystemClock())
    taps = [h for group in app.handlers.values() for h in group
            if isinstance(h, CallbackQueryHandler)]
    patterns = [h.pattern for h in taps]
    assert all(kind.pattern() in patterns for kind in KINDS)
    assert taps[-1].pattern is None and patterns.count(None) == 1
