"""What the care workflow is given of a running carebot: settings, the database and the
clock (the bot's Runtime has them, and more the workflow never reads)."""

from __future__ import annotations

from typing import Protocol

from carebot.settings.clock import Clock
from carebot.settings.config import Config
from carebot.storage.db import Database


class Given(Protocol):
    config: Config
    db: Database
    clock: Clock
