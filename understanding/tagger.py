"""What a piece of free text says: sentiment, care themes and safeguarding risk, with the
words that led to each, so a commissioner can see why and a duty worker can trust it.

Built on TextBlob's polarity (the only part of TextBlob that works offline, loaded alone
by blob.py), VADER's word ratings (lexicon.py), care cues from care_language.toml and
themes.toml, text made plain first (normalise.py), and a small linear model over words,
pairs of words, those readings and what the sentence encoder (encoder.py) makes of each
sentence, trained on labelled feedback (understanding/lab/training.py) and shipped as
tagger_model.json; tagger_words_model.json is the same trained on the words alone, for
a tagger without the encoder (`--fast`). Loading takes about a second; tagging needs no
network and no GPU. Risk is read twice: by rules
(safeguarding.py), whose urgent findings alert on their own, and by a small learned model
(risk_model.py) that reads indirect disclosures no cue foresaw and decides the rules'
weaker cues; either way an alert says why, in the message's own words.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import numpy as np

from carebot.understanding import encoder as sentence_encoder
from carebot.understanding.blob import sentiment as textblob_sentiment
from carebot.understanding.cues import CueIndex, Match
from carebot.understanding.labels import NO_RISK, SENTIMENTS
from carebot.understanding.lexicon import Warmth, warmth
from carebot.understanding.normalise import FUNCTION_WORDS, Plain, make_plain, plain_words
from carebot.understanding.risk_model import RiskModel, meaning_features, rules_only
from carebot.understanding.risk_model import load as load_risk_model
from carebot.understanding.safeguarding import assess, is_risk_cue, risk_cues
from carebot.understanding.themes import themes

log = logging.getLogger(__name__)

TAGGER_NAME = "carebot-tagger/1"
MODEL_FILE = "tagger_model.json"  # beside this module: models that read meaning too
WORDS_FILE = "tagger_words_model.json"  # the same trained on the words alone (--fast)
MAX_TEXT = 20_000  # characters read; beyond this a text is tagged on its opening part
_COUNT_CAP = 3.0
# A theme with fewer labelled examples than this is found by its cues alone.
MIN_EXAMPLES = 10


@dataclass(frozen=True)
class Reading:
    """What the tagger reads in a text before its model scores it."""
    plain: Plain
    matches: list[Match]
    polarity: float        # TextBlob's
    subjectivity: float    # TextBlob's
    warmth: Warmth         # VADER's lexicon


@dataclass(frozen=True)
class ThemeTag:
    id: str
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class Tags:
    sentiment: str                      # negative | neutral | positive
    polarity: float                     # -1 … 1
    themes: tuple[ThemeTag, ...]
    risk: str                           # none | concern | urgent
    risk_reasons: tuple[str, ...] = ()  # e.g. ("neglect", "fall")
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    risk_score: float = 0.0             # 0 … 1, how worrying: ranks a read list in a level
    language: str = "en"                # ISO 639-1: what it was written in

    @property
    def theme_ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.themes)

    @property
    def why(self) -> str:
        """Why the risk was flagged, in one line a duty worker can read: its categories,
        then the words that raised it ("neglect, fall: left on the floor; no one came").
        Empty when nothing was flagged."""
        if self.risk == NO_RISK:
            return ""
        categories = ", ".join(r.replace("_", " ") for r in self.risk_reasons)
        words = "; ".join(self.evidence.get("risk", ()))
        return f"{categories}: {words}" if categories and words else categories or words


def _data(name: str) -> dict[str, Any]:
    raw = resources.files("carebot.understanding").joinpath(name).read_text(encoding="utf-8")
    if name.endswith(".toml"):
        return tomllib.loads(raw)
    loaded: dict[str, Any] = json.loads(raw)
    return loaded


_BLOB_TOKEN = re.compile(r"[a-z0-9]+(?:['’][a-z]+)?|[!?]|[:;=8][\-o]?[()\[\]dpo/\\|]+|<3|\S")


def blob_words(text: str) -> list[str]:
    """Words as TextBlob's sentiment lexicon expects them: lower case, "n't" apart
    ("isn't" is "is", "n't", a negation), "!" and emoticons kept."""
    found: list[str] = []
    for token in _BLOB_TOKEN.findall(text.lower()):
        if len(token) > 3 and token.endswith(("n't", "n’t")):
            found += [token[:-3], "n't"]
        else:
            found.append(token)
    return found


def ngram_counts(tokens: tuple[str, ...] | list[str]) -> Counter[str]:
    """Each word, and each pair of words side by side, counted."""
    grams = [f"w:{t}" for t in tokens]
    grams += [f"b:{a} {b}" for a, b in itertools.pairwise(tokens)]
    return Counter(grams)


def _with_pairs(matches: list[Match]) -> list[Match]:
    """A theme cue for each theme both of whose 'together' lists are in the text."""
    halves: dict[str, dict[str, Match]] = {}
    plain = []
    for m in matches:
        if m.owner.startswith("together:"):
            _, theme, side = m.owner.split(":")
            halves.setdefault(theme, {}).setdefault(side, m)
        else:
            plain.append(m)
    for theme, sides in halves.items():
        if len(sides) == 2:
            first, second = sorted(sides.values(), key=lambda m: m.start)
            plain.append(Match(f"theme:{theme}", f"{first.phrase} … {second.phrase}",
                               first.start, second.end, False))
    return plain


def _sentiment(scores: list[float]) -> tuple[str, float]:
    """The most likely of negative, neutral, positive (the model's class order), and a
    polarity: how much likelier positive is than negative, from -1 to 1."""
    top = max(scores)
    negative, neutral, positive = (math.exp(s - top) for s in scores)
    total = negative + neutral + positive
    return SENTIMENTS[scores.index(top)], round((positive - negative) / total, 4)


def _bad_news(matches: list[Match], sentiment: str) -> bool:
    """The coders' rules: a mixed comment is negative, and what follows "but" is its point
    ("lovely staff but always late"); care bad news ("rushed", "nobody came") is never
    neutral."""
    said = [m for m in matches if not m.negated and m.owner in ("neg", "pos")]
    if sentiment == "neutral" and said and all(m.owner == "neg" for m in said):
        return True
    contrast_at = max((m.start for m in matches if m.owner == "contrast"), default=-1)
    after = [m for m in said if m.start > contrast_at]
    return (contrast_at >= 0 and any(m.owner == "neg" for m in after)
            and not any(m.owner == "pos" for m in after))


def _all_cues(language: dict[str, Any]) -> list[tuple[str, str]]:
    """Every cue, as (what it belongs to, the cue), from both data files."""
    sentiment = language["sentiment"]
    cues: list[tuple[str, str]] = []
    cues += [("neg", c) for c in sentiment["negative"]]
    cues += [("pos", c) for c in sentiment["positive"]]
    cues += [("contrast", c) for c in sentiment["contrast"]]
    cues += [("wish", c) for c in sentiment["wish"]]
    cues += risk_cues()
    cues += [(f"theme:{t.id}", c) for t in themes() for c in t.cues]
    cues += [(f"strong:{t.id}", c) for t in themes() for c in t.strong]
    cues += [(f"together:{t.id}:{side}", c) for t in themes() if t.together
             for side, group in enumerate(t.together) for c in group]
    return cues


class Tagger:
    """Load once (`default_tagger()`), then `tag(text)` as often as needed."""

    def __init__(self, model: dict[str, Any] | None = None,
                 risk_model: dict[str, Any] | None = None, *, fast: bool = False,
                 encoder: sentence_encoder.Encoder | None = None) -> None:
        """`model`, `risk_model`: the shipped files unless given; `fast`: risk by the
        rules alone, without the learned risk model or the sentence encoder (`carebot tag
        --fast`); `encoder`: the process's shared one unless given."""
        self._blob = textblob_sentiment()
        self.risk_model: RiskModel | None = (
            None if fast else RiskModel(risk_model) if risk_model is not None
            else load_risk_model())
        # The parsed file is not kept: its weights are copied into one matrix below.
        self.encoder: sentence_encoder.Encoder | None = None
        risk_meaning = self.risk_model is not None and self.risk_model.reads_meaning
        if not fast and (model is None or model.get("meaning", False) or risk_meaning):
            self.encoder = encoder or sentence_encoder.shared()
        if model is None:  # without the encoder, the models of the words alone
            model = _data(MODEL_FILE if self.encoder is not None else WORDS_FILE)
        if self.encoder is None and risk_meaning:
            self.risk_model = None  # logged by the encoder: risk by the rules alone
        elif (self.risk_model is not None and self.risk_model.reads_tuned
              and self.encoder is not None and self.encoder.tuning is None):
            log.error("The risk model weighs the tuned reader, but %s is missing; risk is "
                      "read by the rules alone.", sentence_encoder.TUNING_FILE)
            self.risk_model = None
        language = _data("care_language.toml")
        sentiment = language["sentiment"]
        self._whole_positive = frozenset(" ".join(plain_words(p))
                                         for p in sentiment["positive_whole"])
        self._cues = CueIndex(_all_cues(language), language["negators"], by_family=is_risk_cue)
        self._reads_meaning = bool(model.get("meaning", False))
        self._idf: dict[str, float] = model["idf"]
        self._bigrams: dict[tuple[str, ...], tuple[float, int]] = {}
        self._word_cache: dict[str, tuple[float, int] | None] = {}
        self._load_models(model["sentiment"], model["themes"])

    def _load_models(self, sentiment: dict[str, Any], themes: dict[str, Any]) -> None:
        """Both models as one matrix, one row per feature and sentiment's three columns
        first, so scoring a text is one product."""
        self._theme_ids: list[str] = themes["ids"]
        self._theme_index = {theme: k for k, theme in enumerate(self._theme_ids)}
        if tuple(sentiment["classes"]) != SENTIMENTS:
            raise ValueError("the model's sentiment classes are not in carebot's order")
        names = sorted(set(sentiment["weights"]) | set(themes["weights"]))
        self._row = {name: i for i, name in enumerate(names)}
        self._matrix = np.zeros((len(names), 3 + len(self._theme_ids)))
        for name, weights in sentiment["weights"].items():
            self._matrix[self._row[name], :3] = weights
        for name, pairs in themes["weights"].items():
            for k, w in pairs:
                self._matrix[self._row[name], 3 + int(k)] = w
        self._names = names
        self._bigrams = {tuple(g[2:].split(" ", 1)): (w, self._row.get(g, -1))
                         for g, w in self._idf.items() if g.startswith("b:")}
        self._bias = np.concatenate([sentiment["bias"], themes["bias"]])
        self._thresholds = np.asarray(themes["thresholds"])
        # How far below its threshold a theme may score and still count when one of its
        # cues is in the text (chosen in training); themes the model saw few examples of
        # are found by their cues alone.
        support = themes.get("support", [0] * len(self._theme_ids))
        margins = themes.get("cue_margins", [1.0] * len(self._theme_ids))
        self._cue_floor = np.asarray([
            -np.inf if n < MIN_EXAMPLES else threshold - margin
            for n, threshold, margin in zip(support, self._thresholds, margins, strict=True)
        ])

    # ----- features, shared with training ---------------------------------------------

    def read(self, text: str) -> Reading:
        text = text[:MAX_TEXT]
        plain = make_plain(text)
        polarity = subjectivity = 0.0
        if plain.words:
            # TextBlob's PatternAnalyzer itself (TextBlob(text).sentiment gives these two
            # numbers, wrapped in a namedtuple class it builds anew on every call), given
            # the words split here: its own splitter takes half its time, and leaves
            # "wasn't" whole, so "wasn't good" read as good.
            polarity, subjectivity = (float(v) for v in self._blob(blob_words(text)))
        return Reading(plain, _with_pairs(self._cues.find(plain)), polarity, subjectivity,
                       warmth(plain.words, text))

    def dense_features(self, reading: Reading) -> dict[str, float]:
        tokens, matches = reading.plain.words, reading.matches
        polarity, subjectivity = reading.polarity, reading.subjectivity
        feats: Counter[str] = Counter()
        contrast_at = max((m.start for m in matches if m.owner == "contrast"), default=-1)
        for m in matches:
            if m.owner in ("neg", "pos"):
                kind = f"cue:{m.owner}{'_negated' if m.negated else ''}"
                feats[kind] += 1
                if contrast_at >= 0 and m.start > contrast_at:
                    feats[f"{kind}_after_but"] += 1
            elif m.owner == "wish":
                feats["cue:wish"] += 1
            elif m.owner.startswith("theme:"):
                feats[f"cue:{m.owner}"] += 1
            elif m.owner.startswith("risk:") and not m.negated:
                feats["cue:risk"] += 1
        dense = {k: min(float(v), _COUNT_CAP) for k, v in feats.items()}
        dense["tb:polarity"] = polarity
        dense["tb:subjectivity"] = subjectivity
        dense["lex:compound"] = reading.warmth.compound
        dense["lex:positive"] = min(reading.warmth.positive / 4, 1.0)
        dense["lex:negative"] = min(reading.warmth.negative / 4, 1.0)
        if polarity > 0 and dense.get("cue:neg", 0):
            dense["tb:positive_with_bad_news"] = 1.0
        if " ".join(tokens) in self._whole_positive:
            dense["whole:nothing_to_improve"] = 1.0
        if len(tokens) <= 3:
            dense["len:short"] = 1.0
        return dense

    def _gram(self, gram: str) -> tuple[float, int] | None:
        """A gram's idf and model row (-1: not in the model), or None if unknown."""
        weight = self._idf.get(gram)
        return None if weight is None else (weight, self._row.get(gram, -1))

    def _word_gram(self, token: str) -> tuple[float, int] | None:
        """A word's gram: its idf and model row, worked out once per word."""
        if token not in self._word_cache:
            self._word_cache[token] = self._gram(f"w:{token}")
        return self._word_cache[token]

    def vector(self, reading: Reading,
               meaning: dict[str, float] | None = None) -> tuple[list[int], list[float]]:
        """The features the model reads, as its rows and their values: tf-idf n-grams
        (l2-normalised, as ngram_counts counts them), dense cues and, when the model
        reads them, the sentence encoder's `meaning` features."""
        tokens = reading.plain.words
        found = [(self._word_gram(token), n) for token, n in Counter(tokens).items()]
        pairs = Counter(itertools.pairwise(tokens))
        found += [(self._bigrams.get(pair), n) for pair, n in pairs.items()]
        rows: list[int] = []
        values: list[float] = []
        squares = 0.0
        for known, n in found:
            if known is None:
                continue
            weight, row = known
            value = weight if n == 1 else (1 + math.log(n)) * weight
            squares += value * value
            if row >= 0:
                rows.append(row)
                values.append(value)
        norm = math.sqrt(squares) or 1.0
        values = [v / norm for v in values]
        dense = self.dense_features(reading)
        if meaning and self._reads_meaning:
            dense.update(meaning_features(meaning))
        for feature, value in dense.items():
            dense_row = self._row.get(feature)
            if dense_row is not None:
                rows.append(dense_row)
                values.append(value)
        return rows, values

    # ----- tagging --------------------------------------------------------------------

    def tag(self, text: str) -> Tags:
        if not text or not text.strip():
            return Tags("neutral", 0.0, (), NO_RISK)
        reading = self.read(text)
        matches = reading.matches
        meaning = self.encoder.features(text[:MAX_TEXT]) if self.encoder is not None else None
        rows, values = self.vector(reading, meaning)
        x = np.asarray(values)
        weights = self._matrix[rows]
        scores = self._bias + x @ weights
        sentiment, polarity = _sentiment(scores[:3].tolist())
        if sentiment != "negative" and _bad_news(matches, sentiment):
            sentiment, polarity = "negative", -abs(polarity)
        found_themes = self._themes(x, rows, weights[:, 3:], scores[3:], matches)
        rules = assess(reading.plain, matches)
        plain = reading.plain
        tone = (reading.polarity, reading.warmth.compound)
        risk = (self.risk_model.judge(plain.words, plain.clauses, matches, rules, tone, meaning)
                if self.risk_model is not None else rules_only(rules))
        care_words = tuple(dict.fromkeys(m.phrase for m in matches
                                         if m.owner in ("neg", "pos") and not m.negated))
        evidence = {"sentiment": care_words, "risk": risk.words}
        return Tags(sentiment, polarity, found_themes, risk.level, risk.reasons, evidence,
                    risk.score)

    def _themes(self, x: np.ndarray[Any, Any], rows: list[int], weights: np.ndarray[Any, Any],
                scores: np.ndarray[Any, Any], matches: list[Match]) -> tuple[ThemeTag, ...]:
        cue_words: dict[str, list[str]] = {}
        strong: set[str] = set()
        for m in matches:
            if m.owner.startswith(("theme:", "strong:")):
                theme = m.owner.split(":", 1)[1]
                cue_words.setdefault(theme, []).append(m.phrase)
                if m.owner.startswith("strong:"):
                    strong.add(theme)
        # A theme is found when the model is sure enough; when one of its cues is in the
        # text and the model does not strongly disagree (cues carry care words - rota,
        # visits, respite - that the health comments it learnt from never used); or when
        # one of its strong cues is there at all.
        chosen = set(np.flatnonzero(scores >= self._thresholds).tolist())
        chosen.update(self._theme_index[t] for t in strong)
        chosen.update(self._theme_index[t] for t in cue_words
                      if scores[self._theme_index[t]] >= self._cue_floor[self._theme_index[t]])
        found = []
        for k in sorted(chosen):
            theme_id = self._theme_ids[k]
            said = cue_words.get(theme_id)
            if not said:  # no cue: the words that counted most for this theme
                pull = x * weights[:, k]
                said = [self._names[rows[i]][2:] for i in np.argsort(-pull)
                        if pull[i] > 0 and self._names[rows[i]][:2] in ("w:", "b:")
                        and _tells(self._names[rows[i]][2:])][:2]
            if said:  # a theme no words led to cannot be explained, so is not given
                found.append(ThemeTag(theme_id, tuple(dict.fromkeys(said))))
        return tuple(found)


# Words that weigh in the model but say nothing of a theme to a reader ("I want", "she",
# "can't get"): a theme's evidence needs a word beyond these and the function words.
_SAYS_NOTHING = frozenset({"im", "ive", "id", "own", "more", "please", "says", "say", "said",
                           "get", "got", "getting", "cant", "can", "could", "would", "will",
                           "want", "wants", "like", "not", "no", "dont", "didnt", "one",
                           "what", "who", "how", "some", "any", "about", "again", "still",
                           "now", "always", "never", "ever", "really", "too", "also"})


def _tells(gram: str) -> bool:
    """Whether a word or pair of words could tell a reader what a comment is about."""
    return any(word not in FUNCTION_WORDS and word not in _SAYS_NOTHING
               for word in gram.split())


@cache
def default_tagger() -> Tagger:
    return Tagger()


def tag_text(text: str) -> Tags:
    return default_tagger().tag(text)
