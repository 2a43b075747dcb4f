"""Texts that grow with real use still reach people (issue 27, item 3), through the real
bot on the emulator: an alert nobody acts on is chased for a week; a staff note of 4,096
characters (all one message may hold) gets its preview and buttons, and is kept and sent
whole; a daily summary of 200 new problems arrives whole, in parts; a commissioner with
150 services pages through /action to the last. Every message anyone is sent is checked
against Telegram's limits here too, so these do not depend on the emulator enforcing
them. Then the same messages built straight from their builders with the longest values
(a week of chases at the real waits, every keyboard at its fullest), and what happens
should Telegram still refuse one as too long."""

from __future__ import annotations

import logging
import re
from dataclasses import replace
from datetime import timedelta

import pytest
from telegram import InlineKeyboardMarkup
from telegram.error import BadRequest

from carebot.bot.delivery import parts_of, send_one
from carebot.bot.handlers.action_work import services_page
from carebot.bot.handlers.note_drafts import CONFIRM
from carebot.bot.keyboards import keyboard_of
from carebot.bot.telegram_bot import CarebotBot
from carebot.conversations import fitting
from carebot.conversations.texts import plural, text
from carebot.emulator.harness import LOCAL_TOKEN, LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.operations.health import problems
from carebot.settings.clock import SimulatedClock
from carebot.storage import alerts, directory, issues, outbox
from carebot.storage.alerts import NewAlert
from carebot.storage.db import Database
from carebot.storage.models import (
    AlertOutcome,
    IssueStatus,
    OutboxMessage,
    Person,
    PersonStatus,
    Purpose,
    Role,
    Service,
)
from carebot.workflow.alert_chain import alert_buttons, escalate_one, raise_and_send
from carebot.workflow.issue_messages import issue_buttons
from carebot.workflow.issue_summaries import summary_words
from tests.conversations.test_texts import LONG_ORGANISATION, LONG_SERVICE
from tests.helpers import World, enrol


def long_name(first: str, last: str) -> str:
    """As long as Telegram allows: a first name of 64 characters and a last name of 64."""
    return f"{(first + '-') * 64}"[:64] + " " + f"{(last + '-') * 64}"[:64]


async def _enrol_long(local: LocalBot, world: World, user_id: int, name: str,
                      role: Role) -> SimulatedPerson:
    """`enrol`, with the invite's name as long as Telegram's whole name (first and last);
    the bot calls people by their invite's name."""
    at_council = role is Role.COMMISSIONER
    code = await directory.create_invite(
        local.runtime.db, role=role, now=local.clock.now(), display_name=name,
        service_id=None if at_council else world.service_id,
        organisation_id=world.council_id if at_council else None)
    first, last = name.split(" ", 1)
    person = local.person(user_id, first, last_name=last)
    person.send_command("start", code)
    await person.wait_for_messages(1)
    person.press_label("Yes")
    await local.settle()
    return person


WORRY = ("Mum has bruises on her arms, someone grabbed her and she is bleeding. "
         "She says the night carer shouted at her and pulled her out of bed. ") * 20
NOTE = ("We met the family on Tuesday and went through the visit times one by one. "
        "From next week the same two carers will come each morning, and the office will "
        "ring if anyone is running late. ") * 25
NOTE = NOTE[:fitting.TEXT_LIMIT - 1] + "."  # as long as one Telegram message can be
PART = re.compile(r"\n\nPart \d+ of \d+\.\Z")


def _fits(who: SimulatedPerson) -> None:
    """Every message `who` was sent fits Telegram: its words, its buttons, their data."""
    for message in who.inbox:
        assert fitting.fits(message.text or "")
        assert fitting.fits(message.caption or "", fitting.CAPTION_LIMIT)
        rows = message.button_rows()
        assert sum(len(row) for row in rows) <= fitting.BUTTONS_LIMIT
        assert all(len(row) <= fitting.ROW_LIMIT for row in rows)
        assert all(len(button["callback_data"].encode()) <= fitting.CALLBACK_DATA_LIMIT
                   for row in rows for button in row)


async def _nothing_failed(local: LocalBot) -> None:
    failed = await local.runtime.db.fetchall(
        "SELECT purpose, error FROM outbox WHERE status != 'sent'")
    assert [tuple(row) for row in failed] == []


