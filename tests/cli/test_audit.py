"""The audit log holds every admin command that worked (who ran it, about whom, by name)
beside what staff did, reads as text, CSV or JSON, names nobody who asked to be
forgotten, and cannot be changed: a change or a delete is refused by the database."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import sqlite3
from pathlib import Path

import pytest

from carebot.settings.clock import SystemClock
from carebot.storage import personal_data
from carebot.storage.db import open_database
from carebot.storage.models import Role
from tests.cli.test_admin import _joined, database, run

__all__ = ["database"]  # the fixture, shared with test_admin


@pytest.fixture
def named_duty(database: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> int:
    monkeypatch.setenv("SUDO_USER", "alice")
    duty = asyncio.run(_joined(database, Role.DUTY_CONTACT, "Dee Rowe", service_id=1))
    assert run(capsys, "services", "set-duty-contact", "--service", "1", "--person",
               str(duty))[0] == 0
    assert run(capsys, "invite", "--role", "person", "--service", "1", "--name",
               "Mrs Khan")[0] == 0
    assert run(capsys, "invite", "--role", "person")[0] == 2  # refused: not kept
    return duty


def test_admin_commands_are_kept_with_who_and_names(
        named_duty: int, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "audit", "--days", "1")
    assert status == 0
    lines = [line.split("  ", 1)[1] for line in out.splitlines()]
    assert [line.split(": ", 1)[1] for line in lines[:3]] == [
        "carebot add-organisation  --kind council --name Northshire",
        "carebot add-organisation  --kind provider --name Sunrise",
        "carebot add-service Northshire  --provider 2 --name 'Home Care' --kind 'home care'"]
    assert lines[3:] == [
        "admin alice: carebot services set-duty-contact Dee Rowe  at Home Care",
        "admin alice: carebot invite  at Home Care  --role person"]
    assert "Mrs Khan" not in out  # a name typed for an invite is not kept
    _, again, _ = run(capsys, "audit", "--days", "1")
    assert "admin alice: carebot audit  --days 1" in again  # who read it, as they typed it


def test_the_audit_as_csv_and_json(named_duty: int, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(capsys, "audit", "--format", "csv")
    assert status == 0 and out.startswith("\ufeffat,who,what,about,service,note")
    rows = list(csv.DictReader(io.StringIO(out.lstrip("\ufeff"))))
    named = [r for r in rows if r["what"] == "carebot services set-duty-contact"]
    assert [(r["who"], r["about"], r["service"]) for r in named] == [
        ("admin alice", "Dee Rowe", "Home Care")]
    _, out, _ = run(capsys, "audit", "--format", "json")
    first = json.loads(out.splitlines()[0])
    assert first["what"] == "carebot add-organisation" and first["note"] == (
        "--kind council --name Northshire")
    assert set(first) == {"at", "who", "what", "about", "service", "note"}


def test_the_audit_cannot_be_changed_and_forgets_names(
        database: Path, named_duty: int, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(database) as conn:
        for change in ("UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"):
            with pytest.raises(sqlite3.IntegrityError, match="cannot be changed"):
                conn.execute(change)

    async def forget() -> None:
        db = await open_database(database)
        try:
            await personal_data.forget(db, named_duty, SystemClock().now())
        finally:
            await db.close()

    asyncio.run(forget())
    _, out, _ = run(capsys, "audit")
    assert "Dee Rowe" not in out and "carebot services set-duty-contact (forgotten)" in out
