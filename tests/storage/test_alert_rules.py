"""The alert rules as storage keeps them: an alert handed over (to someone, to several,
or to nobody) with its step and its messages; the same words raising it once; passed on
only if nobody acted or moved it meanwhile; which alerts are due to climb; who was told;
what may be said after what, and what an act leaves open; the provider told once. Each
case pins one thing a slip in the rule would change (`make mutation` checks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from carebot.care.alert_policy import still_open
from carebot.storage import alerts, checkins, directory, issues
from carebot.storage.alerts import Alert, Handover, NewAlert
from carebot.storage.db import Database
from carebot.storage.models import AlertKind, AlertOutcome, Person, PersonStatus, Purpose, Role
from carebot.storage.outbox import NewMessage
from tests.helpers import World, joined, small_world

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)
WAIT = NOW + timedelta(minutes=30)
OUT = AlertOutcome


async def _people(db: Database) -> tuple[World, Person, Person, Person]:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    dee = await joined(db, world, NOW, telegram_user_id=8, role=Role.PROVIDER, name="Dee")
    bea = await joined(db, world, NOW, telegram_user_id=9, role=Role.PROVIDER, name="Bea")
    for person in (jo, dee, bea):
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, NOW)
    return world, jo, dee, bea


def _to(person: Person | None, step: int = 0, at: datetime | None = WAIT,
        text: str = "alert", also: tuple[tuple[int, int], ...] = ()) -> Handover:
    messages = () if person is None else (NewMessage(person.id, Purpose.ALERT, text=text),)
    return Handover(step, None if person is None else person.id, messages, at, also)


async def _raise(db: Database, world: World, about: Person, handover: Handover, *,
                 kind: AlertKind = AlertKind.SAFEGUARDING, level: str = "concern",
                 answer_id: int | None = None, names_staff: bool = False) -> Alert:
    new = NewAlert(world.service_id, about.id, level, "hit", answer_id=answer_id, kind=kind,
                   names_staff=names_staff)
    alert_id = await alerts.raise_alert(db, new, handover=handover, now=NOW)
    alert = await alerts.get_alert(db, alert_id)
    assert alert is not None
    return alert


async def _steps(db: Database, alert_id: int) -> list[tuple[str, int, int | None, int | None]]:
    return [(s.what, s.step, s.to_id, s.by_id) for s in await alerts.history(db, alert_id)]


async def test_a_new_alert_is_handed_to_its_first_person_with_its_message(
        db: Database) -> None:
    world, jo, dee, bea = await _people(db)
    new = NewAlert(world.service_id, jo.id, "urgent", "x", names_staff=True)
    async with alerts.raising(db, new, NOW) as raised:
        await raised.hand_over(_to(dee, step=1, also=((2, bea.id),)))
    alert_id = raised.id
    alert = await alerts.get_alert(db, alert_id)
    assert alert is not None
    assert (alert.holder_id, alert.step, alert.escalate_at, alert.level, alert.names_staff) == (
        dee.id, 1, WAIT, "urgent", True)
    assert await _steps(db, alert_id) == [("sent", 1, dee.id, None), ("sent", 2, bea.id, None)]
    assert await db.scalar("SELECT COUNT(*) FROM outbox WHERE purpose = 'alert'") == 1
    assert await alerts.was_told(db, alert_id, dee.id) is True
    assert await alerts.was_told(db, alert_id, bea.id) is True
    assert await alerts.was_told(db, alert_id, jo.id) is False


async def test_words_raised_before_are_handed_to_nobody_again(db: Database) -> None:
    world, jo, dee, bea = await _people(db)
    issue = await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                     text="he hit me", now=NOW)
    new = NewAlert(world.service_id, jo.id, "concern", "x", issue_id=issue.id)
    first = await alerts.raise_alert(db, new, handover=_to(dee), now=NOW)
    async with alerts.raising(db, new, NOW) as again:
        await again.hand_over(_to(bea))
    assert (again.id, again.before) == (first, True)
    assert await _steps(db, first) == [("sent", 0, dee.id, None)]
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 1


async def test_an_alert_nobody_can_have_is_kept_handed_to_nobody(db: Database) -> None:
    world, jo, _, _ = await _people(db)
    alert = await _raise(db, world, jo, _to(None, at=None))
    assert (alert.holder_id, alert.escalate_at, alert.names_staff) == (None, None, False)
    assert await _steps(db, alert.id) == [("nobody", 0, None, None)]
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 0


async def test_the_same_words_raise_one_alert_of_each_kind_and_level(db: Database) -> None:
    world, jo, dee, _ = await _people(db)
    issue = await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                     text="he hit me", now=NOW)

    async def raised(level: str = "concern", kind: AlertKind = AlertKind.SAFEGUARDING,
                     issue_id: int | None = issue.id) -> int:
        return await alerts.raise_alert(
            db, NewAlert(world.service_id, jo.id, level, "x", issue_id=issue_id, kind=kind),
            handover=_to(dee), now=NOW)

    first = await raised()
    assert await raised() == first
    assert await db.scalar("SELECT COUNT(*) FROM alert_updates") == 1  # handed over once
    urgent = await raised("urgent")
    talk = await raised(kind=AlertKind.TALK)
    assert len({first, urgent, talk}) == 3
    assert await raised(issue_id=None) != await raised(issue_id=None)  # nothing to know it by
    answer_id = await _an_answer(db, jo)
    by_answer = [await alerts.raise_alert(
        db, NewAlert(world.service_id, jo.id, "concern", "x", answer_id=answer_id),
        handover=_to(dee), now=NOW) for _ in range(2)]
    assert by_answer[0] == by_answer[1] and by_answer[0] not in (first, urgent, talk)


async def _an_answer(db: Database, person: Person) -> int:
    assert person.service_id is not None
    checkin = await checkins.open_checkin_now(db, person_id=person.id,
                                              service_id=person.service_id, questions="safe",
                                              now=NOW)
    assert checkin is not None
    await checkins.mark_checkin_sent(db, checkin.id, 1, NOW)
    assert await checkins.start_checkin(db, checkin.id, None)
    now = await checkins.get_checkin(db, checkin.id)
    assert now is not None
    kept = await checkins.record_answer(
        db, checkin=now, step=1, answer=checkins.NewAnswer("safe", None, "no", None, False),
        last_step=True, now=NOW)
    assert kept is not None
    return kept.answer_id


async def test_it_is_passed_on_only_if_nobody_acted_or_moved_it_meanwhile(
        db: Database) -> None:
    world, jo, dee, bea = await _people(db)
    alert = await _raise(db, world, jo, _to(dee))
    later = WAIT + timedelta(minutes=1)
    assert await alerts.escalate(db, alert, _to(bea, step=1, at=later + timedelta(hours=1)),
                                 later)
    assert await alerts.escalate(db, alert, _to(bea, step=1), later) is False  # moved since
    moved = await alerts.get_alert(db, alert.id)
    assert moved is not None and (moved.holder_id, moved.step) == (bea.id, 1)
    assert await _steps(db, alert.id) == [("sent", 0, dee.id, None),
                                         ("escalated", 1, bea.id, None)]
    assert await alerts.was_told(db, alert.id, bea.id)
    assert await alerts.act(db, alert_id=alert.id, by_id=bea.id, outcome=OUT.CONTACTED,
                            note=None, now=later) is not None
    acted = await alerts.get_alert(db, alert.id)
    assert acted is not None
    assert await alerts.escalate(db, acted, _to(dee, step=2), later) is False


async def test_an_alert_climbs_when_its_wait_is_up_or_its_holder_cannot_be_reached(
        db: Database) -> None:
    world, jo, dee, bea = await _people(db)
    first = await _raise(db, world, jo, _to(dee, at=WAIT))
    second = await _raise(db, world, jo, _to(bea, at=WAIT - timedelta(minutes=5)))
    assert await alerts.to_escalate(db, WAIT - timedelta(minutes=6)) == []
    assert [a.id for a in await alerts.to_escalate(db, WAIT)] == [second.id, first.id]
    await directory.mark_blocked(db, dee.id)
    assert [a.id for a in await alerts.to_escalate(db, NOW)] == [first.id]
    await alerts.act(db, alert_id=first.id, by_id=dee.id, outcome=OUT.NOT_A_CONCERN, note="x",
                     now=NOW)
    assert [a.id for a in await alerts.to_escalate(db, WAIT)] == [second.id]


async def test_what_may_be_said_after_what() -> None:
    def alert(kind: AlertKind, outcome: AlertOutcome | None) -> Alert:
        return Alert(1, kind, 1, 1, None, None, "concern", None, 1, 0, None, None, None,
                     outcome, NOW)

    worry, talk = AlertKind.SAFEGUARDING, AlertKind.TALK
    assert alerts.next_outcomes(alert(worry, None)) == (
        OUT.DEALING, OUT.CONTACTED, OUT.NOT_A_CONCERN)
    assert alerts.next_outcomes(alert(worry, OUT.DEALING)) == (OUT.CONTACTED, OUT.NOT_A_CONCERN)
    assert alerts.next_outcomes(alert(talk, None)) == (OUT.DEALING, OUT.CONTACTED)
    assert alerts.next_outcomes(alert(talk, OUT.DEALING)) == (OUT.CONTACTED,)
    for kind in (worry, talk):
        for done in (OUT.CONTACTED, OUT.NOT_A_CONCERN):
            assert alerts.next_outcomes(alert(kind, done)) == ()
    assert [still_open(o) for o in OUT] == [True, False, False]


async def test_dealing_keeps_it_open_to_follow_up_and_contacted_closes_it(
        db: Database) -> None:
    world, jo, dee, bea = await _people(db)
    alert = await _raise(db, world, jo, _to(dee, step=1))
    follow_up = NOW + timedelta(hours=4)
    tell = [NewMessage(bea.id, Purpose.ALERT, text="Dee has it")]
    dealing = await alerts.act(db, alert_id=alert.id, by_id=dee.id, outcome=OUT.DEALING,
                               note="on my way", now=NOW, tell=tell, follow_up_at=follow_up)
    assert dealing is not None
    assert (dealing.outcome, dealing.escalate_at, dealing.acknowledged_at,
            dealing.acknowledged_by) == (OUT.DEALING, follow_up, None, dee.id)
    assert await alerts.act(db, alert_id=alert.id, by_id=dee.id, outcome=OUT.DEALING, note=None,
                            now=NOW) is None  # a double tap
    later = NOW + timedelta(hours=1)
    done = await alerts.act(db, alert_id=alert.id, by_id=bea.id, outcome=OUT.CONTACTED,
                            note=None, now=later, follow_up_at=follow_up)
    assert done is not None
    assert (done.outcome, done.escalate_at, done.acknowledged_at, done.acknowledged_by) == (
        OUT.CONTACTED, None, later, dee.id)
    history = await alerts.history(db, alert.id)
    assert [(s.what, s.step, s.by_id, s.note) for s in history[1:]] == [
        ("dealing", 1, dee.id, "on my way"), ("contacted", 1, bea.id, None)]
    assert await db.scalar("SELECT COUNT(*) FROM outbox WHERE text = 'Dee has it'") == 1
    assert await alerts.act(db, alert_id=999, by_id=dee.id, outcome=OUT.CONTACTED, note=None,
                            now=NOW) is None


async def test_not_a_concern_at_once_closes_it(db: Database) -> None:
    world, jo, dee, _ = await _people(db)
    alert = await _raise(db, world, jo, _to(dee))
    closed = await alerts.act(db, alert_id=alert.id, by_id=dee.id, outcome=OUT.NOT_A_CONCERN,
                              note="family", now=NOW, follow_up_at=WAIT)
    assert closed is not None and (closed.escalate_at, closed.acknowledged_at) == (None, NOW)


async def test_the_provider_is_let_see_words_that_accuse_staff_once(db: Database) -> None:
    world, jo, dee, _ = await _people(db)
    plain = await _raise(db, world, jo, _to(dee))
    accusing = await _raise(db, world, jo, _to(dee), names_staff=True, level="urgent")
    tell = [NewMessage(dee.id, Purpose.REPLY, text="shared")]
    assert await alerts.release(db, plain.id, NOW, tell) is False
    assert await alerts.release(db, accusing.id, NOW, tell) is True
    assert await alerts.release(db, accusing.id, NOW, tell) is False
    assert await db.scalar("SELECT COUNT(*) FROM outbox WHERE text = 'shared'") == 1
    released = await alerts.get_alert(db, accusing.id)
    assert released is not None and released.released


async def test_a_talk_request_is_open_until_someone_acts(db: Database) -> None:
    world, jo, dee, _ = await _people(db)
    assert not await alerts.open_talk_request(db, jo.id, NOW)
    talk = await _raise(db, world, jo, _to(dee), kind=AlertKind.TALK)
    assert await alerts.open_talk_request(db, jo.id, NOW)
    assert not await alerts.open_talk_request(db, jo.id, NOW + timedelta(seconds=1))
    await alerts.act(db, alert_id=talk.id, by_id=dee.id, outcome=OUT.CONTACTED, note=None,
                     now=NOW)
    assert not await alerts.open_talk_request(db, jo.id, NOW)


async def test_an_alert_handed_to_nobody_twice_or_failing_keeps_nothing(db: Database) -> None:
    """A safeguarding alert nobody holds would never be chased: a raising that never
    hands it over, hands it over twice, or fails half-way writes nothing at all."""
    world, jo, dee, _ = await _people(db)
    new = NewAlert(world.service_id, jo.id, "concern", "hit")
    with pytest.raises(RuntimeError, match="handed to nobody"):
        async with alerts.raising(db, new, NOW):
            pass
    with pytest.raises(RuntimeError, match="handed over once"):
        async with alerts.raising(db, new, NOW) as raised:
            await raised.hand_over(_to(dee))
            await raised.hand_over(_to(dee))
    with pytest.raises(ValueError, match="half-way"):
        async with alerts.raising(db, new, NOW) as raised:
            await raised.hand_over(_to(dee))
            raise ValueError("half-way")
    with pytest.raises(ValueError, match="before"):
        async with alerts.raising(db, new, NOW) as unhanded:
            raise ValueError("before it was handed over")
    with pytest.raises(RuntimeError, match="handed over once"):
        await unhanded.hand_over(_to(dee))  # after its block: no transaction to write in
    assert await db.scalar("SELECT COUNT(*) FROM alerts") == 0
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 0
