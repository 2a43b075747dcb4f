"""Finding cue words and phrases in text, with negation, fast and without NLTK.

Cues come from the data files (themes.toml, care_language.toml, safeguarding.toml) and
are matched on plain text (normalise.py). Safeguarding cues match word family against
word family, so "shout at" finds "shouted at", "shouting at" and "shoutin at"; theme and
sentiment cues match the words as written, as their families mislead ("caring" is of
"care", "friendly" of "friend"). In a cue:
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from carebot.understanding.normalise import Plain, family, plain_words

NEGATION_WINDOW = 3
# A new subject between a negator and a cue starts the cue's own clause: the "didnt" of
# "I didnt know he hit her" and the "nobody" of "I told nobody he hit me" do not reach
# "hit"; "he didnt hit me" is still negated.
_SUBJECTS = frozenset({"i", "he", "she", "they", "we"})
_GAPS = {"..": 3, "...": 6}
_APOSTROPHE = re.compile(r"['’‘`´]")


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


def _word(chunk: str, by_family: bool) -> list[_Word]:
    """The cue words one chunk stands for (one place, or several for "no-one")."""
    families: set[str] = set()
    exact: set[str] = set()
    prefixes: list[str] = []
    alternatives = chunk.split("|")
    for alt in alternatives:
        marker = "*" if alt.endswith("*") else "=" if alt.startswith("=") else ""
        # A word beginning is not spelt out: "min*" is not "minutes".
        parts = ([w for w in _APOSTROPHE.sub("", alt.strip("*=").lower()).split() if w]
                 if marker == "*" else plain_words(alt.strip("*=")))
        if len(parts) != 1:
            if len(alternatives) == 1 and not marker and parts:
                return [_Word(frozenset({family(p)})) if by_family
                        else _Word(exact=frozenset({p})) for p in parts]
            raise ValueError(f"cue word {alt!r} in {chunk!r} is not one plain word")
        if marker == "*":
            prefixes.append(parts[0])
        elif marker == "=" or not by_family:
            exact.add(parts[0])
        else:
            families.add(family(parts[0]))
    return [_Word(frozenset(families), frozenset(exact), tuple(prefixes))]


_GROUP = re.compile(r"\(([^()]*)\)")


def parse(owner: str, cue: str, by_family: bool = True) -> list[_Cue]:
    """A cue as written in a data file, as the patterns it stands for ("a ~ b" is two,
    "(a b|c) d" is two)."""
    group = _GROUP.search(cue)
    if group:
        return [p for choice in group.group(1).split("|")
                for p in parse(owner, f"{cue[:group.start()]}{choice}{cue[group.end():]}",
                               by_family)]
    if " ~ " in cue:
        first, second = (c.strip() for c in cue.split(" ~ ", 1))
        return (parse(owner, f"{first} ... {second}", by_family)
                + parse(owner, f"{second} ... {first}", by_family))
    steps: list[_Word | int] = []
    for chunk in cue.split():
        if chunk in _GAPS:
            steps.append(_GAPS[chunk])
        else:
            steps.extend(_word(chunk, by_family))
    if not steps or not isinstance(steps[0], _Word) or not isinstance(steps[-1], _Word):
        raise ValueError(f"cue {cue!r} must start and end with a word")
    return [_Cue(owner, tuple(steps))]


# Words in most texts: a cue is filed under one of these only when it has no other.
_EVERYDAY = frozenset(family(w) for line in (
    "a an the and or but if so to of in on at for with from by as up out off about into over",
    "after before than then there here this that these those it is are was were be been being",
    "am do does did done have has had not no never nothing none nobody dont didnt doesnt isnt",
    "wasnt cant wont cannot couldnt havent hasnt hadnt i me my mine we us our you your he him",
    "his she her they them their what when where who why how all any some more most very",
    "really just only also too again still even can could would should will shall may might",
    "must get got go going come came make made take took give gave one two day days time",
    "times week weeks back now well good like feel felt know say said tell told want need",
    "people person staff carer carers mum dad help care",
) for w in line.split())


def _anchor(cue: _Cue) -> _Word:
    """The word of a cue least likely to be in a text, so that only cues whose anchor is
    there need trying: a word with few and unusual choices, whole words before
    beginnings."""
    words = [s for s in cue.steps if isinstance(s, _Word)]

    def commonness(word: _Word) -> tuple[int, int, int]:
        choices = [*word.families, *(family(w) for w in word.exact)]
        likely = sum(100 if c in _EVERYDAY else 1 for c in choices) + 20 * len(word.prefixes)
        return (likely, len(word.prefixes), -min(len(c) for c in [*choices, *word.prefixes]))
    return min(words, key=commonness)


class CueIndex:
    """All cues, each filed under the families, words or first three letters of its
    anchor word, so a text is checked only for the cues whose anchor it holds."""

    def __init__(self, cues: Iterable[tuple[str, str]], negators: Iterable[str],
                 by_family: Callable[[str], bool] = lambda owner: True) -> None:
        self._cues: list[_Cue] = []
        self._by_family: dict[str, list[int]] = defaultdict(list)
        self._by_letters: dict[str, list[tuple[str, int]]] = defaultdict(list)
        self._by_word: dict[str, list[int]] = defaultdict(list)
        self._negators = frozenset(w for n in negators for w in plain_words(n))
        self._anchor_cache: dict[str, tuple[int, ...]] = {}
        self._one_word: set[int] = set()
        for owner, text in cues:
            for cue in parse(owner, text, by_family(owner)):
                number = len(self._cues)
                self._cues.append(cue)
                if len(cue.steps) == 1:
                    self._one_word.add(number)
                anchor = _anchor(cue)
                for key in anchor.families:
                    self._by_family[key].append(number)
                for word in anchor.exact:
                    self._by_word[word].append(number)
                for prefix in anchor.prefixes:
                    self._by_letters[prefix[:3]].append((prefix, number))

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

    def _anchored(self, word: str, key: str) -> tuple[int, ...]:
        """The cues this word can anchor, worked out once per word."""
        found = self._anchor_cache.get(word)
        if found is None:
            numbers = {*self._by_family.get(key, ()), *self._by_word.get(word, ())}
            numbers.update(n for prefix, n in self._by_letters.get(word[:3], ())
                           if word.startswith(prefix))
            found = self._anchor_cache[word] = tuple(sorted(numbers))
        return found

    def _negated(self, plain: Plain, at: int) -> bool:
        """A negator in the few words before `at`, in its clause, with no new subject
        between them."""
        clause = plain.clauses[at]
        return any(plain.words[i] in self._negators
                   and not _SUBJECTS.intersection(plain.words[i + 1:at])
                   for i in range(max(0, at - NEGATION_WINDOW), at)
                   if plain.clauses[i] == clause)

    @staticmethod
    def _starts(word: _Word, plain: Plain, at_family: dict[str, list[int]],
                at_word: dict[str, list[int]]) -> list[int]:
        """Where in the text a cue's first word stands, in order."""
        starts: list[int] = []
        for key in word.families:
            starts += at_family.get(key, ())
        for exact in word.exact:
            starts += at_word.get(exact, ())
        if word.prefixes:
            starts += [i for i, w in enumerate(plain.words) if w.startswith(word.prefixes)]
        return sorted(set(starts)) if len(starts) > 1 else starts

    def find(self, plain: Plain) -> list[Match]:
        found: list[tuple[int, int, Match]] = []
        words, families, clauses = plain.words, plain.families, plain.clauses
        cache, one_word = self._anchor_cache, self._one_word
        longer: set[int] = set()
        for at, word in enumerate(words):
            anchored = cache.get(word)
            if anchored is None:
                anchored = self._anchored(word, families[at])
            for number in anchored:
                if number in one_word:  # the anchor is the whole cue: found here
                    match = Match(self._cues[number].owner, word, at, at + 1,
                                  self._negated(plain, at))
                    found.append((at, number, match))
                else:
                    longer.add(number)
        if longer:
            at_family: dict[str, list[int]] = defaultdict(list)
            at_word: dict[str, list[int]] = defaultdict(list)
            for at, (word, key) in enumerate(zip(words, families, strict=True)):
                at_family[key].append(at)
                at_word[word].append(at)
            for number in sorted(longer):
                cue = self._cues[number]
                first, rest = cue.steps[0], cue.steps[1:]
                assert isinstance(first, _Word)
                for at in self._starts(first, plain, at_family, at_word):
                    end = self._end(plain, at + 1, rest, clauses[at], self._negators)
                    if end:
                        match = Match(cue.owner, " ".join(words[at:end]), at, end,
                                      self._negated(plain, at))
                        found.append((at, number, match))
        found.sort(key=lambda f: (f[0], f[1]))
        return [match for _, _, match in found]
