"""An operator's commands beside the bot, run as typed: a backup into a folder gets a
dated, checked file; a restore refuses a database with newer rows until --force, and
keeps it aside; nothing is restored under a running bot; retention's dry run says how
many records would lose their words and changes nothing."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from carebot.cli.main import main
from carebot.storage.running_lock import hold


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "live" / "carebot.sqlite3"
    monkeypatch.setenv("CAREBOT_DATABASE", str(path))
    assert main(["add-organisation", "--kind", "council", "--name", "Northshire"]) == 0
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def _councils(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM organisations").fetchone()[0])


def test_backup_then_restore_over_newer_rows_only_with_force(
        database: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "backups" / "not made yet"
    status, said, _ = _run(capsys, "backup", f"{folder}/")
    assert status == 0 and "checked" in said
    (copy,) = folder.glob("carebot-*Z.sqlite3")
    assert _run(capsys, "backup", str(folder))[0] == 0  # the same second: another name
    assert len(list(folder.iterdir())) == 2
    assert main(["add-organisation", "--kind", "council", "--name", "Later"]) == 0

    status, _, err = _run(capsys, "restore", str(copy))
    assert status == 2 and "1 council or provider added" in err and "add --force" in err
    assert err.count("\n") == 1
    assert _councils(database) == 2  # untouched
    status, said, _ = _run(capsys, "restore", str(copy), "--force")
    assert status == 0 and "kept at" in said
    assert "Not in the backup, so gone from the bot (kept in the copy above): 1 council" in said
    assert _councils(database) == 1
    (kept,) = database.parent.glob("carebot.sqlite3.before-restore-*")
    assert _councils(kept) == 2  # what the restore replaced is not lost


def test_a_backup_to_a_file_never_overwrites(database: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "backup", str(tmp_path / "copy.sqlite3"))[0] == 0
    status, out, err = _run(capsys, "backup", str(tmp_path / "copy.sqlite3"))
    assert (status, out) == (2, "") and "already exists. Give a folder" in err


def test_no_restore_under_a_running_bot(database: Path, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", str(tmp_path / "copy.sqlite3")]) == 0
    running = hold(database)
    try:
        status, _, err = _run(capsys, "restore", str(tmp_path / "copy.sqlite3"), "--force")
    finally:
        running.release()
    assert status == 2 and "in use by a running carebot" in err and "Stop the bot" in err


def test_retention_dry_run_says_how_many_and_changes_nothing(
        database: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with sqlite3.connect(database) as conn:
        conn.execute("INSERT INTO outbox (chat_id, purpose, text, status, not_before, "
                     "created_at) VALUES (5, 'talk_request', 'Hello Sam', 'sent', "
                     "'2020-01-01T00:00:00.000000Z', '2020-01-01T00:00:00.000000Z')")
    status, said, _ = _run(capsys, "retention", "--dry-run")
    assert status == 0 and "would lose their words" in said and "messages sent: 1" in said
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT text FROM outbox").fetchone()[0] == "Hello Sam"
    status, said, _ = _run(capsys, "retention")
    assert status == 0 and "messages sent: 1" in said
    with sqlite3.connect(database) as conn:
        assert conn.execute("SELECT text FROM outbox").fetchone()[0] is None
