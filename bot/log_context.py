"""Which update a log line was written for: the update processor sets it around each
update's handlers, and a logging filter adds it to every line written meanwhile, so a
line can be traced to its update and chat without anybody's words in it."""

from __future__ import annotations

import logging
from contextvars import ContextVar

# (update id, chat id or None) while an update is handled; None outside.
HANDLING: ContextVar[tuple[int, int | None] | None] = ContextVar("carebot_update",
                                                                 default=None)


class UpdateFields(logging.Filter):
    """Adds `update_id` and `chat_id` to each record (None when not handling an update)."""

    def filter(self, record: logging.LogRecord) -> bool:
        handling = HANDLING.get()
        record.update_id, record.chat_id = handling if handling is not None else (None, None)
        return True
