"""Admin from the command line, without SQL: invites for every role with what each needs
checked, listing and revoking them, contacts and leads, people, actions and the audit
log. Every mistake is one plain line on stderr and exit status 2."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from pathlib import Path

import pytest

from carebot.cli.main import main
from carebot.conversations.texts import text
from carebot.settings.clock import SystemClock
from carebot.storage import directory
from carebot.storage.db import open_database
from carebot.storage.models import PersonStatus, Role

Run = tuple[int, str, str]
# What a council sets before its first invite (docs/deploy.md, section 3).
COUNCIL_SETTINGS = {"CAREBOT_DATA_CONTROLLER": "Northshire County Council",
                    "CAREBOT_PRIVACY_NOTICE_URL": "https://www.northshire.gov.uk/privacy",
                    "CAREBOT_HELP_CONTACT": "01632 960000 (Monday to Friday, 9am to 5pm)"}


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "admin.sqlite3"
    monkeypatch.setenv("CAREBOT_DATABASE", str(path))
    monkeypatch.setenv("CAREBOT_BOT_USERNAME", "northshire_carebot")
    for name, value in COUNCIL_SETTINGS.items():
        monkeypatch.setenv(name, value)
    for argv in (["add-organisation", "--kind", "council", "--name", "Northshire"],
                 ["add-organisation", "--kind", "provider", "--name", "Sunrise"],
                 ["add-service", "--council", "1", "--provider", "2", "--name", "Home Care",
                  "--kind", "home care"]):
        assert main(argv) == 0
    return path


@pytest.fixture
def staffed(database: Path) -> Path:
    """As `database`, with a duty contact at Home Care whom alerts reach: people may be
    invited there now (not before)."""
    name_duty_contact(database, 1)
    return database


def name_duty_contact(database: Path, service_id: int, name: str = "Dana") -> int:
    duty = asyncio.run(_joined(database, Role.DUTY_CONTACT, name, service_id=service_id))
    assert main(["services", "set-duty-contact", "--service", str(service_id), "--person",
                 str(duty)]) == 0
    return duty


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Run:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


async def _joined(path: Path, role: Role, name: str, *, service_id: int | None = None,
                  organisation_id: int | None = None) -> int:
    """Someone who used an invite and said yes; their person id."""
    db = await open_database(path)
    try:
        now = SystemClock().now()
        code = await directory.create_invite(db, role=role, now=now, display_name=name,
                                              service_id=service_id,
                                              organisation_id=organisation_id)
        person = await directory.enrol_from_invite(
            db, code=code, telegram_user_id=hash(name) % 10**8, chat_id=hash(name) % 10**8,
            fallback_name=name, now=now)
        assert person is not None
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, now)
        return person.id
    finally:
        await db.close()


# Each mistake an admin can make, what the line says went wrong, and the next step it
# gives: every error is one line of two sentences, the second saying what to do.
MISTAKES = [
    (["invite", "--role", "commissioner"], "needs their council", "Add --organisation ID"),
    (["invite", "--role", "commissioner", "--organisation", "2"],
     "is a provider, not a council", "carebot organisations"),
    (["invite", "--role", "board_member", "--organisation", "9"], "there is no organisation 9",
     "carebot organisations"),
    (["invite", "--role", "person"], "needs the service", "Add --service ID"),
    (["invite", "--role", "person", "--service", "1", "--language", "Klingon"],
     "'Klingon' is not a language carebot knows", "two-letter code"),
    (["texts", "--language", "xx"], "carebot does not speak 'xx' yet", "Write one of en"),
    (["texts", "--new-language", "cy"], "there is a catalogue for 'cy' already",
     "Use --update-catalogues"),
    (["texts", "--new-language", "welsh"], "'welsh' is not a language code carebot knows",
     "two-letter ISO 639-1 code"),
    (["invite", "--role", "person", "--service", "7"], "there is no service 7",
     "carebot services"),
    (["invite", "--role", "person", "--service", "1"], "would reach nobody yet",
     "Invite the staff first"),
    (["invite", "--role", "provider"], "needs their organisation or a service",
     "Add --organisation ID or --service ID"),
    (["invite", "--role", "provider", "--organisation", "1"], "is a council, not a provider",
     "carebot organisations"),
    (["invite", "--role", "person", "--service", "1", "--cares-for", "1"],
     "only for a carer's invite", "Add --role carer"),
    (["invite", "--role", "carer", "--service", "1", "--cares-for", "7"],
     "there is no person 7 yet", "carebot invite list --waiting"),
    (["invite"], "say who the invite is for", "Add --role person"),
    (["invite", "revoke"], "say which code", "carebot invite revoke CODE"),
    (["invite", "--from", "no-such-sheet.csv"], "No such file", "Save the sheet as .csv"),
    (["invite", "--from", "README.md"], "not a .csv or .xlsx file", "Save the sheet"),
    (["invite", "revoke", "NOPE1234"], "no unused invite NOPE1234", "carebot invite list"),
    (["add-organisation", "--kind", "council", "--name", "Northshire"],
     "already a council called 'Northshire' (id 1)", "Use id 1"),
    (["add-service", "--council", "2", "--provider", "2", "--name", "X", "--kind", "x"],
     "organisation 2 is not a council", "carebot organisations"),
    (["add-service", "--council", "1", "--provider", "1", "--name", "X", "--kind", "x"],
     "organisation 1 is not a provider", "carebot organisations"),
    (["add-service", "--council", "1", "--provider", "2", "--name", "Home Care", "--kind", "x"],
     "already runs a service called 'Home Care' (id 1)", "another --name"),
    (["services", "set-duty-contact", "--service", "1", "--person", "99"], "no person 99",
     "carebot people"),
    (["services", "set-duty-contact", "--service", "5", "--person", "1"], "no service 5",
     "carebot services"),
    (["services", "set-duty-contact", "--person", "1"], "needs the service", "Add --service"),
    (["services", "set-duty-contact", "--service", "1"], "needs the member of staff",
     "Add --person ID"),
    (["services", "set-ids", "--service", "1"], "needs an id to set", "Add --cqc"),
    (["services", "set-ids", "--service", "1", "--cqc", "101234567"],
     "is not a CQC location id", "like 1-101234567"),
    (["services", "set-ids", "--service", "1", "--ods", "V-1"], "is not an ODS code",
     "such as VN123"),
    (["council", "set-safeguarding-lead", "--council", "2", "--person", "1"],
     "is a provider, not a council", "carebot organisations"),
    (["action", "add", "--service", "1", "--theme", "weather", "--did", "x"],
     "there is no theme 'weather'", "Choose one of"),
    (["action", "add", "--service", "1", "--did", "  "], "say what changed", "Add --did"),
    (["action", "add", "--service", "1", "--did", "x", "--issue", "CB-5000"],
     "there is no CB-5000 at Home Care", "or leave --issue out"),
    (["people", "--service", "3"], "there is no service 3", "carebot services"),
    (["people", "suspend"], "needs the person", "Add --person ID"),
    (["people", "suspend", "--person", "9"], "there is no person 9", "carebot people"),
    (["people", "resume", "--person", "9"], "there is no person 9", "carebot people"),
    (["people", "remove", "--person", "9", "--hand-to", "1"], "there is no person 9",
     "carebot people"),
    (["people", "move", "--person", "9", "--service", "1"], "is not someone who draws on "
     "care", "carebot people --role person"),
    (["people", "move", "--person", "9"], "say which service", "Add --service ID"),
    (["services", "close"], "needs the service", "Add --service ID"),
    (["services", "close", "--service", "4"], "there is no service 4", "carebot services"),
    (["digest", "--council", "2"], "there is no council 2", "carebot organisations"),
    (["digest", "--from", "2/11/2026"], "a period needs both ends", "--to DATE"),
    (["digest", "--from", "9/11/2026", "--to", "2/11/2026"], "--to is before --from",
     "--from and the last with --to"),
    (["pack", "--provider", "1", "--from", "1/9/2026", "--to", "30/11/2026"],
     "organisation 1 is not a provider", "carebot organisations"),
]


@pytest.mark.parametrize(("argv", "problem", "next_step"), MISTAKES)
def test_a_mistake_is_one_line_that_says_what_to_do(
        database: Path, capsys: pytest.CaptureFixture[str], argv: list[str], problem: str,
        next_step: str) -> None:
    status, out, err = run(capsys, *argv)
    assert status == 2 and out == ""
    assert re.fullmatch(rf"carebot {argv[0]}: [^\n]+\. [A-Z`][^\n]+\.\n", err), err
    assert problem in err and next_step in err.split(". ", 1)[1], err


@pytest.mark.parametrize(("argv", "says"), [
    (["add-service", "--council", "1"], "the following arguments are required: --provider"),
    (["invite", "--role", "nurse"], "invalid choice: 'nurse'"),
    (["pack", "--provider", "2", "--from", "30/2/2026", "--to", "1/3/2026"],
     "'30/2/2026' is not a day on the calendar"),
    (["no-such-command"], "invalid choice: 'no-such-command'"),
])
def test_a_command_line_that_does_not_parse_is_one_line_too(
        capsys: pytest.CaptureFixture[str], argv: list[str], says: str) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    _, err = capsys.readouterr()
    assert stopped.value.code == 2 and err.count("\n") == 1 and says in err
    assert err.rstrip().endswith("--help` for what it takes.")


def test_every_command_that_can_go_wrong_has_a_row(database: Path) -> None:
    """A new command's mistakes belong in the table above."""
    from carebot.cli.arguments import COMMANDS
    never_wrong = {"texts", "docs", "redact", "migrate", "healthcheck", "organisations",
                   "logs", "check", "run", "demo", "retention", "tag", "eval", "train",
                   "review", "backup", "restore", "audit",
                   "copy-to-postgresql"}  # their own tests cover them
    covered = {argv[0] for argv, _, _ in MISTAKES}
    assert {c.name for c in COMMANDS} - covered - never_wrong == set()


