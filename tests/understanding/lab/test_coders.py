"""Scoring against two coders: risk recall on what both flag, false alarms on what both
call none, sentiment where both agree, themes against each coder; a fixed split."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebot.understanding.lab.coders import (
    coders_agreement,
    format_coded,
    halves,
    in_tuning_half,
    load_coded,
    report,
)
from carebot.understanding.tagger import Tags, ThemeTag

HEADER = ("id\tsource\ttext\ta_sentiment\ta_themes\ta_risk\ta_risk_category\t"
          "b_sentiment\tb_themes\tb_risk\tb_risk_category")
ROWS = [
    "d1\tworking\tlovely staff\tpositive\tstaff_attitude\tnone\t\tpositive\tstaff_attitude\tnone\t",
    "d2\tnot_working\the hit me\tnegative\tsafety\turgent\tphysical\tnegative\tsafety\tconcern\t"
    "physical",
    "d3\tfuture\tmore trips\tneutral\tsocial_activities\tnone\t\tnegative\tsocial_activities\t"
    "concern\tother",
    "d4\tworking\tfood is cold\tnegative\tfood_drink\tnone\t\tnegative\tfood_drink;dignity\t"
    "none\t",
]


@pytest.fixture
def coded_file(tmp_path: Path) -> Path:
    path = tmp_path / "coded.tsv"
    path.write_text("\n".join([HEADER, *ROWS]) + "\n", encoding="utf-8")
    return path


def test_both_coders_codes_are_read(coded_file: Path) -> None:
    rows = load_coded(coded_file)
    assert [r.id for r in rows] == ["d1", "d2", "d3", "d4"]
    assert rows[1].both_risk and rows[0].both_none and not rows[2].both_none
    assert rows[2].agreed_sentiment is None and rows[0].agreed_sentiment == "positive"
    assert rows[3].themes[1] == {"food_drink", "dignity"}


def test_an_unknown_theme_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(HEADER + "\nx\tw\tt\tpositive\tnot_a_theme\tnone\t\tpositive\t\tnone\t\n",
                    encoding="utf-8")
    with pytest.raises(ValueError, match="unknown theme"):
        load_coded(path)


def test_scores_follow_the_issue(coded_file: Path) -> None:
    rows = load_coded(coded_file)
    tags = {"d1": Tags("positive", 0.5, (ThemeTag("staff_attitude", ("lovely",)),), "urgent"),
            "d2": Tags("negative", -0.5, (), "none"),
            "d3": Tags("neutral", 0.0, (), "none"),
            "d4": Tags("negative", -0.5, (ThemeTag("food_drink", ("food",)),), "none")}
    found = report("test", [(r, tags[r.id]) for r in rows])
    assert found.risk_recall == 0.0 and found.both_risk == 1      # d2 missed
    assert found.false_alarms == 0.5 and found.both_none == 2     # d1 flagged
    assert found.sentiment_accuracy == 1.0 and found.sentiment_agreed == 3
    assert found.themes["food_drink"].f1 == 1.0
    assert found.themes["dignity"].recall == 0.0
    ceiling = coders_agreement(rows)
    assert ceiling.sentiment_accuracy == 0.75 and ceiling.risk_recall == 0.5
    assert "(coders 0.750)" in format_coded(found, ceiling)


def test_the_halves_are_fixed_and_apart(coded_file: Path) -> None:
    rows = load_coded(coded_file)
    tuning, untouched = halves(rows)
    assert {r.id for r in tuning} == {r.id for r in rows if in_tuning_half(r)}
    assert not {r.id for r in tuning} & {r.id for r in untouched}
    assert len(tuning) + len(untouched) == len(rows)