async def _person_id(local: LocalBot, who: SimulatedPerson) -> int:
    person = await directory.person_by_telegram_id(local.runtime.db, who.id)
    assert person is not None
    return person.id


def _whole(parts: list[str]) -> str:
    """The words of a message sent in parts, labels off, spaces aside."""
    return re.sub(r"\s+", "", "".join(PART.sub("", part) for part in parts))


async def test_an_alert_nobody_acts_on_is_chased_all_week(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    db = local.runtime.db
    duty = await _enrol_long(local, world, 4001, long_name("Dana", "Okonkwo"),
                             Role.DUTY_CONTACT)
    backup = await _enrol_long(local, world, 4002, long_name("Ben", "Abernathy"),
                               Role.DUTY_CONTACT)
    lead = await _enrol_long(local, world, 4003, long_name("Lena", "Fairweather"),
                             Role.COMMISSIONER)
    await directory.set_duty_contact(db, world.service_id, await _person_id(local, duty))
    await directory.set_backup_contact(db, world.service_id, await _person_id(local, backup))
    await directory.set_safeguarding_lead(db, world.council_id, await _person_id(local, lead))
    jo = await _enrol_long(local, world, 4010, long_name("Joanna", "Castellanos"), Role.CARER)
    jo.send_text(WORRY[:4000])
    await local.settle()
    for _ in range(7 * 24):  # an hour at a time: each is past the urgent wait, so a chase
        clock.advance(timedelta(hours=1))
        await local.tick()
    chases = [words for words in lead.texts() if "Alert A-1." in words]
    assert len(chases) >= 7 * 24 - 2, "chased every hour, all week"
    assert "This still needs someone to act." in chases[-1]
    assert "more times in between." in chases[-1]
    last_day = [fitting.length(words) for words in chases[-24:]]
    assert max(last_day) - min(last_day) <= 40, "the same size, give or take a date"
    for who in (duty, backup, lead):
        _fits(who)
    await _nothing_failed(local)


async def _chain_and_worry(local: LocalBot,
                           world: World) -> tuple[SimulatedPerson, SimulatedPerson]:
    duty = await enrol(local, world, 4101, "Dana", role=Role.DUTY_CONTACT)
    await directory.set_duty_contact(local.runtime.db, world.service_id,
                                     await _person_id(local, duty))
    jo = await enrol(local, world, 4110, "Jo", role=Role.CARER)
    jo.send_text(WORRY[:300])
    await local.settle()
    return duty, jo


def _previewed(who: SimulatedPerson) -> None:
    """The preview came, shortened and saying so, with its three buttons."""
    shown = who.last
    assert [b["text"] for b in shown.buttons()] == [text("draft.send"), text("draft.change"),
                                                    text("draft.cancel")]
    assert shown.text is not None and text("draft.shortened") in shown.text


@pytest.mark.parametrize("tap", ["Contacted them", "Not a concern"])
async def test_a_long_note_on_an_alert_is_shown_and_kept_whole(
        local: LocalBot, world: World, tap: str) -> None:
    duty, _ = await _chain_and_worry(local, world)
    duty.press_label(tap)
    await local.settle()
    duty.send_text(NOTE)
    await local.settle()
    _previewed(duty)
    duty.press_label("Send it")
    await local.settle()
    done = ("alert.done.not_a_concern" if tap == "Not a concern" else "alert.note_saved")
    assert duty.texts()[-1] == text(done, reference="A-1")
    kept = await local.runtime.db.scalar("SELECT note FROM alert_updates WHERE note IS NOT NULL")
    assert kept == NOTE
    _fits(duty)
    await _nothing_failed(local)


async def test_a_long_message_to_the_person_an_alert_is_about_reaches_them_whole(
        local: LocalBot, world: World) -> None:
    duty, jo = await _chain_and_worry(local, world)
    duty.press_label("Message them here")
    await local.settle()
    before = len(jo.inbox)
    duty.send_text(NOTE)
    await local.settle()
    _previewed(duty)
    duty.press_label("Send it")
    await local.settle()
    assert duty.texts()[-1] == text("alert.message_sent", name="Jo", reference="A-1")
    sent = jo.texts()[before:]
    assert len(sent) == 2 and all(PART.search(part) for part in sent)
    assert _whole(sent).count(re.sub(r"\s+", "", NOTE)) == 1, "every word of it"
    kept = await local.runtime.db.scalar("SELECT text FROM alert_messages")
    assert kept == NOTE
    for who in (duty, jo):
        _fits(who)
    await _nothing_failed(local)


async def test_a_long_note_closing_a_problem_reaches_the_person_whole(
        local: LocalBot, world: World) -> None:
    provider = await enrol(local, world, 3001, "Priya", role=Role.PROVIDER)
    jo = await enrol(local, world, 3003, "Jo", role=Role.CARER)
    jo.send_text("The rota is always sent late and the visit times keep changing")
    await local.settle()
    jo.press_label("A problem")
    await local.settle()
    provider.send_command("issues")
    await local.settle()
    provider.press_label("Sorted: add a note")
    await local.settle()
    before = len(jo.inbox)
    provider.send_text(NOTE)
    await local.settle()
    _previewed(provider)
    provider.press_label("Send it")
    await local.settle()
    news = jo.texts()[before:]
    assert len(news) == 2 and all(PART.search(part) for part in news)
    assert _whole(news).count(re.sub(r"\s+", "", NOTE)) == 1, "every word of the note"
    assert [b["text"] for b in jo.last.buttons()] == ["Yes", "No"], "buttons on the last"
    for who in (provider, jo):
        _fits(who)
    await _nothing_failed(local)


async def test_a_daily_summary_of_200_problems_arrives_whole_in_parts(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    db = local.runtime.db
    provider = await enrol(local, world, 3001, "Priya", role=Role.PROVIDER)
    provider.send_command("notices")
    await local.settle()
    provider.press_label("Once a day")
    await local.settle()
    jo = await enrol(local, world, 3003, "Jo", role=Role.CARER)
    jo_id = await _person_id(local, jo)
    references = []
    for number in range(200):
        clock.advance(timedelta(minutes=5))
        raised = await issues.raise_issue(db, raised_by_id=jo_id, service_id=world.service_id,
                                          text=f"Problem number {number}",
                                          now=clock.now())
        references.append(raised.reference)
    before = len(provider.inbox)
    clock.set(clock.now().replace(hour=9, minute=1) + timedelta(days=1))
    await local.tick()
    await local.tick()
    parts = [words for words in provider.texts()[before:] if PART.search(words)]
    assert len(parts) >= 2
    assert parts[0].startswith("New at your services in the last day: 200.")
    assert PART.sub("", parts[-1]).endswith("Send /issues to work on them.")
    whole = "\n".join(PART.sub("", part) for part in parts)
    assert [ref for ref in references if f"{ref}: " not in whole] == [], "every one of them"
    _fits(provider)
    await _nothing_failed(local)
    clock.advance(timedelta(days=1))
    await local.tick()
    assert len([w for w in provider.texts()[before:] if PART.search(w)]) == len(parts), \
        "made once"


async def test_a_commissioner_with_150_services_pages_to_the_last(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    db = local.runtime.db
    for number in range(1, 149):  # with the world's own, 149
        await directory.add_service(db, council_id=world.council_id,
                                    provider_id=world.provider_id,
                                    name=f"Reablement and Home Care Service {number:03d}",
                                    kind="home care", now=clock.now())
    last = "Zetland Supported Living"  # the 150th, by name
    await directory.add_service(db, council_id=world.council_id, provider_id=world.provider_id,
                                name=last, kind="supported living", now=clock.now())
    alex = await enrol(local, world, 5001, "Alex", role=Role.COMMISSIONER)
    alex.send_command("action")
    await local.settle()
    assert alex.texts()[-1] == text("action.pick_service")
    pages = 1
    while not any(b["text"] == last for b in alex.last.buttons()):
        _fits(alex)
        alex.press_label(text("page.more"))
        await local.settle()
        pages += 1
    assert pages == 15
    assert text("page.more") not in [b["text"] for b in alex.last.buttons()]
    alex.press_label(text("page.back"))
    await local.settle()
    alex.press_label(text("page.more"))
    await local.settle()
    alex.press_label(last)
    await local.settle()
    alex.press_label(text("action.other_theme"))
    await local.settle()
    assert alex.texts()[-1] == text("action.ask_did")
    alex.send_text(NOTE)
    await local.settle()
    _previewed(alex)
    alex.press_label("Send it")
    await local.settle()
    assert alex.texts()[-1] == plural("action.sent", 0)
    service = await db.scalar("SELECT s.name FROM actions a JOIN services s "
                              "ON s.id = a.service_id")
    assert service == last
    assert await db.scalar("SELECT we_did FROM actions") == NOTE
    _fits(alex)
    await _nothing_failed(local)


# The real messages built from many parts, with the longest values they can get, without
# the emulator: each must fit Telegram on its own, whatever the emulator enforces.


def _keyboard_fits(markup: InlineKeyboardMarkup | None) -> None:
    rows = [] if markup is None else markup.inline_keyboard
    assert sum(len(row) for row in rows) <= fitting.BUTTONS_LIMIT
    assert all(len(row) <= fitting.ROW_LIMIT for row in rows)
    for row in rows:
        for button in row:
            assert isinstance(button.callback_data, str)
            assert len(button.callback_data.encode()) <= fitting.CALLBACK_DATA_LIMIT


async def _someone(db: Database, now_is: SimulatedClock, user_id: int, role: Role, name: str,
                   *, service_id: int | None = None, organisation_id: int | None = None,
                   cares_for_id: int | None = None) -> Person:
    """Enrolled and active straight through storage, with a name as long as Telegram's."""
    code = await directory.create_invite(db, role=role, now=now_is.now(), display_name=name,
                                         service_id=service_id,
                                         organisation_id=organisation_id,
                                         cares_for_id=cares_for_id)
    person = await directory.enrol_from_invite(db, code=code, telegram_user_id=user_id,
                                               chat_id=user_id, fallback_name=name,
                                               now=now_is.now())
    assert person is not None
    await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, now_is.now())
    found = await directory.get_person(db, person.id)
    assert found is not None
    return found


async def _long_world(db: Database, clock: SimulatedClock) -> Service:
    council = await directory.add_organisation(db, "council", LONG_ORGANISATION, clock.now())
    provider = await directory.add_organisation(db, "provider", LONG_ORGANISATION[::-1],
                                                clock.now())
    return await directory.add_service(db, council_id=council.id, provider_id=provider.id,
                                       name=LONG_SERVICE, kind="home care", now=clock.now())


async def test_a_week_of_chases_at_the_real_waits_each_fits_one_message(
        local: LocalBot, clock: SimulatedClock) -> None:
    """An urgent alert about the person a carer cares for, every name as long as Telegram
    allows, the carer's words as long as a message, chased every 10 minutes for a week
    (1,008 chases): each chase is one message, none longer than the first few."""
    rt = local.runtime
    db = rt.db
    service = await _long_world(db, clock)
    chain = [await _someone(db, clock, 7001 + step, role, long_name(first, "Featherstonehaugh"),
                            service_id=None if role is Role.COMMISSIONER else service.id,
                            organisation_id=service.council_id
                            if role is Role.COMMISSIONER else None)
             for step, (role, first) in enumerate(((Role.DUTY_CONTACT, "Dana"),
                                                   (Role.DUTY_CONTACT, "Ben"),
                                                   (Role.COMMISSIONER, "Lena")))]
    await directory.set_duty_contact(db, service.id, chain[0].id)
    await directory.set_backup_contact(db, service.id, chain[1].id)
    await directory.set_safeguarding_lead(db, service.council_id, chain[2].id)
    mum = await _someone(db, clock, 7010, Role.PERSON, long_name("Dorothy", "Abercrombie"),
                         service_id=service.id)
    carer = await _someone(db, clock, 7011, Role.CARER, long_name("Joanna", "Castellanos"),
                           service_id=service.id, cares_for_id=mum.id)
    words = WORRY[:fitting.TEXT_LIMIT]
    kept = await issues.raise_issue(db, raised_by_id=carer.id, service_id=service.id,
                                    text=words, now=clock.now())
    why = "; ".join(["physical", "emotional", "neglect", *WORRY.split(". ")[:2]] * 20)
    await raise_and_send(rt, service, NewAlert(service.id, carer.id, "urgent", why,
                                               issue_id=kept.id), words)
    wait = timedelta(minutes=rt.config.alert_escalate_urgent_minutes)
    for _ in range(7 * 24 * 60 // rt.config.alert_escalate_urgent_minutes):
        now = clock.advance(wait)
        for alert in await alerts.to_escalate(db, now):
            assert await escalate_one(rt, alert, now)
    rows = await db.fetchall("SELECT text, reply_markup FROM outbox WHERE purpose = ? "
                             "ORDER BY id", (Purpose.ALERT,))
    sizes = [fitting.length(row["text"]) for row in rows]
    assert len(sizes) == 1 + 7 * 24 * 6
    assert max(sizes) <= fitting.TEXT_LIMIT, f"the longest chase: {max(sizes)} characters"
    assert max(sizes[-100:]) <= max(sizes[:10]) + 40, "it does not grow"
    assert "It was sent 1,005 more times in between." in rows[-1]["text"]
    for row in rows:
        assert parts_of(row["text"]) == [row["text"]]


async def test_a_summary_of_200_problems_at_a_long_named_service_fits_in_parts(
        db: Database, clock: SimulatedClock) -> None:
    service = await _long_world(db, clock)
    jo = await _someone(db, clock, 7020, Role.CARER, long_name("Jo", "Smith"),
                        service_id=service.id)
    news = [await issues.raise_issue(db, raised_by_id=jo.id, service_id=service.id,
                                     text="late again", now=clock.now()) for _ in range(200)]
    parts = parts_of(summary_words(news, {service.id: service}))
    assert len(parts) > 1 and all(fitting.fits(part) for part in parts)
    whole = "\n".join(parts)
    assert all(f"{issue.reference}: " in whole for issue in news)


async def test_every_keyboard_fits_with_the_most_it_can_hold(
        db: Database, clock: SimulatedClock) -> None:
    council = await directory.add_organisation(db, "council", LONG_ORGANISATION, clock.now())
    provider = await directory.add_organisation(db, "provider", "Sunrise Care", clock.now())
    services = [await directory.add_service(
        db, council_id=council.id, provider_id=provider.id, name=f"{LONG_SERVICE} {n}",
        kind="home care", now=clock.now()) for n in range(150)]
    offsets = range(0, len(services), 10)
    for offset in offsets:
        _keyboard_fits(services_page(services, offset))
    biggest = 999_999_999_999  # the largest id any button's data takes
    for release in (False, True):
        _keyboard_fits(keyboard_of(alert_buttons(biggest, tuple(AlertOutcome),
                                                 release=release)))
    issue = await issues.raise_issue(db, raised_by_id=(await _someone(
        db, clock, 7030, Role.CARER, "Jo", service_id=services[0].id)).id,
        service_id=services[0].id, text="late", now=clock.now())
    for status in IssueStatus:
        _keyboard_fits(keyboard_of(issue_buttons(replace(issue, id=biggest, status=status))))
    _keyboard_fits(CONFIRM)


@pytest.mark.parametrize(("telegram_says", "what"), [
    ("Message is too long", "text"), ("Reply markup is too long", "buttons"),
    ("Message caption is too long", "caption")])
async def test_a_message_refused_as_too_long_is_an_error_seen_in_metrics_and_healthz(
        local: LocalBot, clock: SimulatedClock, caplog: pytest.LogCaptureFixture,
        telegram_says: str, what: str) -> None:
    """Should Telegram still refuse one (a limit it changed, a bug of ours): marked
    failed, never sent; an error in the log with its size and not its words; counted in
    /metrics; /healthz not healthy for a day after."""
    rt = local.runtime
    secret_words = "Mum said the carer hit her"
    item = await outbox.add_claimed(rt.db, outbox.NewMessage(
        5555, Purpose.ALERT, text=secret_words), rt.clock.now())
    assert item is not None

    async def refused(bot: CarebotBot, rt_: object, message: OutboxMessage) -> int | None:
        raise BadRequest(telegram_says)

    assert (await problems(rt))[0] == []
    with caplog.at_level(logging.ERROR):
        assert await send_one(local.app.bot, rt, item, refused) is None
    assert await rt.db.scalar("SELECT status FROM outbox WHERE id = ?", (item.id,)) == "failed"
    logged = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(logged) == 1 and f"too long ({what})" in logged[0].getMessage()
    assert secret_words not in caplog.text and LOCAL_TOKEN not in caplog.text
    found, vitals = await problems(rt)
    assert len(found) == 1 and "1 message was refused by Telegram as too long" in found[0]
    assert vitals is not None
    assert (f'carebot_messages_too_long_total{{purpose="alert",what="{what}"}} 1.0'
            in rt.ops.metrics.read(vitals).decode())
    clock.advance(timedelta(hours=25))
    assert (await problems(rt))[0] == []
