"""The risk assessment's rules, each at its edge, on matches set out by hand (the cues
that find them are tested in test_tagger.py): a negated cue, one inside a phrase that
means something else, a concern said to be over (in its clause or a later one) and an
urgent cue denied by the word just before it; then the level, the reasons and the words
shown. Each case pins one thing a slip in the rule would change (`make mutation`)."""

from __future__ import annotations

import pytest

from carebot.understanding import safeguarding
from carebot.understanding.cues import Match
from carebot.understanding.normalise import Plain
from carebot.understanding.safeguarding import (
    NOT_RISK,
    RESOLVED,
    URGENT,
    Risk,
    assess,
    is_risk_cue,
    risk_cues,
)


def _plain(text: str, clauses: tuple[int, ...] | None = None) -> Plain:
    """The words of `text`, one clause unless said otherwise (a clause number a word)."""
    words = tuple(text.split())
    return Plain(words, words, clauses if clauses is not None else (0,) * len(words))


def _m(owner: str, start: int, end: int, *, negated: bool = False) -> Match:
    return Match(owner, "", start, end, negated)


def test_no_risk_cue_is_no_risk() -> None:
    plain = _plain("right now please")
    assert assess(plain, []) == Risk("none", (), ())
    assert assess(plain, [_m(URGENT, 0, 2)]) == Risk("none", (), ())


def test_a_concern_found_is_a_concern_with_its_reason_and_words() -> None:
    plain = _plain("the carer hit me")
    assert assess(plain, [_m("risk:physical", 2, 4)]) == Risk("concern", ("physical",),
                                                               ("hit me",))


def test_a_negated_cue_does_not_count() -> None:
    plain = _plain("she never hit me")
    assert assess(plain, [_m("risk:physical", 2, 4, negated=True)]).level == "none"


def test_a_cue_inside_a_phrase_that_means_something_else_does_not_count() -> None:
    plain = _plain("i fell asleep again")
    fell = _m("risk:fall", 1, 2)
    assert assess(plain, [fell, _m(NOT_RISK, 1, 3)]).level == "none"
    assert assess(plain, [fell, _m(NOT_RISK, 0, 2)]).level == "none"


def test_a_phrase_beside_a_cue_but_not_over_it_leaves_it() -> None:
    plain = _plain("i fell asleep and fell down")
    fell = _m("risk:fall", 4, 6)
    assert assess(plain, [fell, _m(NOT_RISK, 1, 3)]).level == "concern"  # before it
    assert assess(plain, [_m("risk:fall", 0, 1), _m(NOT_RISK, 1, 3)]).level == "concern"
    assert assess(plain, [_m("risk:fall", 3, 4), _m(NOT_RISK, 1, 3)]).level == "concern"


def test_a_concern_said_to_be_over_in_its_own_clause_or_later_is_left_out() -> None:
    plain = _plain("had a fall last year fine now", (0, 0, 0, 0, 0, 1, 1))
    fall = _m("risk:fall", 2, 3)
    assert assess(plain, [fall, _m(RESOLVED, 3, 5)]).level == "none"   # same clause
    assert assess(plain, [fall, _m(RESOLVED, 5, 7)]).level == "none"   # a later one


def test_a_concern_after_the_words_that_say_it_was_over_still_counts() -> None:
    plain = _plain("sorted now but then a fall", (0, 0, 1, 1, 1, 1))
    assert assess(plain, [_m(RESOLVED, 0, 2), _m("risk:fall", 5, 6)]).level == "concern"


def test_a_concern_in_the_first_clause_with_nothing_said_to_be_over_counts() -> None:
    assert assess(_plain("a fall"), [_m("risk:fall", 1, 2)]).level == "concern"


def test_over_said_with_a_negator_is_not_over() -> None:
    plain = _plain("had a fall not sorted")
    found = assess(plain, [_m("risk:fall", 2, 3), _m(RESOLVED, 4, 5, negated=True)])
    assert found.level == "concern"


