"""Training the risk model on a tiny set: the model it writes is one the tagger loads and
uses; thresholds are chosen within the false-alarm caps; near-copies share a fold; the
nested figures tag every coded message once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from carebot.understanding import encoder
from carebot.understanding.encoder import TUNED
from carebot.understanding.lab import risk_training
from carebot.understanding.lab.coders import Coded
from carebot.understanding.lab.evaluation import Labelled
from carebot.understanding.lab.risk_training import (
    Example,
    choose,
    examples,
    figures,
    fit,
    fold_numbers,
    groups,
)
from carebot.understanding.tagger import Tagger

WORRIES = ["nobody came to help dad for three days", "the carer left mum on the floor",
           "my son takes all my money and i have nothing", "no one has been since monday",
           "she has had no food since sunday", "nobody came and he was left all night"]
CALM = ["lovely carers always on time", "the lunch club is great fun",
        "more trips out would be nice", "the staff are kind and patient",
        "i like my new room", "thank you for the help with the garden"]
FFT = ["the doctor was very helpful", "parking was hard to find", "clean ward and kind nurses",
       "waited a long time in clinic"]


def _coded(n: int, text: str, risky: bool) -> Coded:
    risk = ("concern", "concern") if risky else ("none", "none")
    category = ("neglect", "neglect") if risky else ("", "")
    return Coded(f"c{n}", "working", text, ("negative", "negative"),
                 (frozenset(), frozenset()), risk, category)


def _data() -> list[Example]:
    coded = [_coded(10 * k + i, f"{text} {'x' * (k + 1)}", text in WORRIES)
             for k in range(3) for i, text in enumerate(WORRIES + CALM)]
    fft = [Labelled(f"f{k}-{i}", text, "positive", frozenset())
           for k in range(5) for i, text in enumerate(FFT)]
    return examples({"coded.tsv": coded}, fft)


def test_a_fitted_model_is_one_the_tagger_loads_and_uses() -> None:
    model = fit(_data())
    model["risk"].update(threshold=0.5, rule_threshold=0.5, alone=[])
    tagger = Tagger(None, json.loads(json.dumps(model)))
    assert tagger.risk_model is not None
    worry = tagger.tag("nobody came to help mum for days")
    calm = tagger.tag("lovely carers, always on time")
    assert worry.risk_score > calm.risk_score
    assert calm.risk == "none"
    assert set(model["categories"]["ids"]) == {"neglect"}


def test_thresholds_keep_false_alarms_within_the_caps() -> None:
    data = _data()
    probability = [0.9 if ex.risky else 0.2 for ex in data]
    calm = next(i for i, ex in enumerate(data) if ex.both_none and ex.file != "fft")
    probability[calm] = 0.6  # one calm message in 18 the model is wary of: 5.6 % > 4.5 %
    threshold, _ = choose(data, probability, probability, [])
    assert 0.6 < threshold <= 0.9
    found = figures(data, [p >= threshold for p in probability])
    assert found.within()
    assert found.recall["coded.tsv"] == 1.0 and found.false_alarms["coded.tsv"] == 0.0


def test_near_copies_share_a_group_and_so_a_fold() -> None:
    data = _data()
    group = groups(data)
    first, copy = data[0], data[len(WORRIES + CALM)]  # the same words, a different tail
    assert first.words[:6] == copy.words[:6]
    assert group[0] == group[len(WORRIES + CALM)]
    folds = fold_numbers(data, folds=3)
    assert folds[0] == folds[len(WORRIES + CALM)]
    assert set(folds) == {0, 1, 2}


def test_main_writes_a_model_with_its_thresholds(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(risk_training, "load", lambda data, paths, reviewed=(): _data())
    out = tmp_path / "risk.json"
    risk_training.main(tmp_path / "fft.csv", [tmp_path / "coded.tsv"], out)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert 0.0 < written["risk"]["threshold"] <= 1.0
    assert "coded messages" in written["trained_on"]
    # The tuned reader it weighs is written beside it, and a tagger reads the two together.
    assert written["risk"]["tuned"] and any(k == TUNED for k in written["risk"]["weights"])
    shared = encoder.shared()
    assert shared is not None
    tuned = shared.tuned(encoder.read_tuning(out.with_name(encoder.TUNING_FILE)))
    tagger = Tagger(None, written, encoder=tuned)
    assert tagger.risk_model is not None and tagger.risk_model.reads_tuned
    assert tagger.tag("nobody came to help dad for days").risk_score > tagger.tag(
        "lovely carers, always on time").risk_score
    # Without the tuned reader the model's numbers mean nothing: the rules alone.
    assert Tagger(None, written, encoder=shared.tuned(None)).risk_model is None
