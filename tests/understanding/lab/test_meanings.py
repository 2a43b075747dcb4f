"""The training cache of the sentence encoder's features (understanding/lab/meanings.py):
a cached run must train exactly what an uncached one does, and read each text once."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebot.understanding import encoder
from carebot.understanding.lab.meanings import meanings

TEXTS = ["The carer did not come today. Mum sat in her chair all day.",
         "Lovely staff, always on time.", ""]


def test_cached_features_are_the_encoders_own(own_cache: Path) -> None:
    shared = encoder.shared()
    assert shared is not None, "make install installs the encoder's weights"
    first = meanings(TEXTS)
    assert list(own_cache.glob("meanings-*.npz")), "the features are kept on disk"
    # The encoder's own features; the tuned reader's score is not among them.
    assert first == [shared.tuned(None).features(text) for text in TEXTS]
    assert first[2] == {}, "an empty text has no meaning features, as the encoder says"
    assert meanings(TEXTS[::-1]) == first[::-1]


def test_a_text_is_read_by_the_encoder_once(monkeypatch: pytest.MonkeyPatch) -> None:
    meanings(TEXTS[:1])
    read: list[str] = []
    original = encoder.Encoder.features

    def counted(self: encoder.Encoder, text: str) -> dict[str, float]:
        read.append(text)
        return original(self, text)

    monkeypatch.setattr(encoder.Encoder, "features", counted)
    meanings(TEXTS[:2])
    assert read == [TEXTS[1]], "only the text not seen before is read"


def test_without_the_encoder_training_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(encoder, "shared", lambda: None)
    with pytest.raises(ValueError, match="make install"):
        meanings(TEXTS)
