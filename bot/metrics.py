"""What `/metrics` shows, in Prometheus's text format, made with its own client library:
counters the bot adds to as it works, and gauges read from the database when asked.
Each Application has its own registry, so two bots in one process (the tests) never mix."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest

from storage.vitals import Vitals


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.sent = Counter("carebot_messages_sent", "Messages Telegram accepted, by purpose.",
                            ["purpose"], registry=r)
        self.failed = Counter(
            "carebot_messages_failed", "Tries to send that failed, by purpose and reason "
            "(retry: tried again later; blocked, refused, gave_up: not sent).",
            ["purpose", "reason"], registry=r)
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
