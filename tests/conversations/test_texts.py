"""Every text the bot says is plain, short and fits Telegram; `carebot texts` lists them.

Flesch reading ease is checked on every message. It means nothing on a button label or
a menu entry of two or three words ("Saturday" scores below zero), so those are held to
five words instead. One message is exempt: the Friends and Family Test question, whose
exact NHS wording is what makes answers comparable across services.

Each text is also filled with the longest values it can really get (names as long as
Telegram allows, long service names, the biggest counts) and must fit one Telegram
message; with a person's or a member of staff's words as long as a message can be, it
must reach them whole, in parts. carebot sends plain text (no parse mode), so what is
counted is what is shown. The real messages built from many parts (chases, previews,
summaries, keyboards) are checked in tests/journeys/test_long_texts.py.
"""

from __future__ import annotations

import json
import re
import string

import pytest
import textstat

from carebot.bot.delivery import parts_of
from carebot.care.references import alert_reference, issue_reference
from carebot.cli.main import main
from carebot.conversations import fitting
from carebot.conversations.texts import TEXTS, all_texts, plural, text
from carebot.workflow.issue_messages import QUOTE_LIMIT

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
          "action.other_theme", "page.more", "page.back", "read.button.", "safety.button.",
          "easy.choice.")
# Parts of a sentence, filled into another text: read as part of the whole sentence they
# make (test_fragments_read_plainly_in_their_sentence), never scored alone.
FRAGMENTS = ("role.", "role_sends.", "action.about", "action.said_general", "alert.part.",
             "alert.history.when", "media.", "letter.reminder_title",
             "alert.level.", "when.", "time_of_day.", "checkin.service_from")


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


# The longest values each blank really gets. Telegram allows a first name of 64 characters
# and a last name of 64. Nothing limits a service's or an organisation's name (neither
# storage nor `carebot add-service`), so 150 characters stands for the longest a council
# would really give one.
LONG_NAME = ("Alexandra-" * 7)[:64] + " " + ("Montgomery-" * 6)[:64]
LONG_SERVICE = ("Northshire Reablement, Home Care and Supported Living Service " * 3)[:150]
LONG_ORGANISATION = ("Northshire County Council Adult Social Care Commissioning " * 3)[:150]
LONG_REFERENCE = issue_reference(999_999_999)
BIGGEST_COUNT = "1000000"


def _longest(prefix: str) -> str:
    """The longest text of a family (e.g. every "issue.status." text)."""
    return max((words for key, words in TEXTS.items() if key.startswith(prefix)), key=len)


LONGEST: dict[str, str] = {
    **dict.fromkeys(("name", "carer", "cares_for", "staff", "origin"), LONG_NAME),
    **dict.fromkeys(("service", "place", "last"), LONG_SERVICE),
    **dict.fromkeys(("provider", "council", "organisation", "controller"), LONG_ORGANISATION),
    # Staff welcomes name twelve services at most, then "and 3 more" (bot/handlers/enrolment).
    "services": text("list.and", most=", ".join([LONG_SERVICE] * 12),
                     last=text("list.more", count=BIGGEST_COUNT)),
    "most": ", ".join([LONG_SERVICE] * 11),
    "privacy_notice": "https://www.northshire.gov.uk/" + "privacy-notice/" * 12,
    **dict.fromkeys(("reference", "issue"), LONG_REFERENCE),
    **dict.fromkeys(("count", "answers", "checkins", "messages", "part", "parts", "months",
                     "years"), BIGGEST_COUNT),
    "date": "Wednesday 30 September", "day": "Wednesday", "time": "23:59 on Wed 30 Sep",
    "when": "Wednesday 30 September, " + _longest("choice.a"),
    "frequency": _longest("choice.fortnightly"), "window": _longest("choice.afternoon"),
    "kept_for": plural("period.years", 1_000_000),
    "period": "the 4 weeks from Wednesday 30 September to Wednesday 28 October",
    "kind": _longest("issue.a_kind."), "status": _longest("issue.status."),
    "role": max(_longest("chain."), _longest("role."), key=len),
    "outcome": max(_longest("alert.dealing"), _longest("alert.not_a_concern"),
                   _longest("alert.talk.dealing"), key=len),
    "level": "concern", "topic": "safety, safeguarding and feeling safe with carers",
    "you_said": text("action.about", topic="safety, safeguarding and feeling safe with carers"),
    "what": _longest("role_sends."), "waited": plural("chase.working_days", 1_000_000),
    "question": _longest("question."), "answer": _longest("choice."),
    "help": _longest("help."),
    # Why words worried the tagger, as an alert shows it (workflow/alert_chain.py cuts it there).
    "why": "x" * 600,
    "also": text("alert.part.also_problem", issue=LONG_REFERENCE),
    "said": text("alert.part.forwarded_by", name=text("alert.part.told_by", carer=LONG_NAME),
                 origin=LONG_NAME),
}
# Blanks that hold words someone wrote, or a whole part built elsewhere: as long as a
# message can be. The text around them must leave room for what staff are shown of a
# person's words (QUOTE_LIMIT); longer, they are sent in parts.
FREE_TEXT = ("words", "note", "we_did", "message", "body", "history", "lines", "item",
             "summary")
LONGEST_WORDS = ("We talked it through with the family and agreed a new rota. " * 70)[
    :fitting.TEXT_LIMIT]


def _blanks(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _longest_filled(template: str, free: str) -> str:
    return template.format(**{name: free if name in FREE_TEXT else LONGEST.get(name, LONG_NAME)
                              for name in _blanks(template)})


@pytest.mark.parametrize(("key", "template"), all_texts())
def test_text_fits_with_the_longest_real_values(key: str, template: str) -> None:
    filled = _longest_filled(template, "")
    room = QUOTE_LIMIT if _blanks(template) & set(FREE_TEXT) else 0
    assert fitting.length(filled) + room <= fitting.TEXT_LIMIT, (
        f"{key}: {fitting.length(filled)} characters with the longest values")


@pytest.mark.parametrize(("key", "template"),
                         [(k, t) for k, t in all_texts() if _blanks(t) & set(FREE_TEXT)])
def test_text_with_the_longest_words_reaches_people_whole(key: str, template: str) -> None:
    filled = _longest_filled(template, LONGEST_WORDS)
    parts = parts_of(filled)
    assert all(fitting.fits(part) for part in parts), key
    label = re.compile(r"\n\n" + re.escape(text("part.label", part=0, parts=0))
                       .replace("0", r"\d+") + r"\Z")
    joined = "".join(label.sub("", part) for part in parts)
    assert re.sub(r"\s+", "", joined) == re.sub(r"\s+", "", filled), f"{key}: words lost"


def test_the_longest_values_are_the_longest_of_their_kind() -> None:
    assert len(LONG_NAME) == 64 + 1 + 64
    assert all(len(LONGEST[name]) >= len(words) for name, words in (
        ("reference", alert_reference(999_999_999)), ("role", text("chain.2"))))
