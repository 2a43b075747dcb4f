"""An admin's commands with the database on PostgreSQL, run as typed: the tables are made
and used; a file's backup and restore say plainly that the server's own tools own them;
`carebot check` reads the schema without making it, and says in one line when the server
cannot be reached; a second bot on the same database and schema is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from carebot.cli.main import main
from carebot.settings.config import Config, SettingsError
from carebot.storage.running_lock import DatabaseInUseError, hold
from tests.engines import postgresql_schema


@pytest.fixture
def address(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    made = postgresql_schema()
    monkeypatch.setenv("CAREBOT_DATABASE", made)
    monkeypatch.setenv("CAREBOT_OUTPUT_DIR", str(tmp_path))
    return made


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_the_database_setting_takes_a_file_or_a_postgresql_address() -> None:
    read = Config.load(environ={"CAREBOT_DATABASE": "postgresql://carebot@db.example/carebot"})
    assert read.database == "postgresql://carebot@db.example/carebot"
    assert read.database_file is None
    assert Config.load(environ={"CAREBOT_DATABASE": "data/c.sqlite3"}).database_file == Path(
        "data/c.sqlite3")
    with pytest.raises(SettingsError, match="postgresql:// address, not mysql://"):
        Config.load(environ={"CAREBOT_DATABASE": "mysql://db.example/carebot"})


def test_commands_work_on_the_server_and_backups_are_its_own(
        address: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "check")
    assert status == 1 and "There is no database at postgresql://" in out
    assert _run(capsys, "migrate")[0] == 0
    assert _run(capsys, "add-organisation", "--kind", "council", "--name", "Northshire")[0] == 0
    status, out, _ = _run(capsys, "organisations")
    assert status == 0 and "Northshire" in out
    for command in (["backup", f"{tmp_path}/"], ["restore", str(tmp_path / "x.sqlite3")]):
        status, _, err = _run(capsys, *command)
        assert status == 2 and "on PostgreSQL" in err and "pg_dump" in err
        assert err.count("\n") == 1
    assert not list(tmp_path.glob("*.sqlite3"))


def test_a_server_that_cannot_be_reached_is_one_line(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CAREBOT_DATABASE", "postgresql://127.0.0.1:9/carebot")
    monkeypatch.setenv("CAREBOT_OUTPUT_DIR", str(tmp_path))
    status, out, _ = _run(capsys, "check")
    assert status == 1 and "cannot be reached" in out and "the address is right" in out


def test_one_bot_per_database_and_schema(address: str) -> None:
    first = hold(address)
    try:
        with pytest.raises(DatabaseInUseError, match="in use by a running carebot"):
            hold(address)
        other = hold(postgresql_schema())  # another schema is another database
        other.release()
    finally:
        first.release()
    hold(address).release()  # let go of, it can be taken again
