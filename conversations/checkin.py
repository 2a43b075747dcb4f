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
    FFT_SCALE,
    FREE_TEXT,
    HOW_OFTEN_SCALE,
    OUTCOMES,
    SOMETHING_ELSE,
    Kind,
    Question,
    question,
)
from carebot.conversations.texts import TEXTS, text
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

# Easy read: three answers a question, each a face (the picture the check-in starts with
# draws the same three), and what each means on the question's own scale, so that an
# easy-read answer counts with the rest ("Yes" to "Do you feel safe?" is "always").
EASY_FACES = ("😀", "😐", "😞")
EASY_ANSWERS: dict[tuple[str, ...], tuple[tuple[str, str], ...]] = {
    FFT_SCALE: (("good", "good"), ("neither", "ok"), ("poor", "bad")),
    HOW_OFTEN_SCALE: (("always", "yes"), ("sometimes", "sometimes"), ("never", "no")),
}


def choose_plan(checkins_so_far: int, *, carer: bool = False, easy: bool = False) -> str:
    """The questions for someone's next check-in, rotating so that over a few check-ins
    every outcome question comes round (weekly: each about once a month). In easy read,
    one chance to say more, not two, asked as "tell us more": so it is kept as that, not
    as one of the three Working Together for Change questions it did not ask."""
    overall, outcomes = (CARER_OVERALL, CARER_OUTCOMES) if carer else (FFT, OUTCOMES)
    first = (checkins_so_far * OUTCOMES_PER_CHECKIN) % len(outcomes)
    chosen = [outcomes[(first + n) % len(outcomes)] for n in range(OUTCOMES_PER_CHECKIN)]
    free = FREE_TEXT[checkins_so_far % len(FREE_TEXT)]
    ending = (SOMETHING_ELSE,) if easy else (free, SOMETHING_ELSE)
    return ",".join(q.key for q in (overall, *chosen, *ending))


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


def hello_prompt(*, name: str, service: str, reminder: bool = False,
                 easy: bool = False) -> Prompt:
    key = "checkin.reminder" if reminder else "easy.start" if easy else "checkin.hello"
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


def prompt(keys: str, step: int, *, name: str, service: str,
           easy: bool = False) -> Prompt | None:
    """The prompt for `step`, or None when the check-in is over (`service`: the hello's
    "Home Care East from Sunrise"; the questions name the service alone)."""
    if step == 0:
        return hello_prompt(name=name, service=service, easy=easy)
    return question_prompt(keys, step, service=service, easy=easy)


def question_prompt(keys: str, step: int, *, service: str, easy: bool = False) -> Prompt | None:
    """The prompt for question `step` (from 1), or None when the check-in is over. Only
    the hello names the person; the overall question names the service."""
    q = question_at(keys, step)
    if q is None:
        return None
    if easy:
        return _easy_prompt(q, step, service)
    if q.kind is Kind.CHOICE:
        faces = tuple(((value, _label(value)),) for value in q.choices[:5])
        extra = tuple((value, _label(value)) for value in (*q.choices[5:], SKIP))
        buttons: Rows = (*faces, extra)
    else:
        buttons = (((NO_THANKS, _label(NO_THANKS)),),)
    return Prompt(step=step, wording=q.wording(service),
                  buttons=(*buttons, ((TALK, _label(TALK)),)), question=q)


def _easy_prompt(q: Question, step: int, service: str) -> Prompt:
    """One short sentence and three answers with faces (a question with no easy-read
    words, a carer's, keeps its own words but is answered the same way)."""
    talk = ((TALK, _label(TALK)),)
    if q.kind is Kind.FREE_TEXT:
        return Prompt(step=step, wording=text("easy.question.more"),
                      buttons=(((NO_THANKS, _label(NO_THANKS)),), talk), question=q)
    key = f"easy.question.{q.key}"
    wording = text(key, service=service) if key in TEXTS else q.wording(service)
    answers = tuple(((value, f"{face} {text(f'easy.choice.{word}')}"),)
                    for face, (value, word) in zip(EASY_FACES, EASY_ANSWERS[q.choices],
                                                   strict=True))
    return Prompt(step=step, wording=wording, buttons=(*answers, talk), question=q)


def thanks(*, easy: bool = False) -> str:
    """What ends a check-in."""
    return text("easy.thanks" if easy else "checkin.thanks")


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
