"""Finding cue words and phrases in text, with negation, fast and without NLTK.

Cues come from the data files (themes.toml, care_language.toml). Text and cues are split
into words by the same rule, so "short-staffed", "didn't" and "n/a" match themselves.
A cue ending in * matches any word that starts with it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from understanding.word_splitter import words

NEGATION_WINDOW = 3


@dataclass(frozen=True)
class Match:
    owner: str      # what the cue belongs to, e.g. "theme:punctuality"
    phrase: str     # the words as they stood in the text
    start: int      # index of the first word
    end: int        # index after the last word
    negated: bool   # a negator stood in the few words before it


@dataclass(frozen=True)
class _Cue:
    rest: tuple[str, ...]
    last_is_prefix: bool
    owner: str


class CueIndex:
    """All cues, indexed by their first word (or, for a one-word prefix cue, by its first
    three letters), so a text is read once, word by word."""

    def __init__(self, cues: Iterable[tuple[str, str]], negators: Iterable[str]) -> None:
        self._exact: dict[str, list[_Cue]] = defaultdict(list)
        self._prefix: dict[str, list[tuple[str, _Cue]]] = defaultdict(list)
        self._negators = frozenset(negators)
        for owner, cue in cues:
            prefix = cue.endswith("*")
            parts = words(cue.rstrip("*"))
            if not parts:
                continue
            if prefix and len(parts) == 1:
                stem = parts[0]
                self._prefix[stem[:3]].append((stem, _Cue((), True, owner)))
            else:
                self._exact[parts[0]].append(_Cue(tuple(parts[1:]), prefix, owner))

    def _fits(self, tokens: list[str], at: int, cue: _Cue) -> int:
        """The index after the cue if it matches at `at`, else 0."""
        end = at + 1 + len(cue.rest)
        if end > len(tokens):
            return 0
        for offset, part in enumerate(cue.rest):
            token = tokens[at + 1 + offset]
            last = offset == len(cue.rest) - 1
            if not (token == part or (last and cue.last_is_prefix and token.startswith(part))):
                return 0
        return end

    def find(self, tokens: list[str]) -> list[Match]:
        found: list[Match] = []
        for at, token in enumerate(tokens):
            candidates: list[tuple[_Cue, int]] = []
            for cue in self._exact.get(token, ()):
                end = self._fits(tokens, at, cue)
                if end:
                    candidates.append((cue, end))
            for stem, cue in self._prefix.get(token[:3], ()):
                if token.startswith(stem):
                    candidates.append((cue, at + 1))
            if not candidates:
                continue
            before = tokens[max(0, at - NEGATION_WINDOW):at]
            negated = any(t in self._negators for t in before)
            for cue, end in candidates:
                found.append(Match(cue.owner, " ".join(tokens[at:end]), at, end, negated))
        return found
