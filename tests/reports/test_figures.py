"""The weekly digest: its figures match the rows put in, small groups are hidden, and the
Monday job sends it to the commissioner's chat."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from carebot.emulator.harness import LocalBot
from carebot.reports.figures import build_digest
from carebot.reports.pack_pdf import provider_pack
from carebot.reports.render import digest_html, digest_summary
from carebot.reports.tidy_csv import digest_csv
from carebot.settings.clock import SimulatedClock
from carebot.storage import actions, alerts, checkins, directory, history, issues, reporting, tags
from carebot.storage.db import Database
from carebot.storage.models import AlertKind, AlertOutcome, IssueKind, Role, TagKind, TagRecord
from tests.helpers import World, enrol, joined, plans_reading_history, small_world

FFT_GIVEN = ["very_good", "very_good", "good", "poor", "dont_know"]
WORDS = ["Carers are late and rushed", "Always late in the morning", "Late again today",
         "Lovely kind staff", None]


async def _answers(db: Database, world: World, now: datetime) -> list[str]:
    """Five people each finish a check-in; returns their display names."""
    names = []
    for n, (fft, words) in enumerate(zip(FFT_GIVEN, WORDS, strict=True)):
        name = f"Person{n}"
        code = await directory.create_invite(db, role=Role.PERSON, now=now,
                                              display_name=name, service_id=world.service_id)
        person = await directory.enrol_from_invite(db, code=code, telegram_user_id=800 + n,
                                                   chat_id=800 + n, fallback_name=name, now=now)
        assert person is not None
        names.append(name)
        schedule = await checkins.set_schedule(db, person_id=person.id, weekday=0,
                                               time_window="morning", next_due_at=now)
        queued = await checkins.open_scheduled_checkin(
            db, schedule=schedule, service_id=world.service_id, chat_id=800 + n,
            questions="fft,safe,free.working", next_due_at=now + timedelta(days=7), now=now)
        assert queued is not None
        await checkins.mark_checkin_sent(db, queued.checkin_id, 1, now)
        checkin = await checkins.get_checkin(db, queued.checkin_id)
        assert checkin is not None
        steps = [("fft", fft, None), ("safe", "always", None),
                 ("free.working", None, words)]
        for step, (key, choice, typed) in enumerate(steps):
            checkin = await checkins.get_checkin(db, queued.checkin_id)
            assert checkin is not None
            kept = await checkins.record_answer(
                db, checkin=checkin, step=step,
                answer=checkins.NewAnswer(key, None, choice, typed, typed is None and
                                          choice is None),
                last_step=step == 2, now=now)
            assert kept is not None
            if typed:
                value = "positive" if "Lovely" in typed else "negative"
                found = [TagRecord(TagKind.SENTIMENT, value, 0.5, None)]
                if "late" in typed.lower():
                    found.append(TagRecord(TagKind.THEME, "punctuality", None, "late"))
                await tags.add_tags(db, answer_id=kept.answer_id, tagger="test", now=now,
                                    tags=found)
    await issues.raise_issue(db, raised_by_id=1, service_id=world.service_id,
                             text="Nobody came on Tuesday", now=now)
    thanks = await issues.raise_issue(db, raised_by_id=2, service_id=world.service_id,
                                      text="Thank you all", now=now)
    await issues.set_issue_kind(db, thanks.id, 2, IssueKind.COMPLIMENT, now)
    for n in range(2):
        alert_id = await alerts.raise_alert(
            db, alerts.NewAlert(world.service_id, 1, "concern", "neglect"), now=now,
            handover=alerts.Handover(0, 1, (), None))
        if n == 0:
            assert await alerts.act(db, alert_id=alert_id, by_id=1, now=now, note=None,
                                    outcome=AlertOutcome.DEALING)
    await alerts.raise_alert(  # a request to talk is not a safeguarding alert
        db, alerts.NewAlert(world.service_id, 1, "concern", None, kind=AlertKind.TALK),
        now=now, handover=alerts.Handover(0, 1, (), None))
    return names


async def test_digest_figures_match_the_rows(local: LocalBot, clock: SimulatedClock) -> None:
    db = local.runtime.db
    world = await small_world(db, clock.now())
    names = await _answers(db, world, clock.now())
    digest = await build_digest(db, council_id=world.council_id,
                                start=clock.now() - timedelta(days=1),
                                end=clock.now() + timedelta(days=1), threshold=3,
                                now=clock.now())
    (service,) = digest.services
    assert (service.checkins_sent, service.checkins_completed) == (5, 5)
    assert service.respondents == 5
    assert service.answers == 14  # 15 asked, one "No thanks"
    assert dict(service.fft) == {"very_good": 2, "good": 1, "neither": 0, "poor": 1,
                                 "very_poor": 0, "dont_know": 1}
    assert service.fft_positive_percent == 60
    assert dict(service.sentiment) == {"positive": 1, "neutral": 0, "negative": 3}
    assert service.voices is not None
    (late,) = service.voices.themes
    assert (late.name, late.comments) == ("Timekeeping and missed visits", 3)
    assert [q.text for q in late.quotes] == [  # newest first, one each from 3 people
        "Late again today", "Always late in the morning", "Carers are late and rushed"]
    assert all(q.marks == ("late",) for q in late.quotes)
    assert [(i.reference, i.kind, i.status) for i in service.open_issues] == [
        ("CB-1001", "not said", "waiting to be read")]
    assert service.compliments == 1  # a message sent, on the read list: never hidden
    assert service.alerts == (2, 1)
    assert service.talks == (1, 0)  # duty, as alerts are: shown however few
    rows = list(csv.DictReader(io.StringIO(digest_csv(digest))))
    assert list(rows[0]) == ["council", "provider", "service_id", "cqc_location_id",
                             "ods_code", "service", "week_start", "days", "measure",
                             "category", "label", "value", "unit", "numerator",
                             "denominator", "suppressed"]
    assert {r["days"] for r in rows} == {"2"}  # the period's rows: its two days
    shares = [r for r in rows if r["measure"] == "share_good"]
    assert shares and {r["unit"] for r in shares} == {"percent"}
    assert {r["week_start"] for r in rows} == {digest.start.date().isoformat()}
    measures = {f"{r['measure']}:{r['category']}".rstrip(":"): r["value"] for r in rows}
    assert measures["fft:very_good"] == "2" and measures["respondents"] == "5"
    assert {r["label"] for r in rows if r["measure"] == "fft"} >= {"Very good", "Don't know"}
    hidden = [r for r in rows if r["suppressed"] == "true"]
    assert hidden == []  # 5 answered (the threshold is 3); a thank you is a message: shown
    assert measures["compliments"] == "1"
    assert (measures["talk_requests:asked"], measures["talk_requests:acted_on"]) == ("1", "0")
    page = digest_html(digest)
    assert "Compliments in this period: 1." in page
    assert "Requests to talk to someone: 1, not yet acted on." in page
    assert "60% of 5 rated it good or very good (read with care)" in page
    assert "“Carers are <mark>late</mark> and rushed”" in page
    assert "“<mark>Late</mark> again today”" in page
    assert not any(name in page or name in digest_csv(digest) for name in names)
    summary = digest_summary(digest)
    assert ("Home Care East (Sunrise Care)\n  Safeguarding alerts in this period: 2, 1 acted "
            "on, 1 not yet.") \
        in summary
    assert ("  Open issues: 1, the oldest 1 day.\n  5 of 5 check-ins done; 60% of 5 rated it "
            "good or very good (read with care).") in summary


async def test_small_groups_are_suppressed(local: LocalBot, clock: SimulatedClock) -> None:
    db = local.runtime.db
    world = await small_world(db, clock.now())
    await _answers(db, world, clock.now())
    digest = await build_digest(db, council_id=world.council_id,
                                start=clock.now() - timedelta(days=1),
                                end=clock.now() + timedelta(days=1), threshold=6,
                                now=clock.now())
    (service,) = digest.services
    assert service.suppressed and service.fft == ()
    assert "Fewer than 6 people answered" in digest_html(digest)
    rows = list(csv.DictReader(io.StringIO(digest_csv(digest))))
    fft = [r for r in rows if r["measure"] == "fft"]
    assert fft and all(r["suppressed"] == "true" and r["value"] == "" for r in fft)
    assert not [r for r in rows if r["measure"] == "theme"]
    # The service's duty is never hidden: the chat says what the HTML says.
    summary = digest_summary(digest)
    assert "Safeguarding alerts in this period: 2, 1 acted on, 1 not yet." in summary
    assert "Open issues: 1" in summary and "Too few answers to show views." in summary
    assert "Safeguarding alerts in this period: 2" in digest_html(digest)


async def test_monday_job_sends_the_digest_once(local: LocalBot, world: World,
                                                clock: SimulatedClock) -> None:
    alex = await enrol(local, world, 901, "Alex", role=Role.COMMISSIONER)
    clock.advance(timedelta(days=7, hours=2))  # to Monday 23 November, 10:00
    report = await local.tick()
    assert report.digests == 1
    documents = [m.document[0] for m in alex.inbox if m.document]
    assert sorted(documents) == ["digest-1-2026-11-16-7d.csv", "digest-1-2026-11-16-7d.html"]
    assert any((m.text or "").startswith("Here is your report for 16 Nov 2026 to "
                                         "22 Nov 2026") for m in alex.inbox)
    assert (await local.tick()).digests == 0
    await local.restart()
    assert (await local.tick()).digests == 0



@pytest.mark.sqlite_only  # SQLite's query planner
async def test_digest_counts_read_only_the_period(db: Database) -> None:
    """Check-ins sent and finished are counted through their indexes (EXPLAIN QUERY
    PLAN), so a digest does not read every check-in ever made."""
    for column, index in (("sent_at", "checkins_sent"), ("completed_at", "checkins_completed")):
        plan = " ".join(str(row[3]) for row in await db.fetchall(
            f"EXPLAIN QUERY PLAN {reporting.checkins_counted(column, 2)}",
            (1, 2, "2026-11-16", "2026-11-23")))
        assert f"USING COVERING INDEX {index}" in plan, plan


@pytest.mark.sqlite_only  # SQLite's query planner
async def test_a_digest_and_a_pack_never_read_all_history(db: Database, tmp_path: Path) -> None:
    """Every statement a council's digest and a provider's pack run, planned on a
    database with history: none scans answers, check-ins, tags, alerts or issues."""
    now = datetime(2026, 11, 23, tzinfo=UTC)
    world = await small_world(db, now)
    person = await joined(db, world, now, telegram_user_id=700, role=Role.PERSON, name="Pat")
    await history.add_past_checkins(db, [history.PastCheckIn(
        person.id, world.service_id, now - timedelta(weeks=w), "fft,free.working",
        [history.PastAnswer("fft", now - timedelta(weeks=w), choice="good"),
         history.PastAnswer("free.working", now - timedelta(weeks=w), text="Lovely staff",
                            prompt_kind="working",
                            tags=[TagRecord(TagKind.THEME, "staff_attitude", None, "lovely")])])
        for w in range(1, 30)], tagger="test", now=now)
    await actions.record_action(db, actions.NewAction(  # its before and after are counted
        world.service_id, "staff_attitude", "staff", "more staff", None),
        now=now - timedelta(days=3), messages=[])
    said: list[str] = []
    await db.trace(said.append)
    await build_digest(db, council_id=world.council_id, start=now - timedelta(weeks=1),
                       end=now, threshold=1, now=now)
    await provider_pack(db, world.provider_id, now - timedelta(weeks=52), now, threshold=1,
                        now=now, path=tmp_path / "pack.pdf")
    await db.trace(None)
    assert sum(sql.lstrip().upper().startswith(("SELECT", "WITH")) for sql in said) > 10
    assert await plans_reading_history(db, said) == []
