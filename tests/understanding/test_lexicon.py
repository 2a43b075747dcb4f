"""VADER's word ratings, read as data from the wheel, with VADER's main rules."""

from __future__ import annotations

from carebot.understanding.lexicon import lexicon, warmth
from carebot.understanding.normalise import plain_words


def _compound(text: str) -> float:
    return warmth(plain_words(text), text).compound


def test_the_lexicon_ships_in_the_wheel() -> None:
    rated = lexicon()
    assert len(rated) > 7000 and rated["superb"] > 2 and rated["rude"] < 0


def test_plain_praise_is_warm_and_negation_turns_it() -> None:
    assert _compound("staff were superb") > 0.5
    assert _compound("very good") > _compound("good") > 0
    assert _compound("not very good") < 0
    assert _compound("lovely staff but always rude") < 0    # what follows "but" counts more
    assert _compound("👍") > 0 and _compound("😡") < 0
    assert _compound("the visit was at ten") == 0
