"""Telegram's limits on what one message may hold, and text made to fit them: a long text
split into parts, each whole lines where it can be, or shortened with a word to say so.
Nothing here drops words silently: a part is labelled, a cut says that it is one.

Telegram counts a message's length in UTF-16 code units (an emoji is two), so that is
what `length` measures: a text that fits here fits there."""

from __future__ import annotations

from collections.abc import Callable

TEXT_LIMIT = 4096         # a message's text
CAPTION_LIMIT = 1024      # a file's caption
BUTTONS_LIMIT = 100       # buttons on one message
ROW_LIMIT = 8             # buttons in one row
CALLBACK_DATA_LIMIT = 64  # bytes of a button's data

# Where a part may end, best first: a blank line, a line, a sentence, a word.
_BREAKS = ("\n\n", "\n", ". ", " ")
_GOOD_ENOUGH = 0.5  # a break in the last half of the room; nearer the start, try the next


def length(words: str) -> int:
    """The length Telegram counts: UTF-16 code units (a lone surrogate, which a client
    can send, counts one rather than failing)."""
    return len(words.encode("utf-16-le", "surrogatepass")) // 2


def fits(words: str, limit: int = TEXT_LIMIT) -> bool:
    return length(words) <= limit


def _prefix_within(words: str, room: int) -> int:
    """How many characters from the start fit in `room` UTF-16 units."""
    if len(words) * 2 <= room:
        return len(words)
    used = 0
    for index, char in enumerate(words):
        used += 2 if ord(char) > 0xFFFF else 1
        if used > room:
            return index
    return len(words)


def _cut_at(words: str, room: int) -> int:
    """Where the first part of `words` should end to fit `room`: the last good break."""
    most = _prefix_within(words, room)
    if most >= len(words):
        return most
    for mark in _BREAKS:
        found = words.rfind(mark, 0, most)
        if found > 0 and found >= most * _GOOD_ENOUGH:
            return found + (1 if mark == ". " else 0)  # keep the full stop with its sentence
    return max(most, 1)


def split(words: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`words` as parts that each fit `limit`, broken at blank lines, lines, sentences or
    words where it can, in order; every character is in one part (bar the breaks)."""
    parts: list[str] = []
    rest = words
    while not fits(rest, limit):
        end = _cut_at(rest, limit)
        parts.append(rest[:end].rstrip())
        rest = rest[end:].lstrip()
    if rest or not parts:
        parts.append(rest)
    return [part for part in parts if part] or [words[:_prefix_within(words, limit)]]


def split_labelled(words: str, label: Callable[[int, int], str],
                   limit: int = TEXT_LIMIT) -> list[str]:
    """`split`, each part ending with `label(part, parts)` (e.g. "Part 1 of 3."), on a
    line of its own, when there is more than one part; room is kept for the label."""
    if fits(words, limit):
        return [words]
    room = limit - length(label(999, 999)) - 2
    parts = split(words, room)
    return [f"{part}\n\n{label(number, len(parts))}"
            for number, part in enumerate(parts, start=1)]


def shorten(words: str, room: int, marker: str) -> str:
    """`words` cut at a word so that they and `marker` (saying so) fit `room` units;
    `words` as they are if they fit."""
    if fits(words, room):
        return words
    end = _cut_at(words, max(room - length(marker) - 1, 1))
    return f"{words[:end].rstrip()}{marker}"
