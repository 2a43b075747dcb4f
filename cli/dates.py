"""Dates as people in England write them: 2026-11-02, 2/11/2026, 2.11.26, 2 Nov 2026 or
2 November 2026 all mean the 2nd of November (day first, never month first)."""

from __future__ import annotations

import argparse
import re
from datetime import date

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
           "september", "october", "november", "december")
_NUMBERS = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})")
_WORDS = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?,?\s+(\d{4})")
EXAMPLE = "2/11/2026 or 2026-11-02"


def day_first(text: str) -> date:
    """The date in `text`; ValueError (saying how to write one) if it is not one."""
    written = text.strip().lower()
    try:
        return date.fromisoformat(written)
    except ValueError:
        pass
    if found := _NUMBERS.fullmatch(written):
        day, month, year = (int(part) for part in found.groups())
        return _made(day, month, year + 2000 if year < 100 else year, text)
    if (found := _WORDS.fullmatch(written)) and (named := _month(found.group(2))):
        return _made(int(found.group(1)), named, int(found.group(3)), text)
    raise ValueError(f"{text!r} is not a date: write it as {EXAMPLE}")


def _month(word: str) -> int | None:
    """January to December by name or the first three letters ('Sept' too)."""
    for number, name in enumerate(_MONTHS, start=1):
        if len(word) >= 3 and name.startswith(word):
            return number
    return None


def _made(day: int, month: int, year: int, text: str) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{text!r} is not a day on the calendar (day first, as in "
                         f"{EXAMPLE})") from None


def date_argument(text: str) -> date:
    """For argparse: a bad date is argparse's own one-line error, with the example."""
    try:
        return day_first(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
