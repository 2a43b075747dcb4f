"""An alert is chased until someone acts: duty contact, then backup, then the council's
safeguarding lead, on the injectable clock; each step shown to the next person; the
others told when someone acts; notes and reasons kept; nothing repeated after a restart."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.settings.clock import SimulatedClock
from carebot.storage import directory
from carebot.storage.models import Role
from tests.helpers import World, enrol

WORRY = "Mum has bruises on her arms, someone grabbed her and she is bleeding."  # urgent
CONCERN = "Nobody came yesterday so dad had no food all day."           # concern


@dataclass
class Chain:
    duty: SimulatedPerson
    backup: SimulatedPerson
    lead: SimulatedPerson


async def _person_id(local: LocalBot, who: SimulatedPerson) -> int:
    person = await directory.person_by_telegram_id(local.runtime.db, who.id)
    assert person is not None
    return person.id


async def _chain(local: LocalBot, world: World) -> Chain:
    db = local.runtime.db
    duty = await enrol(local, world, 4001, "Dana", role=Role.DUTY_CONTACT)
    backup = await enrol(local, world, 4002, "Ben", role=Role.DUTY_CONTACT)
    lead = await enrol(local, world, 4003, "Lena", role=Role.COMMISSIONER)
    await directory.set_duty_contact(db, world.service_id, await _person_id(local, duty))
    await directory.set_backup_contact(db, world.service_id, await _person_id(local, backup))
    await directory.set_safeguarding_lead(db, world.council_id, await _person_id(local, lead))
    return Chain(duty, backup, lead)


async def _worry(local: LocalBot, world: World, words: str = WORRY) -> SimulatedPerson:
    jo = await enrol(local, world, 4010, "Jo", role=Role.CARER)
    jo.send_text(words)
    await local.settle()
    return jo


def _alerts_to(who: SimulatedPerson) -> list[str]:
    return [t for t in who.texts() if "A-1" in t]


async def _after(local: LocalBot, clock: SimulatedClock, minutes: float) -> None:
    clock.advance(timedelta(minutes=minutes))
    await local.tick()
    await local.settle()


async def test_nobody_acts_so_it_climbs_the_chain(local: LocalBot, world: World,
                                                  clock: SimulatedClock) -> None:
    chain = await _chain(local, world)
    await _worry(local, world, CONCERN)
    assert len(_alerts_to(chain.duty)) == 1 and not _alerts_to(chain.backup)
    await _after(local, clock, 29)
    assert not _alerts_to(chain.backup), "a concern waits 30 minutes"
    await _after(local, clock, 2)
    passed = _alerts_to(chain.backup)
    assert len(passed) == 1 and passed[0].startswith(text(
        "alert.passed_on", role="backup contact", service=world.service_name, history="",
        body="").split("\n")[0])
    assert "Sent to Dana, duty contact, at 08:00." in passed[0] and CONCERN in passed[0]
    await _after(local, clock, 31)
    to_lead = _alerts_to(chain.lead)
    assert len(to_lead) == 1 and "council safeguarding lead" in to_lead[0]
    assert "Passed to Ben, backup contact, at 08:31." in to_lead[0]
    await _after(local, clock, 31)
    assert len(_alerts_to(chain.lead)) == 2, "then chased with the lead, each wait"

    chain.duty.press_label("I will deal with it", chain.duty.inbox[-1])
    await local.settle()
    for other in (chain.backup, chain.lead):
        assert other.texts()[-1] == text("alert.acted", name="Dana", reference="A-1",
                                         outcome=text("alert.dealing"))
    counts = [len(w.inbox) for w in (chain.duty, chain.backup, chain.lead)]
    await _after(local, clock, 120)
    assert [len(w.inbox) for w in (chain.duty, chain.backup, chain.lead)] == counts
    steps = await local.runtime.db.fetchall("SELECT what, step FROM alert_updates ORDER BY id")
    assert [(r["what"], r["step"]) for r in steps] == [
        ("sent", 0), ("escalated", 1), ("escalated", 2), ("escalated", 2), ("dealing", 2)]


async def test_an_urgent_alert_climbs_after_ten_minutes(local: LocalBot, world: World,
                                                        clock: SimulatedClock) -> None:
    chain = await _chain(local, world)
    await _worry(local, world)
    await _after(local, clock, 11)
    assert len(_alerts_to(chain.backup)) == 1


async def test_a_duty_contact_who_blocked_the_bot_is_passed_over_at_once(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    chain = await _chain(local, world)
    chain.duty.block_bot()
    await _worry(local, world)
    await _after(local, clock, 0.5)  # the next tick, not thirty minutes on
    assert len(_alerts_to(chain.backup)) == 1
    assert not _alerts_to(chain.duty)


async def test_a_restart_with_an_alert_open_repeats_no_step(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    chain = await _chain(local, world)
    await _worry(local, world)
    await local.restart()
    await _after(local, clock, 11)
    await local.restart()
    await _after(local, clock, 1)
    assert len(_alerts_to(chain.duty)) == 1 and len(_alerts_to(chain.backup)) == 1
    assert not _alerts_to(chain.lead)


async def test_contacted_then_a_typed_note_is_kept_on_the_alert(
        local: LocalBot, world: World) -> None:
    chain = await _chain(local, world)
    await _worry(local, world)
    chain.duty.press_label("Contacted them")
    await local.settle()
    assert chain.duty.texts()[-1] == text("alert.done.contacted", reference="A-1")
    chain.duty.send_text("Called Dot, she is OK. GP visit booked for Thursday.")
    await local.settle()
    assert chain.duty.texts()[-1] == text(
        "alert.note_confirm", reference="A-1",
        note="Called Dot, she is OK. GP visit booked for Thursday.")
    chain.duty.press_label("Send it")
    await local.settle()
    assert chain.duty.texts()[-1] == text("alert.note_saved", reference="A-1")
    row = await local.runtime.db.fetchone(
        "SELECT note FROM alert_updates WHERE what = 'note'")
    assert row is not None and row["note"].startswith("Called Dot")


async def test_a_note_typed_without_tapping_is_offered_for_the_latest_alert(
        local: LocalBot, world: World) -> None:
    chain = await _chain(local, world)
    await _worry(local, world)
    chain.duty.send_text("Called Dot, she is OK")
    await local.settle()
    assert chain.duty.texts()[-1] == text("alert.note_confirm", reference="A-1",
                                          note="Called Dot, she is OK")


async def test_not_a_concern_needs_a_reason(local: LocalBot, world: World,
                                            clock: SimulatedClock) -> None:
    chain = await _chain(local, world)
    await _worry(local, world, CONCERN)
    chain.duty.press_label("Not a concern")
    await local.settle()
    assert chain.duty.texts()[-1] == text("alert.ask_reason", reference="A-1")
    assert await local.runtime.db.scalar("SELECT acknowledged_at FROM alerts") is None
    chain.duty.send_text("Dad was at his daughter's for lunch; she confirmed")
    await local.settle()
    chain.duty.press_label("Send it")
    await local.settle()
    assert chain.duty.texts()[-1] == text("alert.done.not_a_concern", reference="A-1")
    row = await local.runtime.db.fetchone("SELECT outcome, acknowledged_at FROM alerts")
    assert row is not None and row["outcome"] == "not_a_concern"
    await _after(local, clock, 60)
    assert not _alerts_to(chain.backup)


async def test_a_talk_request_is_chased_the_same_way(local: LocalBot, world: World,
                                                     clock: SimulatedClock) -> None:
    chain = await _chain(local, world)
    sam = await enrol(local, world, 4011, "Sam")
    sam.send_command("talk")
    await local.settle()
    assert _alerts_to(chain.duty) == [text("alert.talk", name="Sam",
                                           service=world.service_name, reference="A-1")]
    await _after(local, clock, 31)
    assert len(_alerts_to(chain.backup)) == 1
    chain.backup.press_label("We have talked")
    await local.settle()
    assert chain.duty.texts()[-1] == text("alert.acted", name="Ben", reference="A-1",
                                          outcome=text("alert.talk.contacted"))


async def test_a_talk_request_is_done_only_when_they_have_talked(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    """"I will get in touch" tells the person who will, and the request stays open: the
    one who took it is asked each day until they tap "We have talked"."""
    chain = await _chain(local, world)
    sam = await enrol(local, world, 4012, "Sam")
    sam.send_command("talk")
    await local.settle()
    chain.duty.press_label("I will get in touch")
    await local.settle()
    assert sam.texts()[-1] == text("alert.talk.taken", name="Dana",
                                   service=world.service_name)
    assert "Not a concern" not in str(chain.duty.last.buttons())
    await _after(local, clock, 60)
    assert not _alerts_to(chain.backup)  # taken: not passed up the chain
    await _after(local, clock, 24 * 60)
    assert chain.duty.texts()[-1].startswith("Have you talked with them yet?")
    chain.duty.press_label("We have talked")
    await local.settle()
    assert chain.duty.texts()[-1].startswith("Thank you. Request A-1 is done.")
    asked = len(chain.duty.texts())
    await _after(local, clock, 2 * 24 * 60)
    assert len(chain.duty.texts()) == asked  # done: asked no more
    assert not _alerts_to(chain.backup) and not _alerts_to(chain.lead)


async def test_someone_never_sent_it_cannot_act(local: LocalBot, world: World) -> None:
    chain = await _chain(local, world)
    await _worry(local, world)
    chain.lead.press(chain.lead.inbox[-1], "ack|1|contacted")  # not sent it yet
    await local.settle()
    assert await local.runtime.db.scalar("SELECT acknowledged_at FROM alerts") is None


async def test_a_carers_alert_says_who_they_care_for(local: LocalBot, world: World) -> None:
    chain = await _chain(local, world)
    db, now = local.runtime.db, local.runtime.clock.now()
    await enrol(local, world, 4012, "Dot")
    dot = await _person_id(local, local.person(4012, "Dot"))
    code = await directory.create_invite(db, role=Role.CARER, now=now, display_name="Jo",
                                         service_id=world.service_id, cares_for_id=dot)
    jo = local.person(4013, "Jo")
    jo.send_command("start", code)
    await jo.wait_for_messages(1)
    jo.press_label("Yes")
    await local.settle()
    jo.send_text(WORRY)
    await local.settle()
    alert = _alerts_to(chain.duty)[-1]
    # About the person at risk, with the carer as who told us.
    assert alert.startswith("Safeguarding urgent: please check on Dot "
                            f"at {world.service_name} today.")
    assert f'Their carer, Jo, wrote: "{WORRY}"' in alert and "physical" in alert


async def test_a_disclosure_is_kept_as_a_problem_without_asking(local: LocalBot,
                                                                world: World) -> None:
    chain = await _chain(local, world)
    jo = await _worry(local, world)
    assert text("feedback.kind") not in jo.texts()  # never "a thank you, or an idea?"
    assert "kept your message as a problem" in jo.texts()[-1]
    assert "Sunrise Care and the council can read it too" in jo.texts()[-1]
    kind = await local.runtime.db.scalar("SELECT kind FROM issues")
    assert kind == "problem"
    [alert] = _alerts_to(chain.duty)
    assert "please check on the person Jo cares for" in alert
    assert "Their carer, Jo, wrote" in alert and "kept as problem CB-1001" in alert


async def test_words_that_accuse_a_carer_go_to_the_council_and_not_to_the_provider(
        local: LocalBot, world: World) -> None:
    chain = await _chain(local, world)
    provider = await enrol(local, world, 4020, "Priya", role=Role.PROVIDER)
    words = "The carer shouted at me and took money from my purse."
    jo = await _worry(local, world, words)
    assert len(_alerts_to(chain.duty)) == 1
    assert len(_alerts_to(chain.lead)) == 1  # at once, not after the chain's waits
    assert jo.texts()[-1].startswith(text("alert.person_council", service=world.service_name))
    assert "Sunrise Care will not see your name or words" in jo.texts()[-1]
    told = provider.texts()[-1]
    assert told == text("issues.new_held", reference="CB-1001", service=world.service_name)
    assert "Jo" not in told and "money" not in told
    assert all("money" not in t for t in provider.texts())


async def test_words_about_a_family_member_stay_with_the_duty_contact(
        local: LocalBot, world: World) -> None:
    chain = await _chain(local, world)
    await _worry(local, world, "My son took my pension again and there is no food.")
    assert len(_alerts_to(chain.duty)) == 1 and not _alerts_to(chain.lead)


async def test_the_duty_contact_writes_to_the_carer_and_the_reply_comes_back(
        local: LocalBot, world: World) -> None:
    """[Message them here]: a message through carebot, shown before it goes; the reply
    comes to the duty contact, not kept as new feedback; both kept with the alert."""
    chain = await _chain(local, world)
    jo = await _worry(local, world)
    chain.duty.press_label("Message them here")
    await local.settle()
    assert chain.duty.texts()[-1] == text("alert.message_ask", name="Jo")
    chain.duty.send_text("Is your mum safe now? Can I ring you at 3?")
    await local.settle()
    chain.duty.press_label("Send it")
    await local.settle()
    assert chain.duty.texts()[-1].startswith("Sent to Jo.")
    assert "Is your mum safe now? Can I ring you at 3?" in jo.texts()[-1]
    assert "Dana at Home Care East" in jo.texts()[-1]
    issues_before = await local.runtime.db.scalar("SELECT COUNT(*) FROM issues")
    jo.send_text("Yes she is with me. 3 is fine.")
    await local.settle()
    assert jo.texts()[-1] == text("alert.reply_passed", staff="Dana")
    assert chain.duty.texts()[-1] == text("alert.reply_from_person", name="Jo",
                                          reference="A-1", words="Yes she is with me. 3 is fine.")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM issues") == issues_before
    kept = await local.runtime.db.fetchall(
        "SELECT direction, text FROM alert_messages WHERE alert_id = 1 ORDER BY id")
    assert [tuple(row) for row in kept] == [
        ("to_person", "Is your mum safe now? Can I ring you at 3?"),
        ("from_person", "Yes she is with me. 3 is fine.")]


async def test_only_someone_sent_the_alert_can_write_through_it(local: LocalBot,
                                                              world: World) -> None:
    await _chain(local, world)
    await _worry(local, world)
    stranger = await enrol(local, world, 4030, "Max", role=Role.DUTY_CONTACT)
    stranger.press(stranger.last, "msg|1")
    await local.settle()
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM drafts") == 0


async def test_the_lead_lets_the_provider_see_words_that_accuse_its_staff(
        local: LocalBot, world: World) -> None:
    chain = await _chain(local, world)
    provider = await enrol(local, world, 4021, "Priya", role=Role.PROVIDER)
    words = "The carer shouted at me and took money from my purse."
    await _worry(local, world, words)
    chain.duty.press(chain.duty.last, "rel|1")  # only the council's lead may
    await local.settle()
    assert all(words not in t for t in provider.texts())
    chain.lead.press_label("Share with the provider")
    await local.settle()
    assert text("alert.released", reference="A-1") in chain.lead.texts()
    assert words in provider.texts()[-1] and "Jo" in provider.texts()[-1]
    chain.lead.press_label("Share with the provider")  # twice: told once
    await local.settle()
    assert sum(words in t for t in provider.texts()) == 1


async def test_issues_hides_words_that_accuse_staff_until_the_lead_shares_them(
        local: LocalBot, world: World) -> None:
    chain = await _chain(local, world)
    provider = await enrol(local, world, 4022, "Priya", role=Role.PROVIDER)
    words = "The carer shouted at me and took money from my purse."
    await _worry(local, world, words)
    provider.send_command("issues")
    await local.settle()
    assert "CB-1001" in provider.texts()[-1] and "money" not in provider.texts()[-1]
    provider.press_label("Seen")  # not theirs to move while the council holds it
    await local.settle()
    assert provider.texts()[-1] == text("issues.held_by_council", reference="CB-1001")
    assert await local.runtime.db.scalar("SELECT status FROM issues") == "open"
    chain.lead.press_label("Share with the provider")
    await local.settle()
    provider.send_command("issues")
    await local.settle()
    assert any(words in t for t in provider.texts()[-2:])


async def test_an_alert_taken_is_followed_up_until_they_have_contacted_the_person(
        local: LocalBot, world: World, clock: SimulatedClock) -> None:
    """"I will deal with it" stops the chain but not the checking: the one who took it is
    asked whether they have contacted the person, until they say so."""
    chain = await _chain(local, world)
    await _worry(local, world, CONCERN)
    chain.duty.press_label("I will deal with it")
    await local.settle()
    await _after(local, clock, 60)
    assert not _alerts_to(chain.backup)  # taken: not passed up the chain
    await _after(local, clock, 4 * 60)
    assert chain.duty.texts()[-1].startswith("Have you contacted them yet?")
    chain.duty.press_label("Contacted them", chain.duty.last)
    await local.settle()
    asked = len(chain.duty.texts())
    await _after(local, clock, 24 * 60)
    assert len(chain.duty.texts()) == asked
    assert await local.runtime.db.scalar("SELECT acknowledged_at FROM alerts") is not None
