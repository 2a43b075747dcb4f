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


THEME_IDS = (
    "staff_attitude", "staff_competence", "staffing_time", "punctuality", "continuity",
    "communication", "involvement_choice", "dignity", "safety", "medication", "food_drink",
    "personal_care", "social_activities", "environment", "access", "transport", "cost",
    "family_carers", "coordination",
)


@cache
def themes() -> tuple[Theme, ...]:
    return tuple(
        Theme(t["id"], t["name"], t["description"], tuple(t["cues"]),
              tuple(t.get("strong", ())), tuple(t["examples"]))
        for t in tomllib.loads(resources.files("conversations").joinpath(
            "themes.toml").read_text(encoding="utf-8"))["theme"]
    )
