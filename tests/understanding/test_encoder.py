"""The sentence encoder (understanding/encoder.py): all-MiniLM-L6-v2's forward pass in
numpy, on the installed weights. Checked against what a sentence encoder must do (unit
vectors, padding that changes nothing, a worry said two ways closer than praise), and its
safety: weights that are not the upstream release's are refused, and without them the
tagger reads risk by the rules alone."""

from __future__ import annotations

import json
import logging
import math
import shutil
import struct
from pathlib import Path

import numpy as np
import pytest

from carebot.understanding import encoder
from carebot.understanding.risk_model import RiskModel
from carebot.understanding.tagger import Tagger, default_tagger


@pytest.fixture(scope="module")
def shared() -> encoder.Encoder:
    found = encoder.shared()
    assert found is not None, "make install installs the encoder's weights"
    return found


def test_a_message_is_read_sentence_by_sentence() -> None:
    text = "The carer was late again.  Mum fell on Sunday!\nNobody rang me. ok"
    # "ok" is too short to be a sentence of its own.
    assert encoder.sentences(text) == ["The carer was late again.", "Mum fell on Sunday!",
                                       "Nobody rang me."]
    assert encoder.sentences("no full stop at all") == ["no full stop at all"]
    assert len(encoder.sentences("Yes. " * 50)) == encoder.MAX_SENTENCES


def test_erf_is_within_its_published_error() -> None:
    x = np.linspace(-5, 5, 2001, dtype=np.float32)
    worst = max(abs(float(v) - math.erf(float(p))) for p, v in zip(x, encoder._erf(x),
                                                                    strict=True))
    assert worst < 5e-7


def test_safetensors_are_read_as_the_format_lays_them_out(tmp_path: Path) -> None:
    first = np.arange(6, dtype=np.float32).reshape(2, 3)
    second = np.asarray([0.5, -1.5], dtype=np.float32)
    header = {"first": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "second": {"dtype": "F32", "shape": [2], "data_offsets": [24, 32]},
              "__metadata__": {"format": "pt"}}
    raw = json.dumps(header).encode()
    path = tmp_path / "tiny.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + first.tobytes() + second.tobytes())
    tensors = encoder.read_safetensors(path)
    assert sorted(tensors) == ["first", "second"]
    assert np.array_equal(tensors["first"], first)
    assert np.array_equal(tensors["second"], second)


def test_vectors_are_unit_length_and_padding_changes_nothing(shared: encoder.Encoder) -> None:
    texts = ["ok", "My carer did not turn up and I was left on the floor all night."]
    together = shared.embed(texts)
    assert together.shape == (2, encoder.WIDTH)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-5)
    for text, row in zip(texts, together, strict=True):  # the short one was padded
        assert np.allclose(shared.embed([text])[0], row, atol=1e-5)


def test_a_worry_said_two_ways_sits_closer_than_praise(shared: encoder.Encoder) -> None:
    fell, left, praise = shared.embed([
        "I fell over and nobody came to help me.",
        "I had a fall and was left on the floor on my own.",
        "The carers are lovely and the lunch was nice.",
    ])
    assert float(fell @ left) > float(fell @ praise) + 0.2


def test_sentences_are_packed_whole_into_pieces(shared: encoder.Encoder) -> None:
    text = "The lunch was nice. Nobody came last night and I was scared."
    (piece,) = shared.pieces(text)
    second = encoder.sentences(text)[1]
    assert len(piece.spans) == 2
    (a, b), (c, d) = piece.spans
    own = shared._tokenizer.encode(second, add_special_tokens=False).ids
    assert (a, b, c) == (1, d - len(own), b) and list(piece.ids[c:d]) == own
    assert d == len(piece.ids) - 1, "then [SEP]"
    # A long message fills a piece, then starts another; a sentence is never split.
    long = " ".join(f"Sentence number {n} says the carer came late again." for n in range(12))
    pieces = shared.pieces(long)
    assert len(pieces) == 2 and all(len(p.ids) <= encoder.MAX_TOKENS for p in pieces)
    assert sum(len(p.spans) for p in pieces) == encoder.MAX_SENTENCES


def test_features_are_the_mean_and_the_largest_over_sentences(
        shared: encoder.Encoder) -> None:
    text = "The lunch was nice. Nobody came last night and I was scared."
    found = shared.features(text)
    vectors, _ = shared.tuned(None).read(text)
    assert vectors.shape == (2, encoder.WIDTH)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert found["e:7"] == pytest.approx(float(vectors[:, 7].mean()), abs=1e-4)
    assert found["s:7"] == pytest.approx(float(vectors[:, 7].max()), abs=1e-4)
    # Each sentence is read in the context of its piece: near, not equal, to alone.
    alone = shared.embed(encoder.sentences(text))
    assert all(float(v @ w) > 0.8 for v, w in zip(vectors, alone, strict=True))
    assert shared.features("   ") == {}


def test_the_tuned_reader_scores_worries_above_praise(shared: encoder.Encoder) -> None:
    assert shared.tuning is not None, "the shipped tuning is loaded with the encoder"
    worry = shared.features("Nobody came last night and Dad was on the floor until morning.")
    praise = shared.features("The carers are lovely and the lunch was nice.")
    assert worry[encoder.TUNED] > praise[encoder.TUNED] + 2
    assert encoder.TUNED not in shared.tuned(None).features("Nobody came last night.")


def test_weights_that_are_not_the_upstream_release_are_refused(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    folder = encoder.model_folder()
    assert folder is not None
    shutil.copy(folder / "tokenizer.json", tmp_path / "tokenizer.json")
    (tmp_path / "model.safetensors").write_bytes(b"\0" * 64)
    with caplog.at_level(logging.WARNING):
        assert encoder.load(tmp_path) is None
        assert encoder.load(tmp_path / "absent") is None
    assert "not the upstream release" in caplog.text and "not installed" in caplog.text


def test_without_the_encoder_risk_is_read_by_the_rules_alone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A worry only the model reads (a coded message it learnt from) goes unflagged.
    unsaid = "please dont send Gary again. i dont want him in my house. i cant say why on here"
    assert default_tagger().tag(unsaid).risk != "none"
    monkeypatch.setattr(encoder, "shared", lambda: None)
    tagger = Tagger()
    assert tagger.risk_model is None and tagger.encoder is None
    assert tagger.tag("I want to kill myself").risk == "urgent"
    assert tagger.tag(unsaid).risk == Tagger(fast=True).tag(unsaid).risk == "none"


def test_the_shipped_risk_model_reads_the_encoder() -> None:
    tagger = default_tagger()
    assert isinstance(tagger.risk_model, RiskModel) and tagger.risk_model.reads_meaning
    assert tagger.risk_model.reads_tuned
    assert tagger.encoder is not None and tagger.encoder.tuning is not None
    assert Tagger(fast=True).encoder is None
