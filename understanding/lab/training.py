"""Training the tagger's small linear model on labelled feedback (a developer's job).

    carebot train --data ../shared/data/feedback-dev.csv \
        --coded ../shared/data/social-care-dev.tsv --coded ../shared/data/social-care-dev-2.tsv
    carebot train --cross-validate     (scores a change by cross-validation; writes nothing)

Learns from two sources: the tuning part of the FFT split (see evaluation.py), and the
social-care messages coded twice (coders.py; both coded files since issue 29), which
count SOCIAL_CARE_WEIGHT times as much because they are what carebot hears. Trust B's
coders marked most praise 0, where trusts A and C marked it positive: those 0s are one
coder's habit, not neutral comments, so they teach no sentiment (their themes still
count). Sentiment comes from the coders' criticality or sentiment code, themes from
their codes (both coders' themes for the social-care messages); each theme's threshold
is chosen on held-out scores.
scikit-learn is needed here only (`pip install -e .[train]`); tagging itself needs none.
"""

from __future__ import annotations

import hashlib
import json
import math
import warnings
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from carebot.understanding.lab.coders import Coded, load_coded
from carebot.understanding.lab.evaluation import Labelled, Report, load_feedback, report_on, split
from carebot.understanding.lab.meanings import meanings
from carebot.understanding.risk_model import meaning_features
from carebot.understanding.tagger import MAX_TEXT, WORDS_FILE, Tagger, Tags, ngram_counts
from carebot.understanding.themes import THEME_IDS

SOCIAL_CARE_WEIGHT = 4.0
FFT_THEME_WEIGHT = 6.0  # how much an FFT comment counts towards themes, beside sentiment
HABIT_OF = "Trust B"    # whose 0s are left out of sentiment

MIN_DOCS = 2          # an n-gram must appear in this many tuning comments
SENTIMENT_C = 2.0
THEME_C = 4.0
ROUND = 2
ABSENT = -20.0        # the bias of a sentiment no training comment carried
PRUNE = 0.05          # weights smaller than this are left out of the shipped model
MEANING = True        # the models read the sentence encoder's features beside the words


def _empty_model() -> dict[str, Any]:
    return {"idf": {}, "sentiment": {"classes": ["negative", "neutral", "positive"],
                                     "bias": [0.0, 0.0, 0.0], "weights": {}},
            "themes": {"ids": list(THEME_IDS), "bias": [0.0] * len(THEME_IDS),
                       "thresholds": [1e9] * len(THEME_IDS),
                       "cue_margins": [1.0] * len(THEME_IDS), "weights": {}}}


def _features(texts: list[str], meaning: bool = MEANING) -> tuple[list[dict[str, float]],
                                                                   dict[str, float]]:
    """Each text's features as the tagger reads them (see Tagger.vector), and the idf."""
    reader = Tagger(_empty_model(), fast=True)
    meant = (meanings([t[:MAX_TEXT] for t in texts]) if meaning
             else [{} for _ in texts])
    raw = []
    document_frequency: Counter[str] = Counter()
    for text in texts:
        reading = reader.read(text)
        grams = ngram_counts(reading.plain.words)
        document_frequency.update(grams.keys())
        raw.append((grams, reader.dense_features(reading)))
    n = len(texts)
    idf = {g: round(math.log((1 + n) / (1 + df)) + 1, ROUND)
           for g, df in document_frequency.items() if df >= MIN_DOCS}
    vectors = []
    for (grams, dense), sense in zip(raw, meant, strict=True):
        tfidf = {g: (1 + math.log(c)) * idf[g] for g, c in grams.items() if g in idf}
        norm = math.sqrt(sum(v * v for v in tfidf.values())) or 1.0
        vector = {g: v / norm for g, v in tfidf.items()}
        vector.update(dense)
        vector.update(meaning_features(sense))
        vectors.append(vector)
    return vectors, idf


MARGINS = (0.0, 0.5, 1.0, 2.0, 4.0)


def _f1(predicted: list[bool], truth: list[bool], weights: list[float] | None = None) -> float:
    w = weights or [1.0] * len(truth)
    hits = sum(x for p, t, x in zip(predicted, truth, w, strict=True) if p and t)
    guessed = sum(x for p, x in zip(predicted, w, strict=True) if p)
    true = sum(x for t, x in zip(truth, w, strict=True) if t)
    return 2 * hits / (guessed + true) if hits else 0.0


