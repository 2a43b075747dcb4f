"""Training reads the sentence encoder's features through a cache on disk
(understanding/lab/meanings.py); each test keeps its own, away from the checkout."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebot.understanding.lab.meanings import CACHE_VARIABLE


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(CACHE_VARIABLE, str(folder))
    return folder
