"""Finding cue words and phrases in text, with negation, fast and without NLTK.

Cues come from the data files (themes.toml, care_language.toml, safeguarding.toml) and
are matched on plain text (normalise.py), word family against word family, so the cue
"shout at" finds "shouted at", "shouting at" and "shoutin at". In a cue:
  a|b     either word
  (a b|c) either phrase: "(go on|wake up)"
  word*   any word that starts with it ("suicid*")
  =word   this word only, not its family ("=fit" is not "fitted")
  ..      up to three other words ("took .. card" finds "took his bank card")
  ...     up to six other words
  a ~ b   a and b within six words of each other, either way round
All of a cue's words stand in one clause ("fell. Fine now" is two).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from understanding.normalise import Plain, family, plain_words

NEGATION_WINDOW = 3
_GAPS = {"..": 3, "...": 6}


@dataclass(frozen=True)
class Match:
    owner: str      # what the cue belongs to, e.g. "theme:punctuality"
    phrase: str     # the words as they stood in the text, made plain
    start: int      # index of the first word
    end: int        # index after the last word
    negated: bool   # a negator stood in the few words before it, in its clause


@dataclass(frozen=True)
class _Word:
    """One place in a cue: any of some families, exact words or word beginnings."""
    families: frozenset[str] = frozenset()
    exact: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def fits(self, word: str, key: str) -> bool:
        return key in self.families or word in self.exact or word.startswith(self.prefixes)


@dataclass(frozen=True)
class _Cue:
    owner: str
    steps: tuple[_Word | int, ...]   # a word, or the most words a gap may hold


def _word(chunk: str) -> list[_Word]:
    """The cue words one chunk stands for (one place, or several for "no-one")."""
    families: set[str] = set()
    exact: set[str] = set()
    prefixes: list[str] = []
    alternatives = chunk.split("|")
    for alt in alternatives:
        marker = "*" if alt.endswith("*") else "=" if alt.startswith("=") else ""
        parts = plain_words(alt.strip("*="))
        if len(parts) != 1:
            if len(alternatives) == 1 and not marker and parts:
                return [_Word(frozenset({family(p)})) for p in parts]
            raise ValueError(f"cue word {alt!r} in {chunk!r} is not one plain word")
        if marker == "*":
            prefixes.append(parts[0])
        elif marker == "=":
            exact.add(parts[0])
        else:
            families.add(family(parts[0]))
    return [_Word(frozenset(families), frozenset(exact), tuple(prefixes))]


_GROUP = re.compile(r"\(([^()]*)\)")


def parse(owner: str, cue: str) -> list[_Cue]:
    """A cue as written in a data file, as the patterns it stands for ("a ~ b" is two,
    "(a b|c) d" is two)."""
    group = _GROUP.search(cue)
    if group:
        return [p for choice in group.group(1).split("|")
                for p in parse(owner, f"{cue[:group.start()]}{choice}{cue[group.end():]}")]
    if " ~ " in cue:
        first, second = (c.strip() for c in cue.split(" ~ ", 1))
        return parse(owner, f"{first} ... {second}") + parse(owner, f"{second} ... {first}")
    steps: list[_Word | int] = []
    for chunk in cue.split():
        if chunk in _GAPS:
            steps.append(_GAPS[chunk])
        else:
            steps.extend(_word(chunk))
    if not steps or not isinstance(steps[0], _Word) or not isinstance(steps[-1], _Word):
        raise ValueError(f"cue {cue!r} must start and end with a word")
    return [_Cue(owner, tuple(steps))]


class CueIndex:
    """All cues, indexed by the families (or first three letters) their first word may
    have, so a text is read once, word by word."""

    def __init__(self, cues: Iterable[tuple[str, str]], negators: Iterable[str]) -> None:
        self._by_family: dict[str, list[_Cue]] = defaultdict(list)
        self._by_letters: dict[str, list[_Cue]] = defaultdict(list)
        self._by_word: dict[str, list[_Cue]] = defaultdict(list)
        self._negators = frozenset(w for n in negators for w in plain_words(n))
        for owner, text in cues:
            for cue in parse(owner, text):
                first = cue.steps[0]
                assert isinstance(first, _Word)
                for key in first.families:
                    self._by_family[key].append(cue)
                for word in first.exact:
                    self._by_word[word].append(cue)
                for prefix in first.prefixes:
                    self._by_letters[prefix[:3]].append(cue)

    @staticmethod
    def _end(plain: Plain, at: int, steps: tuple[_Word | int, ...], clause: int,
             negators: frozenset[str]) -> int:
        """The index after the cue's last word if the steps match from `at` within the
        clause, else 0."""
        if not steps:
            return at
        step, rest = steps[0], steps[1:]
        if isinstance(step, int):  # a gap, which may not hold a "not" ("son wasnt hurt")
            for skip in range(step + 1):
                if skip and (at + skip > len(plain.words)
                             or plain.words[at + skip - 1] in negators):
                    return 0
                end = CueIndex._end(plain, at + skip, rest, clause, negators)
                if end:
                    return end
            return 0
        if (at >= len(plain.words) or plain.clauses[at] != clause
                or not step.fits(plain.words[at], plain.families[at])):
            return 0
        return CueIndex._end(plain, at + 1, rest, clause, negators)

    def find(self, plain: Plain) -> list[Match]:
        found: list[Match] = []
        words, clauses = plain.words, plain.clauses
        for at, (word, key) in enumerate(zip(words, plain.families, strict=True)):
            candidates = {*self._by_family.get(key, ()), *self._by_word.get(word, ())}
            candidates.update(c for c in self._by_letters.get(word[:3], ())
                              if c.steps[0].fits(word, key))  # type: ignore[union-attr]
            if not candidates:
                continue
            before = [w for w, c in zip(words[max(0, at - NEGATION_WINDOW):at],
                                        clauses[max(0, at - NEGATION_WINDOW):at], strict=True)
                      if c == clauses[at]]
            negated = any(w in self._negators for w in before)
            for cue in sorted(candidates, key=lambda c: c.owner):
                end = self._end(plain, at + 1, cue.steps[1:], clauses[at], self._negators)
                if end:
                    found.append(Match(cue.owner, " ".join(words[at:end]), at, end, negated))
        return found
