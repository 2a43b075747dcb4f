"""Dates as the language being spoken writes them ("Tuesday 24 November", "Dydd Mawrth 24
Tachwedd", "wtorek 24 listopada"), from CLDR through Babel, so no English month or day
name is left in a message in another language."""

from __future__ import annotations

from datetime import datetime

from babel.dates import format_date

from carebot.translations.speaking import language_now


def long_day(moment: datetime) -> str:
    """"Tuesday 24 November"."""
    return format_date(moment, "EEEE d MMMM", locale=language_now())


def short_day(moment: datetime) -> str:
    """"Tue 24 Nov"."""
    return format_date(moment, "EEE d MMM", locale=language_now())


def day_and_month(moment: datetime) -> str:
    """"24 Nov"."""
    return format_date(moment, "d MMM", locale=language_now())
