"""Safeguarding risk from the cues in safeguarding.toml: rules, so what they raise can
always be read and explained to the person and the duty worker. The tagger reads them
beside a learned model (risk_model.py), which decides their weaker findings in long
messages and reads what no cue foresaw; `carebot tag --fast` is these rules alone.

A cue counts unless a negator stands just before it ("never hit me"), it overlaps a
phrase that means something else ("I fell asleep"), or, for a concern, the message says it
is past and sorted ("had a fall last year, fine now"). An urgent cue in a flagged message
(danger now, injury, days without help) makes it urgent.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from carebot.understanding.cues import Match
from carebot.understanding.labels import NO_RISK, RISK_LEVELS
from carebot.understanding.normalise import Plain

RISK = "risk:"
URGENT = "urgent"
RESOLVED = "resolved"
NOT_RISK = "not_risk"
_NOT = frozenset({"not", "no", "never", "dont", "isnt", "arent", "wasnt", "werent"})


@dataclass(frozen=True)
class Category:
    id: str
    level: str
    description: str
    cues: tuple[str, ...]


@dataclass(frozen=True)
class Risk:
    level: str                   # none | concern | urgent
    reasons: tuple[str, ...]     # categories, e.g. ("neglect", "fall")
    words: tuple[str, ...]       # the words that raised it


@cache
def _data() -> dict[str, object]:
    raw = resources.files("carebot.understanding").joinpath("safeguarding.toml").read_text("utf-8")
    return tomllib.loads(raw)


def _expand(cue: str, names: dict[str, str]) -> str:
    for name, alternatives in names.items():
        cue = cue.replace(f"{{{name}}}", alternatives)
    return cue


@cache
def categories() -> tuple[Category, ...]:
    data = _data()
    names = data["words"]
    assert isinstance(names, dict)
    found = []
    for entry in data["risk"]:  # type: ignore[attr-defined]
        if entry["level"] not in RISK_LEVELS[1:]:
            raise ValueError(f"risk {entry['id']}: level must be concern or urgent")
        found.append(Category(entry["id"], entry["level"], entry["description"],
                              tuple(_expand(c, names) for c in entry["cues"])))
    return tuple(found)


def risk_cues() -> list[tuple[str, str]]:
    """Every safeguarding cue as (what it belongs to, the cue), for the tagger's index."""
    data = _data()
    names = data["words"]
    assert isinstance(names, dict)
    cues = [(f"{RISK}{c.id}", cue) for c in categories() for cue in c.cues]
    for owner in (URGENT, RESOLVED, NOT_RISK):
        section = data[owner]
        assert isinstance(section, dict)
        cues += [(owner, _expand(cue, names)) for cue in section["cues"]]
    return cues


def is_risk_cue(owner: str) -> bool:
    return owner.startswith(RISK) or owner in (URGENT, RESOLVED, NOT_RISK)


@cache
def category_levels() -> dict[str, str]:
    """Each category's least level: concern, or urgent (self-harm, sexual)."""
    return {c.id: c.level for c in categories()}


def assess(plain: Plain, matches: list[Match]) -> Risk:
    if not any(m.owner.startswith(RISK) for m in matches):
        return Risk(NO_RISK, (), ())
    levels = category_levels()
    not_risk = [(m.start, m.end) for m in matches if m.owner == NOT_RISK]
    resolved_until = max((plain.clauses[m.start] for m in matches
                          if m.owner == RESOLVED and not m.negated), default=-1)
    # Urgency is denied only by the word just before it ("not in danger"): "not been
    # washed for days" is urgent.
    urgent = [m for m in matches if m.owner == URGENT
              and not (m.start and plain.words[m.start - 1] in _NOT)]
    hits = []
    for m in matches:
        if not m.owner.startswith(RISK) or m.negated:
            continue
        if any(start < m.end and m.start < end for start, end in not_risk):
            continue
        category = m.owner[len(RISK):]
        past = plain.clauses[m.start] <= resolved_until  # said to be over, then or after
        if past and levels[category] != URGENT and not urgent:
            continue
        hits.append(m)
    if not hits:
        return Risk(NO_RISK, (), ())
    reasons = tuple(dict.fromkeys(m.owner[len(RISK):] for m in hits))
    level = max((levels[r] for r in reasons), key=RISK_LEVELS.index)
    if urgent:
        level = URGENT
    return Risk(level, reasons, _widest(plain, [*hits, *urgent]))


def _widest(plain: Plain, matches: list[Match]) -> tuple[str, ...]:
    """The words of the matches, one phrase for each run of words they cover: a match
    inside another is left out, and two that overlap are read as one ("carer did not
    turn" and "not turn up" are "carer did not turn up")."""
    spans: list[list[int]] = []
    for m in sorted(matches, key=lambda m: (m.start, -m.end)):
        if spans and m.start < spans[-1][1]:
            spans[-1][1] = max(spans[-1][1], m.end)
        else:
            spans.append([m.start, m.end])
    return tuple(dict.fromkeys(" ".join(plain.words[start:end]) for start, end in spans))
