"""A digest as files and words: HTML for reading, CSV for spreadsheets, and a short
summary for the commissioner's chat."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from carebot.conversations.texts import text
from carebot.reports.attention import ALL_CLEAR, concerns
from carebot.reports.charts import sparkline, trend_svg
from carebot.reports.figures import Digest, ServiceDigest
from carebot.reports.measures import CAREFUL_BELOW
from carebot.reports.staff_reading import reading_lines, reading_summary
from carebot.reports.tidy_csv import BOM, digest_csv
from carebot.reports.trend_chart import measure_charts
from carebot.reports.voices_html import (
    PROMPT_NAMES,
    marked,
    messages_words,
    shown_count,
    written_in,
)
from carebot.reports.wording import (
    HEADINGS,
    HELPED_NAMES,
    LIKE_NOTE,
    alert_speed_words,
    alerts_words,
    change_words,
    label_words,
    local_time_words,
    plain_label,
    poor_words,
    privacy_words,
    rated_good_words,
    share_words,
    talks_words,
    theme_words,
)
from carebot.reports.you_said_we_did import ActionEffect
from carebot.storage.private_files import private_folder, write_private

_ENVIRONMENT = Environment(loader=PackageLoader("carebot.reports", "templates"),
                           autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                           keep_trailing_newline=True, auto_reload=False)


def _percent(share: float | None) -> str:
    return "not known" if share is None else f"{round(100 * share)}%"


def _effect(action: ActionEffect) -> str:
    """How often the action's theme came up before it and since, as shares of comments."""
    if action.theme is None or (action.share_before is None and action.share_after is None):
        return ""
    return (f"(Comments on this: {_percent(action.share_before)} in the 4 weeks before, "
            f"{_percent(action.share_after)} since.)")


# What the template calls on: declared once, not passed with every page.
_ENVIRONMENT.globals.update(
    plain_label=plain_label, theme_words=theme_words, effect=_effect, share_words=share_words,
    change_words=change_words, poor_words=poor_words, label_words=label_words,
    careful_below=CAREFUL_BELOW, like_note=LIKE_NOTE, sparkline=sparkline, marked=marked,
    written_in=written_in,
    shown_count=shown_count, helped=HELPED_NAMES, prompt_names=PROMPT_NAMES,
    text=text, reading_lines=reading_lines, alerts_words=alerts_words,
    alert_speed_words=alert_speed_words, talks_words=talks_words,
    local_time_words=local_time_words, privacy_words=privacy_words,
    concerns=concerns, all_clear=ALL_CLEAR, headings=HEADINGS, messages_words=messages_words,
    rated_good_words=rated_good_words,
    measure_charts=measure_charts, trend_svg=trend_svg)


def digest_html(digest: Digest) -> str:
    """The digest as one HTML page (templates/digest.html), every person's words escaped
    by the template engine."""
    return _ENVIRONMENT.get_template("digest.html").render(
        digest=digest, threshold=digest.threshold, made_at=digest.made_at)


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
    if raised:  # the same words as the page's
        lines.append(f"  {alerts_words(raised, acknowledged)}")
    if s.talks[0]:
        lines.append(f"  {talks_words(*s.talks)}")
    if s.open_issues:
        oldest = max(issue.age_days for issue in s.open_issues)
        lines.append(f"  Open issues: {len(s.open_issues)}, the oldest {oldest} "
                     f"day{'' if oldest == 1 else 's'}.")
    done = f"  {s.checkins_completed} of {s.checkins_sent} check-ins done"
    if s.suppressed:
        lines.append(f"{done}. Too few answers to show views.")
    else:
        positive = s.fft_positive_percent
        said = "" if positive is None else f"; {rated_good_words(positive, s.fft_responses)}"
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
