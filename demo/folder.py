"""The demo's output folder. The demo never deletes a file it did not write.

A folder the demo makes (or finds empty) gets a marker file. When a demo ends, the marker
lists each file it wrote there, with its size and time. The next demo into that folder
deletes exactly those files, and only if they are unchanged. Anything else is left alone:
a folder that holds other files and no marker is refused, and so is one where a file of
the demo's would be written over.
"""

from __future__ import annotations

import errno
import json
import os
import stat
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

from carebot.storage.private_files import private_folder, write_private

MARKER = ".carebot-demo.json"
# Every file and folder the demo writes, as paths inside its folder. A file the demo
# writes that is not named here is neither recorded nor deleted (a test checks the list).
OWN_FILES = ("carebot-demo.sqlite3*", "transcript.md", "digest-*.html", "digest-*.csv",
             "pack-*.pdf", "backups/carebot-*.sqlite3", "backups/.carebot-*.partial-*",
             "backups/sent/sent-*.jsonl")
OWN_FOLDERS = ("backups", "backups/sent")
NOT_OURS = ("will not write into a folder that holds files it did not make, so nothing "
            "there is lost: choose a new or empty one with --output")
OLDER_DEMO = ("this looks like the folder of an older demo, which left no list of what it "
              "wrote, so nothing is deleted: delete it yourself once, or choose another "
              "folder with --output")
CHANGED = ("a file the demo wrote has been changed since, so it is not deleted: "
           "move it away, or choose another folder with --output")
IN_THE_WAY = ("will not write over a file it did not write (perhaps left by a demo that "
              "was stopped): move it away, or choose another folder with --output")
NOT_A_FOLDER = "this is not a folder: choose a folder with --output"
UNREADABLE = ("the demo's marker in this folder cannot be read, so nothing is deleted: "
              "choose another folder with --output")


class FolderRefusedError(FileExistsError):
    """The demo will not use this folder: why, in one line, and the path."""

    def __init__(self, why: str, path: Path) -> None:
        super().__init__(errno.EEXIST, why, str(path))


@dataclass
class Written:
    """What the last demo wrote in its folder: files (with size and modification time,
    in nanoseconds) and folders, as paths inside it."""

    files: dict[str, tuple[int, int]] = field(default_factory=dict)
    folders: list[str] = field(default_factory=list)


def _everything(folder: Path) -> dict[str, os.stat_result]:
    """Every file and folder below `folder` (symbolic links not followed), by its path
    inside it, with what lstat says; the marker aside."""
    found = {}
    for top, folders, files in os.walk(folder):
        for name in folders + files:
            path = Path(top, name)
            inside = path.relative_to(folder).as_posix()
            if not inside.startswith(MARKER):
                found[inside] = path.lstat()
    return found


def _own_file(inside: str) -> bool:
    return any(fnmatchcase(inside, pattern) for pattern in OWN_FILES)


def _read(marker: Path) -> Written:
    try:
        raw = json.loads(marker.read_text(encoding="utf-8"))
        return Written({str(k): (int(v[0]), int(v[1])) for k, v in raw["files"].items()},
                       [str(f) for f in raw["folders"]])
    except (OSError, ValueError, KeyError, TypeError, IndexError) as error:
        raise FolderRefusedError(UNREADABLE, marker) from error


def _write(folder: Path, written: Written) -> None:
    """The marker, replaced whole, so that it is never half written."""
    fresh = folder / f"{MARKER}.new"
    write_private(fresh, json.dumps({"made_by": "carebot demo", "files": written.files,
                                     "folders": written.folders}, indent=1))
    os.replace(fresh, folder / MARKER)


def prepare(folder: Path) -> set[str]:
    """Make `folder` ready for the demo: made (and marked) if missing or empty; else,
    if the last demo made it, emptied of what that demo wrote. Returns what is left in
    it (paths inside it), which is not the demo's. Raises FolderRefusedError, deleting
    nothing, for a folder that is not the demo's or where one of its files would be
    written over."""
    if folder.exists() and not folder.is_dir():
        raise FolderRefusedError(NOT_A_FOLDER, folder)
    if not folder.exists():
        private_folder(folder)
        _write(folder, Written())
        return set()
    there, marker = _everything(folder), folder / MARKER
    if not marker.is_file():
        if "carebot-demo.sqlite3" in there:
            raise FolderRefusedError(OLDER_DEMO, folder)
        if there:
            raise FolderRefusedError(NOT_OURS, folder)
        _write(folder, Written())
        return set()
    last = _read(marker)
    for inside, (size, mtime) in sorted(last.files.items()):
        now = there.get(inside)
        if now is not None and (not stat.S_ISREG(now.st_mode)
                                or (now.st_size, now.st_mtime_ns) != (size, mtime)):
            raise FolderRefusedError(CHANGED, folder / inside)
    for inside, found in sorted(there.items()):
        if inside not in last.files and _own_file(inside) and not stat.S_ISDIR(found.st_mode):
            raise FolderRefusedError(IN_THE_WAY, folder / inside)
    ours = [inside for inside in last.files if inside in there]  # found by the walk: inside
    for inside in ours:
        (folder / inside).unlink()
    emptied = set(ours)
    for inside in sorted(last.folders, key=lambda f: f.count("/"), reverse=True):
        if inside in there and stat.S_ISDIR(there[inside].st_mode):
            try:
                (folder / inside).rmdir()
                emptied.add(inside)
            except OSError:  # something of someone else's is in it: it stays
                pass
    _write(folder, Written())
    return set(there) - emptied


def record(folder: Path, kept: set[str]) -> None:
    """List in the marker each file and folder of the demo's now in `folder`, other than
    those that were there before it began (`kept`)."""
    written = Written()
    for inside, found in sorted(_everything(folder).items()):
        if inside in kept:
            continue
        if stat.S_ISREG(found.st_mode) and _own_file(inside):
            written.files[inside] = (found.st_size, found.st_mtime_ns)
        elif stat.S_ISDIR(found.st_mode) and inside in OWN_FOLDERS:
            written.folders.append(inside)
    _write(folder, written)
