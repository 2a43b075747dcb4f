"""Fine-tuning the sentence encoder's last layers to read risk: the tuned reader whose
score the risk model weighs (a developer's job; needs PyTorch: requirements-train.txt).

A logistic model over frozen sentence embeddings flags about 0.80 of what both coders
flag at 4 % false alarms; letting the encoder itself learn from the coded messages
flags about 0.9 (docs/tagger-evaluation.md). Only low-rank updates (LoRA: W + s·B·A,
rank RANK) to the last TOP layers' matrices and a one-unit head on their mean output
are learned, about 110,000 numbers, so the shipped file is small and the released
weights stay as they are. The layers below are frozen, so each text's state there is
worked out once, by carebot's own numpy encoder, and every training run starts from it;
the torch layers here mirror understanding/encoder.py's, and a test holds the two to
the same answer.

What it learns from is what the risk model learns from (lab/risk_training.py): either
coder flags the message, FFT comments as risk none (each epoch all coded messages and
half as many FFT comments, drawn afresh). The risk model reads the tuned reader's logit
as one more feature; so that it learns how far to trust it on messages the reader has
not seen, each training message's logit comes from a reader trained without its fold.
A run (the fold readers and the final one) is kept in the cache folder, keyed by
everything it depends on.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from carebot.understanding import encoder as sentence_encoder
from carebot.understanding.lab.meanings import cache_folder

TOP = 2              # layers tuned, counted from the last
RANK = 8
SCALE = 2.0          # the updates' weight (LoRA's alpha / rank)
EPOCHS = 3
LEARNING_RATE = 5e-4
BATCH = 16           # messages
DROPOUT = 0.1
FFT_PER_CODED = 0.5  # FFT comments drawn each epoch, per coded message
SEED = 29
VERSION = 1          # bump when the training changes, so cached runs are not reused


@dataclass(frozen=True)
class Example:
    text: str
    risky: bool
    fft: bool


@dataclass(frozen=True)
class _Lower:
    """A text's pieces as the frozen layers leave them."""
    states: np.ndarray[Any, Any]   # pieces × tokens × WIDTH
    mask: np.ndarray[Any, Any]     # pieces × tokens


def _torch() -> Any:
    try:
        import torch
    except ImportError as missing:
        raise ValueError("fine-tuning the risk reader needs PyTorch's CPU build: "
                         "pip install -r requirements-train.txt (make install does)"
                         ) from missing
    return torch


def lower_states(encoder: sentence_encoder.Encoder, texts: Sequence[str]) -> list[_Lower]:
    """Each text's pieces through the frozen layers (those below the tuned ones)."""
    found = []
    for text in texts:
        # A text with no tokens (an empty one) trains as a lone dash; the bot gives it no
        # score, as it gives it no features.
        pieces = encoder.pieces(text) or [encoder.pieces("-")[0]]
        x, mask, _ = encoder.lower([p.ids for p in pieces], sentence_encoder.LAYERS - TOP)
        found.append(_Lower(x, mask))
    return found


class _Reader:
    """The tuned layers and the head, in torch: the same sums as Encoder.read."""

    def __init__(self, torch: Any, tensors: dict[str, Any], seed: int) -> None:
        generator = torch.Generator().manual_seed(seed)
        self.torch = torch
        self.base = {k: torch.from_numpy(np.array(v)) for k, v in tensors.items()
                     if k.startswith(tuple(f"encoder.layer.{i}." for i in self._layers()))}
        self.updates: dict[tuple[int, str], tuple[Any, Any]] = {}
        for i in self._layers():
            for part, name in sentence_encoder.PARTS.items():
                rows, columns = self.base[f"encoder.layer.{i}.{name}.weight"].shape
                a = torch.randn(RANK, columns, generator=generator) * 0.01
                self.updates[(i, part)] = (a.requires_grad_(),
                                           torch.zeros(rows, RANK, requires_grad=True))
        self.head_weight = (torch.randn(sentence_encoder.WIDTH, generator=generator)
                            * 0.01).requires_grad_()
        self.head_bias = torch.zeros(1, requires_grad=True)
        self.training = False

    @staticmethod
    def _layers() -> range:
        return range(sentence_encoder.LAYERS - TOP, sentence_encoder.LAYERS)

    def parameters(self) -> list[Any]:
        return [p for pair in self.updates.values() for p in pair] + [self.head_weight,
                                                                         self.head_bias]

    def _linear(self, x: Any, i: int, part: str) -> Any:
        f = self.torch.nn.functional
        name = f"encoder.layer.{i}.{sentence_encoder.PARTS[part]}"
        a, b = self.updates[(i, part)]
        tuned = f.linear(f.linear(f.dropout(x, DROPOUT, self.training), a), b)
        return f.linear(x, self.base[name + ".weight"], self.base[name + ".bias"]) + SCALE * tuned

    def _norm(self, x: Any, name: str) -> Any:
        return self.torch.nn.functional.layer_norm(
            x, (sentence_encoder.WIDTH,), self.base[name + ".weight"],
            self.base[name + ".bias"], eps=1e-12)

    def _layer(self, x: Any, hidden: Any, i: int) -> Any:
        torch, f = self.torch, self.torch.nn.functional
        count, longest, _ = x.shape
        size = sentence_encoder.WIDTH // sentence_encoder.HEADS

        def heads(part: str) -> Any:
            return self._linear(x, i, part).view(count, longest, sentence_encoder.HEADS,
                                                 size).transpose(1, 2)

        scores = heads("query") @ heads("key").transpose(-1, -2) / math.sqrt(size) + hidden
        mixed = (torch.softmax(scores, -1) @ heads("value")).transpose(1, 2).reshape(
            count, longest, sentence_encoder.WIDTH)
        x = self._norm(self._linear(mixed, i, "attention_out") + x,
                       f"encoder.layer.{i}.attention.output.LayerNorm")
        inner = f.gelu(self._linear(x, i, "intermediate"))
        return self._norm(self._linear(inner, i, "out") + x,
                          f"encoder.layer.{i}.output.LayerNorm")

    def logits(self, texts: Sequence[_Lower]) -> Any:
        """Each text's logit: the highest over its pieces."""
        torch, f = self.torch, self.torch.nn.functional
        longest = max(t.states.shape[1] for t in texts)
        states = np.concatenate([np.pad(t.states, ((0, 0), (0, longest - t.states.shape[1]),
                                                   (0, 0))) for t in texts])
        mask = torch.from_numpy(np.concatenate([
            np.pad(t.mask, ((0, 0), (0, longest - t.mask.shape[1]))) for t in texts]))
        x = torch.from_numpy(states)
        hidden = (1.0 - mask)[:, None, None, :] * -1e9
        for i in self._layers():
            x = self._layer(x, hidden, i)
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
        piece = f.dropout(pooled, DROPOUT, self.training) @ self.head_weight + self.head_bias
        ends = np.cumsum([len(t.states) for t in texts])
        return torch.stack([piece[end - len(t.states):end].max()
                            for t, end in zip(texts, ends, strict=True)])

    def arrays(self) -> dict[str, np.ndarray[Any, Any]]:
        """The tuning as `encoder.read_tuning` reads it (float16: it is data, and half
        the size; the risk model learns from logits read back through it)."""
        found: dict[str, np.ndarray[Any, Any]] = {
            "top": np.asarray(TOP), "scale": np.asarray(SCALE),
            "head.weight": self.head_weight.detach().numpy().astype(np.float16),
            "head.bias": self.head_bias.detach().numpy().astype(np.float16)}
        for (i, part), (a, b) in self.updates.items():
            found[f"{i}.{part}.A"] = a.detach().numpy().astype(np.float16)
            found[f"{i}.{part}.B"] = b.detach().numpy().astype(np.float16)
        return found


