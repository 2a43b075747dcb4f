"""The `carebot` command: every subcommand is documented, and the admin's set-up works."""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from carebot.cli.arguments import parser
from carebot.cli.main import main
from carebot.settings.clock import SystemClock
from carebot.storage import directory
from carebot.storage.db import open_database
from carebot.storage.models import PersonStatus, Role
from carebot.storage.schema import latest_schema_version
from tests.helpers import REPO

ROOT = REPO


def _subcommands() -> list[str]:
    actions = [a for a in parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_readme_documents_every_subcommand() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [c for c in _subcommands() if f"`carebot {c}" not in readme]
    assert missing == []


def test_readme_opens_with_the_two_commands() -> None:
    opening = (ROOT / "README.md").read_text(encoding="utf-8")[:300]
    assert "make demo" in opening and "make test" in opening


def test_admin_sets_up_a_service_and_an_invite(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREBOT_DATABASE", str(tmp_path / "admin.sqlite3"))
    assert main(["migrate"]) == 0
    assert main(["add-organisation", "--kind", "council", "--name", "Northshire"]) == 0
    assert main(["add-organisation", "--kind", "provider", "--name", "Sunrise"]) == 0
    assert main(["add-service", "--council", "1", "--provider", "2", "--name", "Home Care",
                 "--kind", "home care"]) == 0
    assert main(["invite", "--role", "duty_contact", "--service", "1", "--name", "Dana"]) == 0
    out = capsys.readouterr().out
    assert f"schema version {latest_schema_version()}" in out
    assert "Service 'Home Care' has id 1." in out
    code = out.split("Invite code: ")[1].split()[0]
    assert len(code) == 8


async def _enrol_commissioner(database: Path, user: int = 1) -> None:
    db = await open_database(database)
    try:
        now = SystemClock().now()
        code = await directory.create_invite(db, role=Role.COMMISSIONER, now=now,
                                              organisation_id=1)
        person = await directory.enrol_from_invite(db, code=code, telegram_user_id=user,
                                                   chat_id=user, fallback_name="Alex", now=now)
        assert person is not None
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, now)
    finally:
        await db.close()


def test_digest_command_writes_files(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CAREBOT_DATABASE", str(tmp_path / "admin.sqlite3"))
    monkeypatch.setenv("CAREBOT_OUTPUT_DIR", str(tmp_path / "out"))
    assert main(["add-organisation", "--kind", "council", "--name", "Northshire"]) == 0
    for user in (1, 2):  # two commissioners of one council read the same digest
        asyncio.run(_enrol_commissioner(tmp_path / "admin.sqlite3", user))
    capsys.readouterr()
    assert main(["digest"]) == 0
    out = capsys.readouterr().out
    assert out.count("Northshire: digest written to") == 1, out
    assert len(list((tmp_path / "out").glob("digest-1-*.html"))) == 1
    assert main(["digest", "--council", "1", "--from", "2/11/2026", "--to", "8 Nov 2026"]) == 0
    assert (tmp_path / "out" / "digest-1-2026-11-02-7d.html").exists()


def test_people_piped_to_head_stops_quietly(tmp_path: Path) -> None:
    """`carebot invite list | head -1`: the reader stops, and carebot says nothing."""
    env = {"CAREBOT_DATABASE": str(tmp_path / "x.sqlite3"), "PATH": os.environ["PATH"]}
    command = [sys.executable, "-m", "carebot.cli.main"]
    for argv in (["add-organisation", "--kind", "council", "--name", "N"],
                 ["add-organisation", "--kind", "provider", "--name", "P"],
                 ["add-service", "--council", "1", "--provider", "2", "--name", "S",
                  "--kind", "k"]):
        subprocess.run([*command, *argv], env=env, cwd=ROOT, check=True, timeout=60,
                       capture_output=True)
    for _ in range(3):
        subprocess.run([*command, "invite", "--role", "duty_contact", "--service", "1"], env=env,
                       cwd=ROOT, check=True, timeout=60, capture_output=True)
    listing = subprocess.Popen([*command, "invite", "list"], env=env, cwd=ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert listing.stdout is not None and listing.stderr is not None
    listing.stdout.close()  # as head does once it has its line
    status, said = listing.wait(timeout=60), listing.stderr.read().decode()
    assert (status, said) == (0, ""), said


def test_run_without_a_token_says_what_to_do(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "carebot.cli.main", "run"], capture_output=True, text=True,
        env={"CAREBOT_DATABASE": str(tmp_path / "x.sqlite3"), "PATH": ""}, cwd=ROOT,
        timeout=60, check=False)
    assert result.returncode == 2 and "CAREBOT_TOKEN" in result.stderr


@pytest.mark.parametrize(("make", "says"), [
    (lambda folder: folder / "not-a-folder" / "carebot.sqlite3", "Not a directory"),
    (lambda folder: folder / "garbage.sqlite3", "the database could not be used"),
])
def test_a_database_that_cannot_be_used_is_one_clear_line(
        tmp_path: Path, make: Callable[[Path], Path], says: str) -> None:
    (tmp_path / "not-a-folder").write_text("a file, not a folder")
    (tmp_path / "garbage.sqlite3").write_bytes(b"this is not a database" * 100)
    done = subprocess.run(
        [sys.executable, "-m", "carebot.cli.main", "migrate"], capture_output=True, text=True,
        env={"CAREBOT_DATABASE": str(make(tmp_path)), "PATH": ""}, cwd=ROOT, timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and says in done.stderr and "Traceback" not in done.stderr
