"""The suppression rule on its own, at and around the threshold: a count of fewer than the
threshold but not none is hidden; what a group whose size is hidden said is hidden with
it; a lone hidden count hides the next smallest one that is not none; a share needs
enough people and a whole. Each table pins a boundary that a slip (`<` for `<=`, a lost
"not none") would move."""

from __future__ import annotations

from itertools import product

import pytest

from carebot.care.suppression import enough_people, hidden, share_percent, suppressed_counts


@pytest.mark.parametrize(("count", "threshold", "is_hidden"), [
    (0, 3, False),   # none: points at nobody
    (1, 3, True),
    (2, 3, True),    # threshold - 1
    (3, 3, False),   # the threshold itself is shown
    (4, 3, False),   # threshold + 1
    (0, 5, False), (1, 5, True), (4, 5, True), (5, 5, False), (6, 5, False),
    (0, 1, False), (1, 1, False), (2, 1, False),  # a threshold of 1 hides nothing
    (100, 3, False),
])
def test_a_count_is_hidden_only_between_none_and_the_threshold(count: int, threshold: int,
                                                               is_hidden: bool) -> None:
    assert hidden(count, threshold) is is_hidden


@pytest.mark.parametrize(("people", "threshold", "enough"), [
    (0, 3, False),   # nobody: nothing to show
    (1, 3, False),
    (2, 3, False),   # threshold - 1
    (3, 3, True),    # the threshold itself
    (4, 3, True),    # threshold + 1
    (0, 1, False), (1, 1, True),
    (4, 5, False), (5, 5, True),
])
def test_what_a_group_said_is_shown_only_if_there_are_enough_of_them(
        people: int, threshold: int, enough: bool) -> None:
    assert enough_people(people, threshold) is enough


def test_both_predicates_agree_with_the_rule_in_words_over_a_range() -> None:
    for count, threshold in product(range(12), range(1, 8)):
        assert hidden(count, threshold) == (count != 0 and count < threshold)
        assert enough_people(count, threshold) == (count >= threshold)


@pytest.mark.parametrize(("counts", "shown"), [
    ({}, {}),
    ({"a": 3, "b": 0, "c": 7}, {"a": 3, "b": 0, "c": 7}),            # nothing hidden
    ({"a": 2}, {"a": None}),                                          # alone: no total
    ({"a": 2, "b": 0}, {"a": None, "b": 0}),                          # a none is never hidden
    ({"a": 9, "b": 1, "c": 4, "d": 0}, {"a": 9, "b": None, "c": None, "d": 0}),
    ({"a": 9, "b": 1, "c": 3}, {"a": 9, "b": None, "c": None}),       # at the threshold
    ({"a": 8, "z": 5, "m": 2}, {"a": 8, "z": None, "m": None}),       # by count, not name
    ({"b": 4, "a": 4, "c": 1}, {"b": 4, "a": None, "c": None}),       # a tie: by name
    ({"a": 1, "b": 2, "c": 5}, {"a": None, "b": None, "c": 5}),       # two keep each other
    ({"a": 1, "b": 1, "c": 1}, {"a": None, "b": None, "c": None}),
])
def test_a_lone_hidden_count_hides_the_next_smallest(counts: dict[str, int],
                                                     shown: dict[str, int | None]) -> None:
    assert suppressed_counts(counts, 3) == shown


def test_no_hidden_count_can_be_worked_out_from_the_rest() -> None:
    """Over every set of three counts up to 6: a hidden count is never the only one
    hidden beside a count that is not none, and every count shown is one `hidden`
    allows."""
    for values in product(range(7), repeat=3):
        counts = dict(zip("abc", values, strict=True))
        shown = suppressed_counts(counts, 3)
        gone = [key for key, value in shown.items() if value is None]
        assert not any(hidden(value, 3) for value in shown.values() if value is not None)
        if len(gone) == 1:
            assert all(counts[key] == 0 for key in counts if key not in gone), counts
        assert all(shown[key] in (None, counts[key]) for key in counts)


def test_the_counts_given_are_not_changed() -> None:
    counts = {"a": 1, "b": 5}
    suppressed_counts(counts, 3)
    assert counts == {"a": 1, "b": 5}


@pytest.mark.parametrize(("part", "whole", "people", "share"), [
    (1, 3, 2, None),   # threshold - 1 people
    (1, 3, 3, 33),     # the threshold
    (2, 3, 4, 67),     # threshold + 1
    (0, 5, 9, 0),      # none of them: shown as 0
    (3, 3, 3, 100),
    (1, 8, 3, 13),     # rounded, a half up (as 7 of 8 is 88)
    (1, 0, 9, None),   # no whole
    (0, 0, 0, None),   # nobody
    (0, 4, 0, None),
])
def test_a_share_needs_enough_people_and_a_whole(part: int, whole: int, people: int,
                                                 share: int | None) -> None:
    assert share_percent(part, whole, people, 3) == share
