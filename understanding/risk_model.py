"""A learned second reader for safeguarding, beside the rules: a small logistic model over
a message's plain words, pairs of words, the rules' cue hits, what a sentence encoder
makes of each sentence (understanding/encoder.py) and the score of the encoder's last
layers fine-tuned to read risk (the tuned reader, lab/fine_tune.py), trained on the two
coded social-care files and FFT comments (understanding/lab/risk_training.py) and
shipped as risk_model.json. Scored with dictionary look-ups, so tagging needs no
scikit-learn.

Indirect disclosures ("not been out of this chair since tuesday") are said in words no
cue foresaw; the model reads them. A second small model reads the rules' findings, which
on new writers raise too many false alarms on their own: the rules' urgent findings,
their most precise categories and their findings in plain messages (one clause, or a few
words) alert by themselves; the rest of a longer message's findings alert when that
reader, trained on the messages the rules flag, agrees (a fall that is over, an idiom, a
TV story are what it learns to drop). The thresholds are chosen by cross-validation in
the lab. An alert the model raises says why: a category from a small model over the
codebook's categories, and the run of words in the text that weighed most.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from importlib import resources
from itertools import pairwise
from typing import Any

from carebot.understanding.cues import Match
from carebot.understanding.labels import NO_RISK, RISK_LEVELS
from carebot.understanding.normalise import FUNCTION_WORDS, family
from carebot.understanding.safeguarding import RISK, URGENT, Risk

MODEL_FILE = "risk_model.json"  # beside this module
CONCERN = RISK_LEVELS[1]
LONGEST_PHRASE = 6   # words in one piece of evidence
PHRASES = 2          # pieces of evidence at most
SHORT = 12           # words: a rule finding in a message this short stands
MEANING_SCALE = 0.5  # the sentence encoder's features, against the words' (see below)
_NEGATORS = frozenset({"no", "not", "never", "nobody", "nothing", "cant", "dont", "didnt",
                       "doesnt", "hasnt", "havent", "hadnt", "isnt", "wasnt", "wont"})


def gram_features(words: tuple[str, ...]) -> dict[str, float]:
    """Each word, each word's family ("shouted", "shouting": "shout") and each pair of
    words side by side, present or not, scaled so a long message weighs no more than a
    short one."""
    grams = {f"w:{w}" for w in words}
    grams.update(f"f:{family(w)}" for w in words)
    grams.update(f"b:{a} {b}" for a, b in pairwise(words))
    value = 1.0 / math.sqrt(len(grams)) if grams else 0.0
    return dict.fromkeys(grams, value)


def rule_features(matches: list[Match], rules: Risk) -> dict[str, float]:
    """What the rules saw: each category they flag, each category a cue of which stood in
    the text even if negated or said to be over, and whether they found it urgent."""
    found: dict[str, float] = {}
    for m in matches:
        if m.owner.startswith(RISK):
            found[f"cue:{m.owner[len(RISK):]}{':negated' if m.negated else ''}"] = 1.0
        elif m.owner in (URGENT, "resolved", "not_risk"):
            found[f"cue:{m.owner}"] = 1.0
    for reason in rules.reasons:
        found[f"rule:{reason}"] = 1.0
    if rules.level != NO_RISK:
        found["rule:any"] = 1.0
        found[f"rule:level:{rules.level}"] = 1.0
    return found


def tone_features(polarity: float, compound: float) -> dict[str, float]:
    """How warm the words are, from lexicons no coded message taught (TextBlob's polarity,
    VADER's compound): a rule finding in a glowing message is mostly a past fall dealt
    with or an idiom ("right as rain now", "really impressed")."""
    return {"tone:polarity": polarity, "tone:compound": compound,
            "tone:warm": 1.0 if compound >= 0.5 else 0.0}


def meaning_features(meaning: dict[str, float]) -> dict[str, float]:
    """The sentence encoder's features (understanding/encoder.py), scaled so that its 768
    dense values together weigh about as much as the words (chosen by cross-validation:
    at full scale they drown the words' evidence)."""
    return {k: v * MEANING_SCALE for k, v in meaning.items()}


def features(words: tuple[str, ...], matches: list[Match], rules: Risk,
             tone: tuple[float, float] = (0.0, 0.0),
             meaning: dict[str, float] | None = None) -> dict[str, float]:
    """The features the models read, shared with training so the two cannot drift: `tone`
    is (TextBlob's polarity, VADER's compound), `meaning` the sentence encoder's
    features of the text."""
    return {**gram_features(words), **rule_features(matches, rules), **tone_features(*tone),
            **meaning_features(meaning or {})}


@dataclass(frozen=True)
class Judged:
    """The risk the tagger gives: the rules' finding, or the model's, or both."""
    level: str
    reasons: tuple[str, ...]
    words: tuple[str, ...]
    score: float           # 0 … 1, how worrying (the model's probability, raised by rules)


def stands(rules: Risk, clauses: tuple[int, ...], alone: frozenset[str] | set[str]) -> bool:
    """Whether a rule finding alerts whatever the models say: it is urgent, or in a
    category precise enough alone, or the message is plain (one clause, or SHORT words or
    fewer: no room for the context that turns a cue into a past event, an idiom or a
    story; "I am scared of the new carer" means what it says)."""
    plain = len(clauses) <= SHORT or len(set(clauses)) == 1
    return rules.level != NO_RISK and (rules.level == URGENT or bool(alone & set(rules.reasons))
                                       or plain)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z > -60 else 0.0


def rules_only(rules: Risk) -> Judged:
    """The rules' finding, as `carebot tag --fast` gives it: a score from the level."""
    score = {NO_RISK: 0.0, "concern": 0.6, URGENT: 0.95}[rules.level]
    return Judged(rules.level, rules.reasons, rules.words, score)


class RiskModel:
    """Load once with the tagger; `judge` each message."""

    def __init__(self, model: dict[str, Any]) -> None:
        risk = model["risk"]
        self.bias: float = risk["bias"]
        self.weights: dict[str, float] = risk["weights"]
        # Alert when the model's probability reaches `threshold`, or, when the rules flag
        # a concern, when their reader's reaches `rule_threshold`; the rules' urgent
        # findings, and those of the `alone` categories, alert on their own.
        self.threshold: float = risk["threshold"]
        self.rule_threshold: float = risk["rule_threshold"]
        self.alone: frozenset[str] = frozenset(risk["alone"])
        # Whether it was trained on the sentence encoder's features: without them its
        # probabilities mean nothing, and the tagger reads risk by the rules alone.
        self.reads_meaning: bool = bool(risk.get("meaning", False))
        # Whether it weighs the tuned reader's score (encoder.TUNING_FILE): the same.
        self.reads_tuned: bool = bool(risk.get("tuned", False))
        # The words that say why an alert was raised: a model of the words alone.
        self.evidence_weights: dict[str, float] = risk.get("evidence", self.weights)
        # Which rule findings the coders flag too: a model trained on those alone.
        rules = model.get("rules", {"bias": 10.0, "weights": {}})
        self.rules_bias: float = rules["bias"]
        self.rules_weights: dict[str, float] = rules["weights"]
        categories = model["categories"]
        self.categories: list[str] = categories["ids"]
        self.category_bias: list[float] = categories["bias"]
        self.category_weights: dict[str, list[list[float]]] = categories["weights"]

    def probability(self, feats: dict[str, float]) -> float:
        weights = self.weights
        z = self.bias + sum(v * weights.get(k, 0.0) for k, v in feats.items())
        return _sigmoid(z)

    def rules_probability(self, feats: dict[str, float]) -> float:
        """Of a message the rules flag, how likely the coders flag it too."""
        weights = self.rules_weights
        return _sigmoid(self.rules_bias + sum(v * weights.get(k, 0.0) for k, v in feats.items()))

    def category(self, feats: dict[str, float]) -> str:
        """The codebook category the message most likely falls under."""
        scores = list(self.category_bias)
        for k, v in feats.items():
            for index, weight in self.category_weights.get(k, ()):
                scores[int(index)] += v * weight
        return self.categories[max(range(len(scores)), key=scores.__getitem__)]

    def judge(self, words: tuple[str, ...], clauses: tuple[int, ...], matches: list[Match],
              rules: Risk, tone: tuple[float, float] = (0.0, 0.0),
              meaning: dict[str, float] | None = None) -> Judged:
        feats = features(words, matches, rules, tone, meaning)
        p = self.probability(feats)
        if rules.level != NO_RISK:
            floor = 0.9 if rules.level == URGENT else 0.5
            score = max(p, floor)
            if (stands(rules, clauses, self.alone)
                    or self.rules_probability(feats) >= self.rule_threshold):
                return Judged(rules.level, rules.reasons, rules.words, round(score, 4))
        if p < self.threshold:
            # Below the line: not an alert, but the score still ranks a read list.
            return Judged(NO_RISK, (), (), round(p, 4))
        # The model's own alert is a concern: its category explains, it does not escalate
        # (a misread category must not make an alert urgent; the rules' urgent cues do).
        if rules.level != NO_RISK:
            return Judged(rules.level, rules.reasons, rules.words, round(max(p, 0.5), 4))
        return Judged(CONCERN, (self.category(feats),), self.evidence(words, clauses),
                      round(max(p, 0.5), 4))

    def evidence(self, words: tuple[str, ...], clauses: tuple[int, ...]) -> tuple[str, ...]:
        """The runs of words that weighed most towards risk: each word gets its own
        weight and half of each pair it stands in; the best runs of up to LONGEST_PHRASE
        words within one clause, the best first."""
        value = 1.0 / math.sqrt(len(gram_features(words)) or 1)
        weights = self.evidence_weights
        pull = [(weights.get(f"w:{w}", 0.0) + weights.get(f"f:{family(w)}", 0.0)) * value
                for w in words]
        for i, (a, b) in enumerate(pairwise(words)):
            half = weights.get(f"b:{a} {b}", 0.0) * value / 2
            pull[i] += half
            pull[i + 1] += half
        spans: list[tuple[float, int, int]] = []
        for start in range(len(words)):
            total = 0.0
            for end in range(start + 1, min(start + LONGEST_PHRASE, len(words)) + 1):
                if clauses[end - 1] != clauses[start]:
                    break
                total += pull[end - 1]
                if (pull[start] > 0 and pull[end - 1] > 0 and total > 0
                        and words[start] not in FUNCTION_WORDS
                        and words[end - 1] not in FUNCTION_WORDS):
                    spans.append((total, start, end))
        chosen: list[tuple[float, int, int]] = []
        for total, start, end in sorted(spans, reverse=True):
            if len(chosen) == PHRASES or (chosen and total < chosen[0][0] / 3):
                break
            if all(end <= s or start >= e for _, s, e in chosen):
                chosen.append((total, start, end))
        # A run keeps the "no" or "not" just before it ("no carer has been"); two runs
        # side by side in one clause are one phrase, in the text's order.
        chosen = [(total, start - 1, end)
                  if start and words[start - 1] in _NEGATORS
                  and clauses[start - 1] == clauses[start] else (total, start, end)
                  for total, start, end in chosen]
        runs: list[list[int]] = []
        for _, start, end in sorted(chosen, key=lambda c: c[1]):
            if runs and runs[-1][1] >= start and clauses[start - 1] == clauses[start]:
                runs[-1][1] = end
            else:
                runs.append([start, end])
        order = {start: n for n, (_, start, _) in enumerate(chosen)}
        runs.sort(key=lambda run: min(n for s, n in order.items() if run[0] <= s < run[1]))
        return tuple(" ".join(words[s:e]) for s, e in runs)


def load(name: str = MODEL_FILE) -> RiskModel:
    raw = resources.files("carebot.understanding").joinpath(name).read_text(encoding="utf-8")
    loaded: dict[str, Any] = json.loads(raw)
    return RiskModel(loaded)
