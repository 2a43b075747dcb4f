"""A digest as files and words: HTML for reading, CSV for spreadsheets, and a short
summary for the commissioner's chat."""

from __future__ import annotations

import html
from datetime import datetime
from pathlib import Path

from carebot.conversations.texts import text
from carebot.reports.charts import sparkline
from carebot.reports.figures import Digest, ServiceDigest
from carebot.reports.measures import ServiceMeasures
from carebot.reports.staff_reading import reading_lines, reading_summary
from carebot.reports.tidy_csv import BOM, digest_csv
from carebot.reports.voices_html import voices_html
from carebot.reports.you_said_we_did import ActionEffect
from carebot.storage.private_files import private_folder, write_private

_CSS = """
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; color: #1b1b1b;
       line-height: 1.5; padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; margin-top: 2.5rem; border-top: 2px solid #ddd;
       padding-top: 1rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; } td, th { padding: .25rem .75rem;
       text-align: left; border-bottom: 1px solid #eee; }
.bar { display: inline-block; height: .9rem; background: #1d70b8; vertical-align: middle; }
.bar.negative { background: #d4351c; } .bar.neutral { background: #b1b4b6; }
.bar.positive { background: #00703c; }
.note { color: #505a5f; }
mark { background: #fff2a8; } blockquote { margin: .3rem 0 .3rem 1rem; color: #333; }
.measures th { font-weight: normal; } svg.spark { vertical-align: middle; }
@media (max-width: 30rem) { body { margin: 1rem auto; } td, th { padding: .2rem .4rem; }
       .measures td:nth-child(3), .measures th:nth-child(3) { display: none; } }
@media print { body { max-width: none; } h2 { break-before: page; } }
"""


def plain_label(value: str) -> str:
    """A choice's words without its face, e.g. 'Very good'."""
    label = text(f"choice.{value}")
    first, _, rest = label.partition(" ")
    return rest if rest and not any(ch.isalpha() for ch in first) else label


def _bar(count: int, largest: int, css: str = "") -> str:
    width = 0 if largest == 0 else round(200 * count / largest)
    return f'<span class="bar {css}" style="width:{width}px"></span> {count}'


def _views_html(s: ServiceDigest) -> list[str]:
    """What people said: shown only when enough people answered."""
    e = html.escape
    largest = max((n for _, n in s.fft), default=0)
    parts = ["<h3>Overall experience (Friends and Family Test)</h3>"]
    if s.fft_positive_percent is not None:
        parts.append(f"<p>{s.fft_positive_percent}% said good or very good.</p>")
    parts.append("<table>" + "".join(
        f"<tr><th>{e(plain_label(value))}</th><td>{_bar(n, largest)}</td></tr>"
        for value, n in s.fft) + "</table>")
    largest = max((n for _, n in s.sentiment), default=0)
    parts.append("<h3>What people wrote: feeling</h3><table>" + "".join(
        f"<tr><th>{e(label)}</th><td>{_bar(n, largest, label)}</td></tr>"
        for label, n in s.sentiment) + "</table>")
    return parts


def _duty_html(s: ServiceDigest) -> list[str]:
    """Open issues, compliments and safeguarding alerts: never suppressed."""
    e = html.escape
    if s.open_issues:
        oldest_first = sorted(s.open_issues, key=lambda i: -i.age_days)
        parts = ["<h3>Open issues, oldest first</h3><table><tr><th>Reference</th>"
                 "<th>Kind</th><th>Where it is</th><th>Days open</th></tr>" + "".join(
                     f"<tr><td>{e(i.reference)}</td><td>{e(i.kind)}</td><td>{e(i.status)}</td>"
                     f"<td>{i.age_days}</td></tr>" for i in oldest_first) + "</table>"]
    else:
        parts = ["<p class='note'>No open issues.</p>"]
    if s.compliments:
        parts.append(f"<p>Compliments in this period: {s.compliments}.</p>")
    raised, acknowledged = s.alerts
    if raised:
        minutes = None if s.measures is None else s.measures.alert_minutes
        speed = "" if minutes is None else f" Half were acted on within {minutes} minutes."
        parts.append(f"<p><strong>Safeguarding alerts in this period: {raised}</strong>, "
                     f"{acknowledged} acknowledged by the duty contact.{speed}</p>")
    if s.actions:
        parts.append("<h3>You said, we did</h3><ul>" + "".join(
            f"<li>You told us {e(a.you_said)}. {e(a.we_did)}{_effect(a)}</li>"
            for a in s.actions) + "</ul>")
    return parts


def _percent(share: float | None) -> str:
    return "not known" if share is None else f"{round(100 * share)}%"


def _effect(action: ActionEffect) -> str:
    """How often the action's theme came up before it and since, as shares of comments."""
    if action.theme is None or (action.share_before is None and action.share_after is None):
        return ""
    return (f" <span class='note'>(Comments on this: {_percent(action.share_before)} in the "
            f"4 weeks before, {_percent(action.share_after)} since.)</span>")


def _change(points: int | None) -> str:
    if points is None:
        return ""
    return "no change" if points == 0 else f"{points:+d} points"