def test_an_urgent_category_or_an_urgent_cue_counts_even_when_said_to_be_over() -> None:
    plain = _plain("wanted to end it all last year", (0,) * 7)
    over = _m(RESOLVED, 5, 7)
    assert assess(plain, [_m("risk:self_harm", 1, 5), over]).level == "urgent"
    plain = _plain("a fall last year right now")
    found = assess(plain, [_m("risk:fall", 1, 2), _m(RESOLVED, 2, 4), _m(URGENT, 4, 6)])
    assert found == Risk("urgent", ("fall",), ("fall", "right now"))


def test_an_urgent_cue_makes_a_concern_urgent_unless_the_word_before_denies_it() -> None:
    fall = _m("risk:fall", 0, 1)
    assert assess(_plain("fell right now"), [fall, _m(URGENT, 1, 3)]).level == "urgent"
    assert assess(_plain("fell not right now"), [fall, _m(URGENT, 2, 4)]).level == "concern"
    # "not" after it, or an urgent cue at the very start, does not deny it
    assert assess(_plain("fell right not"), [fall, _m(URGENT, 1, 2)]).level == "urgent"
    plain = _plain("collapsed and fell")
    assert assess(plain, [_m(URGENT, 0, 1), _m("risk:fall", 2, 3)]).level == "urgent"


def test_the_level_is_the_most_worrying_category_and_reasons_come_once_in_order() -> None:
    plain = _plain("hit me then hit me and touched her")
    found = assess(plain, [_m("risk:physical", 0, 2), _m("risk:physical", 3, 5),
                           _m("risk:sexual", 6, 8)])
    assert found == Risk("urgent", ("physical", "sexual"), ("hit me", "touched her"))
    assert assess(_plain("hit"), [_m("risk:physical", 0, 1)]).level == "concern"


def test_the_words_shown_join_overlapping_matches_and_keep_apart_ones_that_touch() -> None:
    plain = _plain("carer did not turn up today")
    matches = [_m("risk:neglect", 2, 5), _m("risk:neglect", 0, 4)]
    assert assess(plain, matches).words == ("carer did not turn up",)
    plain = _plain("no food no help")
    matches = [_m("risk:neglect", 2, 4), _m("risk:neglect", 0, 2), _m("risk:neglect", 0, 1)]
    assert assess(plain, matches).words == ("no food", "no help")
    plain = _plain("no food then no help at all")
    matches = [_m("risk:neglect", 0, 2), _m("risk:neglect", 3, 5), _m("risk:neglect", 4, 7)]
    assert assess(plain, matches).words == ("no food", "no help at all")
    plain = _plain("no food and left on her own all day")
    matches = [_m("risk:neglect", 0, 2), _m("risk:neglect", 3, 8), _m("risk:neglect", 4, 6)]
    assert assess(plain, matches).words == ("no food", "left on her own all")
    plain = _plain("left alone all day")
    assert assess(plain, [_m("risk:neglect", 0, 4), _m("risk:neglect", 1, 2)]).words == (
        "left alone all day",)


def test_every_kind_of_cue_is_indexed_and_known_as_a_risk_cue() -> None:
    owners = {owner for owner, _ in risk_cues()}
    assert {URGENT, RESOLVED, NOT_RISK, "risk:fall", "risk:self_harm"} <= owners
    assert all(is_risk_cue(owner) for owner in owners)
    assert not is_risk_cue("theme:punctuality") and not is_risk_cue("neg")
    assert not any("{" in cue for _, cue in risk_cues())  # every {name} spelt out


def test_a_category_must_be_a_concern_or_urgent(monkeypatch: pytest.MonkeyPatch) -> None:
    def data(level: str) -> dict[str, object]:
        return {"words": {"x": "a|b"}, "risk": [
            {"id": "odd", "level": level, "description": "", "cues": ["{x} c"]}]}

    categories = safeguarding.categories.__wrapped__
    monkeypatch.setattr(safeguarding, "_data", lambda: data("concern"))
    assert [(c.id, c.level, c.cues) for c in categories()] == [("odd", "concern", ("a|b c",))]
    monkeypatch.setattr(safeguarding, "_data", lambda: data("urgent"))
    assert categories()[0].level == "urgent"
    monkeypatch.setattr(safeguarding, "_data", lambda: data("none"))
    with pytest.raises(ValueError, match="concern or urgent"):
        categories()
