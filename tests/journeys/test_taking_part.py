"""Everyone can take part (issue 32): each person is spoken to in their own language
(the first guess from their Telegram app or their invite, their own choice with
/language, and each message built for someone else in that person's language, not the
sender's); easy-read check-ins; voice notes; words in Welsh and Polish read as such."""

from __future__ import annotations

import json

from carebot.conversations.texts import text
from carebot.emulator.harness import LocalBot
from carebot.emulator.people import SimulatedPerson
from carebot.storage import directory
from carebot.storage.models import Role
from carebot.translations.speaking import speaking
from tests.helpers import World, enrol


def _in(language: str, key: str, **values: str) -> str:
    with speaking(language):
        return text(key, **values)


async def _join(local: LocalBot, world: World, user_id: int, name: str, *,
                phone: str | None, invite_language: str | None = None,
                role: Role = Role.PERSON) -> SimulatedPerson:
    code = await directory.create_invite(local.runtime.db, role=role, now=local.clock.now(),
                                         display_name=name, service_id=world.service_id,
                                         language=invite_language)
    person = local.person(user_id, name, language_code=phone)
    person.send_command("start", code)
    await person.wait_for_messages(1)
    return person


async def _language(local: LocalBot, user_id: int) -> str | None:
    found: str | None = await local.runtime.db.scalar(
        "SELECT language FROM people WHERE telegram_user_id = ?", (user_id,))
    return found


async def test_a_phone_set_to_polish_is_asked_in_polish(local: LocalBot, world: World) -> None:
    ewa = await _join(local, world, 3201, "Ewa", phone="pl", role=Role.CARER)
    assert [b["text"] for b in ewa.last.buttons()] == [
        _in("pl", "consent.yes"), _in("pl", "consent.no")]
    assert _in("pl", "consent.yes") != text("consent.yes")
    assert ewa.texts()[-1].startswith(
        _in("pl", "consent.ask.carer", name="Ewa", service=world.service_name)[:40])
    ewa.press(ewa.last, "consent|yes")
    await local.settle()
    assert ewa.texts()[-1] == _in("pl", "consent.given.carer", name="Ewa",
                                  service=world.service_name)
    assert await _language(local, 3201) == "pl"


async def test_an_invite_in_welsh_wins_over_an_english_phone(local: LocalBot,
                                                              world: World) -> None:
    await _join(local, world, 3202, "Gwen", phone="en-GB", invite_language="cy")
    assert await _language(local, 3202) == "cy"


async def test_a_language_carebot_does_not_speak_is_english(local: LocalBot,
                                                           world: World) -> None:
    kim = await _join(local, world, 3203, "Kim", phone="ko")
    assert [b["text"] for b in kim.last.buttons()] == [text("consent.yes"), text("consent.no")]
    assert await _language(local, 3203) is None


async def test_language_shows_each_language_in_its_own_name(local: LocalBot,
                                                            world: World) -> None:
    sam = await enrol(local, world, 3204, "Sam")
    sam.send_command("language")
    await local.settle()
    assert sam.texts()[-1] == text("language.ask")
    assert [b["text"] for b in sam.last.buttons()] == ["English", "Cymraeg", "Polski", "اردو"]
    sam.press_label("Cymraeg")
    await local.settle()
    assert sam.texts()[-1] == _in("cy", "language.set")
    assert await _language(local, 3204) == "cy"
    sam.send_command("help")
    await local.settle()
    assert sam.texts()[-1] == _in("cy", "help.person")
    scope = json.dumps([{"type": "chat", "chat_id": 3204}, ""], sort_keys=True)
    menu = [c["description"] for c in local.emulator.commands[scope]]
    assert _in("cy", "command.help") in menu


async def test_a_forged_language_changes_nothing(local: LocalBot, world: World) -> None:
    sam = await enrol(local, world, 3205, "Sam")
    assert await _language(local, 3205) == "en"  # their phone's
    sam.send_command("language")
    await local.settle()
    sam.press(sam.last, "lang|xx")
    await local.settle()
    assert await _language(local, 3205) == "en"


