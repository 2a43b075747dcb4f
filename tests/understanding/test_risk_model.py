"""The learned risk model beside the rules (issue 29): the shipped file loads and reads
worries said in words no cue foresaw, leaves ordinary feedback alone, says why in plain
words, and tagging never needs scikit-learn. `--fast` is the rules alone."""

from __future__ import annotations

import subprocess
import sys

import pytest

from carebot.understanding import risk_model
from carebot.understanding.normalise import make_plain
from carebot.understanding.risk_model import RiskModel, features, gram_features
from carebot.understanding.safeguarding import Risk
from carebot.understanding.tagger import Tagger, Tags, default_tagger

# Worries from the codebook's categories, said indirectly: today's rules find nothing in
# them (checked below), so only a working model ranks them above ordinary feedback.
INDIRECT = [
    "no carer has been since friday and dad cant get to the kitchen on his own",
    "Since the new man started, Dad will not come out of his room",
    "The carer keeps his bank book and we never see where the money goes",
    "i havent seen anyone for days and the milk has run out",
]
# A coded message the model learnt from, which the rules miss: the model alone flags it.
FLAGGED = "please dont send Gary again. i dont want him in my house. i cant say why on here"
ORDINARY = [
    "Lovely staff, always on time and kind",
    "The carers are brilliant, thank you",
    "Parking at the hospital is terrible",
    "Waited 2 hours for my appointment, staff were rushed",
    "I like the lunch at the centre",
    "She had a fall last year but all sorted now, the sensor mat works well",
    "this rota is killing me lol",
    "The nurse explained everything clearly and the ward was clean",
]


@pytest.fixture(scope="module")
def rules_only() -> Tagger:
    return Tagger(fast=True)


def test_the_shipped_model_loads_with_weights_thresholds_and_categories() -> None:
    model = risk_model.load()
    assert len(model.weights) > 500
    assert 0.0 < model.threshold < 1.0 and 0.0 <= model.rule_threshold <= 1.0
    assert {"neglect", "financial", "physical", "self_harm"} <= set(model.categories)
    assert len(model.category_bias) == len(model.categories)
    assert model.reads_meaning  # the sentence encoder's features beside the words
    # In the words-alone model that says why, the words a worry is said in weigh towards
    # risk; plain praise does not.

    def pull(*words: str) -> float:
        return sum(model.evidence_weights.get(k, 0.0) * v
                   for k, v in gram_features(words).items())

    assert pull("nobody", "came") > 0 > pull("lovely", "staff")


@pytest.mark.parametrize("text", INDIRECT)
def test_indirect_worries_the_rules_miss_rank_high(text: str, rules_only: Tagger) -> None:
    """On a read list, above all ordinary feedback, by ten times its score at least."""
    assert rules_only.tag(text).risk == "none"
    tagger = default_tagger()
    ordinary = max(tagger.tag(calm).risk_score for calm in ORDINARY)
    assert tagger.tag(text).risk_score >= 10 * ordinary


def test_the_model_alone_raises_a_concern_and_says_why(rules_only: Tagger) -> None:
    assert rules_only.tag(FLAGGED).risk == "none"
    found = default_tagger().tag(FLAGGED)
    assert found.risk == "concern" and found.risk_score >= 0.5
    assert found.risk_reasons and found.evidence["risk"]


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_feedback_is_not_flagged(text: str) -> None:
    found = default_tagger().tag(text)
    assert found.risk == "none" and found.why == ""
    assert found.risk_score < 0.2


def test_urgent_rule_findings_alert_whatever_the_model_says() -> None:
    found = default_tagger().tag("I want to kill myself")
    assert found.risk == "urgent" and "self_harm" in found.risk_reasons
    assert found.risk_score >= 0.9


def test_a_read_list_ranks_by_level_then_score() -> None:
    tagger = default_tagger()
    calm = tagger.tag("The carers are brilliant, thank you")
    worry = tagger.tag(INDIRECT[0])
    assert calm.risk_score < worry.risk_score <= 1.0


