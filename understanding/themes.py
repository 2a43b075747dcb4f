"""carebot's 19 care themes, as defined in themes.toml (a file a commissioner can edit).

Kept apart from the tagger so that reports can name themes without loading a model.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Theme:
    id: str
    name: str
    description: str
    cues: tuple[str, ...]
    strong: tuple[str, ...]
    examples: tuple[str, ...]
    # Two lists: the theme is suggested when a cue from each is in the same comment
    # ("my daughter" ... "kept up to date"), though neither means it alone.
    together: tuple[tuple[str, ...], tuple[str, ...]] | None = None


THEME_IDS = (
    "staff_attitude", "staff_competence", "staffing_time", "punctuality", "continuity",
    "communication", "involvement_choice", "dignity", "safety", "medication", "food_drink",
    "personal_care", "social_activities", "environment", "access", "transport", "cost",
    "family_carers", "coordination",
)


def _pair(lists: list[list[str]] | None) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    if lists is None:
        return None
    if len(lists) != 2 or not all(lists):
        raise ValueError("a theme's 'together' must be two lists of cues")
    return tuple(lists[0]), tuple(lists[1])


@cache
def themes() -> tuple[Theme, ...]:
    return tuple(
        Theme(t["id"], t["name"], t["description"], tuple(t["cues"]),
              tuple(t.get("strong", ())), tuple(t["examples"]), _pair(t.get("together")))
        for t in tomllib.loads(resources.files("carebot.understanding").joinpath(
            "themes.toml").read_text(encoding="utf-8"))["theme"]
    )