def test_invites_for_every_role_with_a_link(staffed: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--role", "person", "--service", "1"], ["--role", "carer", "--service", "1"],
                 ["--role", "duty_contact", "--service", "1"],
                 ["--role", "provider", "--organisation", "2"],
                 ["--role", "provider", "--service", "1"],
                 ["--role", "commissioner", "--organisation", "1"],
                 ["--role", "board_member", "--organisation", "1"], ["--role", "admin"]):
        status, out, err = run(capsys, "invite", *argv)
        assert status == 0 and err == "", argv
        code = out.split("Invite code: ")[1].split()[0]
        assert f"Link: https://t.me/northshire_carebot?start={code}" in out


def test_list_and_revoke_invites(staffed: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "invite", "--role", "person", "--service", "1", "--name", "Sam")
    code = out.split("Invite code: ")[1].split()[0]
    _, listed, _ = run(capsys, "invite", "list")
    assert code in listed and "waiting" in listed and "Sam" in listed
    assert run(capsys, "invite", "revoke", code.lower())[0] == 0
    _, listed, _ = run(capsys, "invite", "list")
    assert "revoked" in listed
    assert run(capsys, "invite", "revoke", code)[0] == 2, "once revoked, it stays revoked"

    async def enrol() -> object:
        db = await open_database(staffed)
        try:
            return await directory.enrol_from_invite(db, code=code, telegram_user_id=5,
                                                     chat_id=5, fallback_name="Sam",
                                                     now=SystemClock().now())
        finally:
            await db.close()

    assert asyncio.run(enrol()) is None