def _best_margin(scores: list[float], threshold: float, cued: list[bool],
                 truth: list[bool], weights: list[float] | None = None) -> float:
    """How far below the threshold a cued comment may score and still get the theme,
    chosen on held-out scores: the margin with the best F1, the smallest on a tie."""
    def f1_at(margin: float) -> float:
        return _f1([s >= threshold or (c and s >= threshold - margin)
                    for s, c in zip(scores, cued, strict=True)], truth, weights)
    return max(MARGINS, key=lambda m: (round(f1_at(m), 4), -m))


def _best_threshold(scores: list[float], truth: list[bool],
                    weights: list[float] | None = None) -> float:
    """The decision score that gives the best (weighted) F1 on held-out scores."""
    w = weights or [1.0] * len(truth)
    ranked = sorted(zip(scores, truth, w, strict=True), key=lambda x: -x[0])
    positives = sum(x for t, x in zip(truth, w, strict=True) if t)
    best, best_f1, hits, guessed = 0.0, -1.0, 0.0, 0.0
    for score, is_true, weight in ranked:
        guessed += weight
        hits += weight if is_true else 0.0
        f1 = 2 * hits / (guessed + positives) if positives else 0.0
        if f1 > best_f1:
            best_f1, best = f1, score
    return best - 1e-6


def _teaches_sentiment(row: Labelled) -> bool:
    return row.sentiment is not None and not (row.source == HABIT_OF
                                              and row.sentiment == "neutral")


def _train_sentiment(model: dict[str, Any], matrix: Any, names: Any,
                     rows: list[Labelled], weights: list[float]) -> None:
    """One multi-class logistic regression, on the comments that carry a sentiment.
    It does not read which themes' cues are in a comment: what a comment is about says
    nothing of how it went (food comments in the FFT data are mostly complaints, and
    "I like the lunch" is still praise)."""
    from sklearn.linear_model import LogisticRegression

    rated = [i for i, r in enumerate(rows) if _teaches_sentiment(r)]
    read = [j for j, name in enumerate(names) if not str(name).startswith("cue:theme:")]
    sentiment = LogisticRegression(C=SENTIMENT_C, max_iter=3000, class_weight="balanced")
    sentiment.fit(matrix[rated][:, read], [rows[i].sentiment for i in rated],
                  sample_weight=[weights[i] for i in rated])
    names = [names[j] for j in read]
    learnt = list(sentiment.classes_)
    order = [learnt.index(c) if c in learnt else None for c in model["sentiment"]["classes"]]
    # A class no comment taught (FFT comments alone have almost no neutral once Trust B's
    # 0s are left out) is never chosen.
    coef, intercept = sentiment.coef_, sentiment.intercept_
    if len(learnt) == 2:  # one row of weights, for the second class against the first
        coef, intercept = [0 * coef[0], coef[0]], [0.0, intercept[0]]
    model["sentiment"]["bias"] = [round(float(intercept[k]), ROUND)
                                  if k is not None else ABSENT for k in order]
    model["sentiment"]["weights"] = {
        str(name): [round(float(coef[k][j]), ROUND) if k is not None else 0.0 for k in order]
        for j, name in enumerate(names)
        if any(k is not None and abs(coef[k][j]) >= PRUNE for k in order)
    }