async def _duty_and_carer(local: LocalBot, world: World, user_id: int, carer: str,
                          language: str) -> tuple[SimulatedPerson, SimulatedPerson]:
    """An English-speaking duty contact (`user_id`) and a carer who has joined in
    `language` (`user_id` + 1)."""
    duty = await enrol(local, world, user_id, "Duty team", role=Role.DUTY_CONTACT)
    duty_person = await directory.person_by_telegram_id(local.runtime.db, user_id)
    assert duty_person is not None
    await directory.set_duty_contact(local.runtime.db, world.service_id, duty_person.id)
    joined = await _join(local, world, user_id + 1, carer, phone=language, role=Role.CARER)
    joined.press(joined.last, "consent|yes")
    await local.settle()
    return duty, joined


async def test_each_reader_gets_their_own_language(local: LocalBot, world: World) -> None:
    """A Welsh-speaking carer's worry reaches the English-speaking duty contact in
    English, and the carer is answered in Welsh."""
    duty, gwen = await _duty_and_carer(local, world, 3206, "Gwen", "cy")
    gwen.send_text("One of the carers slapped my dad when he would not get dressed.")
    await local.settle()
    assert gwen.texts()[-1].startswith(
        _in("cy", "alert.person", service=world.service_name)[:30])
    alert = duty.last.text or ""
    assert alert.startswith("Safeguarding concern: please check on the person Gwen cares for")
    duty.press_label("I will deal with it")
    await local.settle()
    assert duty.texts()[-1].startswith("Thank you")


async def _easy_read_on(local: LocalBot, person: SimulatedPerson) -> None:
    person.send_command("easyread")
    await local.settle()
    assert person.texts()[-1] == text("easy.setting")
    person.press(person.last, "er|yes")
    await local.settle()
    assert person.texts()[-1] == text("easy.on")


async def test_an_easy_read_check_in(local: LocalBot, world: World) -> None:
    """A picture of the three faces and what each means; then one short sentence a
    question, three answers with faces (and a way to talk to a person); the answers
    count as the usual scale's."""
    sam = await enrol(local, world, 3210, "Sam")
    await _easy_read_on(local, sam)
    assert await local.runtime.db.scalar("SELECT easy_read FROM people") == 1
    before = len(sam.inbox)
    sam.send_command("checkin")
    await local.settle()
    picture, hello = sam.inbox[before:before + 2]
    assert picture.kind == "photo" and picture.caption == text("easy.key")
    assert hello.text == text("easy.start", name="Sam")
    sam.press_label("Start")
    await local.settle()
    assert sam.last.text == text("easy.question.fft", service=world.service_name)
    labels = [b["text"] for b in sam.last.buttons()]
    assert labels == ["😀 Good", "😐 OK", "😞 Not good", text("choice.talk")]
    sam.press_label("OK")
    await local.settle()
    assert sam.inbox[-2].text == text("checkin.you_said", question=text(
        "easy.question.fft", service=world.service_name), answer="😐 OK")
    assert [b["text"] for b in sam.last.buttons()][:3] == ["😀 Yes", "😐 Sometimes", "😞 No"]
    sam.press_label("Yes")
    await local.settle()
    sam.press_label("No")
    await local.settle()
    assert sam.last.text == text("easy.question.more")
    sam.send_text("The new carer is kind")
    await local.settle()
    assert sam.texts()[-1] == text("easy.thanks")
    rows = await local.runtime.db.fetchall(
        "SELECT question_key, choice, text FROM answers ORDER BY id")
    assert [(r["question_key"], r["choice"]) for r in rows][:3] == [
        ("fft", "neither"), ("safe", "always"), ("control", "never")]
    assert rows[3]["text"] == "The new carer is kind" and len(rows) == 4


async def test_easy_read_is_for_people_who_draw_on_care(local: LocalBot,
                                                        world: World) -> None:
    jo = await enrol(local, world, 3211, "Jo", role=Role.CARER)
    jo.send_command("easyread")
    await local.settle()
    assert jo.texts()[-1] == text("odd.not_allowed")


