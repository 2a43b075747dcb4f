"""Text made plain before cues are matched: apostrophes, text-speak, held letters, case,
word families, and clauses."""

from __future__ import annotations

import pytest

from carebot.understanding.cues import CueIndex
from carebot.understanding.normalise import family, make_plain, plain_words


@pytest.mark.parametrize(("typed", "plain"), [
    ("I don't feel safe", "i dont feel safe"),
    ("I don’t feel safe", "i dont feel safe"),
    ("i dont feel safe", "i dont feel safe"),
    ("I DONT FEEL SAFE!!!", "i dont feel safe"),
    ("u wont believe it", "you wont believe it"),
    ("pls help me 2nite", "please help me tonight"),
    ("sooo scared", "so scared"),
    ("helllp", "help"),
    ("carer shouted @ me & left", "carer shouted at me and left"),
    ("no1 came cos hes off sick", "no one came because he is off sick"),
])
def test_text_is_made_plain(typed: str, plain: str) -> None:
    assert " ".join(plain_words(typed)) == plain


def test_word_families_hold_inflections_and_past_forms() -> None:
    assert family("shouting") == family("shouted") == family("shouts") == family("shout")
    assert family("took") == family("taken") == family("take")
    assert family("fell") == family("fallen") == family("fall")
    assert family("off") != family("of") and family("wee") != family("we")


def test_clauses_end_at_full_stops_and_but() -> None:
    plain = make_plain("She fell. Fine now but scared")
    clause = dict(zip(plain.words, plain.clauses, strict=True))
    assert clause["fell"] < clause["fine"] < clause["scared"]


@pytest.mark.parametrize(("cue", "text", "found"), [
    ("shout at", "the carer was shouting at him", "shouting at"),
    ("took .. card", "they took his bank card", "took his bank card"),
    ("pension ~ keeps", "his son keeps his pension", "keeps his pension"),
    ("(go on|wake up)", "i dont want to wake up", "wake up"),
    ("=fit", "had a fit", "fit"),
])
def test_cues_match_families_gaps_and_choices(cue: str, text: str, found: str) -> None:
    (match,) = CueIndex([("x", cue)], ["not"]).find(make_plain(text))
    assert match.phrase == found


@pytest.mark.parametrize(("cue", "text"), [
    ("=fit", "the frame was fitted"),
    ("son .. hurt", "my son wasnt hurt"),          # a gap never holds a "not"
    ("fell .. floor", "she fell. the floor was wet"),  # nor crosses a clause
])
def test_cues_do_not_reach_too_far(cue: str, text: str) -> None:
    assert not CueIndex([("x", cue)], ["not", "wasnt"]).find(make_plain(text))
