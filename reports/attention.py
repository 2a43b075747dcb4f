"""What needs a commissioner's attention first, service by service: safeguarding alerts
and requests to talk nobody has acted on, messages nobody read within a day, open issues
waiting too long to be read or to be put right, and a measure that fell, where both weeks
had enough answers to say so. Duty first (these counts are never hidden,
care/suppression.py); a fall only where the measure itself is shown."""

from __future__ import annotations

from dataclasses import dataclass

from carebot.conversations.issue_news import status_word
from carebot.reports.figures import Digest, ServiceDigest
from carebot.storage.models import IssueStatus

FALL_POINTS = 10     # a measure this many points down on the week before is a concern
UNREAD_DAYS = 1      # an issue nobody has read for this long is late
SORT_DAYS = 7        # an issue read but not yet sorted (no one looking at it) this long
OPEN_DAYS = 28       # an issue still open after this long is late, read or not


@dataclass(frozen=True)
class Concern:
    service: ServiceDigest
    reasons: tuple[str, ...]   # short sentences, the most urgent first


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _duty(s: ServiceDigest) -> list[str]:
    reasons = []
    raised, acted = s.alerts
    if raised > acted:
        reasons.append(f"{_plural(raised - acted, 'safeguarding alert', 'safeguarding alerts')}"
                       " not acted on yet")
    asked, taken = s.talks
    if asked > taken:
        reasons.append(f"{_plural(asked - taken, 'request', 'requests')} to talk to someone "
                       "not acted on yet")
    if s.reading is not None:
        late = s.reading.judged - s.reading.read_in_time
        if late > 0:
            reasons.append(f"{late} of {s.reading.judged} messages not read within a day")
    return reasons


def _issues(s: ServiceDigest) -> list[str]:
    unread, unsorted = status_word(IssueStatus.OPEN), status_word(IssueStatus.SEEN)
    waiting = sum(i.status == unread and i.age_days >= UNREAD_DAYS for i in s.open_issues)
    read = sum(i.status == unsorted and i.age_days >= SORT_DAYS for i in s.open_issues)
    old = sum(i.age_days >= OPEN_DAYS for i in s.open_issues)
    reasons = []
    if waiting:
        reasons.append(f"{_plural(waiting, 'issue', 'issues')} not read for a day or more")
    if read:
        reasons.append(f"{_plural(read, 'issue', 'issues')} read but not taken on for "
                       f"{SORT_DAYS} days or more")
    if old:
        reasons.append(f"{_plural(old, 'issue', 'issues')} open for {OPEN_DAYS} days or more")
    return reasons


def _falls(s: ServiceDigest) -> list[str]:
    """A fall shown only where the change itself is (both weeks enough answers)."""
    if s.measures is None or s.suppressed:
        return []
    return [f"{m.label}: down {-m.change} points on the week before"
            for m in (s.measures.fft, *s.measures.outcomes)
            if m.change is not None and m.change <= -FALL_POINTS]


def concerns(digest: Digest) -> tuple[Concern, ...]:
    """The services that need attention: those with duty waiting first, then the most
    reasons; in the digest's order otherwise."""
    found = []
    for s in digest.services:
        duty = _duty(s)
        reasons = tuple(duty + _issues(s) + _falls(s))
        if reasons:
            found.append((len(duty), Concern(s, reasons)))
    found.sort(key=lambda pair: (-pair[0], -len(pair[1].reasons)))
    return tuple(concern for _, concern in found)


ALL_CLEAR = ("Nothing here needs attention. Every safeguarding alert and request to talk was "
             "acted on. Every message was read within a day. No issue has waited too long "
             f"to be read or taken on. No measure fell by {FALL_POINTS} points or more "
             "(a fall counts only when both weeks had enough answers to compare).")
