"""A digest as a tidy CSV a council analyst can load: one row per service, week and figure,
UTF-8 with a byte-order mark so Excel opens it as written.

Columns: council, provider, service_id (carebot's), cqc_location_id and ods_code (where
set: `carebot services set-ids`), service, week_start and days (the stretch the row counts:
the report's period, or one earlier week of a trend), then the figure: `measure` (a code:
fft, share_good, theme, …), `category` (a code within it: a rating, a question, a theme
id), `label` (the same in words; for a share, the question asked), `value` and its `unit`
(count, percent, minutes, days; text for a "you said, we did" line, whose words are the
label), and for a share its `numerator` and `denominator`. A figure hidden for privacy
has its row, with `suppressed` true and no value, so nothing is left to add up; a figure
nobody gave (a question not asked that week) has no row. Trends add one row per earlier
week. The read list's counts and a service's duty (alerts, requests to talk, open issues)
are staff work, shown however small.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from carebot.conversations.questions import FFT_SCALE
from carebot.conversations.texts import text
from carebot.reports.figures import SENTIMENTS_BEST_FIRST, Digest, ServiceDigest
from carebot.reports.measures import Measure
from carebot.reports.staff_reading import waited_days
from carebot.reports.voices_html import KIND_NAMES, PROMPT_NAMES
from carebot.reports.wording import HELPED_NAMES, plain_label

COLUMNS = ("council", "provider", "service_id", "cqc_location_id", "ods_code", "service",
           "week_start", "days", "measure", "category", "label", "value", "unit", "numerator",
           "denominator", "suppressed")
UNITS = {"alert_minutes_to_act": "minutes", "action": "text"}
BOM = "\ufeff"
Row = tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    measure: str
    category: str
    label: str
    value: int | None                 # None: hidden (suppressed) or, for text, none
    numerator: int | None = None
    denominator: int | None = None
    suppressed: bool = False

    @property
    def unit(self) -> str:
        if self.measure.startswith("share_"):
            return "percent"
        if self.category.endswith("_days_waiting"):
            return "days"
        return UNITS.get(self.measure, "count")

    def cells(self) -> tuple[str, ...]:
        def cell(n: int | None) -> str:
            return "" if n is None else str(n)
        return (self.measure, self.category, self.label, cell(self.value), self.unit,
                cell(self.numerator), cell(self.denominator),
                "true" if self.suppressed else "false")


def _count(measure: str, category: str, label: str, n: int | None) -> Figure:
    """A count about people's views: None is hidden."""
    return Figure(measure, category, label, n, suppressed=n is None)


def _views(s: ServiceDigest) -> Iterator[Figure]:
    """Ratings and feelings, each hidden when too few people answered."""
    fft = dict(s.fft)
    for value in FFT_SCALE:
        yield _count("fft", value, plain_label(value), None if s.suppressed else fft.get(value))
    sentiment = dict(s.sentiment)
    for label in SENTIMENTS_BEST_FIRST:
        yield _count("sentiment", label, label.capitalize(),
                     None if s.suppressed else sentiment.get(label))
    if s.voices is None:
        return
    for t in s.voices.themes:
        yield _count("theme", t.theme, t.name, t.comments)
    for p in s.voices.prompted:
        yield _count("prompt_answers", p.prompt, PROMPT_NAMES[p.prompt], p.count)
    for kind, count in s.voices.carers:  # messages sent: duty, never hidden
        yield Figure("carer_messages", kind, KIND_NAMES.get(kind, kind), count)
    for name, n in s.voices.carer_themes:
        yield _count("carer_message_themes", "", name, n)


def _shares(m: Measure) -> Iterator[Figure]:
    """This period's shares answering well and poorly, with their counts."""
    if m.counted == 0:  # nobody answered: nothing to show, nothing hidden
        return
    hidden = m.percent is None
    asked = text(f"question.{m.key}")  # the share's measure says which answers it counts
    yield Figure("share_good", m.key, asked, m.percent, m.good, m.counted, hidden)
    yield Figure("share_poor", m.key, asked, m.poor_percent, m.poor, m.counted, hidden)


