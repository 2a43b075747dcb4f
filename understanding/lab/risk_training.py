"""Training the learned risk model (understanding/risk_model.py) and choosing when it
alerts, by cross-validation (a developer's job; scikit-learn and PyTorch are needed here
only).

    carebot train --risk                     (writes understanding/risk_model.json and
                                              the tuned reader, risk_tuning.npz)
    carebot train --risk --cross-validate    (the figures; writes nothing)

Among its features is the tuned reader's score (lab/fine_tune.py); each training
message's score comes from a reader trained without its fold, so the model learns how far
to trust it on messages the reader never saw.

What it learns from:
- both coded social-care files; a message is a risk when either coder flags it. The few
  that one coder flags (13 of 1,677) are kept as risks: the codebook says "when unsure
  between none and concern, choose concern", and a missed risk costs more than a read.
- the FFT comments of the tuning split (evaluation.py) as ordinary, risk none, weighted
  so that together they count FFT_SHARE of the coded messages: enough to learn that
  health complaints are not safeguarding, not so much that they swamp the care words.

How the alert is decided: the rules' urgent findings, those of the categories whose rules
were right often enough on the training folds (ALONE_PRECISION), and those in plain
messages (one clause, or risk_model.SHORT words or fewer) alert on their own; other rule
findings alert when a second small model, trained only on the messages the rules flag,
says the coders would flag it too with probability `rule_threshold` (it learns the hard
negatives: a fall that is over, an idiom, a story on TV); the model alone alerts at
`threshold`. Both are chosen on out-of-fold probabilities, to flag the most messages both
coders flag while false alarms on the messages both call none stay at or under
FALSE_ALARM_CAP in each coded file, and FFT comments flagged at or under FFT_CAP. The
figures it reports are nested: each outer fold's thresholds are chosen by cross-
validation inside the other folds, so no figure was chosen by looking at it. Folds are
grouped, so near-copies of a message (sharing a run of GROUP_WORDS words) never sit on
both sides, and seeded.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from carebot.understanding.encoder import TUNED, TUNING_FILE
from carebot.understanding.lab.coders import Coded, load_coded
from carebot.understanding.lab.evaluation import load_feedback, split
from carebot.understanding.lab.fine_tune import Example as TuneExample
from carebot.understanding.lab.fine_tune import fine_tune
from carebot.understanding.lab.meanings import meanings
from carebot.understanding.lab.reviews import REVIEWS
from carebot.understanding.labels import NO_RISK
from carebot.understanding.normalise import Plain
from carebot.understanding.risk_model import RiskModel, features, meaning_features, stands
from carebot.understanding.safeguarding import Risk, assess

SEED = 29
FOLDS = 5
C = 0.3                  # the risk model's inverse regularisation: strong, beside the
                         # tuned reader's score (at 32 it leans on the words and loses
                         # 0.1 of recall at the same false alarms, out of fold)
EVIDENCE_C = 32.0        # the words-only model that names the words an alert weighed
CATEGORY_C = 32.0
VETO_C = 8.0             # the model of which rule findings the coders flag too
FFT_SHARE = 0.5          # all FFT comments together weigh this share of the coded ones
FALSE_ALARM_CAP = 0.045  # inside the CV: a margin under the 5 % target for new writers
FFT_CAP = 0.008          # inside the CV: under the 1 % target
ALONE_PRECISION = 0.9    # a rule category this precise on training folds alerts alone
ALONE_MIN = 8            # … over at least this many flags
MIN_DOCS = 2             # a word or pair must be in this many training texts
PRUNE = 0.02             # smaller weights are left out of the shipped file
ROUND = 3
GROUP_WORDS = 6
WORD_FEATURES = ("w:", "f:", "b:")  # a word, its family, a pair of words
RULE_GRID = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True)
class Example:
    """One text as the models read it, and what it is known to be."""
    id: str
    file: str              # the coded file's name, or "fft"
    text: str
    words: tuple[str, ...]
    clauses: tuple[int, ...]   # each word's clause
    feats: dict[str, float]
    rules: Risk
    risky: bool            # either coder flags it (FFT: never)
    both_risk: bool
    both_none: bool
    category: str          # the coders' category when risky, else ""


def _read(texts: Sequence[str]) -> list[tuple[Plain, dict[str, float], Risk]]:
    """Each text's plain words, the features the models read, and the rules' finding."""
    from carebot.understanding.lab.training import _empty_model
    from carebot.understanding.tagger import MAX_TEXT, Tagger

    reader = Tagger(_empty_model(), fast=True)
    found = []
    for text, meaning in zip(texts, meanings([t[:MAX_TEXT] for t in texts]), strict=True):
        reading = reader.read(text)
        plain, matches = reading.plain, reading.matches
        rules = assess(plain, matches)
        tone = (reading.polarity, reading.warmth.compound)
        found.append((plain, features(plain.words, matches, rules, tone, meaning), rules))
    return found


def examples(coded: dict[str, list[Coded]], fft: Sequence[Any]) -> list[Example]:
    """Every coded message and FFT comment, read once."""
    out: list[Example] = []
    for name, rows in coded.items():
        for row, (plain, feats, rules) in zip(rows, _read([r.text for r in rows]),
                                              strict=True):
            risky = any(r != NO_RISK for r in row.risk)
            category = next((c for c in row.category if c), "") if risky else ""
            out.append(Example(row.id, name, row.text, plain.words, plain.clauses, feats,
                               rules, risky, row.both_risk, row.both_none, category))
    for row, (plain, feats, rules) in zip(fft, _read([r.text for r in fft]), strict=True):
        out.append(Example(f"fft:{row.id}", "fft", row.text, plain.words, plain.clauses, feats,
                           rules, False, False, True, ""))
    return out


def with_tuned_reader(data: Sequence[Example]) -> tuple[list[Example], Path]:
    """The examples with the tuned reader's logit among their features, each from a
    reader trained without the example's fold (lab/fine_tune.py), and the file of the
    reader trained on all of them."""
    run = fine_tune([TuneExample(ex.text, ex.risky, ex.file == "fft") for ex in data],
                    fold_numbers(data))
    return [replace(ex, feats={**ex.feats, **meaning_features({TUNED: logit})})
            for ex, logit in zip(data, run.logits, strict=True)], run.tuning


def groups(data: Sequence[Example]) -> list[int]:
    """A group number per example: near-copies (sharing GROUP_WORDS words in a row) are
    one group; every FFT comment is its own."""
    parent = list(range(len(data)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    seen: dict[tuple[str, ...], int] = {}
    for i, ex in enumerate(data):
        if ex.file == "fft":
            continue
        for k in range(len(ex.words) - GROUP_WORDS + 1):
            run = ex.words[k:k + GROUP_WORDS]
            if run in seen:
                parent[root(i)] = root(seen[run])
            else:
                seen[run] = i
    return [root(i) for i in range(len(data))]


def fold_numbers(data: Sequence[Example], folds: int = FOLDS, seed: int = SEED) -> list[int]:
    """Each example's fold: coded groups by StratifiedGroupKFold (risk kept even across
    folds), FFT comments by a hash of their id."""
    from sklearn.model_selection import StratifiedGroupKFold

    out = [0] * len(data)
    coded = [i for i, ex in enumerate(data) if ex.file != "fft"]
    group = groups(data)
    splitter = StratifiedGroupKFold(n_splits=folds, shuffle=True, random_state=seed)
    for k, (_, test) in enumerate(splitter.split(
            coded, [f"{data[i].file}:{data[i].risky}" for i in coded],
            [group[i] for i in coded])):
        for j in test:
            out[coded[j]] = k
    for i, ex in enumerate(data):
        if ex.file == "fft":
            digest = hashlib.sha256(f"carebot-risk-fold:{seed}:{ex.id}".encode()).digest()
            out[i] = digest[0] % folds
    return out


def _weights(data: Sequence[Example]) -> list[float]:
    fft = sum(ex.file == "fft" for ex in data)
    coded = len(data) - fft
    per_fft = FFT_SHARE * coded / fft if fft else 0.0
    return [per_fft if ex.file == "fft" else 1.0 for ex in data]


def _vocabulary(data: Sequence[Example]) -> set[str]:
    counts: Counter[str] = Counter()
    for ex in data:
        counts.update(ex.feats)
    return {k for k, n in counts.items() if n >= MIN_DOCS or not k.startswith(WORD_FEATURES)}


def fit(data: Sequence[Example]) -> dict[str, Any]:
    """The risk and category models' weights, as the shipped file holds them (no
    thresholds yet)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vocabulary = _vocabulary(data)
    encoder = DictVectorizer()
    matrix = encoder.fit_transform([{k: v for k, v in ex.feats.items() if k in vocabulary}
                                    for ex in data])
    names = encoder.get_feature_names_out()
    risk = LogisticRegression(C=C, max_iter=5000)
    risk.fit(matrix, [ex.risky for ex in data], sample_weight=_weights(data))
    weights = {str(names[j]): round(float(w), ROUND)
               for j, w in enumerate(risk.coef_[0]) if abs(w) >= PRUNE}
    # Which words say why: a model of the words alone. Beside the encoder's dense
    # features the full model's word weights also carry length and tone ("and", "love"
    # weigh towards risk there), so they cannot name the words that mattered.
    words = [j for j, name in enumerate(names) if str(name).startswith(WORD_FEATURES)]
    by_words = LogisticRegression(C=EVIDENCE_C, max_iter=5000)
    by_words.fit(matrix[:, words], [ex.risky for ex in data], sample_weight=_weights(data))
    evidence = {str(names[j]): round(float(w), ROUND)
                for j, w in zip(words, by_words.coef_[0], strict=True) if abs(w) >= PRUNE}
    flagged = [i for i, ex in enumerate(data) if ex.risky and ex.category]
    ids = sorted({data[i].category for i in flagged}) or ["other"]
    category_weights: dict[str, list[list[float]]] = {}
    bias = [0.0] * len(ids)
    if len(ids) > 1:  # one category needs no model: it is always the one
        category = LogisticRegression(C=CATEGORY_C, max_iter=5000)
        category.fit(matrix[flagged], [data[i].category for i in flagged])
        order = [ids.index(str(c)) for c in category.classes_]
        for row, k in enumerate(order):
            bias[k] = round(float(category.intercept_[row]), ROUND)
            for j, w in enumerate(category.coef_[row]):
                if abs(w) >= PRUNE:
                    category_weights.setdefault(str(names[j]), []).append(
                        [k, round(float(w), ROUND)])
    # The second reader of the rules' findings: among messages the rules flag, which the
    # coders flag too (an explicit "scared of the new carer" is; "scared of spiders" is not).
    ruled = [i for i, ex in enumerate(data) if ex.rules.level != NO_RISK]
    veto_bias, veto_weights = 3.0, {}
    if len({data[i].risky for i in ruled}) == 2:
        veto = LogisticRegression(C=VETO_C, max_iter=5000)
        veto.fit(matrix[ruled], [data[i].risky for i in ruled])
        veto_bias = round(float(veto.intercept_[0]), ROUND)
        veto_weights = {str(names[j]): round(float(w), ROUND)
                        for j, w in enumerate(veto.coef_[0]) if abs(w) >= PRUNE}
    return {"risk": {"bias": round(float(risk.intercept_[0]), ROUND), "weights": weights,
                     "threshold": 0.5, "rule_threshold": 0.5, "alone": [], "meaning": True,
                     "evidence": evidence},
            "rules": {"bias": veto_bias, "weights": veto_weights},
            "categories": {"ids": ids, "bias": bias, "weights": category_weights}}


