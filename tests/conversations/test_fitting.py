"""Text made to fit Telegram: split into parts that each fit, at the best break, losing
nothing; shortened saying so; measured as Telegram measures (UTF-16)."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from carebot.conversations import fitting


def _label(part: int, parts: int) -> str:
    return f"Part {part} of {parts}."


def test_length_is_counted_as_telegram_counts_it() -> None:
    assert fitting.length("Good") == 4
    assert fitting.length("😀 Good") == 7  # an emoji is two
    assert fitting.fits("😀" * 2048) and not fitting.fits("😀" * 2049)


def test_a_text_that_fits_is_one_part_as_it_is() -> None:
    assert fitting.split("Hello.\n\nThanks.") == ["Hello.\n\nThanks."]
    assert fitting.split_labelled("Hello.", _label) == ["Hello."]


def test_parts_break_at_lines_then_sentences_then_words() -> None:
    lines = "\n".join(f"CB-{n}: a problem about Home Care East" for n in range(1000, 1200))
    parts = fitting.split(lines)
    assert len(parts) == 2 and all(fitting.fits(part) for part in parts)
    assert all(part.startswith("CB-") and part.endswith("Home Care East") for part in parts)
    prose = "We rang the family. " * 400
    assert all(part.endswith(".") for part in fitting.split(prose.strip()))
    words = "word " * 2000
    assert all(part.endswith("word") for part in fitting.split(words.strip()))


def test_labelled_parts_fit_with_their_label() -> None:
    parts = fitting.split_labelled("x " * 5000, _label)
    assert [part.rsplit("\n\n", 1)[1] for part in parts] == [
        "Part 1 of 3.", "Part 2 of 3.", "Part 3 of 3."]
    assert all(fitting.fits(part) for part in parts)


@given(st.text(alphabet=st.sampled_from("ab .\n😀é"), min_size=0, max_size=12000),
       st.integers(min_value=20, max_value=4096))
def test_splitting_loses_nothing_but_the_breaks(words: str, limit: int) -> None:
    parts = fitting.split(words, limit)
    assert all(fitting.fits(part, limit) for part in parts)
    assert re.sub(r"\s", "", "".join(parts)) == re.sub(r"\s", "", words)


def test_shortened_says_so_and_fits() -> None:
    note = "We met the family and agreed a new rota. " * 120
    short = fitting.shorten(note, 1000, " … (shortened)")
    assert fitting.length(short) <= 1000 and short.endswith(" … (shortened)")
    assert note.startswith(short.removesuffix(" … (shortened)"))
    assert fitting.shorten("Short.", 1000, "…") == "Short."
