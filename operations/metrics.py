"""What `/metrics` shows, in Prometheus's text format, made with its own client library:
counters the bot adds to as it works, and gauges read from the database when asked.
Each Application has its own registry, so two bots in one process (the tests) never mix."""

from __future__ import annotations

import time
from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from carebot.storage.vitals import Vitals

KEPT_TIMES = 1000  # refusals remembered for /healthz; more would say no more


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.sent = Counter("carebot_messages_sent", "Messages Telegram accepted, by purpose.",
                            ["purpose"], registry=r)
        self.failed = Counter(
            "carebot_messages_failed", "Tries to send that failed, by purpose and reason "
            "(retry: tried again later; blocked, refused, too_long, gave_up: not sent).",
            ["purpose", "reason"], registry=r)
        self.too_long = Counter(
            "carebot_messages_too_long", "Messages Telegram refused as too long, by purpose "
            "and what was too long (text, caption, buttons): not sent, a bug to look at.",
            ["purpose", "what"], registry=r)
        self.too_long_at: list[datetime] = []  # when, the newest last (for /healthz)
        self.conflicts = Counter(
            "carebot_update_conflicts", "Long polls Telegram answered 409 Conflict: another "
            "program is taking this bot's updates.", registry=r)
        self.conflict_at: float | None = None  # the last, in monotonic seconds
        self.updates = Counter("carebot_updates_handled",
                               "Updates from Telegram (messages, taps) handled.", registry=r)
        self.handler_errors = Counter("carebot_handler_errors",
                                      "Updates whose handler failed.", registry=r)
        self.backlog = Gauge("carebot_outbox_backlog", "Messages waiting to be sent.",
                             registry=r)
        self.in_flight_limit = Gauge(
            "carebot_outbox_in_flight_limit", "Outbox messages a send-out sends at once: "
            "Telegram's rate times the time a send takes (max_in_flight at most); a crash "
            "can send these twice.", registry=r)
        self.send_seconds = Gauge(
            "carebot_outbox_send_seconds", "The time an outbox message takes to send, not "
            "counting waits for Telegram's limits (a moving average from 0).", registry=r)
        self.oldest_waiting = Gauge("carebot_outbox_oldest_waiting_seconds",
                                    "How long the oldest waiting message has waited.",
                                    registry=r)
        self.checkins_due = Gauge("carebot_checkins_due",
                                  "Scheduled check-ins due and not yet opened.", registry=r)
        self.alerts_open = Gauge("carebot_alerts_open",
                                 "Safeguarding alerts nobody has acknowledged.", registry=r)
        self.oldest_open_alert = Gauge(
            "carebot_alert_oldest_unacknowledged_seconds",
            "How long the oldest unacknowledged alert has waited.", registry=r)
        self.backups_made = Counter("carebot_nightly_backups_made",
                                    "Nightly backups written and checked.", registry=r)
        self.backups_failed = Counter("carebot_nightly_backups_failed",
                                      "Nightly backups that failed (tried again in an hour).",
                                      registry=r)
        self.last_backup = Gauge(
            "carebot_last_nightly_backup_timestamp_seconds",
            "When the last nightly backup was checked (Unix time; 0 if none since start).",
            registry=r)

    def note_too_long(self, purpose: str, what: str, at: datetime) -> None:
        self.too_long.labels(purpose, what).inc()
        self.too_long_at = [*self.too_long_at[-(KEPT_TIMES - 1):], at]

    def too_long_since(self, since: datetime) -> list[datetime]:
        """When messages were refused as too long, since `since` (since the bot started
        at most: this is kept in memory)."""
        return [at for at in self.too_long_at if at >= since]

    def note_conflict(self) -> None:
        self.conflicts.inc()
        self.conflict_at = time.monotonic()

    def conflict_within(self, seconds: float) -> bool:
        """Whether Telegram answered "Conflict" in the last `seconds`."""
        return self.conflict_at is not None and time.monotonic() - self.conflict_at <= seconds

    def note_pace(self, in_flight_limit: int, send_seconds: float) -> None:
        self.in_flight_limit.set(in_flight_limit)
        self.send_seconds.set(send_seconds)

    def read(self, now: Vitals) -> bytes:
        """The text Prometheus scrapes, with the gauges set from `now`."""
        self.backlog.set(now.outbox_backlog)
        self.oldest_waiting.set(now.oldest_waiting_seconds)
        self.checkins_due.set(now.checkins_due)
        self.alerts_open.set(now.alerts_open)
        self.oldest_open_alert.set(now.oldest_open_alert_seconds)
        return generate_latest(self.registry)
