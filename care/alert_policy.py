"""The alert policy: who an alert goes to and in what order, who can be reached at all, how
long each waits before it climbs, and what may be said of it after what. A service's chain
is its duty contact, its backup contact, then the council's safeguarding lead; anyone who
cannot be reached is passed over at once, and past the last the alert is chased with the
most senior who can be reached. Storage keeps alerts by these rules (and writes
`reachable` in SQL beside it: storage/directory.py), and the workflow hands them on
(workflow/alert_chain.py); neither decides them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from enum import IntEnum, StrEnum

from carebot.settings.config import Config
from carebot.storage.models import AlertKind, AlertOutcome, Person, PersonStatus, Service


class ChainStep(IntEnum):
    """A place in a service's alert chain, in the order an alert climbs it. The numbers
    are stored (alerts.step, alert_updates.step) and name the texts `chain.<step>`:
    never renumber them."""

    DUTY_CONTACT = 0
    BACKUP_CONTACT = 1
    SAFEGUARDING_LEAD = 2


# The last and most senior place: the council's, not the provider's.
LEAD_STEP = ChainStep.SAFEGUARDING_LEAD


class RiskLevel(StrEnum):
    """How worrying an alert's words are, as the tagger says (understanding/labels.py,
    less worrying first) and as alerts.level stores it."""

    CONCERN = "concern"
    URGENT = "urgent"


@dataclass(frozen=True)
class Waits:
    """How many minutes an alert nobody acts on waits at each place, by its level."""

    concern_minutes: int
    urgent_minutes: int

    @classmethod
    def of(cls, config: Config) -> Waits:
        return cls(config.alert_escalate_minutes, config.alert_escalate_urgent_minutes)


def wait_for(level: str, waits: Waits) -> timedelta:
    """How long an alert of this level (a RiskLevel, or the string stored for one) waits
    for someone to act before it climbs: an urgent one for less."""
    minutes = {RiskLevel.CONCERN: waits.concern_minutes,
               RiskLevel.URGENT: waits.urgent_minutes}[RiskLevel(level)]
    return timedelta(minutes=minutes)


# An alert someone said they would deal with: they are asked, after this long and again
# each time, whether they have contacted the person (a request to talk: talked), until
# they tap to say so. A worry is checked within the working day; a request to talk daily.
FOLLOW_UP: Mapping[AlertKind, timedelta] = {AlertKind.SAFEGUARDING: timedelta(hours=4),
                                            AlertKind.TALK: timedelta(days=1)}


def reachable(person: Person | None) -> Person | None:
    """`person`, if the bot can reach them: active (not stopped, blocked, forgotten or yet
    to say yes), with a chat to write to. storage/directory.py's `reachable_sql` is the
    same rule for a query, and must stay so (tests/care/test_alert_policy.py)."""
    if person is None or person.chat_id is None or person.status is not PersonStatus.ACTIVE:
        return None
    return person


@dataclass(frozen=True)
class Target:
    """Someone in the chain who can be reached, at their place in it."""

    step: int       # a ChainStep
    person: Person


def chain_of(service: Service, lead_id: int | None) -> tuple[int | None, ...]:
    """Who is in a service's chain, by id, in ChainStep order (None: nobody set)."""
    return (service.duty_contact_id, service.backup_contact_id, lead_id)


def reachable_chain(chain: Sequence[Person | None]) -> list[Target]:
    """Those of the chain (in ChainStep order, as `chain_of` gives it) the bot can reach,
    each keeping their own place: the backup stays the backup when the duty contact
    cannot be reached."""
    return [Target(ChainStep(step), found) for step, person in enumerate(chain)
            if (found := reachable(person)) is not None]


def first_holder(chain: Sequence[Target]) -> Target | None:
    """Who a new alert goes to: the first who can be reached (None: it waits with nobody,
    and the chain is looked at again after the wait)."""
    return chain[0] if chain else None


def reachable_lead(chain: Sequence[Target]) -> Target | None:
    """The council's safeguarding lead, if they are in the chain and can be reached."""
    last = chain[-1] if chain else None
    return last if last is not None and last.step == LEAD_STEP else None


def lead_from_the_start(chain: Sequence[Target], names_staff: bool) -> Target | None:
    """Who else has a new alert at once: the council's lead, when its words accuse someone
    the provider employs, so that the council decides when the provider may see them
    (None: nobody else, or the lead is the first to have it anyway)."""
    lead = reachable_lead(chain)
    if not names_staff or lead is None or lead == first_holder(chain):
        return None
    return lead


@dataclass(frozen=True)
class Climb:
    """Where an alert nobody acted on goes when its wait is up."""

    target: Target | None  # None: nobody in the chain can be reached
    passed_on: bool        # True: up the chain; False: chased with the most senior


def next_holder(chain: Sequence[Target], holder_id: int | None, step: int) -> Climb:
    """The next who can be reached above the alert's place; one that waited with nobody
    starts again at the first. Past the top of the chain it is chased with the most
    senior who can be reached, each wait, until someone acts."""
    higher = [t for t in chain if holder_id is None or t.step > step]
    if higher:
        return Climb(higher[0], passed_on=True)
    return Climb(chain[-1] if chain else None, passed_on=False)


def follow_up_target(taker: Person | None, step: int, chain: Sequence[Target]) -> Target | None:
    """Who is asked whether the person has been contacted about an alert someone took:
    the one who took it, at its place, while they can be reached; if not, it starts the
    chain again as if nobody had taken it."""
    found = reachable(taker)
    return first_holder(chain) if found is None else Target(step, found)


# Once someone has said what they did, they can say more, never less.
NEXT_OUTCOMES: Mapping[AlertOutcome | None, tuple[AlertOutcome, ...]] = {
    None: tuple(AlertOutcome),
    AlertOutcome.DEALING: (AlertOutcome.CONTACTED, AlertOutcome.NOT_A_CONCERN),
    AlertOutcome.CONTACTED: (),
    AlertOutcome.NOT_A_CONCERN: (),
}
# A request to talk is done when they have talked: "not a concern" does not fit it.
NEXT_TALK_OUTCOMES: Mapping[AlertOutcome | None, tuple[AlertOutcome, ...]] = {
    None: (AlertOutcome.DEALING, AlertOutcome.CONTACTED),
    AlertOutcome.DEALING: (AlertOutcome.CONTACTED,),
    AlertOutcome.CONTACTED: (),
    AlertOutcome.NOT_A_CONCERN: (),
}


def next_outcomes(kind: AlertKind, outcome: AlertOutcome | None) -> tuple[AlertOutcome, ...]:
    """What may be said of an alert of this kind after `outcome` (None: nothing yet)."""
    table = NEXT_TALK_OUTCOMES if kind is AlertKind.TALK else NEXT_OUTCOMES
    return table[outcome]


def still_open(outcome: AlertOutcome) -> bool:
    """An alert someone has said they will deal with (a request to talk: answer) stays
    open, and is followed up, until they say they have contacted the person (talked)."""
    return outcome is AlertOutcome.DEALING
