"""`carebot tag IN OUT`: tag feedback that came by other routes (paper surveys, emails).

IN is .csv (a text column, an optional id column) or .jsonl (objects with "text" and an
optional "id"); OUT is .csv or .jsonl by its extension. Rows stream through one at a time,
so a million rows need no more memory than a thousand. Every row in gives one row out:
a row that cannot be read (bad UTF-8, bad JSON, no text) is tagged as empty, its problem
is written in the `error` column, and stderr says which line it was.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from understanding.tagger import MAX_TEXT, Tagger, Tags, default_tagger

FIELDS = ("id", "sentiment", "polarity", "themes", "risk", "evidence", "error")
PROGRESS_EVERY = 2000
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class Row:
    line: int
    id: str | None
    text: str
    error: str | None = None


class _CountingFile(io.RawIOBase):
    """The bytes read so far, for the progress bar."""

    def __init__(self, raw: IO[bytes]) -> None:
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def _clean(line: int, row_id: str | None, text: Any) -> Row:
    if not isinstance(text, str) or not text.strip():
        return Row(line, row_id, "", "no text")
    if any("\udc80" <= ch <= "\udcff" for ch in text):  # bytes that were not UTF-8
        return Row(line, row_id, "", "text is not valid UTF-8")
    if len(text) > MAX_TEXT:
        return Row(line, row_id, text, f"longer than {MAX_TEXT} characters: "
                                       "tagged on its opening part")
    return Row(line, row_id, text)


def read_csv(handle: IO[str], text_column: str, id_column: str) -> Iterator[Row]:
    reader = csv.DictReader(handle)
    if reader.fieldnames is None or text_column not in reader.fieldnames:
        raise ValueError(f"no column named {text_column!r} (columns: {reader.fieldnames})")
    for record in reader:
        row_id = record.get(id_column)
        yield _clean(reader.line_num, row_id, record.get(text_column))


def read_jsonl(handle: IO[str], text_field: str, id_field: str) -> Iterator[Row]:
    for number, line in enumerate(handle, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            yield Row(number, None, "", "line is not valid JSON")
            continue
        if not isinstance(record, dict):
            yield Row(number, None, "", "line is not a JSON object")
            continue
        row_id = record.get(id_field)
        yield _clean(number, None if row_id is None else str(row_id), record.get(text_field))


def tagged_row(row: Row, tags: Tags) -> dict[str, Any]:
    evidence = {
        "sentiment": list(tags.evidence.get("sentiment", ())),
        "themes": {t.id: list(t.evidence) for t in tags.themes},
        "risk": [*tags.risk_reasons, *tags.evidence.get("risk", ())],
    }
    return {"id": row.id, "sentiment": tags.sentiment, "polarity": tags.polarity,
            "themes": list(tags.theme_ids), "risk": tags.risk, "evidence": evidence,
            "error": row.error}


class _Writer:
    def __init__(self, handle: IO[str], kind: str) -> None:
        self._handle = handle
        self._kind = kind
        self._csv = csv.DictWriter(handle, FIELDS, lineterminator="\n") if kind == ".csv" else None
        if self._csv is not None:
            self._csv.writeheader()

    def write(self, record: dict[str, Any]) -> None:
        if self._csv is None:
            self._handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            return
        flat = dict(record)
        flat["themes"] = ";".join(record["themes"])
        flat["evidence"] = json.dumps(record["evidence"], ensure_ascii=False)
        flat["error"] = record["error"] or ""
        self._csv.writerow(flat)


def _kind(path: Path) -> str:
    kind = path.suffix.lower()
    if kind not in (".csv", ".jsonl"):
        raise ValueError(f"{path}: use a .csv or .jsonl file")
    return kind


def tag_file(source: Path, target: Path, *, text_column: str = "text", id_column: str = "id",
             tagger: Tagger | None = None, progress: IO[str] | None = None) -> int:
    """Tag every row of `source` into `target`; returns how many rows were written."""
    tagger = tagger or default_tagger()
    in_kind, out_kind = _kind(source), _kind(target)
    total = source.stat().st_size or 1
    show = progress if progress is not None else (sys.stderr if sys.stderr.isatty() else None)
    written = 0
    with source.open("rb") as raw, target.open("w", encoding="utf-8", newline="") as out:
        counting = _CountingFile(raw)
        handle = io.TextIOWrapper(io.BufferedReader(counting), encoding="utf-8",
                                  errors="surrogateescape", newline="")
        rows = (read_csv(handle, text_column, id_column) if in_kind == ".csv"
                else read_jsonl(handle, text_column, id_column))
        writer = _Writer(out, out_kind)
        for row in rows:
            if row.error:
                print(f"{source.name}: line {row.line}: {row.error}", file=sys.stderr)
            writer.write(tagged_row(row, tagger.tag(row.text)))
            written += 1
            if show is not None and written % PROGRESS_EVERY == 0:
                show.write(f"\rTagged {written:,} rows ({100 * counting.count // total}%)")
                show.flush()
    if show is not None:
        show.write(f"\rTagged {written:,} rows (100%)\n")
    return written
