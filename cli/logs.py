"""Logging that is safe to keep: the bot token never appears, at any level, even inside a
traceback or a library's request line; -v shows what the bot does, not what people said.
Lines go to stderr as plain text or as JSON lines (`log_format`), each with the update
and chat it was written for, when there is one."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime

from carebot.bot.log_context import UpdateFields

HIDDEN = "[hidden]"
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class SecretsHidden(logging.Formatter):
    """Formats as usual, then hides each secret wherever it appears in the result."""

    def __init__(self, secrets: Iterable[str | None], fmt: str = FORMAT) -> None:
        super().__init__(fmt)
        self._secrets = sorted({s for s in secrets if s}, key=len, reverse=True)

    def format(self, record: logging.LogRecord) -> str:
        text = self.render(record)
        for secret in self._secrets:
            text = text.replace(secret, HIDDEN)
        return text

    def render(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        update = getattr(record, "update_id", None)
        if update is None:
            return text
        first, _, rest = text.partition("\n")  # after the message, before a traceback
        chat = getattr(record, "chat_id", None)
        return f"{first} [update {update}, chat {chat}]" + (f"\n{rest}" if rest else "")


class JsonLines(SecretsHidden):
    """One JSON object a line: time, level, logger, message, update and chat ids, and
    the traceback if any; for log collectors (journald, Loki, CloudWatch)."""

    def render(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname, "logger": record.name, "message": record.getMessage(),
        }
        for field in ("update_id", "chat_id"):
            if getattr(record, field, None) is not None:
                line[field] = getattr(record, field)
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


# A running service says what it does at INFO (started, a nightly backup made, old words
# removed); the libraries under it only warn.
OURS = ("carebot",)


def configure_logging(verbose: bool, secrets: Iterable[str | None],
                      log_format: str = "text", *, service: bool = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING, force=True)
    for name in OURS:
        logging.getLogger(name).setLevel(logging.INFO if service or verbose else logging.NOTSET)
    formatter = JsonLines(secrets) if log_format == "json" else SecretsHidden(secrets)
    for handler in logging.getLogger().handlers:
        handler.setFormatter(formatter)
        handler.addFilter(UpdateFields())
    # Every request line names the token in its URL; they are noise at INFO anyway.
    logging.getLogger("httpx").setLevel(logging.WARNING)
