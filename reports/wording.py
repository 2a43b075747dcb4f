"""Figures in plain words, the same in the digest and the monitoring pack: each says only
what its numbers show (one alert has no "half"; a minute is not "0 minutes")."""

from __future__ import annotations

from carebot.reports.measures import ServiceMeasures


def minutes_words(minutes: int) -> str:
    if minutes < 1:
        return "under a minute"
    if minutes < 120:
        return f"{minutes} minute{'' if minutes == 1 else 's'}"
    if minutes < 48 * 60:
        return f"{round(minutes / 60)} hours"
    return f"{round(minutes / (24 * 60))} days"


def alerts_words(raised: int, acknowledged: int) -> str:
    """'Safeguarding alerts in this period: 2, 1 acted on.' – acted on by the duty contact,
    their backup or the safeguarding lead: whoever acted first."""
    if acknowledged == raised:
        acted = "all acted on" if raised > 1 else "acted on"
    else:
        acted = f"{acknowledged} acted on, {raised - acknowledged} not yet"
    return f"Safeguarding alerts in this period: {raised}, {acted}."


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
