"""The read list in a report (issue 29), in words: of what people sent a service in the
period, how much staff read within a day (always with how many it is out of), and how
long the oldest message still unread has waited. These count staff work, not people, so
small-number suppression does not apply (as for alerts and open issues,
care/suppression.py): every count is shown, however small. A message sent less than a
day before the report is not yet late, so it is not judged yet: it is said apart."""

from __future__ import annotations

from datetime import datetime

from carebot.care.suppression import percent_of
from carebot.conversations.texts import text
from carebot.storage.read_figures import ReadFigures


def read_percent(figures: ReadFigures) -> int | None:
    """Of the messages whose day is over, the share read within it; None if none's is."""
    if not figures.judged:
        return None
    return percent_of(figures.read_in_time, figures.judged)


def waited_days(figures: ReadFigures, now: datetime) -> int | None:
    """Whole days the oldest unread message has waited at `now`; None if none waits."""
    if figures.oldest_unread is None:
        return None
    return max(0, (now - figures.oldest_unread).days)


def read_line(figures: ReadFigures) -> str | None:
    """'Messages read within a day: 12 of 14 (86%).', or that there was nothing to read;
    None if everything sent is still less than a day old."""
    percent = read_percent(figures)
    if percent is not None:
        return text("report.read_list.read", read=figures.read_in_time, count=figures.judged,
                    percent=percent)
    return text("report.read_list.none") if not figures.arrived else None


def oldest_line(figures: ReadFigures, now: datetime) -> str:
    """How long the oldest unread message has waited, or that none waits."""
    days = waited_days(figures, now)
    if days is None:
        return text("report.read_list.none_waiting")
    if days == 0:
        return text("report.read_list.oldest_new")
    if days == 1:
        return text("report.read_list.oldest_one")
    return text("report.read_list.oldest", days=days)


def reading_lines(figures: ReadFigures, now: datetime) -> list[str]:
    """Every line a digest's or a pack's section shows, one sentence or two each."""
    lines = [line for line in (read_line(figures),) if line is not None]
    if figures.not_words:
        lines.append(text("report.read_list.not_words", count=figures.not_words))
    if figures.too_new:
        lines.append(text("report.read_list.new", count=figures.too_new))
    if figures.unread:
        lines.append(text("report.read_list.unread", count=figures.unread))
    return [*lines, oldest_line(figures, now)]


def reading_summary(figures: ReadFigures, now: datetime) -> str | None:
    """One line for the chat's summary: how much was read in time and the oldest
    waiting; None where nothing was sent and nothing waits."""
    if not figures.arrived and figures.oldest_unread is None:
        return None
    return " ".join(line for line in (read_line(figures), oldest_line(figures, now)) if line)
