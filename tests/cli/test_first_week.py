"""docs/deploy.md's first week of a council, run as written: every `carebot` command in
its section 3, in order, on a temporary folder, with what people do in Telegram between
them (the `<!-- walk: ... -->` marks) done as the bot would record it. A command the
docs show that fails, or a doc that drifts from what the commands do, fails here."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import shlex
import shutil
import tomllib
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

import pypdf
import pytest

from carebot.cli.main import main
from carebot.settings.clock import SystemClock
from carebot.storage import directory
from carebot.storage.db import Database, open_database
from carebot.storage.invites import waiting_invites
from carebot.storage.models import PersonStatus
from tests.helpers import REPO

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9"
PEOPLE_WHO_JOIN = 150  # of the 200 in the sheet: the other 50 get a reminder


def _walk() -> list[tuple[str, str]]:
    """Section 3's steps in order: ("run", a command line) or ("do", what people do)."""
    text = (REPO / "docs/deploy.md").read_text(encoding="utf-8")
    section = text.split("## 3. ", 1)[1].split("\n## 4. ", 1)[0]
    steps: list[tuple[str, str]] = []
    for block in re.finditer(r"```sh\n(.*?)```|<!-- walk: (.*?) -->", section, re.S):
        if block.group(2):
            steps.append(("do", block.group(2)))
            continue
        steps += [("run", line.split("  #")[0].strip())
                  for line in block.group(1).splitlines() if line.startswith("carebot ")]
    return steps


async def _join(db: Database, how_many: int | None) -> None:
    """The waiting invites used in the order they were made, and each person says yes."""
    now = SystemClock().now()
    waiting = await waiting_invites(db, now)
    for n, invite in enumerate(waiting[:how_many]):
        user = 10_000 + int(await db.scalar("SELECT COUNT(*) FROM people")) + n
        person = await directory.enrol_from_invite(
            db, code=invite.code, telegram_user_id=user, chat_id=user,
            fallback_name="someone", now=now)
        assert person is not None
        await directory.set_person_status(db, person.id, PersonStatus.ACTIVE, now)


def _settings_in_the_docs() -> dict[str, str]:
    """The section's TOML settings, as the council sets them."""
    section = (REPO / "docs/deploy.md").read_text(encoding="utf-8").split("## 3. ", 1)[1]
    block = section.split("```toml\n", 1)[1].split("```", 1)[0]
    return {name: str(value) for name, value in tomllib.loads(block)["carebot"].items()}


DONE_IN_TELEGRAM: dict[str, Callable[[Database], Coroutine[Any, Any, None]]] = {
    "the staff join": lambda db: _join(db, None),
    "most people join": lambda db: _join(db, PEOPLE_WHO_JOIN),
}


def _do(database: Path, what: str) -> None:
    async def in_telegram() -> None:
        db = await open_database(database)
        try:
            await DONE_IN_TELEGRAM[what](db)
        finally:
            await db.close()
    asyncio.run(in_telegram())


def test_the_first_week_runs_as_the_docs_say(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    shutil.copytree(REPO / "docs/examples", tmp_path / "docs/examples")
    monkeypatch.chdir(tmp_path)
    database = tmp_path / "data" / "carebot.sqlite3"
    for name, value in (("DATABASE", str(database)), ("OUTPUT_DIR", "reports"),
                        ("BACKUP_DIR", "nightly"), ("TOKEN", TOKEN),
                        ("BOT_USERNAME", "northshire_care_bot")):
        monkeypatch.setenv(f"CAREBOT_{name}", value)
    for name, value in _settings_in_the_docs().items():
        monkeypatch.setenv(f"CAREBOT_{name.upper()}", value)
    said: dict[str, str] = {}
    checks = []
    for kind, step in _walk():
        if kind == "do":
            _do(database, step)
            continue
        status = main(shlex.split(step)[1:])
        out, err = capsys.readouterr()
        said[step] = out
        if step == "carebot check":
            checks.append(status)
            continue
        assert status == 0, f"{step}: {err}"
    assert checks == [1, 0]  # day 1: what is missing; day 2: nothing stands in the way

    staff = pypdf.PdfReader(tmp_path / "staff-letters.pdf").pages
    people = pypdf.PdfReader(tmp_path / "people-letters.pdf").pages
    reminders = pypdf.PdfReader(tmp_path / "reminder-letters.pdf").pages
    assert (len(staff), len(people), len(reminders)) == (9, 200, 200 - PEOPLE_WHO_JOIN)
    assert len(said["carebot invite list --waiting"].splitlines()) == 200 - PEOPLE_WHO_JOIN
    assert "Northshire County Council: digest written to" in said["carebot digest --council 1"]
    assert list((tmp_path / "backups").glob("carebot-*.sqlite3"))
    audit = list(csv.DictReader(io.StringIO(
        said["carebot audit --days 7 --format csv"].lstrip("\ufeff"))))
    removed = [row for row in audit if row["what"] == "carebot people remove"]
    assert [row["about"] for row in removed] == ["Ben Okafor"]
    assert "Dan Webb takes over" in said["carebot people remove --person 2 --hand-to 4"]
    assert "backup for Home Care North" in said["carebot people remove --person 2 --hand-to 4"]
