"""Figures in plain words, the same in the digest and the monitoring pack: each says only
what its numbers show (one alert has no "half"; a minute is not "0 minutes")."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from carebot.conversations.texts import text
from carebot.reports.measures import CAREFUL_BELOW, COMPARE_FROM, Measure, ServiceMeasures
from carebot.reports.voices import ThemeFigure

HELPED_NAMES = {"alone": "on their own", "family": "with family", "carer": "with a carer",
                "advocate": "with an advocate", "someone": "with someone else"}
LIKE_NOTE = ("“Like ASCS” and “like SACE”: carebot's own weekly question about what the "
             "Adult Social Care Survey or the Survey of Adult Carers in England asks, in "
             "other words and answers, so its figure is not the survey's, nor an ASCOF "
             "measure.")


def plain_label(value: str) -> str:
    """A choice's words without its face, e.g. 'Very good'."""
    label = text(f"choice.{value}")
    first, _, rest = label.partition(" ")
    return rest if rest and not any(ch.isalpha() for ch in first) else label


def minutes_words(minutes: int) -> str:
    if minutes < 1:
        return "under a minute"
    if minutes < 120:
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} hours"
    return f"{round(minutes / (24 * 60))} days"


def _acted_words(raised: int, acknowledged: int) -> str:
    if acknowledged == raised:
        return "all acted on" if raised > 1 else "acted on"
    if acknowledged == 0:
        return "none acted on yet" if raised > 1 else "not yet acted on"
    return f"{acknowledged} acted on, {raised - acknowledged} not yet"


def alerts_words(raised: int, acknowledged: int) -> str:
    """'Safeguarding alerts in this period: 2, 1 acted on.' – acted on by the duty contact,
    their backup or the safeguarding lead: whoever acted first."""
    return f"Safeguarding alerts in this period: {raised}, {_acted_words(raised, acknowledged)}."


def talks_words(asked: int, acted: int) -> str:
    """'Requests to talk to someone: 2, all acted on.' – a person or carer asked for a call
    (with /talk, or after a worrying answer), and someone took it on."""
    return f"Requests to talk to someone: {asked}, {_acted_words(asked, acted)}."


MEDIAN_FROM = 4  # alerts: fewer are each given their own time


def alert_speed_words(measures: ServiceMeasures | None) -> str:
    """How quickly alerts were acted on: each alert's time when there are a few, else
    the median, with how many it is over."""
    each = () if measures is None else measures.acted_minutes
    if not each or measures is None or measures.alert_minutes is None:
        return ""
    if len(each) < MEDIAN_FROM:
        times = [minutes_words(m) for m in each]
        listed = times[0] if len(times) == 1 else f"{', '.join(times[:-1])} and {times[-1]}"
        return f"Time from alert to action: {listed}."
    return (f"Time from alert to action: half within "
            f"{minutes_words(measures.alert_minutes)} ({len(each)} alerts).")


def share_words(m: Measure) -> str:
    """This period's share with the answers it is of: '62% (5 of 8 answers, read with
    care)'; a hidden one as a dash the page's note explains."""
    if m.counted == 0:
        return "no answers" if m.asked else "not asked this period"
    if m.percent is None or m.counted is None:
        return "—"
    care = ", read with care" if m.careful else ""
    return f"{m.percent}% ({m.good} of {m.counted} answers{care})"


def change_words(m: Measure) -> str:
    """The change since the week before, where both weeks had enough answers to say."""
    if m.change is None:
        before = m.trend[-2] if len(m.trend) > 1 else None
        if m.percent is None or before is None:
            return ""  # nothing shown now, or nothing the week before to compare with
        return f"too few answers to compare (under {COMPARE_FROM})"
    return "no change" if m.change == 0 else f"{m.change:+d} points"


def poor_words(m: Measure) -> str:
    if m.counted == 0:
        return ""
    return "—" if m.poor_percent is None else f"{m.poor_percent}%"


def label_words(m: Measure) -> str:
    """The measure's name, and the survey its question is like, not the same as."""
    return m.label if m.like is None else f"{m.label} (like {m.like})"


def theme_words(t: ThemeFigure) -> str:
    """'4 comments, 2 more than the week before; 3.0 a week over 3 weeks': beside the
    week before and the weeks since the service's first answer, when there were any."""
    if t.comments is None:
        return f"number not shown (too few raised it in one of the {t.period_weeks} weeks)"
    said = f"{t.comments} comment{'' if t.comments == 1 else 's'}"
    if t.period_weeks > 1:  # weeks of comments are not compared with one week's
        return f"{said} in {t.period_weeks} weeks"
    if t.running_weeks < 2:
        return said  # a first week has nothing before it to compare with
    if t.last_week is None:
        compared = "too few the week before to compare"
    else:
        change = t.comments - t.last_week
        compared = ("the same as the week before" if change == 0
                    else f"{abs(change)} {'more' if change > 0 else 'fewer'} than the week before")
    over = (f"{t.weeks} weeks" if t.weeks == t.running_weeks
            else f"the {t.weeks} of {t.running_weeks} weeks with enough to show")
    return f"{said}, {compared}; {t.average:.1f} a week over {over}"


def local_time_words(moment: datetime, timezone: str) -> str:
    """'16 Nov 2026 at 10:00, UK time': in the council's time zone, as its staff read
    clocks, not UTC."""
    local = moment.astimezone(ZoneInfo(timezone))
    zone = "UK time" if timezone == "Europe/London" else f"{timezone} time"
    return f"{local.day} {local:%b %Y} at {local:%H:%M}, {zone}"


def privacy_words(threshold: int) -> str:
    """What every report promises about privacy (care/suppression.py keeps it)."""
    return ("No names or contact details are shown, not even in quotes. Where fewer than "
            f"{threshold} people answered, what they said is not shown, nor any figure it "
            "could be worked out from.")


def rated_good_words(percent: int, answers: int) -> str:
    """'75% of 8 rated it good or very good (read with care)': the Friends and Family
    Test's headline with the answers it is of."""
    care = " (read with care)" if answers < CAREFUL_BELOW else ""
    return f"{percent}% of {answers} rated it good or very good{care}"


# The headings the digest page and the pack share, written once.
HEADINGS = {"rate": "How people rate their care", "talked": "What people talked about",
            "wtfc": "Working Together for Change", "carers": "Carers' messages",
            "attention": "Needs attention"}