def train(encoder: sentence_encoder.Encoder, states: Sequence[_Lower],
          examples: Sequence[Example], seed: int = SEED,
          epochs: int = EPOCHS) -> dict[str, np.ndarray[Any, Any]]:
    """A tuning learnt from these examples (their lower states given), as arrays."""
    torch = _torch()
    torch.manual_seed(seed)
    draw = random.Random(seed)
    reader = _Reader(torch, encoder.tensors, seed)
    optimiser = torch.optim.AdamW(reader.parameters(), lr=LEARNING_RATE, weight_decay=0.01)
    coded = [i for i, ex in enumerate(examples) if not ex.fft]
    fft = [i for i, ex in enumerate(examples) if ex.fft]
    reader.training = True
    for _ in range(epochs):
        chosen = coded + draw.sample(fft, min(len(fft), int(len(coded) * FFT_PER_CODED)))
        draw.shuffle(chosen)
        # Texts of a length together, so little of a batch is padding.
        chosen.sort(key=lambda i: len(examples[i].text) // 40 + draw.random())
        batches = [chosen[k:k + BATCH] for k in range(0, len(chosen), BATCH)]
        draw.shuffle(batches)
        for batch in batches:
            target = torch.tensor([float(examples[i].risky) for i in batch])
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                reader.logits([states[i] for i in batch]), target)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
    return reader.arrays()


def save(arrays: dict[str, np.ndarray[Any, Any]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.stem + ".part.npz")
    np.savez(partial, **arrays)  # type: ignore[arg-type]
    partial.replace(path)


def _key(examples: Sequence[Example], folds: Sequence[int], epochs: int) -> str:
    digest = hashlib.sha256(json.dumps(
        [VERSION, TOP, RANK, SCALE, epochs, LEARNING_RATE, BATCH, DROPOUT, FFT_PER_CODED, SEED,
         sentence_encoder.WEIGHTS_SHA256, list(folds),
         [(ex.text, ex.risky, ex.fft) for ex in examples]]).encode())
    return digest.hexdigest()[:16]


@dataclass(frozen=True)
class Run:
    logits: list[float]   # each example's, from the reader trained without its fold
    tuning: Path          # the reader trained on all of them


def fine_tune(examples: Sequence[Example], folds: Sequence[int],
              epochs: int = EPOCHS) -> Run:
    """The fold readers' out-of-fold logits and the final reader, from the cache when
    this exact run was made before."""
    encoder = sentence_encoder.shared()
    if encoder is None:
        raise ValueError("fine-tuning reads the sentence encoder, which is not installed "
                         "here: run `make install`")
    folder = cache_folder() / f"tuning-{_key(examples, folds, epochs)}"
    final, logits_file = folder / sentence_encoder.TUNING_FILE, folder / "logits.npy"
    if final.is_file() and logits_file.is_file():
        return Run(np.load(logits_file).tolist(), final)
    states = lower_states(encoder, [ex.text for ex in examples])
    logits = [0.0] * len(examples)
    for k in sorted(set(folds)):
        inside = [i for i, f in enumerate(folds) if f != k]
        path = folder / f"fold-{k}.npz"
        save(train(encoder, [states[i] for i in inside], [examples[i] for i in inside],
                   SEED + k, epochs), path)
        reader = encoder.tuned(sentence_encoder.read_tuning(path))
        for i, f in enumerate(folds):
            if f == k:
                logits[i] = reader.features(examples[i].text).get(sentence_encoder.TUNED, 0.0)
        print(f"  tuned reader without fold {k}: done")
    save(train(encoder, states, examples, SEED, epochs), final)
    np.save(logits_file, np.asarray(logits))
    return Run(logits, final)
