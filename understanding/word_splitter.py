"""Splitting free text into words, without NLTK's downloadable corpora: one rule for the
tagger and its cues, so "short-staffed", "didn't" and "n/a" are each one word everywhere."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:['\-][a-z0-9]+)*")

def words(text: str) -> list[str]:
    """Lower-case words, apostrophes made plain, in order."""
    return _WORD.findall(text.lower().replace("’", "'").replace("‘", "'"))

