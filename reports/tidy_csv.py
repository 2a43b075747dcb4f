"""A digest as a tidy CSV: one row per service, week and measure (council, provider,
service, week_start, measure, value), UTF-8 with a byte-order mark so Excel opens it as
written. Trends add one row per week; a figure hidden for privacy has no row. The read
list's counts (staff work, never hidden) have a row each, however small; the days the
oldest unread message has waited, only while one waits."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from carebot.reports.figures import Digest, ServiceDigest
from carebot.reports.staff_reading import waited_days

COLUMNS = ("council", "provider", "service", "week_start", "measure", "value")
BOM = "\ufeff"
Row = tuple[str, str, str, str, str, str]


def _reading_rows(s: ServiceDigest, now: datetime) -> list[tuple[str, object]]:
    """What people sent in the period and staff read: within a day, still unread (of
    those, sent less than a day before the report), and the oldest unread's wait."""
    if s.reading is None:
        return []
    r = s.reading
    rows: list[tuple[str, object]] = [
        ("messages_to_read", r.arrived), ("messages_read_within_a_day", r.read_in_time),
        ("messages_unread", r.unread), ("messages_unread_less_than_a_day_old", r.too_new)]
    days = waited_days(r, now)
    if days is not None:
        rows.append(("oldest_unread_days_waiting", days))
    return rows


def _period_rows(s: ServiceDigest, now: datetime) -> list[tuple[str, object]]:
    rows: list[tuple[str, object]] = [
        ("checkins_sent", s.checkins_sent), ("checkins_completed", s.checkins_completed),
        ("answers", s.answers), ("respondents", s.respondents),
        ("suppressed", "yes" if s.suppressed else "no")]
    rows += [(f"fft:{label}", n) for label, n in s.fft]
    rows += [(f"sentiment:{label}", n) for label, n in s.sentiment]
    rows += [(f"theme:{t.name}", t.comments) for t in (s.voices.themes if s.voices else ())]
    rows.append(("open_issues", len(s.open_issues)))
    if s.compliments is not None:
        rows.append(("compliments", s.compliments))
    rows += [("alerts_raised", s.alerts[0]), ("alerts_acknowledged", s.alerts[1]),
             ("talk_requests", s.talks[0]), ("talk_requests_acted_on", s.talks[1])]
    rows += _reading_rows(s, now)
    if s.measures is not None:
        rows.append(("enrolled", s.measures.enrolled))
        rows += [(f"percent:{m.key}", m.percent) for m in (s.measures.fft, *s.measures.outcomes)
                 if m.percent is not None]
        if s.measures.alert_minutes is not None:
            rows.append(("alert_median_minutes_to_act", s.measures.alert_minutes))
    rows += [("action", f"{a.you_said} | {a.we_did}") for a in s.actions]
    return rows


def _trend_rows(s: ServiceDigest, week_starts: list[str]) -> list[tuple[str, str, int]]:
    """Each measure's earlier weeks (the period's own week is in the period rows);
    `week_starts` names the trend's weeks, oldest first, the period's last week last."""
    if s.measures is None:
        return []
    return [(week_starts[n], f"percent:{m.key}", value)
            for m in (s.measures.fft, *s.measures.outcomes)
            for n, value in enumerate(m.trend[:-1]) if value is not None]


def digest_rows(digest: Digest) -> list[Row]:
    rows: list[Row] = []
    start, end = digest.start.date(), digest.end.date()
    weeks = max((len(s.measures.fft.trend) for s in digest.services if s.measures), default=0)
    week_starts = [(end - timedelta(weeks=weeks - n)).isoformat() for n in range(weeks)]
    for s in digest.services:
        head = (digest.council, s.provider, s.service)
        rows += [(*head, start.isoformat(), m, str(v)) for m, v in _period_rows(s, digest.made_at)]
        rows += [(*head, week, m, str(v)) for week, m, v in _trend_rows(s, week_starts)]
    return rows


def digest_csv(digest: Digest) -> str:
    """The CSV text, without the byte-order mark (`write_digest` adds it to the file)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(digest_rows(digest))
    return buffer.getvalue()
