"""What people hear about the feedback they raised, and how they ask about it.

A person who raised a problem hears every step in plain words; they can ask "any news on
CB-1001?", "what about my problem?" or send /mine. A message that asks about a reference
and says more than that is feedback too, so it is kept as feedback: only a short
question is read as a question.

A problem nobody reads is chased after some working days (Monday to Friday, local time:
a problem sent on Friday has waited two working days on Tuesday, not on Sunday).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from carebot.conversations.schedule import is_quiet
from carebot.conversations.texts import plural, text
from carebot.translations.written_dates import day_and_month

KIND_WORDS = ("problem", "compliment", "idea")

# "CB-1001", "cb 1001", "CB1001", "ref cb-1001".
_REFERENCE = re.compile(r"\bcb\s*[-‐–—]?\s*(\d{4,9})\b", re.IGNORECASE)
# A question about one's own feedback, with no reference: the whole message is one of
# these (after small words are set aside), so "my problem is the carer is late" is not.
_ASKING = re.compile(
    r"^(?:(?:hi|hello|hiya|please|pls|so|and|ok|okay)[\s,]+)*"
    r"(?:(?:is\s+there\s+)?any\s+(?:news|update|updates|word)|what\s+(?:happened|is\s+happening)"
    r"|(?:where|how)\s+(?:is|are)|update|news|status)"
    r"(?:\s+(?:on|about|with|to|of|for))?"
    r"(?:\s+(?:my|our|the|me))?"
    r"(?:\s+(?:problem|problems|complaint|complaints|reference|references|ref|refs|idea|ideas"
    r"|message|messages|feedback|report|reports|issue|issues))?"
    r"(?:\s+(?:please|pls|yet|thanks|thank\s+you))*[\s?!.]*$",
    re.IGNORECASE,
)
_MY_THINGS = re.compile(
    r"^(?:what\s+about\s+)?my\s+(?:problem|problems|complaint|complaints|reference|references"
    r"|ref|refs|feedback|messages)[\s?!.]*$", re.IGNORECASE)
SHORT_QUESTION = 60  # characters: a question about a reference is short; more is feedback


@dataclass(frozen=True)
class StatusQuestion:
    """A person asking about their feedback: the references they named (may be none)."""

    references: tuple[str, ...]
    only_asking: bool  # nothing else in the message: not to be kept as new feedback


def references_in(words: str) -> tuple[str, ...]:
    """Every CB reference in the words, written the one way we write them ("CB-1001")."""
    found = dict.fromkeys(f"CB-{int(number)}" for number in _REFERENCE.findall(words))
    return tuple(found)


def asks_about_feedback(words: str) -> StatusQuestion | None:
    """None if the words are not about earlier feedback. A short message naming a
    reference, or one that is only "any news?" / "my problem", is only asking."""
    stripped = words.strip()
    references = references_in(stripped)
    if references:
        rest = _REFERENCE.sub(" ", stripped)
        short = len(stripped) <= SHORT_QUESTION
        only = short and (not rest.strip(" ?!.,") or bool(_ASKING.match(rest.strip()))
                          or bool(_MY_THINGS.match(rest.strip())))
        return StatusQuestion(references, only)
    if len(stripped) <= SHORT_QUESTION and (_ASKING.match(stripped) or
                                            _MY_THINGS.match(stripped)):
        return StatusQuestion((), True)
    return None


def kind_word(kind: str | None) -> str:
    return text(f"issue.kind.{kind}" if kind in KIND_WORDS else "issue.kind.none")


def a_kind(kind: str | None) -> str:
    """"a problem", "an idea": the kind with its article, for the middle of a sentence."""
    return text(f"issue.a_kind.{kind}" if kind in KIND_WORDS else "issue.a_kind.none")


def status_word(status: str) -> str:
    return text(f"issue.status.{status}")


def news_for_raiser(*, status: str, kind: str | None, reference: str, organisation: str,
                    note: str | None) -> str:
    """What the person who raised an issue is told when it moves on."""
    return text(f"issue.news.{status}", kind=kind_word(kind), reference=reference,
                organisation=organisation, note=note or "")


def own_issue_line(*, reference: str, kind: str | None, status: str, raised: datetime,
                   last_note: str | None, timezone: str) -> str:
    """One line of /mine: what it was, when, where it is now, and what staff last said."""
    day = day_and_month(raised.astimezone(ZoneInfo(timezone)))
    line = text("mine.item", reference=reference, kind=a_kind(kind), date=day,
                status=status_word(status))
    return line if not last_note else line + "\n" + text("mine.note", note=last_note)


# Working days and chasing a problem nobody has read.
SATURDAY = 5  # datetime.weekday(): Monday is 0, so 5 and 6 are the weekend


def _working_clock(local: datetime) -> datetime:
    """`local` itself on a weekday. At a weekend the working clock stands still at the end
    of Friday (Saturday 00:00), since no working time passes until Monday."""
    if local.weekday() < SATURDAY:
        return local
    saturday = local.date() - timedelta(days=local.weekday() - SATURDAY)
    return datetime.combine(saturday, time(0))


def _one_working_day_back(local: datetime) -> datetime:
    """The same time of day one working day earlier (Monday 10:00 gives Friday 10:00)."""
    earlier = local - timedelta(days=1)
    while earlier.weekday() >= SATURDAY:
        earlier -= timedelta(days=1)
    return earlier


def working_days_before(now: datetime, days: int, timezone: str) -> datetime:
    """The latest moment from which `days` working days have passed by `now`: whatever
    began waiting then or earlier has waited that long. Counted on the local clock, so
    Friday 10:00 is two working days before Tuesday 10:00 even when the clocks change."""
    zone = ZoneInfo(timezone)
    moment = _working_clock(now.astimezone(zone).replace(tzinfo=None))
    for _ in range(days):
        moment = _one_working_day_back(moment)
    return moment.replace(tzinfo=zone).astimezone(UTC)


def working_days_waited(since: datetime, now: datetime, timezone: str) -> int:
    """Whole working days from `since` to `now`: what a reminder says has been waited."""
    zone = ZoneInfo(timezone)
    began = since.astimezone(zone).replace(tzinfo=None)
    moment = _working_clock(now.astimezone(zone).replace(tzinfo=None))
    waited = 0
    while (moment := _one_working_day_back(moment)) >= began:
        waited += 1
    return waited


def may_chase(now: datetime, timezone: str) -> bool:
    """Chasing is for working days, outside quiet hours: staff are asked when they are at
    work, and nobody is told bad news in the night."""
    return now.astimezone(ZoneInfo(timezone)).weekday() < SATURDAY and not is_quiet(
        now, timezone)


def waited_words(days: int) -> str:
    """"1 working day", "3 working days"."""
    return plural("chase.working_days", days)
