"""Safeguarding words in Welsh and Polish (risk_words.toml): a message in one of them is
checked for risk with its own language's words, since the English tagger cannot read it.
Each category's level is the English one's (safeguarding.toml), so an alert from Welsh
words climbs the same chain, as fast, as one from English words."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from carebot.understanding.labels import NO_RISK, RISK_LEVELS
from carebot.understanding.safeguarding import Risk, category_levels

# Words that, one or two words before a cue, say it did not happen ("nie uderzył",
# "ddim yn ofnus"); a cue that begins with one ("nie czuję się bezpiecznie") is not undone.
NEGATORS = {"cy": frozenset({"ddim", "nid", "dim", "na"}),
            "pl": frozenset({"nie", "nigdy", "nikt"})}
# Welsh words change their first letters after some words (mutation): each cue word is
# also looked for in its soft, nasal and aspirate forms.
_MUTATIONS = {"p": ("b", "mh", "ph"), "t": ("d", "nh", "th"), "c": ("g", "ngh", "ch"),
              "b": ("f", "m"), "d": ("dd", "n"), "g": ("", "ng"), "m": ("f",),
              "ll": ("l",), "rh": ("r",)}


@dataclass(frozen=True)
class _Cue:
    category: str
    words: tuple[tuple[str, ...], ...]  # each word's forms, matched as a word's start


def _forms(word: str, language: str) -> tuple[str, ...]:
    if language != "cy":
        return (word,)
    start = next((s for s in sorted(_MUTATIONS, key=len, reverse=True) if word.startswith(s)),
                 None)
    if start is None:
        return (word,)
    return (word, *(m + word[len(start):] for m in _MUTATIONS[start]))


@cache
def _lists() -> dict[str, dict[str, list[str]]]:
    raw = resources.files("carebot.understanding").joinpath("risk_words.toml").read_text(
        encoding="utf-8")
    return tomllib.loads(raw)


def languages() -> frozenset[str]:
    """The languages with a list of their own."""
    return frozenset(_lists())


@cache
def _cues(language: str) -> tuple[_Cue, ...]:
    return tuple(_Cue(category, tuple(_forms(word, language) for word in cue.lower().split()))
                 for category, cues in _lists().get(language, {}).items() for cue in cues)


def _tokens(words: str) -> list[str]:
    return re.findall(r"[\w']+", words.lower().replace("’", "'"))


# Polish words match the start of a word, for its many endings ("uderz" finds "uderzyła");
# Welsh words match whole, in their mutated forms, since their starts are English words'
# too ("taro", "tarot"; "curo", "curious") and the lists give each form they need.
WHOLE_WORDS = frozenset({"cy"})


def _matches_at(tokens: list[str], at: int, cue: _Cue, whole: bool) -> bool:
    if at + len(cue.words) > len(tokens):
        return False
    return all(any(tokens[at + n] == form if whole else tokens[at + n].startswith(form)
                   for form in forms if form)
               for n, forms in enumerate(cue.words))


def risk_in(words: str, language: str) -> Risk:
    """The risk `words` in `language` show by its own words (none for a language with no
    list: such a message is still read by a person)."""
    tokens = _tokens(words)
    negators = NEGATORS.get(language, frozenset())
    reasons: dict[str, None] = {}
    found: list[str] = []
    for at in range(len(tokens)):
        for cue in _cues(language):
            if not _matches_at(tokens, at, cue, language in WHOLE_WORDS):
                continue
            if negators & set(tokens[max(0, at - 2):at]):
                continue
            reasons[cue.category] = None
            found.append(" ".join(tokens[at:at + len(cue.words)]))
    if not reasons:
        return Risk(NO_RISK, (), ())
    levels = category_levels()
    level = max((levels[r] for r in reasons), key=RISK_LEVELS.index)
    return Risk(level, tuple(reasons), tuple(dict.fromkeys(found)))