def _measures_html(m: ServiceMeasures) -> list[str]:
    """Each measure this period, its change since the week before, and 8 weeks."""
    e = html.escape
    rows = "".join(
        f"<tr><th>{e(x.label)}</th><td>{'—' if x.percent is None else f'{x.percent}%'}</td>"
        f"<td>{_change(x.change)}</td><td>{sparkline(x.trend, x.label)}</td></tr>"
        for x in (m.fft, *m.outcomes))
    parts = ["<h3>How people rate their care</h3>"
             "<table class='measures'><tr><th>Measure (share answering always or mostly)</th>"
             "<th>This period</th><th>Since last week</th><th>Last 8 weeks</th></tr>"
             f"{rows}</table><p class='note'>— : fewer than the threshold answered.</p>"]
    if m.helped_by:
        parts.append("<p>Who answered: " + ", ".join(
            f"{e(_HELPED[who])} {'fewer than the threshold' if n is None else n}"
            for who, n in m.helped_by) + ".</p>")
    return parts


_HELPED = {"alone": "on their own", "family": "with family", "carer": "with a carer",
           "advocate": "with an advocate", "someone": "with someone else"}


def _reading_html(s: ServiceDigest, now: datetime) -> list[str]:
    """How quickly staff read what people sent: every count shown, however small."""
    if s.reading is None:
        return []
    e = html.escape
    return [f"<h3>{e(text('report.read_list.heading'))}</h3>",
            *(f"<p>{e(line)}</p>" for line in reading_lines(s.reading, now)),
            f"<p class='note'>{e(text('report.read_list.about'))}</p>"]


def _service_html(s: ServiceDigest, threshold: int, now: datetime) -> str:
    e = html.escape
    rate = "not known" if s.response_rate_percent is None else f"{s.response_rate_percent}%"
    parts = [
        f"<h2>{e(s.service)} <small class='note'>({e(s.provider)}, {e(s.kind)})</small></h2>",
        "<table>",
        f"<tr><th>Check-ins sent</th><td>{s.checkins_sent}</td></tr>",
        f"<tr><th>Check-ins finished</th><td>{s.checkins_completed} ({rate})</td></tr>",
        f"<tr><th>Answers</th><td>{s.answers}</td></tr>",
        f"<tr><th>People who answered</th><td>{s.respondents}</td></tr>",
        "</table>",
    ]
    if s.measures is not None and s.measures.enrolled:
        parts.insert(2, f"<tr><th>People taking part</th><td>{s.measures.enrolled}</td></tr>")
    if s.suppressed:
        parts.append(f"<p class='note'>Fewer than {threshold} people answered, so their "
                     "answers are not shown. This keeps them anonymous.</p>")
    else:
        parts += _views_html(s)
    if s.measures is not None:
        parts += _measures_html(s.measures)
    if s.voices is not None:
        parts += voices_html(s.voices)
    return "\n".join(parts + _duty_html(s) + _reading_html(s, now))


def digest_html(digest: Digest) -> str:
    e = html.escape
    body = "\n".join(_service_html(s, digest.threshold, digest.made_at)
                     for s in digest.services)
    return (
        "<!doctype html>\n<html lang='en'><head><meta charset='utf-8'>"
        f"<title>carebot weekly digest: {e(digest.council)}</title>"
        f"<style>{_CSS}</style></head><body>"
        f"<h1>Weekly digest: {e(digest.council)}</h1>"
        f"<p>{e(digest.period)}. Made {digest.made_at:%d %b %Y %H:%M} UTC. "
        "No names are shown. Groups smaller than "
        f"{digest.threshold} people are not shown.</p>\n{body}\n</body></html>\n"
    )


def _worst_first(s: ServiceDigest) -> tuple[int, int, int]:
    """Unacknowledged alerts, then alerts, then open issues, then the lowest rating."""
    raised, acknowledged = s.alerts
    positive = s.fft_positive_percent
    return (-(raised - acknowledged), -raised, -len(s.open_issues) * 1000
            + (100 if positive is None else positive))


def _service_summary(s: ServiceDigest, now: datetime) -> list[str]:
    """One service's lines: its duty (alerts, open issues, what staff read) always, its
    views when enough people answered to show them."""
    raised, acknowledged = s.alerts
    lines = [f"{s.service} ({s.provider})"]
    if raised:
        waiting = raised - acknowledged
        lines.append(f"  Safeguarding alerts: {raised}"
                     + (f", {waiting} not yet acknowledged." if waiting else ", all acknowledged."))
    if s.open_issues:
        oldest = max(issue.age_days for issue in s.open_issues)
        lines.append(f"  Open issues: {len(s.open_issues)}, the oldest {oldest} "
                     f"day{'' if oldest == 1 else 's'}.")
    done = f"  {s.checkins_completed} of {s.checkins_sent} check-ins done"
    if s.suppressed:
        lines.append(f"{done}. Too few answers to show views.")
    else:
        positive = s.fft_positive_percent
        said = "" if positive is None else f", {positive}% rated it good"
        lines.append(f"{done}{said}.")
    read = None if s.reading is None else reading_summary(s.reading, now)
    if read is not None:
        lines.append(f"  {read}")
    if s.actions:
        count = len(s.actions)
        lines.append(f"  You said, we did: {count} action{'' if count == 1 else 's'} in the "
                     "last 4 weeks.")
    return lines


def digest_summary(digest: Digest) -> str:
    """A few short lines for the chat, worst news first; the files hold the rest."""
    ordered = sorted(digest.services, key=_worst_first)
    lines = [line for s in ordered for line in _service_summary(s, digest.made_at)]
    return "\n".join(lines) if lines else "No services yet."


def write_digest(digest: Digest, folder: Path, stem: str) -> tuple[Path, Path]:
    """Write `stem`.html and `stem`.csv into `folder`; returns both paths."""
    private_folder(folder)
    html_path = folder / f"{stem}.html"
    csv_path = folder / f"{stem}.csv"
    write_private(html_path, digest_html(digest))
    write_private(csv_path, BOM + digest_csv(digest))
    return html_path, csv_path