def test_a_service_s_cqc_and_ods_ids(database: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "services", "set-ids", "--service", "1", "--cqc", " 1-101234567 ",
               "--ods", "vn123")[1] == (
        "Home Care: CQC location id 1-101234567, ODS code VN123.\n")
    assert run(capsys, "services", "set-ids", "--service", "1", "--ods", "")[1] == (
        "Home Care: CQC location id 1-101234567, ODS code not set.\n")
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT cqc_location_id, ods_code FROM services WHERE id = 1"
                            ).fetchone() == ("1-101234567", None)


def test_contacts_leads_and_people(database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    duty = asyncio.run(_joined(database, Role.DUTY_CONTACT, "Dana", service_id=1))
    backup = asyncio.run(_joined(database, Role.DUTY_CONTACT, "Ben", service_id=1))
    lead = asyncio.run(_joined(database, Role.COMMISSIONER, "Lena", organisation_id=1))
    sam = asyncio.run(_joined(database, Role.PERSON, "Sam", service_id=1))
    assert run(capsys, "services", "set-duty-contact", "--service", "1", "--person",
               str(duty))[1] == "Dana is now the duty contact for Home Care.\n"
    assert run(capsys, "services", "set-backup-contact", "--service", "1", "--person",
               str(backup))[0] == 0
    assert run(capsys, "council", "set-safeguarding-lead", "--council", "1", "--person",
               str(lead))[1] == "Lena is now the safeguarding lead for Northshire.\n"
    status, _, err = run(capsys, "services", "set-duty-contact", "--service", "1",
                         "--person", str(sam))
    assert status == 2 and "only staff" in err
    # Each is told in the chat, by the running bot from the outbox, what they now get.
    with sqlite3.connect(database) as conn:
        told = [row[0] for row in conn.execute(
            "SELECT text FROM outbox WHERE status = 'pending' ORDER BY id")]
    assert told == [text("staff.now_duty_contact", name="Dana", service="Home Care"),
                    text("staff.now_backup_contact", name="Ben", service="Home Care"),
                    text("staff.now_lead", name="Lena", council="Northshire")]
    _, listed, _ = run(capsys, "people", "list", "--service", "1")
    assert [line.split()[3] for line in listed.splitlines()] == ["Dana", "Ben", "Sam"]
    assert all(line.endswith("(Home Care)") for line in listed.splitlines())


def test_an_action_from_the_command_line_is_queued_and_audited(
        database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_joined(database, Role.PERSON, "Sam", service_id=1))
    asyncio.run(_joined(database, Role.CARER, "Jo", service_id=1))
    status, out, _ = run(capsys, "action", "add", "--service", "1", "--theme", "punctuality",
                         "--did", "We now text you if we will be late.")
    assert status == 0 and "it goes to 2 people" in out
    _, audit, _ = run(capsys, "audit", "--days", "1")
    assert "action recorded" in audit and "We now text you if we will be late." in audit
