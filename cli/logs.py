"""Logging that is safe to keep: the bot token never appears, at any level, even inside a
traceback or a library's request line; -v shows what the bot does, not what people said."""

from __future__ import annotations

import logging
from collections.abc import Iterable

HIDDEN = "[hidden]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SecretsHidden(logging.Formatter):
    """Formats as usual, then hides each secret wherever it appears in the result."""

    def __init__(self, secrets: Iterable[str | None], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        for secret in self._secrets:
            text = text.replace(secret, HIDDEN)
        return text


def configure_logging(verbose: bool, secrets: Iterable[str | None]) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, force=True)
    formatter = SecretsHidden(secrets)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
    # Every request line names the token in its URL; they are noise at INFO anyway.
    logging.getLogger("httpx").setLevel(logging.WARNING)
