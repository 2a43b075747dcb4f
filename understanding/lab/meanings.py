"""The sentence encoder's features of training texts, kept on disk between runs.

Reading 9,000 comments through the encoder takes minutes on two cores, and every
training run and every cross-validation reads the same texts again. Each text's
features are stored once, keyed by the text's SHA-256, in `meanings-<weights>.npz`
(named by the weights' hash) in `.cache/` under the working folder, or in the folder
CAREBOT_CACHE names, so only new or changed texts are read. The values are the
encoder's own, rounded as `Encoder.features` rounds them, so a cached run trains exactly
what an uncached one does.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from carebot.understanding import encoder as sentence_encoder

CACHE_VARIABLE = "CAREBOT_CACHE"
FEATURES_VERSION = 2  # bump when Encoder.features changes (2: sentences read within pieces)


def cache_folder() -> Path:
    return Path(os.environ.get(CACHE_VARIABLE, ".cache"))


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _as_row(found: dict[str, float]) -> list[float]:
    return [found.get(f"e:{j}", 0.0) for j in range(sentence_encoder.WIDTH)] + [
        found.get(f"s:{j}", 0.0) for j in range(sentence_encoder.WIDTH)]


def _as_features(row: np.ndarray) -> dict[str, float]:
    if not row.any():
        return {}
    half = sentence_encoder.WIDTH
    found = {f"e:{j}": round(float(v), 4) for j, v in enumerate(row[:half])}
    found.update({f"s:{j}": round(float(v), 4) for j, v in enumerate(row[half:])})
    return found


def meanings(texts: Sequence[str]) -> list[dict[str, float]]:
    """`Encoder.features(text)` for each text, from the cache where it is there.
    Raises ValueError when the encoder is not installed."""
    meaning = sentence_encoder.shared()
    if meaning is None:
        raise ValueError("the models read the sentence encoder, which is not installed "
                         "here: run `make install`")
    meaning = meaning.tuned(None)  # the tuned reader's score is not a meaning feature
    path = (cache_folder()
            / f"meanings-{sentence_encoder.WEIGHTS_SHA256[:12]}-v{FEATURES_VERSION}.npz")
    known: dict[str, np.ndarray] = {}
    if path.is_file():
        with np.load(path) as stored:
            known = dict(zip(stored["keys"].tolist(), stored["rows"], strict=True))
    keys = [_key(text) for text in texts]
    missing = {key: text for key, text in zip(keys, texts, strict=True) if key not in known}
    for key, text in missing.items():
        known[key] = np.asarray(_as_row(meaning.features(text)), dtype=np.float64)
    if missing:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".part.npz")
        np.savez(partial, keys=np.asarray(list(known)),
                 rows=np.stack(list(known.values())))
        partial.replace(path)
    return [_as_features(known[key]) for key in keys]
