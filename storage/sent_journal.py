"""What was sent since the last backup. A backup is the database at one moment; restored,
it would send again every message that went after that moment. So each message Telegram
takes is also written as one line to a journal beside the backups (ids and times, never
words), and a restore marks those messages sent: a restored bot finishes a send-out
without sending anything twice. One file a day, readable by the service only, pruned
with the nightly backups."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

from carebot.storage.models import CheckInStatus, OutboxStatus, Purpose
from carebot.storage.private_files import FILE_MODE, private_folder

JOURNAL_FILE = re.compile(r"sent-(\d{4}-\d{2}-\d{2})\.jsonl")


@dataclass(frozen=True)
class SentLine:
    """One message Telegram took: enough to find its outbox row again, and what sending
    it wrote besides (the message id; a check-in's hello marks the check-in sent)."""

    outbox_id: int
    chat_id: int
    created_at: str  # the row's own, so that a reused id is never taken for it
    purpose: str
    checkin_id: int | None
    message_id: int
    sent_at: str
    # The issue and alert references the message named (CB-1042, A-12): ids, not words,
    # so that a restore never gives a reference someone holds to a new issue.
    references: list[str] = field(default_factory=list)


def journal_name(day: date) -> str:
    return f"sent-{day.isoformat()}.jsonl"


class SentJournal:
    """Appends lines to the day's file; each line is one write, so a crash leaves at most
    a torn last line, which reading skips.

    Sends finish in several threads at once. One lock keeps a thread from closing the
    day's file while another writes to it: the line would be lost, or (the descriptor's
    number reused meanwhile, perhaps by the database) written into another file."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._open: tuple[str, int] | None = None  # the day's file name and descriptor
        self._lock = threading.Lock()

    def record(self, line: SentLine) -> None:
        name = journal_name(date.fromisoformat(line.sent_at[:10]))
        with self._lock:
            if self._open is None or self._open[0] != name:
                self._close()
                private_folder(self.folder)
                descriptor = os.open(self.folder / name,
                                     os.O_WRONLY | os.O_APPEND | os.O_CREAT, FILE_MODE)
                self._open = (name, descriptor)
            os.write(self._open[1], (json.dumps(asdict(line)) + "\n").encode())

    def close(self) -> None:
        with self._lock:
            self._close()

    def _close(self) -> None:
        if self._open is not None:
            os.close(self._open[1])
            self._open = None


def read_journal(folder: Path) -> Iterator[SentLine]:
    """Every whole line in the folder's journal files, oldest file first."""
    if not folder.is_dir():
        return
    for path in sorted(p for p in folder.iterdir() if JOURNAL_FILE.fullmatch(p.name)):
        with path.open(encoding="utf-8") as lines:
            for text in lines:
                try:
                    yield SentLine(**json.loads(text))
                except (ValueError, TypeError):
                    continue  # a line torn by a crash (or not ours): nothing to mark


@dataclass(frozen=True)
class JournalRead:
    marked_sent: int  # messages in the backup, waiting there, that the journal says went
    not_in_backup: int  # messages that went but were queued after the backup was taken


def mark_journal_sent(conn: sqlite3.Connection, lines: Iterable[SentLine]) -> JournalRead:
    """Mark sent the outbox rows the journal says went, as the bot itself would have
    (with the check-in a hello opened), and count the lines the backup knows nothing of."""
    marked = unknown = 0
    with conn:
        for line in lines:
            same_row = (line.outbox_id, line.chat_id, line.created_at)
            cursor = conn.execute(
                "UPDATE outbox SET status = ?, sent_at = ?, message_id = ?, error = NULL "
                "WHERE id = ? AND chat_id = ? AND created_at = ? AND status IN (?, ?)",
                (OutboxStatus.SENT, line.sent_at, line.message_id, *same_row,
                 OutboxStatus.PENDING, OutboxStatus.SENDING))
            if not cursor.rowcount:
                unknown += conn.execute(
                    "SELECT 1 FROM outbox WHERE id = ? AND chat_id = ? AND created_at = ?",
                    same_row).fetchone() is None
                continue
            marked += 1
            if line.purpose == Purpose.CHECKIN_START and line.checkin_id is not None:
                conn.execute(
                    "UPDATE checkins SET status = ?, sent_at = ?, message_id = ? "
                    "WHERE id = ? AND status = ?",
                    (CheckInStatus.SENT, line.sent_at, line.message_id, line.checkin_id,
                     CheckInStatus.QUEUED))
    return JournalRead(marked, unknown)


def prune_journal(folder: Path, keep_from: date) -> list[Path]:
    """Remove the journal's days before `keep_from`: no kept backup needs them."""
    if not folder.is_dir():
        return []
    gone = [path for path in folder.iterdir()
            if (day := JOURNAL_FILE.fullmatch(path.name))
            and date.fromisoformat(day.group(1)) < keep_from]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone
