"""`carebot train` really trains: a model it writes is one the tagger loads and uses, and
cross-validation tags every comment once, by a model that never saw it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from carebot.understanding.lab.evaluation import Labelled
from carebot.understanding.lab.training import cross_validate, main, train
from carebot.understanding.tagger import WORDS_FILE, Tagger

FOOD = ["The food was cold again", "Lovely meals and plenty of drinks",
        "Dinner came very late and was cold", "I liked the lunch today",
        "Nobody helped me with my meals", "The breakfast was lovely"]
LATE = ["The carer was late again", "They are never on time",
        "I waited two hours for the visit", "Always punctual, never late",
        "Kept waiting all morning", "The visit was late and rushed"]
OTHER = ["Nothing to add", "All fine thank you", "Very good service",
         "No complaints", "Everything is ok", "I am happy with it"]


def _rows() -> list[Labelled]:
    rows = []
    for n in range(4):  # each text four times, with different ids, as real data repeats
        for k, text in enumerate(FOOD + LATE + OTHER):
            theme = "food_drink" if text in FOOD else "punctuality" if text in LATE else None
            sentiment = ("negative", "positive", "neutral")[k % 3]
            rows.append(Labelled(f"{n}-{k}", text, sentiment,
                                 frozenset({theme}) if theme else frozenset()))
    return rows


def test_a_trained_model_is_one_the_tagger_loads_and_uses() -> None:
    model = train(_rows())
    assert model["themes"]["support"][model["themes"]["ids"].index("food_drink")] == 24
    tagger = Tagger(json.loads(json.dumps(model)))  # as written to and read from the file
    assert "punctuality" in tagger.tag("They were never on time this week").theme_ids
    assert tagger.tag("Nothing to add").theme_ids == ()


def test_main_writes_the_model_from_the_tuning_split_only(tmp_path: Path) -> None:
    data = tmp_path / "feedback.csv"
    lines = ["code,label,subcategory,feedback,criticality,organization,question,row_index"]
    for n, row in enumerate(_rows()):
        code = {"food_drink": "ef", "punctuality": "wa"}.get(next(iter(row.themes), ""), "xn")
        lines.append(f'{code},L,S,"{row.text}",{n % 3 - 1},A,Q,{n}')
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "model.json"
    main(data, out)
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["trained_on"].startswith("feedback.csv: ")
    tuning = int(written["trained_on"].split(": ")[1].split()[0])
    assert 0.6 < tuning / len(lines[1:]) < 0.8   # the untouched 30 % left out
    # The models read the sentence encoder's features beside the words; models of the
    # words alone are written beside them, for a tagger without the encoder.
    words = json.loads((tmp_path / WORDS_FILE).read_text(encoding="utf-8"))

    def meant(part: dict[str, Any]) -> bool:
        return any(name.startswith(("e:", "s:")) for name in part["weights"])

    assert written["meaning"] is True and words["meaning"] is False
    assert meant(written["sentiment"]) and meant(written["themes"])
    assert not meant(words["sentiment"]) and not meant(words["themes"])
    assert words["trained_on"] == written["trained_on"]
    full, fast = Tagger(written), Tagger(words, fast=True)
    assert full.encoder is not None and fast.encoder is None
    for tagger in (full, fast):
        assert "punctuality" in tagger.tag("They were never on time this week").theme_ids


def test_cross_validation_tags_each_comment_once_by_a_model_that_never_saw_it() -> None:
    rows = _rows()
    report = cross_validate(rows, folds=3)
    assert report.size == len(rows)
    assert report.themes["food_drink"].support == 24
    # Each text appears four times, so a model that never saw a row has seen its twins:
    # a clear signal must come through.
    assert report.themes["punctuality"].f1 > 0.8
