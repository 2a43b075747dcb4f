"""A check-in as data, and the small engine that walks a person through it.

No Telegram here: the bot turns a `Prompt` into a message and buttons, and turns a tap or
a typed reply back into an `Answer`. A check-in's questions are chosen when it is made
and stored with it as a plan (e.g. "fft,safe,food,free.working,free.more"), so what was
asked is on record. Step 0 is the hello; steps 1… are the questions. The states are drawn
in docs/checkin-states.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from carebot.conversations.questions import (
    CARER_OUTCOMES,
    CARER_OVERALL,
    FFT,
    FREE_TEXT,
    OUTCOMES,
    SOMETHING_ELSE,
    Kind,
    Question,
    question,
)
from carebot.conversations.texts import text
from carebot.conversations.typed_answers import plain, read_choice

SKIP = "skip"
NO_THANKS = "no_thanks"
TALK = "talk"
# Choices on the hello (step 0).
START = "start"
HELPER = "helper"
NOT_NOW = "not_now"
HELPERS = ("family", "carer", "advocate", "someone")

OUTCOMES_PER_CHECKIN = 2


def choose_plan(checkins_so_far: int, *, carer: bool = False) -> str:
    """The questions for someone's next check-in, rotating so that over a few check-ins
    every outcome question comes round (weekly: each about once a month)."""
    overall, outcomes = (CARER_OVERALL, CARER_OUTCOMES) if carer else (FFT, OUTCOMES)
    first = (checkins_so_far * OUTCOMES_PER_CHECKIN) % len(outcomes)
    chosen = [outcomes[(first + n) % len(outcomes)] for n in range(OUTCOMES_PER_CHECKIN)]
    free = FREE_TEXT[checkins_so_far % len(FREE_TEXT)]
    return ",".join(q.key for q in (overall, *chosen, free, SOMETHING_ELSE))


def plan(keys: str) -> tuple[Question, ...]:
    """The questions of one check-in, in order (step 1 is the first)."""
    return tuple(question(key) for key in keys.split(","))


def question_at(keys: str, step: int) -> Question | None:
    questions = plan(keys)
    return questions[step - 1] if 1 <= step <= len(questions) else None


def is_last_step(keys: str, step: int) -> bool:
    return step == len(plan(keys))


Rows = tuple[tuple[tuple[str, str], ...], ...]


@dataclass(frozen=True)
class Prompt:
    """What to show for one step: the words and the buttons, as rows of (value, label)."""

    step: int
    wording: str
    buttons: Rows
    question: Question | None  # None on the hello


def _label(value: str) -> str:
    return text(f"choice.{value}")


def hello_prompt(*, name: str, service: str, reminder: bool = False) -> Prompt:
    key = "checkin.reminder" if reminder else "checkin.hello"
    return Prompt(
        step=0,
        wording=text(key, name=name, service=service),
        buttons=(((START, _label(START)),), ((HELPER, _label(HELPER)),),
                 ((NOT_NOW, _label(NOT_NOW)),), ((TALK, _label(TALK)),)),
        question=None,
    )


def helper_prompt() -> Prompt:
    return Prompt(step=0, wording=text("checkin.who_helps"),
                  buttons=tuple(((f"h_{h}", _label(f"helper_{h}")),) for h in HELPERS),
                  question=None)


def prompt(keys: str, step: int, *, name: str, service: str) -> Prompt | None:
    """The prompt for `step`, or None when the check-in is over."""
    if step == 0:
        return hello_prompt(name=name, service=service)
    return question_prompt(keys, step)


def question_prompt(keys: str, step: int) -> Prompt | None:
    """The prompt for question `step` (from 1), or None when the check-in is over. Only
    the hello names the person and the service."""
    q = question_at(keys, step)
    if q is None:
        return None
    if q.kind is Kind.CHOICE:
        faces = tuple(((value, _label(value)),) for value in q.choices[:5])
        extra = tuple((value, _label(value)) for value in (*q.choices[5:], SKIP))
        buttons: Rows = (*faces, extra)
    else:
        buttons = (((NO_THANKS, _label(NO_THANKS)),),)
    return Prompt(step=step, wording=q.wording, buttons=(*buttons, ((TALK, _label(TALK)),)),
                  question=q)


@dataclass(frozen=True)
class Answer:
    """What a reply means for the question it answers. Typed words are always kept."""

    question_key: str
    prompt_kind: str | None
    choice: str | None = None
    text: str | None = None
    skipped: bool = False

    @property
    def shown_as(self) -> str:
        if self.skipped:
            return _label(SKIP)
        if self.choice is not None:
            return _label(self.choice)
        return self.text or ""


def interpret_button(q: Question, value: str) -> Answer | None:
    """A tapped button's value, or None if that value does not belong to this question."""
    if value == SKIP and q.kind is Kind.CHOICE:
        return Answer(q.key, q.prompt_kind, skipped=True)
    if value == NO_THANKS and q.kind is Kind.FREE_TEXT:
        return Answer(q.key, q.prompt_kind, skipped=True)
    if value in q.choices:
        return Answer(q.key, q.prompt_kind, choice=value)
    return None


# What people type at the hello ("It is time for your check-in… [Start] [Not now]").
_TYPED_START = ("yes", "y", "ok", "okay", "start", "go", "go on", "sure", "ready", "yes please",
                "alright", "all right", "fine", "👍")
_TYPED_NOT_NOW = ("not now", "later", "no", "no thanks", "not today", "busy", "not yet")


def read_hello(typed: str) -> str | None:
    """START or NOT_NOW when words typed at the hello clearly mean one; otherwise None:
    the words are something the person wants to say, not an answer to the hello."""
    words = plain(typed)
    if words in _TYPED_START:
        return START
    if words in _TYPED_NOT_NOW:
        return NOT_NOW
    return None


def interpret_typed(q: Question, typed: str) -> Answer:
    """A typed reply. On a button question, plain words, numbers and faces map to a
    choice where they clearly can; anything else is kept as the person's own words."""
    if q.kind is Kind.CHOICE:
        value = read_choice(typed, q.choices)
        if value == SKIP:
            return Answer(q.key, q.prompt_kind, skipped=True, text=typed)
        if value is not None:
            return Answer(q.key, q.prompt_kind, choice=value, text=typed)
    return Answer(q.key, q.prompt_kind, text=typed)
