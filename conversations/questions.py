"""The question bank, as data: what carebot asks people who draw on care, and carers.

The overall question is the NHS Friends and Family Test, word for word, with its six
answers. The outcome questions follow what matters in care (after ASCOT): feeling safe,
control over daily life, dignity, carers on time, food and drink, company and things to
do, being kept informed. The free-text questions follow Working Together for Change:
what is working, what is not working, what matters for the future. Their words are in
conversations/texts.py under "question.<key>".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from carebot.conversations.texts import text


class Kind(StrEnum):
    CHOICE = "choice"
    FREE_TEXT = "free_text"


@dataclass(frozen=True)
class Question:
    key: str
    kind: Kind
    choices: tuple[str, ...] = ()
    prompt_kind: str | None = None  # Working Together for Change: working / not_working / future
    # Answers that are a worry in themselves (not feeling safe with the people who support
    # you; never treated with respect): the person is asked at once whether they want
    # someone to get in touch, and the answer goes on the read list, marked.
    worrying: frozenset[str] = frozenset()

    def wording(self, service: str) -> str:
        """The question as asked of someone who draws on `service` (the Friends and Family
        Test names it, as NHS England lets a provider put its own name for "our
        service")."""
        return text(f"question.{self.key}", service=service)


# Best first, as the Friends and Family Test lists them; "Don't know" last.
FFT_SCALE = ("very_good", "good", "neither", "poor", "very_poor", "dont_know")
HOW_OFTEN_SCALE = ("always", "mostly", "sometimes", "rarely", "never", "dont_know")

FFT = Question("fft", Kind.CHOICE, FFT_SCALE)

# Which answers to which outcome questions are worrying (see Question.worrying).
_WORRYING = {"safe": frozenset({"rarely", "never"}), "dignity": frozenset({"never"})}
OUTCOMES: tuple[Question, ...] = tuple(
    Question(key, Kind.CHOICE, HOW_OFTEN_SCALE, worrying=_WORRYING.get(key, frozenset()))
    for key in ("safe", "control", "dignity", "arrive", "stay", "food", "talk_to",
                "activities", "informed")
)
# Questions no longer asked, each of which asked two things at once (issue 32): their
# answers stay on record, under their own key, and are shown with their own words.
RETIRED: tuple[Question, ...] = tuple(
    Question(key, Kind.CHOICE, HOW_OFTEN_SCALE) for key in ("on_time", "company"))

CARER_OVERALL = Question("carer_overall", Kind.CHOICE, FFT_SCALE)
CARER_OUTCOMES: tuple[Question, ...] = tuple(
    Question(key, Kind.CHOICE, HOW_OFTEN_SCALE)
    for key in ("carer_support", "carer_time", "carer_informed", "carer_listened",
                "carer_health")
)

FREE_TEXT: tuple[Question, ...] = (
    Question("free.working", Kind.FREE_TEXT, prompt_kind="working"),
    Question("free.not_working", Kind.FREE_TEXT, prompt_kind="not_working"),
    Question("free.future", Kind.FREE_TEXT, prompt_kind="future"),
)
SOMETHING_ELSE = Question("free.more", Kind.FREE_TEXT, prompt_kind="anything_else")

ALL_QUESTIONS: tuple[Question, ...] = (
    FFT, *OUTCOMES, CARER_OVERALL, *CARER_OUTCOMES, *FREE_TEXT, SOMETHING_ELSE, *RETIRED,
)
_BY_KEY = {q.key: q for q in ALL_QUESTIONS}


def worrying(question_key: str, choice: str | None) -> bool:
    """Whether this button answer to this question is a worry in itself."""
    return choice is not None and choice in _BY_KEY[question_key].worrying


def question(key: str) -> Question:
    return _BY_KEY[key]
