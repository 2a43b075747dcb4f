"""Once a day, the periodic job takes the words from records older than
`retention_months` (storage/retention.py says which and why); the log says how many of
each kind, never what they said. It also forgets the ids of updates handled days ago
(storage/updates_received.py says why)."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from carebot.operations.state import Running
from carebot.storage.retention import apply_retention, months_before
from carebot.storage.updates_received import forget_handled

log = logging.getLogger(__name__)
UPDATES_KEPT = timedelta(days=3)  # Telegram repeats an update for up to a day


async def remove_old_words(rt: Running) -> int:
    """Run retention if it has not run today (local time); how many records lost words."""
    now = rt.clock.now()
    today = now.astimezone(ZoneInfo(rt.config.timezone)).date()
    if rt.ops.retention_done_on == today:
        return 0
    months = rt.config.retention_months
    gone = await apply_retention(rt.db, now, months)
    await forget_handled(rt.db, now - UPDATES_KEPT)
    rt.ops.retention_done_on = today
    if any(gone.values()):
        log.info("retention: words older than %s months (before %s) removed from %s",
                 months, months_before(now, months).date(),
                 ", ".join(f"{count} {what}" for what, count in gone.items() if count))
    return sum(gone.values())
