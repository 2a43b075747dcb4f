"""The alert policy on its own (care/alert_policy.py): the chain's order and its stored
step numbers, the risk levels as stored, how long each level waits, who can be reached
(and the SQL that says the same: storage/directory.py), who has an alert next, who is
followed up, and what may be said after what. Each case pins one thing a slip in the
rule would change (`make mutation`)."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest

from carebot.care.alert_policy import (
    FOLLOW_UP,
    LEAD_STEP,
    ChainStep,
    Climb,
    RiskLevel,
    Target,
    Waits,
    chain_of,
    first_holder,
    follow_up_target,
    lead_from_the_start,
    next_holder,
    next_outcomes,
    reachable,
    reachable_chain,
    reachable_lead,
    still_open,
    wait_for,
)
from carebot.conversations.texts import text
from carebot.settings.config import Config
from carebot.storage import directory
from carebot.storage.db import Database
from carebot.storage.models import (
    AlertKind,
    AlertOutcome,
    Person,
    PersonStatus,
    Role,
    Service,
)
from carebot.understanding.labels import NO_RISK, RISK_LEVELS
from carebot.understanding.safeguarding import categories

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
OUT = AlertOutcome
# Every status a person can have, with a chat to write to and without one.
EVERYONE = list(itertools.product(PersonStatus, (True, False)))


def _person(person_id: int, status: PersonStatus = PersonStatus.ACTIVE,
            chat: bool = True) -> Person:
    return Person(person_id, Role.DUTY_CONTACT, f"P{person_id}", None, 1, person_id,
                  1000 + person_id if chat else None, status, NOW)


DANA, BEN, LENA = _person(1), _person(2), _person(3)
GONE = _person(9, PersonStatus.BLOCKED)


# The chain's places and the levels, as stored.

def test_the_chain_is_duty_contact_then_backup_then_the_council_lead_as_stored() -> None:
    assert [(s.name, int(s)) for s in ChainStep] == [
        ("DUTY_CONTACT", 0), ("BACKUP_CONTACT", 1), ("SAFEGUARDING_LEAD", 2)]
    assert LEAD_STEP is ChainStep.SAFEGUARDING_LEAD is max(ChainStep)
    # Each place names its words, as the history of an alert shows it.
    assert [text(f"chain.{s}") for s in ChainStep] == [
        "duty contact", "backup contact", "council safeguarding lead"]


def test_a_services_chain_is_its_duty_contact_its_backup_then_its_councils_lead() -> None:
    service = Service(5, 6, 7, "Home Care East", "home care", "Sunrise", 11, 12)
    assert chain_of(service, 13) == (11, 12, 13)
    assert chain_of(Service(5, 6, 7, "x", "y", "z", None), None) == (None, None, None)


def test_the_risk_levels_are_the_strings_the_tagger_gives_and_alerts_store() -> None:
    assert [level.value for level in RiskLevel] == ["concern", "urgent"]
    assert [str(level) for level in RiskLevel] == list(RISK_LEVELS[1:])
    assert NO_RISK not in {level.value for level in RiskLevel}
    assert {c.level for c in categories()} <= {level.value for level in RiskLevel}
    assert RiskLevel("concern") is RiskLevel.CONCERN and RiskLevel("urgent") is RiskLevel.URGENT


# How long each waits.

def test_an_urgent_alert_waits_the_urgent_minutes_and_a_concern_the_usual() -> None:
    waits = Waits(concern_minutes=30, urgent_minutes=10)
    assert wait_for(RiskLevel.URGENT, waits) == timedelta(minutes=10)
    assert wait_for(RiskLevel.CONCERN, waits) == timedelta(minutes=30)
    assert wait_for("urgent", waits) == timedelta(minutes=10)  # as alerts.level stores it
    assert wait_for("concern", Waits(7, 45)) == timedelta(minutes=7)
    assert wait_for("urgent", Waits(7, 45)) == timedelta(minutes=45)


def test_a_level_that_is_not_one_is_refused() -> None:
    with pytest.raises(ValueError, match="none"):
        wait_for(NO_RISK, Waits(30, 10))


def test_the_waits_are_this_carebots_settings() -> None:
    assert Waits.of(Config()) == Waits(30, 10)
    config = Config(alert_escalate_minutes=45, alert_escalate_urgent_minutes=5)
    assert Waits.of(config) == Waits(concern_minutes=45, urgent_minutes=5)


def test_one_taken_is_followed_up_within_the_working_day_a_request_to_talk_daily() -> None:
    assert dict(FOLLOW_UP) == {AlertKind.SAFEGUARDING: timedelta(hours=4),
                               AlertKind.TALK: timedelta(days=1)}


# Who can be reached.

@pytest.mark.parametrize(("status", "chat"), EVERYONE)
def test_only_someone_active_with_a_chat_can_be_reached(status: PersonStatus,
                                                        chat: bool) -> None:
    person = _person(4, status, chat)
    expected = person if status is PersonStatus.ACTIVE and chat else None
    assert reachable(person) is expected


def test_nobody_cannot_be_reached() -> None:
    assert reachable(None) is None


async def test_the_sql_picks_exactly_whom_the_rule_accepts(db: Database) -> None:
    for n, (status, chat) in enumerate(EVERYONE):
        await db.execute(
            "INSERT INTO people (role, display_name, chat_id, status, enrolled_at) "
            "VALUES ('carer', ?, ?, ?, '2026-11-23T10:00:00+00:00')",
            (f"{status}-{chat}", 500 + n if chat else None, status))
    people = await directory.people_of(db)
    assert len(people) == len(EVERYONE)
    accepted = {p.id for p in people if reachable(p) is not None}
    assert len(accepted) == 1  # active with a chat: one row of the table
    for alias, table in (("p", "people p"), ("people", "people")):
        picked = await db.fetchall(
            f"SELECT id FROM {table} WHERE {directory.reachable_sql(alias)}",
            directory.REACHABLE_PARAMS)
        assert {r["id"] for r in picked} == accepted
        others = await db.fetchall(
            f"SELECT id FROM {table} WHERE NOT {directory.reachable_sql(alias)}",
            directory.REACHABLE_PARAMS)
        assert {r["id"] for r in others} == {p.id for p in people} - accepted


def test_the_reachable_sql_stands_as_one_condition_beside_others() -> None:
    # In brackets, so that `x OR <it>` and `NOT <it>` mean the whole of it.
    sql = directory.reachable_sql("d")
    assert sql.startswith("(") and sql.endswith(")")
    assert sql.count("?") == len(directory.REACHABLE_PARAMS)
    assert "d.status" in sql and "d.chat_id" in sql


# Who has it.

def test_the_chain_keeps_each_place_and_passes_over_whoever_cannot_be_reached() -> None:
    assert reachable_chain([DANA, BEN, LENA]) == [Target(0, DANA), Target(1, BEN),
                                                  Target(2, LENA)]
    assert reachable_chain([GONE, BEN, LENA]) == [Target(1, BEN), Target(2, LENA)]
    assert reachable_chain([DANA, None, LENA]) == [Target(0, DANA), Target(2, LENA)]
    assert reachable_chain([None, GONE, LENA]) == [Target(2, LENA)]
    assert reachable_chain([DANA, BEN, None]) == [Target(0, DANA), Target(1, BEN)]
    assert reachable_chain([GONE, None, _person(3, PersonStatus.ACTIVE, chat=False)]) == []
    assert all(isinstance(t.step, ChainStep) for t in reachable_chain([DANA, BEN, LENA]))


def test_a_new_alert_goes_to_the_first_who_can_be_reached() -> None:
    assert first_holder(reachable_chain([GONE, BEN, LENA])) == Target(1, BEN)
    assert first_holder(reachable_chain([DANA, BEN, LENA])) == Target(0, DANA)
    assert first_holder([]) is None


def test_the_lead_is_there_only_if_the_last_place_can_be_reached() -> None:
    assert reachable_lead(reachable_chain([DANA, BEN, LENA])) == Target(2, LENA)
    assert reachable_lead(reachable_chain([None, None, LENA])) == Target(2, LENA)
    assert reachable_lead(reachable_chain([DANA, BEN, GONE])) is None
    assert reachable_lead(reachable_chain([DANA, BEN, None])) is None
    assert reachable_lead([]) is None


def test_words_that_accuse_staff_go_to_the_lead_from_the_start_too() -> None:
    full = reachable_chain([DANA, BEN, LENA])
    assert lead_from_the_start(full, names_staff=True) == Target(2, LENA)
    assert lead_from_the_start(full, names_staff=False) is None
    # The lead is the first anyway: once is enough.
    assert lead_from_the_start(reachable_chain([GONE, None, LENA]), names_staff=True) is None
    # No lead to reach: the provider's chain has it alone.
    assert lead_from_the_start(reachable_chain([DANA, BEN, GONE]), names_staff=True) is None
    assert lead_from_the_start([], names_staff=True) is None


def test_nobody_acting_passes_it_one_place_up_at_a_time() -> None:
    full = reachable_chain([DANA, BEN, LENA])
    assert next_holder(full, DANA.id, 0) == Climb(Target(1, BEN), passed_on=True)
    assert next_holder(full, BEN.id, 1) == Climb(Target(2, LENA), passed_on=True)
    # Whoever cannot be reached is passed over.
    assert next_holder(reachable_chain([DANA, GONE, LENA]), DANA.id, 0) == Climb(
        Target(2, LENA), passed_on=True)


def test_past_the_top_it_is_chased_with_the_most_senior_who_can_be_reached() -> None:
    full = reachable_chain([DANA, BEN, LENA])
    assert next_holder(full, LENA.id, 2) == Climb(Target(2, LENA), passed_on=False)
    no_lead = reachable_chain([DANA, BEN, GONE])
    assert next_holder(no_lead, BEN.id, 1) == Climb(Target(1, BEN), passed_on=False)
    # Those above it left: chased with whoever is left highest, even below its place.
    assert next_holder(reachable_chain([DANA, GONE, GONE]), LENA.id, 2) == Climb(
        Target(0, DANA), passed_on=False)


def test_one_that_waited_with_nobody_starts_at_the_first_who_can_be_reached() -> None:
    full = reachable_chain([DANA, BEN, LENA])
    assert next_holder(full, None, 0) == Climb(Target(0, DANA), passed_on=True)
    assert next_holder(full, None, 2) == Climb(Target(0, DANA), passed_on=True)
    assert next_holder(reachable_chain([GONE, BEN, LENA]), None, 0) == Climb(
        Target(1, BEN), passed_on=True)


def test_with_nobody_to_reach_it_goes_to_nobody() -> None:
    assert next_holder([], DANA.id, 0) == Climb(None, passed_on=False)
    assert next_holder([], None, 0) == Climb(None, passed_on=False)


def test_the_one_who_took_it_is_followed_up_while_they_can_be_reached() -> None:
    full = reachable_chain([DANA, BEN, LENA])
    assert follow_up_target(BEN, 1, full) == Target(1, BEN)
    assert follow_up_target(LENA, 2, full) == Target(2, LENA)
    # They left, or nobody took it: back to the start of the chain.
    assert follow_up_target(_person(2, PersonStatus.STOPPED), 1, full) == Target(0, DANA)
    assert follow_up_target(None, 1, full) == Target(0, DANA)
    assert follow_up_target(_person(2, chat=False), 1, reachable_chain([GONE, None, LENA])) == (
        Target(2, LENA))
    assert follow_up_target(GONE, 1, []) is None


# What may be said after what.

def test_what_may_be_said_after_what() -> None:
    worry, talk = AlertKind.SAFEGUARDING, AlertKind.TALK
    assert next_outcomes(worry, None) == (OUT.DEALING, OUT.CONTACTED, OUT.NOT_A_CONCERN)
    assert next_outcomes(worry, OUT.DEALING) == (OUT.CONTACTED, OUT.NOT_A_CONCERN)
    assert next_outcomes(talk, None) == (OUT.DEALING, OUT.CONTACTED)
    assert next_outcomes(talk, OUT.DEALING) == (OUT.CONTACTED,)
    for kind in (worry, talk):
        for done in (OUT.CONTACTED, OUT.NOT_A_CONCERN):
            assert next_outcomes(kind, done) == ()
    assert [still_open(o) for o in OUT] == [True, False, False]

