"""The measuring stick: a fixed split, and scores computed as the textbook says."""

from __future__ import annotations

import pytest

from carebot.understanding.lab.evaluation import (
    Labelled,
    _class_scores,
    _scores,
    evaluate,
    format_report,
    is_untouched,
    load_team_set,
    split,
)
from carebot.understanding.lab.training import _best_margin, _best_threshold
from tests.helpers import REPO

TEAM_SET = REPO / "bench" / "data" / "social-care-comments.csv"


def test_split_is_fixed_and_about_thirty_percent() -> None:
    rows = [Labelled(str(n), "x", None, frozenset()) for n in range(5000)]
    tuning, untouched = split(rows)
    assert 0.27 < len(untouched) / len(rows) < 0.33
    assert [r.id for r in untouched] == [r.id for r in rows if is_untouched(r)]
    assert not {r.id for r in tuning} & {r.id for r in untouched}


def test_scores_are_the_usual_ones() -> None:
    s = _scores(tp=6, fp=2, fn=4)
    assert (s.precision, s.recall, s.support) == (0.75, 0.6, 10)
    assert s.f1 == pytest.approx(2 * 0.75 * 0.6 / 1.35)
    pairs = [("a", "a"), ("a", "b"), ("b", "a"), ("b", "b"), (None, "a")]
    assert _class_scores(pairs, "a") == _scores(tp=1, fp=2, fn=1)


def test_thresholds_and_margins_are_chosen_on_held_out_scores() -> None:
    scores = [3.0, 2.0, 1.0, 0.0, -1.0]
    truth = [True, True, False, False, False]
    threshold = _best_threshold(scores, truth)
    assert 1.0 < threshold <= 2.0
    cued = [False, False, False, False, True]
    assert _best_margin(scores, threshold, cued, truth) == 0.0  # the cue would only add noise
    truth_with_cue = [True, True, False, False, True]
    assert _best_margin(scores, threshold, cued, truth_with_cue) == 4.0


def test_team_set_is_labelled_with_known_values() -> None:
    rows = load_team_set(TEAM_SET)
    assert len(rows) >= 60
    report = evaluate(rows, "team")
    assert report.risk["urgent"].support >= 4
    text = format_report(report)
    assert "sentiment: accuracy" in text and "themes: macro-F1" in text