async def test_easy_read_in_polish(local: LocalBot, world: World) -> None:
    ewa = await _join(local, world, 3212, "Ewa", phone="pl")
    ewa.press(ewa.last, "consent|yes")
    await local.settle()
    ewa.send_command("easyread")
    await local.settle()
    ewa.press(ewa.last, "er|yes")
    await local.settle()
    ewa.send_command("checkin")
    await local.settle()
    assert ewa.inbox[-2].caption == _in("pl", "easy.key")
    ewa.press(ewa.last, f"a|{await _open_checkin(local)}|0|start")
    await local.settle()
    assert [b["text"] for b in ewa.last.buttons()][:3] == [
        f"{face} {_in('pl', f'easy.choice.{word}')}"
        for face, word in zip(("😀", "😐", "😞"), ("good", "ok", "bad"), strict=True)]


async def _open_checkin(local: LocalBot) -> int:
    found: int = await local.runtime.db.scalar("SELECT MAX(id) FROM checkins")
    return found


async def test_a_worry_written_in_polish_alerts_in_english(local: LocalBot,
                                                          world: World) -> None:
    """Polish words that say someone was hit raise the alert English ones would; the duty
    contact reads them as written, labelled, in their own language; the words get no
    English sentiment."""
    duty, ewa = await _duty_and_carer(local, world, 3213, "Ewa", "pl")
    words = "Opiekunka uderzyła moją mamę wczoraj wieczorem."
    ewa.send_text(words)
    await local.settle()
    alert = duty.last.text or ""
    assert alert.startswith("Safeguarding concern: please check on the person Ewa cares for")
    assert words in alert and "physical: uderzyła" in alert
    assert await local.runtime.db.scalar("SELECT language FROM issues") == "pl"
    assert await local.runtime.db.scalar(
        "SELECT COUNT(*) FROM tags WHERE kind = 'sentiment'") == 0
    duty.send_command("read")
    await local.settle()
    assert any(text("read.language", language="Polish") in said for said in duty.texts())


async def test_a_voice_note_answers_the_question_asking_for_words(local: LocalBot,
                                                                  world: World) -> None:
    """Asked what is working, Sam sends a voice note: it is his answer, he is told who
    will listen, the check-in goes on, and the reader finds it under its question."""
    sam = await enrol(local, world, 3215, "Sam")
    sam.send_command("checkin")
    await local.settle()
    for label in ("Start", "Good", "Always", "Always"):
        sam.press_label(label)
        await local.settle()
    asked = sam.last.text or ""
    assert sam.last.buttons()[0]["text"] == text("choice.no_thanks")
    sam.send_media("voice", duration=9)
    await local.settle()
    assert text("thanks.voice", service=world.service_name) in sam.texts()
    assert sam.texts()[-1] == text("question.free.more")
    assert text("checkin.you_said", question=asked, answer=text("media.voice")) in sam.texts()
    row = await local.runtime.db.fetchone(
        "SELECT question_key, text, media_file_id FROM answers WHERE choice IS NULL")
    assert row is not None and row["text"] is None and row["media_file_id"]
    assert row["question_key"].startswith("free.")
    assert await local.runtime.db.scalar("SELECT COUNT(*) FROM media_messages") == 0
    provider = await enrol(local, world, 3216, "Priya", role=Role.PROVIDER)
    provider.send_command("read")
    await local.settle()
    assert any(text("read.answered", question=asked.split("?")[0] + "?") in said
               for said in provider.texts())
    assert any(text("read.sent_media", what=text("media.voice")) in said
               for said in provider.texts())
    assert provider.received("voice"), "the voice note itself, to play"


async def test_an_easy_read_invite_asks_consent_in_easy_read(local: LocalBot,
                                                             world: World) -> None:
    code = await directory.create_invite(local.runtime.db, role=Role.PERSON,
                                         now=local.clock.now(), display_name="Ali",
                                         service_id=world.service_id, easy_read=True)
    ali = local.person(3217, "Ali")
    ali.send_command("start", code)
    await ali.wait_for_messages(1)
    config = local.runtime.config
    assert ali.last.text == text("easy.consent", name="Ali", service=world.service_name,
                                 provider="Sunrise Care", controller=config.data_controller,
                                 privacy_notice=config.privacy_notice_url)