def test_why_reads_as_words() -> None:
    found = default_tagger().tag(FLAGGED)
    category, _, words = found.why.partition(": ")
    assert category and "_" not in found.why and words
    plain = " ".join(make_plain(FLAGGED).words)
    for phrase in found.evidence["risk"]:  # runs of the message's own words
        assert phrase in plain and len(phrase.split()) >= 1
    both = Tags("negative", -0.5, (), "concern", ("neglect", "self_neglect"),
                {"risk": ("left on the floor", "no one came")})
    assert both.why == "neglect, self neglect: left on the floor; no one came"
    assert Tags("negative", -0.5, (), "concern", ("fall",)).why == "fall"
    assert Tags("positive", 0.5, (), "none").why == ""
    assert Tags("positive", 0.5, (), "none").risk_score == 0.0


def test_fast_is_the_rules_alone() -> None:
    fast = Tagger(fast=True)
    assert fast.risk_model is None
    found = fast.tag("The carer hit my mum")
    assert found.risk == "concern" and found.risk_score > 0
    assert fast.tag(INDIRECT[0]).risk == "none"


def test_evidence_is_the_heaviest_run_of_words_in_one_clause() -> None:
    model = RiskModel({
        "risk": {"bias": 0.0, "weights": {"w:floor": 4.0, "w:left": 2.0, "b:on the": 0.5,
                                          "w:lovely": -1.0},
                 "threshold": 0.5, "rule_threshold": 1.0, "alone": []},
        "categories": {"ids": ["fall", "neglect"], "bias": [0.0, 0.0],
                       "weights": {"w:floor": [[0, 2.0]]}}})
    plain = make_plain("lovely carers. mum was left on the floor")
    assert model.evidence(plain.words, plain.clauses) == ("left on the floor",)
    judged = model.judge(plain.words, plain.clauses, [], Risk("none", (), ()))
    assert judged.level == "concern" and judged.reasons == ("fall",)
    assert judged.words == ("left on the floor",)
    calm = make_plain("lovely carers")
    assert model.judge(calm.words, calm.clauses, [], Risk("none", (), ())).level == "none"


def test_why_comes_from_the_words_alone_model_when_there_is_one() -> None:
    """Beside the encoder's features, the full model's word weights also carry length and
    tone, so the words that say why come from a model of the words alone."""
    model = RiskModel({
        "risk": {"bias": 0.0, "weights": {"w:lovely": 3.0, "w:carers": 3.0},
                 "evidence": {"w:floor": 4.0, "w:left": 2.0, "w:lovely": -1.0},
                 "threshold": 0.5, "rule_threshold": 1.0, "alone": [], "meaning": True},
        "categories": {"ids": ["fall"], "bias": [0.0], "weights": {}}})
    plain = make_plain("lovely carers. mum was left on the floor")
    assert model.evidence(plain.words, plain.clauses) == ("left on the floor",)


def test_rule_findings_go_through_the_model_unless_their_category_alerts_alone() -> None:
    model = RiskModel({
        "risk": {"bias": -5.0, "weights": {}, "threshold": 0.5, "rule_threshold": 0.9,
                 "alone": ["physical"]},
        "rules": {"bias": -5.0, "weights": {}},  # the reader doubts every rule finding
        "categories": {"ids": ["other"], "bias": [0.0], "weights": {}}})
    plain = make_plain("we went to the seaside with the staff and the lunch was lovely "
                       "but my tea was cold by the time it came")
    words, clauses = plain.words, plain.clauses
    weak = Risk("concern", ("neglect",), ("cold",))
    assert model.judge(words, clauses, [], weak).level == "none"
    strong = Risk("concern", ("physical",), ("hit",))
    assert model.judge(words, clauses, [], strong).level == "concern"
    urgent = Risk("urgent", ("neglect",), ("for days",))
    assert model.judge(words, clauses, [], urgent).score >= 0.9
    assert "rule:neglect" in features(words, [], weak)
    short = make_plain("my tea was cold")  # no room for context: the finding stands
    assert model.judge(short.words, short.clauses, [], weak).level == "concern"


def test_tagging_never_imports_scikit_learn() -> None:
    code = ("import sys; from carebot.understanding.tagger import tag_text; "
            "tag_text('nobody came today and mum is on the floor'); "
            "print('sklearn' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True).stdout.strip()
    assert out == "False"
