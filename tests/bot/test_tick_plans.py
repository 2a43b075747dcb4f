"""The periodic job runs every few seconds for ever, so it must read only what is due:
each statement of a tick, planned on a database with history, searches an index for what
is due rather than reading every check-in, answer, alert, issue or message ever made."""

from __future__ import annotations

from datetime import timedelta

from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.storage import alerts, checkins, directory, events, history, issues, outbox
from carebot.storage.models import AlertOutcome, EventKind, Purpose, Role, TagKind, TagRecord
from tests.helpers import World, joined, plans_reading_history


async def _history(local: LocalBot, world: World, clock: SimulatedClock) -> None:
    """Thirty weeks of check-ins, alerts acted on, issues raised and messages sent, and
    one check-in waiting now, its reminder not yet due."""
    db, now = local.runtime.db, clock.now()
    pat = await joined(db, world, now, telegram_user_id=700, role=Role.PERSON, name="Pat")
    jo = await joined(db, world, now, telegram_user_id=701, role=Role.CARER, name="Jo")
    code = await directory.create_invite(db, role=Role.PROVIDER, now=now,
                                         organisation_id=world.provider_id)
    max_ = await directory.enrol_from_invite(db, code=code, telegram_user_id=702, chat_id=702,
                                            fallback_name="Max", now=now)
    assert max_ is not None
    await directory.set_issue_notices(db, max_.id, "daily", now)
    await history.add_past_checkins(db, [history.PastCheckIn(
        pat.id, world.service_id, now - timedelta(weeks=w), "fft,free.working",
        [history.PastAnswer("fft", now - timedelta(weeks=w), choice="good"),
         history.PastAnswer("free.working", now - timedelta(weeks=w), text="Kind staff",
                            prompt_kind="working",
                            tags=[TagRecord(TagKind.THEME, "staff_attitude", None, "kind")])],
        completed=w % 3 != 0) for w in range(1, 31)], tagger="test", now=now)
    for w in range(1, 11):
        at = now - timedelta(weeks=w)
        alert_id = await alerts.raise_alert(
            db, alerts.NewAlert(world.service_id, pat.id, "concern", None),
            handover=alerts.Handover(1, jo.id, (), None), now=at)
        await alerts.act(db, alert_id=alert_id, by_id=jo.id, outcome=AlertOutcome.CONTACTED,
                         note=None, now=at + timedelta(minutes=5))
        await issues.raise_issue(db, raised_by_id=jo.id, service_id=world.service_id,
                                 text="The visit was late", now=at)
        message = await outbox.enqueue(db, outbox.NewMessage(jo.chat_id or 0, Purpose.REPLY,
                                                             text="Thank you"), at)
        assert message is not None
        await outbox.mark_sent(db, message, 1000 + w, at)
        await events.log_event(db, kind=EventKind.CHECKIN_NOT_NOW, now=at, detail="x")
    await checkins.set_schedule(db, person_id=pat.id, weekday=0, time_window="morning",
                                next_due_at=now + timedelta(days=6))
    waiting = await checkins.open_checkin_now(db, person_id=jo.id, service_id=world.service_id,
                                              questions="fft", now=now)
    assert waiting is not None
    await checkins.mark_checkin_sent(db, waiting.id, 5, now)


async def test_an_idle_tick_reads_only_what_is_due(local: LocalBot, world: World,
                                                   clock: SimulatedClock) -> None:
    await _history(local, world, clock)
    await local.tick()  # anything due at the start is done
    clock.advance(timedelta(minutes=1))
    said: list[str] = []
    await local.runtime.db.trace(said.append)
    report = await local.tick()
    await local.runtime.db.trace(None)
    assert report.opened == report.reminded == report.expired == report.sent == 0
    assert len(said) >= 5
    assert await plans_reading_history(local.runtime.db, said) == []
