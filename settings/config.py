"""Settings, from a TOML file and then environment variables; the defaults run the demo."""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

ENV_PREFIX = "CAREBOT_"


@dataclass(frozen=True)
class Config:
    token: str | None = None           # from @BotFather; never commit it
    bot_username: str | None = None    # e.g. "northshire_carebot": invite links use it
    base_url: str | None = None        # a local Bot API server, e.g. the emulator
    database: Path = Path("carebot.sqlite3")
    output_dir: Path = Path("reports-output")
    tick_seconds: float = 20.0          # how often due check-ins and the outbox are looked at
    reminder_after_hours: int = 24      # one gentle reminder when there is no answer by then
    checkin_expiry_hours: int = 72      # an unfinished check-in closes after this
    suppression_threshold: int = 3      # fewer people than this: figures are not shown
    digest_weekday: int = 0             # Monday
    digest_hour: int = 9                # 09:00 Europe/London
    timezone: str = "Europe/London"
    # An alert nobody has acted on goes to the next person in the chain (duty contact,
    # backup, council safeguarding lead) after this many minutes; an urgent one sooner.
    alert_escalate_minutes: int = 30
    alert_escalate_urgent_minutes: int = 10
    # Outbox messages being sent at once by a send-out, at most. Each is marked sent the
    # moment Telegram answers, so after a crash (kill -9) at most this many, plus the
    # replies being sent to people at that instant, can go out a second time. Telegram
    # takes about 30 a second, so more in flight would not send any faster.
    max_in_flight: int = 30
    # Telegram's flood limits hold per this many seconds. Only tests shorten it, to run the
    # same limits on a faster clock; the emulator and the rate limiter both read it.
    flood_window_seconds: float = 1.0
    # People's words (e.g. an edited message) in the log, at debug level only. Off: logs
    # then say what happened and to which record, never what anybody wrote.
    log_words: bool = False

    @classmethod
    def load(cls, path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
        """Defaults, then the TOML file (if any), then CAREBOT_* environment variables."""
        environ = dict(os.environ) if environ is None else environ
        values: dict[str, Any] = {}
        path = path or (Path(environ[f"{ENV_PREFIX}CONFIG"]) if f"{ENV_PREFIX}CONFIG" in environ
                        else None)
        if path is not None:
            with path.open("rb") as handle:
                values.update(tomllib.load(handle).get("carebot", {}))
        for f in fields(cls):
            key = f"{ENV_PREFIX}{f.name.upper()}"
            if key in environ:
                values[f.name] = environ[key]
        return replace(cls(), **{k: _coerce(cls, k, v) for k, v in values.items()})


def _coerce(cls: type[Config], name: str, value: Any) -> Any:
    if name not in {f.name for f in fields(cls)}:
        raise ValueError(f"unknown setting {name!r}")
    default = getattr(cls(), name)
    if isinstance(default, Path):
        return Path(value)
    if isinstance(default, bool):
        return str(value).lower() in ("1", "true", "yes")
    if isinstance(default, int):
        return int(value)
    if isinstance(default, float):
        return float(value)
    return None if value in ("", None) else str(value)
