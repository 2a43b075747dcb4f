"""`carebot demo --output DIR` never deletes a file it did not write: it refuses a folder
that holds other files and no marker of its own, and in its own folder deletes only the
files it listed there, unchanged since."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from carebot.cli.main import main
from carebot.demo.folder import MARKER, FolderRefusedError, prepare, record

# Files as the demo writes them (names from a real run), inside its folder.
DEMO_FILES = ("carebot-demo.sqlite3", "carebot-demo.sqlite3.lock", "transcript.md",
              "digest-1-2026-11-16-7d.html", "digest-1-2026-11-16-7d.csv",
              "pack-2-2026-11-02.pdf", "backups/carebot-2026-11-23.sqlite3",
              "backups/sent/sent-2026-11-23.jsonl")


def _a_demo_writes(folder: Path, words: str = "run 1") -> None:
    """What a demo run leaves: prepare, its files, record."""
    kept = prepare(folder)
    for inside in DEMO_FILES:
        path = folder / inside
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{words}: {inside}", encoding="utf-8")
    record(folder, kept)


def _everything(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


def test_a_new_folder_is_made_and_marked_then_emptied_only_of_the_demos_files(
        tmp_path: Path) -> None:
    folder = tmp_path / "demo-output"
    _a_demo_writes(folder)
    assert (folder / MARKER).is_file()
    assert set(json.loads((folder / MARKER).read_text(encoding="utf-8"))["files"]) == set(
        DEMO_FILES)
    (folder / "my notes.txt").write_text("mine", encoding="utf-8")
    (folder / "backups" / "keep me.txt").write_text("mine too", encoding="utf-8")
    _a_demo_writes(folder, "run 2")
    _a_demo_writes(folder, "run 3")  # and again: `make demo` works every time
    assert (folder / "my notes.txt").read_text(encoding="utf-8") == "mine"
    assert (folder / "backups" / "keep me.txt").read_text(encoding="utf-8") == "mine too"
    assert (folder / "transcript.md").read_text(encoding="utf-8") == "run 3: transcript.md"
    assert _everything(folder) == {*DEMO_FILES, MARKER, "backups", "backups/sent",
                                   "my notes.txt", "backups/keep me.txt"}


def test_an_empty_folder_is_taken_as_the_demos(tmp_path: Path) -> None:
    folder = tmp_path / "empty"
    folder.mkdir()
    _a_demo_writes(folder)
    _a_demo_writes(folder, "run 2")
    assert (folder / "transcript.md").read_text(encoding="utf-8") == "run 2: transcript.md"


def test_a_folder_with_files_the_demo_did_not_make_is_refused(tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_text("two years of work", encoding="utf-8")
    (tmp_path / "transcript.md").write_text("my own transcript", encoding="utf-8")
    with pytest.raises(FolderRefusedError):
        prepare(tmp_path)
    assert _everything(tmp_path) == {"thesis.docx", "transcript.md"}


def test_carebot_demo_refuses_in_one_line_and_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "thesis.docx").write_text("two years of work", encoding="utf-8")
    assert main(["demo", "--output", str(tmp_path)]) == 2
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.count("\n") == 1
    assert printed.err.startswith("carebot demo: will not write into a folder that holds "
                                  "files it did not make")
    assert f"({tmp_path})." in printed.err
    assert _everything(tmp_path) == {"thesis.docx"}


def test_an_older_demos_folder_is_named_as_such_and_left_alone(tmp_path: Path) -> None:
    """Demos before the marker left none: their folder is refused (deleting nothing),
    with a line saying what it is and what to do."""
    for inside in ("carebot-demo.sqlite3", "transcript.md", "my notes.txt"):
        (tmp_path / inside).write_text("old", encoding="utf-8")
    with pytest.raises(FolderRefusedError, match=r"older demo.*delete it yourself once"):
        prepare(tmp_path)
    assert _everything(tmp_path) == {"carebot-demo.sqlite3", "transcript.md", "my notes.txt"}


def test_a_demo_file_changed_since_is_not_deleted(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    _a_demo_writes(folder)
    (folder / "transcript.md").write_text("I wrote my notes in here", encoding="utf-8")
    with pytest.raises(FolderRefusedError, match="changed since") as refused:
        prepare(folder)
    assert refused.value.filename == str(folder / "transcript.md")
    assert _everything(folder) == {*DEMO_FILES, MARKER, "backups", "backups/sent"}
    assert (folder / "transcript.md").read_text(encoding="utf-8") == "I wrote my notes in here"


def test_a_file_the_demo_would_write_over_is_refused(tmp_path: Path) -> None:
    """In the demo's own folder, a file named like one of its own that it did not list
    (put there since, or left by a demo that was killed) stops it, before it deletes
    anything."""
    folder = tmp_path / "out"
    _a_demo_writes(folder)
    (folder / "digest-1-2026-11-23-7d.html").write_text("not the demo's", encoding="utf-8")
    with pytest.raises(FolderRefusedError, match="write over") as refused:
        prepare(folder)
    assert refused.value.filename == str(folder / "digest-1-2026-11-23-7d.html")
    assert (folder / "transcript.md").exists()


def test_a_marker_that_cannot_be_read_deletes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    _a_demo_writes(folder)
    (folder / MARKER).write_text("{not json", encoding="utf-8")
    with pytest.raises(FolderRefusedError, match="cannot be read"):
        prepare(folder)
    assert _everything(folder) == {*DEMO_FILES, MARKER, "backups", "backups/sent"}


def test_a_listed_path_through_a_link_is_not_followed(tmp_path: Path) -> None:
    """A marker naming a file behind a symbolic link (to a folder elsewhere) deletes
    nothing there: the demo deletes only what it finds inside its own folder."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "precious.txt").write_text("mine", encoding="utf-8")
    folder = tmp_path / "out"
    _a_demo_writes(folder)
    os.symlink(elsewhere, folder / "backups" / "link")
    marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    size, mtime = (elsewhere / "precious.txt").stat().st_size, (
        elsewhere / "precious.txt").stat().st_mtime_ns
    marker["files"]["backups/link/precious.txt"] = [size, mtime]
    (folder / MARKER).write_text(json.dumps(marker), encoding="utf-8")
    prepare(folder)
    assert (elsewhere / "precious.txt").read_text(encoding="utf-8") == "mine"


def test_a_file_given_as_the_folder_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "demo-output"
    file.write_text("not a folder", encoding="utf-8")
    with pytest.raises(FolderRefusedError, match="not a folder"):
        prepare(file)
    assert file.read_text(encoding="utf-8") == "not a folder"
