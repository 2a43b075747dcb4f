"""The question bank and the reading of typed answers."""

from __future__ import annotations

import pytest

from carebot.conversations.checkin import choose_plan, plan, prompt
from carebot.conversations.questions import (
    CARER_OUTCOMES,
    FFT_SCALE,
    HOW_OFTEN_SCALE,
    OUTCOMES,
    Question,
)
from carebot.conversations.texts import text
from carebot.conversations.typed_answers import SKIP, read_choice


def test_fft_is_the_nhs_wording_with_its_six_answers() -> None:
    # NHS England lets a provider put its own name for "our service"; carebot is the
    # council asking about a provider's service, so it names the service.
    assert text("question.fft", service="Home Care East") == (
        "Overall, how was your experience of Home Care East?")
    assert [text(f"choice.{v}") for v in FFT_SCALE] == [
        "😀 Very good", "🙂 Good", "😐 Neither good nor poor", "🙁 Poor", "😞 Very poor",
        "Don't know"]


@pytest.mark.parametrize(("carer", "bank"), [(False, OUTCOMES), (True, CARER_OUTCOMES)])
def test_every_outcome_question_comes_round_within_five_weekly_check_ins(
        carer: bool, bank: tuple[Question, ...]) -> None:
    asked: set[str] = set()
    for n in range(5):
        keys = choose_plan(n, carer=carer).split(",")
        assert len(keys) == 5  # overall, two outcomes, one free text, anything else
        asked.update(keys[1:3])
    assert asked == {q.key for q in bank}


def test_free_text_prompts_rotate_through_working_together_for_change() -> None:
    kinds = [plan(choose_plan(n))[3].prompt_kind for n in range(3)]
    assert kinds == ["working", "not_working", "future"]
    assert plan(choose_plan(0))[4].key == "free.more"


def test_every_question_has_faces_dont_know_skip_and_talk() -> None:
    keys = choose_plan(0)
    for step in (1, 2, 3):
        shown = prompt(keys, step, name="Sam", service="Home Care")
        assert shown is not None
        values = [value for row in shown.buttons for value, _ in row]
        assert values[-3:] == ["dont_know", "skip", "talk"] and len(values) == 8
    free = prompt(keys, 4, name="Sam", service="Home Care")
    assert free is not None
    assert [v for row in free.buttons for v, _ in row] == ["no_thanks", "talk"]
    assert prompt(keys, 6, name="Sam", service="Home Care") is None


@pytest.mark.parametrize(("typed", "scale", "meant"), [
    ("good", FFT_SCALE, "good"), ("Good!", FFT_SCALE, "good"), ("VERY GOOD", FFT_SCALE,
                                                                  "very_good"),
    ("5", FFT_SCALE, "very_good"), ("1", FFT_SCALE, "very_poor"), ("3", FFT_SCALE, "neither"),
    ("not great", FFT_SCALE, "poor"), ("not bad", FFT_SCALE, "good"),
    ("terrible", FFT_SCALE, "very_poor"), ("ok", FFT_SCALE, "neither"),
    ("👍", FFT_SCALE, "good"), ("😀", FFT_SCALE, "very_good"), ("😞", FFT_SCALE, "very_poor"),
    ("don’t know", FFT_SCALE, "dont_know"), ("not sure", HOW_OFTEN_SCALE, "dont_know"),
    ("skip", FFT_SCALE, SKIP), ("yes", HOW_OFTEN_SCALE, "always"),
    ("no", HOW_OFTEN_SCALE, "never"), ("most of the time", HOW_OFTEN_SCALE, "mostly"),
    ("hardly ever", HOW_OFTEN_SCALE, "rarely"), ("2", HOW_OFTEN_SCALE, "rarely"),
])
def test_typed_answers_that_clearly_mean_a_choice(typed: str, scale: tuple[str, ...],
                                                  meant: str) -> None:
    assert read_choice(typed, scale) == meant


@pytest.mark.parametrize("typed", ["yes", "6", "0", "my carer is Jan", "good and bad",
                                   "🐈", "late again", ""])
def test_anything_unclear_is_not_guessed(typed: str) -> None:
    assert read_choice(typed, FFT_SCALE) is None