def alone_categories(data: Sequence[Example]) -> list[str]:
    """Rule categories precise enough on these examples to alert without the model."""
    hits: Counter[str] = Counter()
    right: Counter[str] = Counter()
    for ex in data:
        if ex.file == "fft":  # judged where carebot listens: social-care messages
            continue
        for reason in ex.rules.reasons:
            hits[reason] += 1
            right[reason] += ex.risky
    return sorted(c for c, n in hits.items()
                  if n >= ALONE_MIN and right[c] / n >= ALONE_PRECISION)


def _alerts(ex: Example, p: float, p_rules: float, threshold: float, rule_threshold: float,
            alone: set[str]) -> bool:
    by_rules = _stands(ex, alone) or (ex.rules.level != NO_RISK and p_rules >= rule_threshold)
    return by_rules or p >= threshold


@dataclass(frozen=True)
class Figures:
    recall: dict[str, float]          # per coded file: share of both-flag flagged
    false_alarms: dict[str, float]    # per coded file: share of both-none flagged
    fft: float                        # share of FFT comments flagged
    counts: dict[str, tuple[int, int]]

    def within(self) -> bool:
        return (all(v <= FALSE_ALARM_CAP for v in self.false_alarms.values())
                and self.fft <= FFT_CAP)


def figures(data: Sequence[Example], flagged: Sequence[bool]) -> Figures:
    recall: dict[str, float] = {}
    false_alarms: dict[str, float] = {}
    counts: dict[str, tuple[int, int]] = {}
    for name in sorted({ex.file for ex in data} - {"fft"}):
        risky = [f for ex, f in zip(data, flagged, strict=True) if ex.file == name and ex.both_risk]
        calm = [f for ex, f in zip(data, flagged, strict=True) if ex.file == name and ex.both_none]
        recall[name] = sum(risky) / len(risky) if risky else 1.0
        false_alarms[name] = sum(calm) / len(calm) if calm else 0.0
        counts[name] = (len(risky), len(calm))
    fft = [f for ex, f in zip(data, flagged, strict=True) if ex.file == "fft"]
    return Figures(recall, false_alarms, sum(fft) / len(fft) if fft else 0.0, counts)