def _train_themes(model: dict[str, Any], matrix: Any, names: Any,
                  vectors: list[dict[str, float]], rows: list[Labelled],
                  weights: list[float]) -> None:
    """One logistic regression per theme, with its threshold and cue margin chosen on
    held-out scores from cross-validation."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import cross_val_predict

    theme_weights: dict[str, list[list[float]]] = {}  # feature: [[theme index, weight], …]
    model["themes"]["support"] = [sum(theme in r.themes for r in rows) for theme in THEME_IDS]
    for t, theme in enumerate(THEME_IDS):
        truth = [theme in r.themes for r in rows]
        if sum(truth) < 3:
            continue
        classifier = LogisticRegression(C=THEME_C, max_iter=3000, class_weight="balanced")
        with warnings.catch_warnings():  # a theme with < 5 examples: fewer in some folds
            warnings.filterwarnings("ignore", message="The least populated class")
            held_out = cross_val_predict(classifier, matrix, truth, cv=5,
                                         method="decision_function",
                                         params={"sample_weight": weights})
        threshold = _best_threshold(list(held_out), truth, weights)
        model["themes"]["thresholds"][t] = round(threshold, ROUND)
        cued = [vector.get(f"cue:theme:{theme}", 0) > 0 for vector in vectors]
        model["themes"]["cue_margins"][t] = _best_margin(list(held_out), threshold, cued,
                                                         truth, weights)
        classifier.fit(matrix, truth, sample_weight=weights)
        model["themes"]["bias"][t] = round(float(classifier.intercept_[0]), ROUND)
        for j in classifier.coef_[0].nonzero()[0]:
            weight = float(classifier.coef_[0][j])
            if abs(weight) >= PRUNE:
                theme_weights.setdefault(str(names[j]), []).append([t, round(weight, ROUND)])
    model["themes"]["weights"] = theme_weights


def training_rows(fft: list[Labelled], coded: list[Coded]) -> tuple[list[Labelled],
                                                                      list[float]]:
    """FFT comments at weight 1 and social-care messages at SOCIAL_CARE_WEIGHT, each with
    the themes either coder gave and the sentiment both gave (or the first coder's)."""
    social = [replace(c.as_labelled(), themes=c.themes[0] | c.themes[1]) for c in coded]
    return [*fft, *social], [1.0] * len(fft) + [SOCIAL_CARE_WEIGHT] * len(social)


def train(rows: list[Labelled], weights: list[float] | None = None,
          meaning: bool = MEANING) -> dict[str, Any]:
    """The sentiment and themes models; `meaning`: reading the sentence encoder's features
    beside the words."""
    from sklearn.feature_extraction import DictVectorizer

    weights = weights or [1.0] * len(rows)
    vectors, idf = _features([r.text for r in rows], meaning)
    encoder = DictVectorizer()
    matrix = encoder.fit_transform(vectors)
    names = encoder.get_feature_names_out()
    model = _empty_model()
    model["idf"] = idf
    model["meaning"] = meaning
    _train_sentiment(model, matrix, names, rows, weights)
    theme_weights = [w * FFT_THEME_WEIGHT if w == 1.0 else w for w in weights]
    _train_themes(model, matrix, names, vectors, rows, theme_weights)
    return model


def cross_validate(rows: list[Labelled], folds: int = 5) -> Report:
    """Train on all but one fold of `rows`, tag that fold, and so on round: scores for
    a change to the cues or the model, measured without touching the untouched split."""
    def fold_of(row: Labelled) -> int:
        digest = hashlib.sha256(f"carebot-fold:{row.id}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % folds

    tagged: list[tuple[Labelled, Tags]] = []
    for fold in range(folds):
        tagger = Tagger(train([r for r in rows if fold_of(r) != fold]))
        tagged += [(r, tagger.tag(r.text)) for r in rows if fold_of(r) == fold]
    return report_on(f"{folds}-fold cross-validation on the tuning split", tagged)


def cross_validate_coded(fft: list[Labelled], coded: list[Coded],
                         folds: int = 5) -> list[tuple[Coded, Tags]]:
    """Each social-care message tagged by a model trained on the FFT comments and the
    other folds' messages: scores for the social-care set that no model saw."""
    def fold_of(row: Coded) -> int:
        digest = hashlib.sha256(f"carebot-fold:{row.id}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % folds

    tagged: list[tuple[Coded, Tags]] = []
    for fold in range(folds):
        tagger = Tagger(train(*training_rows(fft, [c for c in coded if fold_of(c) != fold])))
        tagged += [(c, tagger.tag(c.text)) for c in coded if fold_of(c) == fold]
    order = {c.id: n for n, c in enumerate(coded)}
    return sorted(tagged, key=lambda pair: order[pair[0].id])


def load_all_coded(paths: Sequence[Path]) -> list[Coded]:
    """The messages of every coded file, in order; an id in two files is refused (folds
    are chosen by id)."""
    coded = [row for path in paths for row in load_coded(path)]
    ids = Counter(row.id for row in coded)
    twice = [i for i, n in ids.items() if n > 1]
    if twice:
        raise ValueError(f"message ids in more than one coded file: {', '.join(twice[:5])}")
    return coded


def main(data: Path, out: Path, coded_paths: Sequence[Path] = ()) -> None:
    """Writes the models that read meaning to `out`, and beside it (WORDS_FILE) the same
    trained on the words alone, for a tagger without the encoder (`carebot tag --fast`)."""
    tuning, _ = split(load_feedback(data))
    coded = load_all_coded(coded_paths)
    rows, weights = training_rows(tuning, coded)
    trained_on = f"{data.name}: {len(tuning)} tuning comments" + "".join(
        f"; {path.name}: {len(load_coded(path))} social-care messages" for path in coded_paths)
    for meaning, path in ((True, out), (False, out.with_name(WORDS_FILE))):
        model = train(rows, weights, meaning)
        model["trained_on"] = trained_on
        path.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True),
                        encoding="utf-8")
        print(f"Model written to {path} ({path.stat().st_size // 1024} KiB)")
