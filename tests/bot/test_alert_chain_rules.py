"""The alert policy without Telegram, straight on storage (the journeys in
tests/journeys/test_alert_chain.py show it in the chat): the chain keeps each person's
place and passes over whoever cannot be reached; an alert goes to the first, waits 30
minutes (urgent: 10), climbs one place at a time, then is chased with the most senior;
one taken is followed up after 4 hours (a request to talk: a day); words that accuse
staff go to the lead at once too; a long chase shows its first step, a count, and the
last two. Each case pins one thing a slip in the rule would change (`make mutation`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from carebot.bot.context import Runtime
from carebot.care.alert_policy import Target
from carebot.conversations.texts import plural, text
from carebot.settings.clock import SimulatedClock
from carebot.storage import alerts, directory
from carebot.storage.alerts import Alert, Handover, NewAlert
from carebot.storage.db import Database
from carebot.storage.models import AlertKind, AlertOutcome, Person, PersonStatus, Role, Service
from carebot.workflow import alert_chain
from tests.conftest import config_in
from tests.helpers import World, joined, small_world

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


class Council:
    def __init__(self, rt: Runtime, world: World, jo: Person, chain: list[Person]) -> None:
        self.rt, self.world, self.jo, self.chain = rt, world, jo, chain

    async def service(self) -> Service:
        service = await directory.get_service(self.rt.db, self.world.service_id)
        assert service is not None
        return service

    async def raise_alert(self, level: str = "concern", *, names_staff: bool = False,
                          kind: AlertKind = AlertKind.SAFEGUARDING) -> tuple[Alert, Person | None]:
        new = NewAlert(self.world.service_id, self.jo.id, level, "hit", kind=kind,
                       names_staff=names_staff)
        alert_id, first = await alert_chain.raise_and_send(self.rt, await self.service(), new,
                                                           "he hit me")
        return await self.alert(alert_id), first

    async def alert(self, alert_id: int) -> Alert:
        alert = await alerts.get_alert(self.rt.db, alert_id)
        assert alert is not None
        return alert

    async def escalate(self, alert: Alert, minutes: float) -> tuple[Alert, bool]:
        moved = await alert_chain.escalate_one(self.rt, alert,
                                               NOW + timedelta(minutes=minutes))
        return await self.alert(alert.id), moved

    async def last_text_to(self, person: Person) -> str:
        found = await self.rt.db.scalar(
            "SELECT text FROM outbox WHERE chat_id = ? ORDER BY id DESC LIMIT 1",
            (person.chat_id,))
        return str(found)


async def _again(db: Database, person: Person) -> Person:
    found = await directory.get_person(db, person.id)
    assert found is not None
    return found


async def _council(db: Database, tmp_path: Path, *, lead: bool = True) -> Council:
    world = await small_world(db, NOW)
    jo = await joined(db, world, NOW, telegram_user_id=7)
    chain = [await joined(db, world, NOW, telegram_user_id=10 + i, role=role, name=name)
             for i, (role, name) in enumerate([(Role.DUTY_CONTACT, "Dana"),
                                               (Role.DUTY_CONTACT, "Ben"),
                                               (Role.COMMISSIONER, "Lena")])]
    for person in (jo, *chain):
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, NOW)
    chain = [await _again(db, person) for person in chain]
    await directory.set_duty_contact(db, world.service_id, chain[0].id)
    await directory.set_backup_contact(db, world.service_id, chain[1].id)
    if lead:
        await directory.set_safeguarding_lead(db, world.council_id, chain[2].id)
    rt = Runtime(config_in(tmp_path), db, SimulatedClock(NOW))
    return Council(rt, world, jo, chain)


async def test_the_wait_is_ten_minutes_when_urgent_and_thirty_otherwise(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path)
    assert alert_chain.wait_for(council.rt, "urgent") == timedelta(minutes=10)
    assert alert_chain.wait_for(council.rt, "concern") == timedelta(minutes=30)
    alert, first = await council.raise_alert("urgent")
    assert first == council.chain[0]
    assert (alert.holder_id, alert.step, alert.escalate_at) == (
        council.chain[0].id, 0, NOW + timedelta(minutes=10))


async def test_the_chain_keeps_each_place_and_passes_over_who_cannot_be_reached(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path)
    dana, ben, lena = council.chain
    chain = await alert_chain.reachable_chain(council.rt, await council.service())
    assert chain == [Target(0, dana), Target(1, ben), Target(2, lena)]
    await directory.mark_blocked(db, dana.id)
    chain = await alert_chain.reachable_chain(council.rt, await council.service())
    assert [(t.step, t.person.id) for t in chain] == [(1, ben.id), (2, lena.id)]
    alert, first = await council.raise_alert()
    assert first is not None and first.id == ben.id and (alert.holder_id, alert.step) == (ben.id, 1)
    assert alert.escalate_at == NOW + timedelta(minutes=30)


async def test_with_nobody_to_reach_it_waits_with_nobody_and_looks_again(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path, lead=False)
    for person in council.chain[:2]:
        await directory.mark_blocked(db, person.id)
    assert await alert_chain.reachable_chain(council.rt, await council.service()) == []
    alert, first = await council.raise_alert()
    assert first is None
    assert (alert.holder_id, alert.step, alert.escalate_at) == (
        None, 0, NOW + timedelta(minutes=30))
    assert await db.scalar("SELECT COUNT(*) FROM outbox") == 0
    _, moved = await council.escalate(alert, 30)
    assert not moved
    assert alert_chain.handover(1, None, "x", NOW, "k") == Handover(0, None, (), NOW)


async def test_it_climbs_one_place_at_a_time_then_is_chased_with_the_lead(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path)
    dana, ben, lena = council.chain
    alert, _ = await council.raise_alert()
    alert, moved = await council.escalate(alert, 30)
    assert moved and (alert.holder_id, alert.step) == (ben.id, 1)
    assert alert.escalate_at == NOW + timedelta(minutes=60)
    passed = await council.last_text_to(ben)
    assert passed.startswith(text("alert.passed_on", role="backup contact",
                                  service=council.world.service_name, history="",
                                  body="").split("\n")[0])
    alert, moved = await council.escalate(alert, 60)
    assert moved and (alert.holder_id, alert.step) == (lena.id, 2)
    alert, moved = await council.escalate(alert, 90)
    assert moved and (alert.holder_id, alert.step) == (lena.id, 2)
    assert alert.escalate_at == NOW + timedelta(minutes=120)
    chased = await council.last_text_to(lena)
    assert chased.startswith("This still needs someone to act.") and "Jo" in chased
    steps = [(s.what, s.step, s.to_id) for s in await alerts.history(db, alert.id)]
    assert steps == [("sent", 0, dana.id), ("escalated", 1, ben.id), ("escalated", 2, lena.id),
                     ("escalated", 2, lena.id)]
    assert await db.scalar("SELECT COUNT(*) FROM outbox WHERE chat_id = ?",
                           (lena.chat_id,)) == 2


async def test_when_the_lead_cannot_be_reached_the_most_senior_left_is_chased(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path, lead=False)
    dana, ben, _ = council.chain
    alert, _ = await council.raise_alert("urgent")
    alert, _ = await council.escalate(alert, 10)
    assert (alert.holder_id, alert.step, alert.escalate_at) == (
        ben.id, 1, NOW + timedelta(minutes=20))
    alert, moved = await council.escalate(alert, 20)
    assert moved and (alert.holder_id, alert.step) == (ben.id, 1)
    assert (await council.last_text_to(ben)).startswith("This still needs someone to act.")
    assert [s.to_id for s in await alerts.history(db, alert.id)] == [dana.id, ben.id, ben.id]


async def test_an_alert_held_by_nobody_goes_to_the_first_who_can_now_be_reached(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path, lead=False)
    dana, ben, _ = council.chain
    await directory.mark_blocked(db, dana.id)
    await directory.mark_blocked(db, ben.id)
    alert, _ = await council.raise_alert()
    await directory.set_person_status(db, ben.id, PersonStatus.ACTIVE, NOW)
    alert, moved = await council.escalate(alert, 30)
    assert moved and (alert.holder_id, alert.step) == (ben.id, 1)


async def test_one_taken_is_followed_up_after_four_hours_a_talk_request_after_a_day(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path)
    dana, ben, _ = council.chain
    for kind, wait, ask in ((AlertKind.SAFEGUARDING, timedelta(hours=4), "contacted"),
                            (AlertKind.TALK, timedelta(days=1), "talked")):
        alert, _ = await council.raise_alert(kind=kind)
        alert, _ = await council.escalate(alert, 30)  # now Ben's
        taken = await alerts.act(db, alert_id=alert.id, by_id=ben.id,
                                 outcome=AlertOutcome.DEALING, note=None, now=NOW,
                                 follow_up_at=NOW + wait)
        assert taken is not None
        followed, moved = await council.escalate(taken, 60 * 4)
        assert moved and (followed.holder_id, followed.step) == (ben.id, 1)
        assert followed.escalate_at == NOW + timedelta(hours=4) + wait
        asked = await council.last_text_to(ben)
        assert ask in asked and ("Jo" in asked or kind is AlertKind.TALK)
        _, again = await council.escalate(taken, 60 * 4)  # read before it moved: not again
        assert not again
    # whoever took it can no longer be reached: back to the start of the chain
    alert, _ = await council.raise_alert()
    taken = await alerts.act(db, alert_id=alert.id, by_id=dana.id,
                             outcome=AlertOutcome.DEALING, note=None, now=NOW,
                             follow_up_at=NOW + timedelta(hours=4))
    assert taken is not None
    await directory.mark_blocked(db, dana.id)
    followed, moved = await council.escalate(taken, 60 * 4)
    assert moved and (followed.holder_id, followed.step) == (ben.id, 1)


async def test_words_that_accuse_staff_go_to_the_lead_at_once_too(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path)
    dana, _, lena = council.chain
    alert, first = await council.raise_alert(names_staff=True)
    assert first == dana
    steps = [(s.what, s.step, s.to_id) for s in await alerts.history(db, alert.id)]
    assert steps == [("sent", 0, dana.id), ("sent", 2, lena.id)]
    assert await db.scalar("SELECT COUNT(*) FROM outbox WHERE chat_id = ?",
                           (lena.chat_id,)) == 1
    alert, _ = await council.raise_alert()
    assert len(await alerts.history(db, alert.id)) == 1  # not about staff: the duty contact


async def test_words_that_accuse_staff_with_no_lead_or_only_the_lead_go_once(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path, lead=False)
    alert, _ = await council.raise_alert(names_staff=True)
    assert len(await alerts.history(db, alert.id)) == 1
    council = await _council_with_only_a_lead(council)
    alert, first = await council.raise_alert(names_staff=True)
    assert first is not None and first.id == council.chain[2].id
    assert [(s.step, s.to_id) for s in await alerts.history(db, alert.id)] == [
        (2, council.chain[2].id)]


async def _council_with_only_a_lead(council: Council) -> Council:
    db = council.rt.db
    await directory.set_safeguarding_lead(db, council.world.council_id, council.chain[2].id)
    for person in council.chain[:2]:
        await directory.mark_blocked(db, person.id)
    return council


async def test_a_long_chase_shows_its_first_step_a_count_and_the_last_two(
        db: Database, tmp_path: Path) -> None:
    council = await _council(db, tmp_path)
    lena = council.chain[2]
    alert, _ = await council.raise_alert()
    shown = []
    for n in range(1, 8):
        alert, _ = await council.escalate(alert, 30 * n)
        shown.append(await council.last_text_to(lena))
    # a chase message shows the steps before it: 3 and 4 in full, then first, count, last 2
    def lines(message: str) -> list[str]:
        return [line for line in message.split("\n")
                if line.startswith(("Sent to", "Passed to", "It was sent"))]

    for whole in shown[2:4]:  # three steps, then four: each named, none counted
        assert [line.split(",")[0] for line in lines(whole)][:2] == ["Sent to Dana",
                                                                     "Passed to Ben"]
        assert not any(line.startswith("It was sent") for line in lines(whole))
    assert len(lines(shown[2])) == 3 and len(lines(shown[3])) == 4
    for n, message in enumerate(shown[4:], start=5):
        found = lines(message)
        assert found[0].startswith("Sent to Dana") and len(found) == 4, message
        assert found[1] == plural("alert.history.between", n - 3), found
        assert all(line.startswith("Passed to Lena") for line in found[2:])


async def test_an_alert_about_someone_forgotten_names_nobody(db: Database,
                                                            tmp_path: Path) -> None:
    council = await _council(db, tmp_path)
    alert, _ = await council.raise_alert()
    await db.execute("UPDATE alerts SET about_id = NULL WHERE id = ?", (alert.id,))
    alert, moved = await council.escalate(await council.alert(alert.id), 30)
    passed = await council.last_text_to(council.chain[1])
    assert moved and text("alert.part.someone") in passed and "Jo" not in passed


async def test_a_follow_up_about_someone_forgotten_names_nobody(db: Database,
                                                               tmp_path: Path) -> None:
    council = await _council(db, tmp_path)
    dana = council.chain[0]
    alert, _ = await council.raise_alert()
    await alerts.act(db, alert_id=alert.id, by_id=dana.id, outcome=AlertOutcome.DEALING,
                     note=None, now=NOW, follow_up_at=NOW + timedelta(hours=4))
    await db.execute("UPDATE alerts SET about_id = NULL WHERE id = ?", (alert.id,))
    _, moved = await council.escalate(await council.alert(alert.id), 60 * 4)
    asked = await council.last_text_to(dana)
    assert moved and text("alert.part.someone") in asked and "Jo" not in asked
