"""Every text the bot says is plain, short and fits Telegram; `carebot texts` lists them.

Flesch reading ease is checked on every message. It means nothing on a button label or
a menu entry of two or three words ("Saturday" scores below zero), so those are held to
five words instead. One message is exempt: the Friends and Family Test question, whose
exact NHS wording is what makes answers comparable across services.
"""

from __future__ import annotations

import json
import re
import string

import pytest
import textstat

from cli.main import main
from conversations.texts import all_texts, text

EXEMPT = {"question.fft": "the NHS Friends and Family Test's own words"}
MIN_EASE = 80
MAX_SENTENCE_WORDS = 20
TELEGRAM_TEXT = 4096
TELEGRAM_BUTTON = 64  # characters we allow a label; Telegram draws longer ones cut short
TELEGRAM_COMMAND_DESCRIPTION = 256


LABELS = ("choice.", "command.", "feedback.problem", "feedback.compliment", "feedback.idea",
          "consent.yes", "consent.no", "issue.ok.yes", "issue.ok.no", "issue.kind.",
          "issue.status.", "issue.a_kind.", "issues.seen", "issues.progress", "issues.resolve",
          "issues.close", "issues.more_button", "draft.send", "draft.change", "draft.cancel",
          "notices.each", "notices.daily", "digest.this_week", "digest.last_week",
          "digest.four_weeks", "digest.change_day", "alert.dealing", "alert.contacted",
          "alert.not_a_concern", "alert.message_them", "alert.release_button", "alert.talk.dealing",
          "alert.talk.contacted", "chain.",
          "action.other_theme")
# Parts of a sentence, filled into another text: read as part of the whole sentence they
# make (test_fragments_read_plainly_in_their_sentence), never scored alone.
FRAGMENTS = ("role.", "role_sends.", "action.about", "action.said_general", "alert.part.")


def _filled(template: str) -> str:
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    return template.format(**dict.fromkeys(names, "Sam"))


def _sentences(words: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.?!])\s+|\n+", words) if s.strip()]


@pytest.mark.parametrize(("key", "template"), all_texts())
def test_text_is_plain(key: str, template: str) -> None:
    words = _filled(template)
    assert 1 <= len(words) <= TELEGRAM_TEXT
    assert words == words.strip()
    longest = max(len(s.split()) for s in _sentences(words))
    assert longest <= MAX_SENTENCE_WORDS, f"{key}: a sentence of {longest} words"
    if key.startswith(LABELS):
        assert len(words.split()) <= 5, key
        return
    if key.startswith(FRAGMENTS):
        assert len(words.split()) <= 12, key
        return
    if key in EXEMPT:
        return
    ease = textstat.flesch_reading_ease(words)
    assert ease >= MIN_EASE, f"{key}: reading ease {ease:.0f}"


def test_labels_and_menu_entries_fit() -> None:
    for key, words in all_texts():
        if key.startswith(LABELS) and not key.startswith("command."):
            assert len(words) <= TELEGRAM_BUTTON, key
        if key.startswith("command."):
            assert 3 <= len(words) <= TELEGRAM_COMMAND_DESCRIPTION, key


def test_texts_command_prints_every_text_as_json_lines(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["texts"]) == 0
    lines = capsys.readouterr().out.splitlines()
    printed = [json.loads(line) for line in lines]
    assert [(p["key"], p["text"]) for p in printed] == all_texts()


@pytest.mark.parametrize("role", ["provider", "duty_contact", "commissioner", "board_member",
                                  "admin"])
def test_fragments_read_plainly_in_their_sentence(role: str) -> None:
    words = text("consent.ask.staff", name="Sam", role=text(f"role.{role}"),
                 place="Home Care East", what=text(f"role_sends.{role}"))
    assert textstat.flesch_reading_ease(words) >= MIN_EASE
    news = text("action.news", service="Home Care East", we_did="We now ring first.",
                you_said=text("action.about", topic="timekeeping and missed visits"))
    assert textstat.flesch_reading_ease(news) >= MIN_EASE