def _stands(ex: Example, alone: set[str]) -> bool:
    return stands(ex.rules, ex.clauses, alone)


def choose(data: Sequence[Example], probability: Sequence[float],
           rules_probability: Sequence[float], alone: list[str]) -> tuple[float, float]:
    """(threshold, rule_threshold), on out-of-fold probabilities: the pair that flags the
    most messages both coders flag (all coded files together) with false alarms within
    the caps; the higher pair on a tie."""
    import numpy as np

    p = np.asarray(probability)
    p_rules = np.asarray(rules_probability)
    alone_set = set(alone)
    ruled = np.asarray([ex.rules.level != NO_RISK for ex in data])
    sure = np.asarray([_stands(ex, alone_set) for ex in data])
    risky = np.asarray([ex.both_risk for ex in data])
    calm = [np.asarray([ex.file == name and ex.both_none for ex in data])
            for name in sorted({ex.file for ex in data} - {"fft"})]
    fft = np.asarray([ex.file == "fft" for ex in data])
    grid = np.unique(np.round(p[p >= 0.05], 3))
    grid = np.append(grid[:: max(1, len(grid) // 400)], 1.0)
    best: tuple[int, float, float] = (-1, 1.0, 1.0)
    for rule_threshold in RULE_GRID:
        by_rules = sure | (ruled & (p_rules >= rule_threshold))
        for threshold in grid:
            flagged = by_rules | (p >= threshold)
            if any(flagged[c].mean() > FALSE_ALARM_CAP for c in calm if c.any()):
                continue
            if fft.any() and flagged[fft].mean() > FFT_CAP:
                continue
            key = (int(flagged[risky].sum()), float(threshold), rule_threshold)
            if key > best:
                best = key
    return best[1], best[2]


def out_of_fold(data: Sequence[Example],
                folds: Sequence[int]) -> tuple[list[float], list[float]]:
    """Each example's probabilities (the model's, and the rules' reader's) from models
    trained without its fold."""
    probability = [0.0] * len(data)
    rules_probability = [0.0] * len(data)
    for k in sorted(set(folds)):
        model = RiskModel(fit([ex for ex, f in zip(data, folds, strict=True) if f != k]))
        for i, ex in enumerate(data):
            if folds[i] == k:
                probability[i] = model.probability(ex.feats)
                rules_probability[i] = model.rules_probability(ex.feats)
    return probability, rules_probability


def settle(data: Sequence[Example], seed: int = SEED) -> tuple[float, float, list[str]]:
    """The thresholds and lone categories for a model trained on `data`, chosen by
    cross-validation inside it."""
    probability, rules_probability = out_of_fold(data, fold_numbers(data, seed=seed))
    alone = alone_categories(data)
    threshold, rule_threshold = choose(data, probability, rules_probability, alone)
    return threshold, rule_threshold, alone


def nested(data: Sequence[Example]) -> tuple[Figures, list[bool], list[float]]:
    """Cross-validated figures in which every fold's thresholds were chosen without it."""
    folds = fold_numbers(data)
    flagged = [False] * len(data)
    probability = [0.0] * len(data)
    for k in range(FOLDS):
        train = [ex for ex, f in zip(data, folds, strict=True) if f != k]
        threshold, rule_threshold, alone = settle(train, seed=SEED + 1 + k)
        model = RiskModel(fit(train))
        for i, ex in enumerate(data):
            if folds[i] == k:
                probability[i] = model.probability(ex.feats)
                flagged[i] = _alerts(ex, probability[i], model.rules_probability(ex.feats),
                                     threshold, rule_threshold, set(alone))
        print(f"  fold {k}: threshold {threshold:.3f}, a rule finding at {rule_threshold:.3f}, "
              f"alone {', '.join(alone) or '-'}")
    return figures(data, flagged), flagged, probability


def rules_figures(data: Sequence[Example]) -> Figures:
    return figures(data, [ex.rules.level != NO_RISK for ex in data])


def format_figures(name: str, found: Figures) -> str:
    lines = [f"== {name}"]
    for file, recall in found.recall.items():
        risky, calm = found.counts[file]
        lines.append(f"  {file}: flagged {recall:.3f} of the {risky} both coders flag; "
                     f"false alarms {found.false_alarms[file]:.3f} of the {calm} both call none")
    lines.append(f"  FFT comments flagged: {found.fft:.4f}")
    return "\n".join(lines)


def load(data: Path, coded_paths: Sequence[Path], reviewed: Sequence[Coded] = ()) -> list[Example]:
    """The coded files, readers' judgements (lab/reviews.py) as one more, and the FFT
    tuning comments."""
    tuning, _ = split(load_feedback(data))
    coded = {p.name: load_coded(p) for p in coded_paths}
    if reviewed:
        coded[REVIEWS] = list(reviewed)
    return examples(coded, tuning)


def cross_validate(data: Path, coded_paths: Sequence[Path],
                   reviewed: Sequence[Coded] = (), tuned: bool = True) -> Figures:
    found = load(data, coded_paths, reviewed)
    if tuned:
        found, _ = with_tuned_reader(found)
    print(format_figures("the rules alone (as shipped before issue 29)", rules_figures(found)))
    figures_, _, _ = nested(found)
    print(format_figures(f"rules and model, nested {FOLDS}-fold grouped cross-validation",
                         figures_))
    return figures_


def main(data: Path, coded_paths: Sequence[Path], out: Path,
         reviewed: Sequence[Coded] = (), tuned: bool = True) -> None:
    """Writes the risk model to `out` and, when `tuned`, the tuned reader beside it
    (encoder.TUNING_FILE)."""
    found = load(data, coded_paths, reviewed)
    if tuned:
        found, tuning = with_tuned_reader(found)
        shutil.copyfile(tuning, out.with_name(TUNING_FILE))
        out.with_name(TUNING_FILE).chmod(0o644)  # package data, as the model file is
    threshold, rule_threshold, alone = settle(found)
    model = fit(found)
    model["risk"].update(threshold=round(threshold, ROUND),
                         rule_threshold=round(rule_threshold, ROUND), alone=alone,
                         tuned=tuned)
    coded = sum(ex.file != "fft" for ex in found)
    model["trained_on"] = (f"{', '.join(p.name for p in coded_paths)}: {coded} coded messages"
                           f"{f' (with {len(reviewed)} judged by readers)' if reviewed else ''}; "
                           f"{data.name}: {len(found) - coded} tuning comments as risk none")
    out.write_text(json.dumps(model, separators=(",", ":"), sort_keys=True), encoding="utf-8")
    print(f"Risk model written to {out} ({out.stat().st_size // 1024} KiB): threshold "
          f"{threshold:.3f}, a rule finding at {rule_threshold:.3f}, alone {alone}")