def _measures(s: ServiceDigest) -> Iterator[Figure]:
    if s.measures is None:
        return
    yield Figure("enrolled", "", "People taking part", s.measures.enrolled)
    for m in (s.measures.fft, *s.measures.outcomes):
        yield from _shares(m)
    for who, n in s.measures.helped_by:
        yield _count("helped_by", who, f"Answered {HELPED_NAMES[who]}", n)
    if s.measures.alert_minutes is not None:
        yield Figure("alert_minutes_to_act", "median", "Minutes from alert to action, median",
                     s.measures.alert_minutes)


def _duty(s: ServiceDigest, now: datetime) -> Iterator[Figure]:
    """Staff work: never hidden."""
    yield Figure("open_issues", "", "Open issues", len(s.open_issues))
    yield Figure("compliments", "", "Compliments", s.compliments)
    yield Figure("alerts", "raised", "Safeguarding alerts raised", s.alerts[0])
    yield Figure("alerts", "acted_on", "Safeguarding alerts acted on", s.alerts[1])
    yield Figure("talk_requests", "asked", "Requests to talk to someone", s.talks[0])
    yield Figure("talk_requests", "acted_on", "Requests to talk acted on", s.talks[1])
    if s.reading is not None:
        r = s.reading
        yield Figure("read_list", "arrived", "Messages to read", r.arrived)
        yield Figure("read_list", "read_within_a_day", "Read within a day", r.read_in_time)
        yield Figure("read_list", "unread", "Not read yet", r.unread)
        yield Figure("read_list", "unread_less_than_a_day_old",
                     "Not read yet, less than a day old", r.too_new)
        days = waited_days(r, now)
        if days is not None:
            yield Figure("read_list", "oldest_unread_days_waiting",
                         "Days the oldest unread message has waited", days)
    for a in s.actions:
        yield Figure("action", "", f"You said: {a.you_said} | We did: {a.we_did}", None)


def _period(s: ServiceDigest, now: datetime) -> Iterator[Figure]:
    yield Figure("checkins", "sent", "Check-ins sent", s.checkins_sent)
    yield Figure("checkins", "finished", "Check-ins finished", s.checkins_completed)
    yield Figure("answers", "", "Answers", s.answers)
    yield Figure("respondents", "", "People who answered", s.respondents)
    yield from _views(s)
    yield from _measures(s)
    yield from _duty(s, now)


def _trend(s: ServiceDigest, week_starts: list[str]) -> Iterator[tuple[str, Figure]]:
    """Each share's earlier weeks (the period's own week is in the period rows);
    `week_starts` names the trend's weeks, oldest first, the period's last week last."""
    if s.measures is None:
        return
    for m in (s.measures.fft, *s.measures.outcomes):
        for n, percent in enumerate(m.trend[:-1]):
            if m.trend_counted[n] != 0:
                yield week_starts[n], Figure("share_good", m.key, text(f"question.{m.key}"),
                                             percent,
                                             m.trend_good[n], m.trend_counted[n],
                                             percent is None)


def digest_rows(digest: Digest) -> list[Row]:
    rows: list[Row] = []
    start, end = digest.start.date(), digest.end.date()
    weeks = max((len(s.measures.fft.trend) for s in digest.services if s.measures), default=0)
    week_starts = [(end - timedelta(weeks=weeks - n)).isoformat() for n in range(weeks)]
    days = str((end - start).days)
    for s in digest.services:
        head = (digest.council, s.provider, str(s.service_id), s.cqc_location_id or "",
                s.ods_code or "", s.service)
        rows += [(*head, start.isoformat(), days, *f.cells())
                 for f in _period(s, digest.made_at)]
        rows += [(*head, week, "7", *f.cells()) for week, f in _trend(s, week_starts)]
    return rows


def digest_csv(digest: Digest) -> str:
    """The CSV text, without the byte-order mark (`write_digest` adds it to the file)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(digest_rows(digest))
    return buffer.getvalue()
