"""A check-in as data, and the small engine that walks a person through it.

No Telegram here: the bot turns a `Prompt` into a message and buttons, and turns a tap or
a typed reply back into an `Answer` with `interpret`. The states are drawn in
docs/checkin-states.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from conversations.texts import text


class Kind(StrEnum):
    CHOICE = "choice"
    FREE_TEXT = "free_text"


SKIP = "skip"
NO_THANKS = "no_thanks"
TALK = "talk"


@dataclass(frozen=True)
class Question:
    key: str
    kind: Kind
    choices: tuple[str, ...] = ()
    prompt_kind: str | None = None  # Working Together for Change: working / not_working / future

    @property
    def wording(self) -> str:
        return text(f"question.{self.key}")


# The NHS Friends and Family Test scale, in its order.
FFT_SCALE = ("very_good", "good", "neither", "poor", "very_poor", "dont_know")
HOW_OFTEN_SCALE = ("always", "mostly", "sometimes", "rarely", "never", "dont_know")

FFT = Question("fft", Kind.CHOICE, FFT_SCALE)

OUTCOMES: tuple[Question, ...] = (
    Question("safe", Kind.CHOICE, HOW_OFTEN_SCALE),
    Question("control", Kind.CHOICE, HOW_OFTEN_SCALE),
    Question("dignity", Kind.CHOICE, HOW_OFTEN_SCALE),
    Question("on_time", Kind.CHOICE, HOW_OFTEN_SCALE),
    Question("food", Kind.CHOICE, HOW_OFTEN_SCALE),
    Question("company", Kind.CHOICE, HOW_OFTEN_SCALE),
    Question("informed", Kind.CHOICE, HOW_OFTEN_SCALE),
)

FREE_TEXT: tuple[Question, ...] = (
    Question("free.working", Kind.FREE_TEXT, prompt_kind="working"),
    Question("free.not_working", Kind.FREE_TEXT, prompt_kind="not_working"),
    Question("free.future", Kind.FREE_TEXT, prompt_kind="future"),
)

_BY_KEY = {q.key: q for q in (FFT, *OUTCOMES, *FREE_TEXT)}


def question(key: str) -> Question:
    return _BY_KEY[key]


def rotation_key(checkins_so_far: int) -> str:
    """Which outcome question (and free-text prompt) this check-in asks.

    Seven outcome questions, one a check-in: weekly check-ins bring each round
    about every seven weeks, and the free-text prompts cycle in threes alongside.
    """
    outcome = OUTCOMES[checkins_so_far % len(OUTCOMES)]
    free = FREE_TEXT[checkins_so_far % len(FREE_TEXT)]
    return f"{outcome.key}+{free.key}"


def plan(rotation: str) -> tuple[Question, ...]:
    """The questions of one check-in, in order."""
    outcome_key, free_key = rotation.split("+", 1)
    return (FFT, question(outcome_key), question(free_key))


@dataclass(frozen=True)
class Prompt:
    """What to show for one step: the words and the buttons, as (value, label) rows."""

    step: int
    question: Question
    intro: str | None
    buttons: tuple[tuple[tuple[str, str], ...], ...]

    @property
    def wording(self) -> str:
        if self.intro:
            return f"{self.intro}\n\n{self.question.wording}"
        return self.question.wording


def prompt(rotation: str, step: int, *, name: str, service: str) -> Prompt | None:
    """The prompt for `step`, or None when the check-in is over."""
    questions = plan(rotation)
    if step >= len(questions):
        return None
    q = questions[step]
    intro = text("checkin.hello", name=name, service=service) if step == 0 else None
    if q.kind is Kind.CHOICE:
        faces = tuple((value, text(f"choice.{value}")) for value in q.choices[:5])
        extra = tuple((value, text(f"choice.{value}")) for value in (*q.choices[5:], SKIP))
        buttons = (*((f,) for f in faces), extra)
    else:
        buttons = ((NO_THANKS, text("choice.no_thanks")),),
    talk = ((TALK, text("choice.talk")),)
    return Prompt(step=step, question=q, intro=intro, buttons=(*buttons, talk))


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
            return text("choice.skip")
        if self.choice is not None:
            return text(f"choice.{self.choice}")
        return self.text or ""


# Typed words that plainly mean a choice. A fuller reader of typed answers comes later.
_TYPED_CHOICES = {
    "very good": "very_good", "excellent": "very_good", "good": "good", "ok": "neither",
    "okay": "neither", "poor": "poor", "bad": "poor", "very poor": "very_poor",
    "very bad": "very_poor", "always": "always", "mostly": "mostly", "sometimes": "sometimes",
    "not often": "rarely", "rarely": "rarely", "never": "never", "don't know": "dont_know",
    "dont know": "dont_know", "skip": SKIP,
}


def interpret_button(q: Question, value: str) -> Answer | None:
    """A tapped button's value, or None if that value does not belong to this question."""
    if value == SKIP and q.kind is Kind.CHOICE:
        return Answer(q.key, q.prompt_kind, skipped=True)
    if value == NO_THANKS and q.kind is Kind.FREE_TEXT:
        return Answer(q.key, q.prompt_kind, skipped=True)
    if value in q.choices:
        return Answer(q.key, q.prompt_kind, choice=value)
    return None


def interpret_typed(q: Question, typed: str) -> Answer:
    """A typed reply. On a button question, plain words map to a choice; anything else
    is kept as the person's own words."""
    if q.kind is Kind.CHOICE:
        plain = re.sub(r"[^\w' ]+", "", typed.lower()).strip()
        value = _TYPED_CHOICES.get(plain)
        if value == SKIP:
            return Answer(q.key, q.prompt_kind, skipped=True)
        if value in q.choices:
            return Answer(q.key, q.prompt_kind, choice=value, text=typed)
    return Answer(q.key, q.prompt_kind, text=typed)
