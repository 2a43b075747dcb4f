"""`carebot tag IN OUT`: tag feedback that came by other routes (paper surveys, emails).

IN is .csv (a text column, an optional id column) or .jsonl (objects with "text" and an
optional "id"); OUT is .csv or .jsonl by its extension. A CSV is read as councils have
them: saved by Excel as UTF-8 with a byte-order mark, as Windows-1252, or with `;` or tabs
between columns. Each row out keeps the row's own columns (or those named with `keep`),
so it can be matched back, followed by the tags; in a CSV the evidence reads in one cell
("punctuality: 'always late'; risk (neglect): 'nobody came'"). Rows stream through one at
a time, so a million rows need no more memory than a thousand. Every row in gives one row
out: a row that cannot be read (bad UTF-8, bad JSON, no text) is tagged as empty, its
problem is written in the `error` column, and stderr says which line it was.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from carebot.understanding.tagger import MAX_TEXT, Tagger, Tags, default_tagger
from carebot.understanding.workbooks import sheet_rows

TAGS = ("sentiment", "polarity", "themes", "risk", "risk_score", "evidence", "error")
FIELDS = ("id", *TAGS)
PROGRESS_EVERY = 2000
SNIFF_BYTES = 1 << 20
DELIMITERS = (",", ";", "\t", "|")
_NOT_UTF8 = re.compile("[\udc80-\udcff]")
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class Row:
    line: int
    id: str | None
    text: str
    error: str | None = None
    columns: dict[str, Any] | None = None   # the row as it came in, to be kept


@dataclass(frozen=True)
class CsvShape:
    """How a CSV file was saved."""
    encoding: str
    delimiter: str


def text_encoding(head: bytes) -> str:
    """The encoding of a text file from its opening bytes. Excel and Notepad write UTF-8
    with a byte-order mark, UTF-16 for "Unicode text", or the Windows code page."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "cp1252"
    return "utf-8"


def csv_shape(head: bytes, text_column: str) -> CsvShape:
    """The encoding and delimiter of a CSV from its opening bytes; in much of Europe
    Excel puts `;` between columns."""
    encoding = text_encoding(head)
    text = head.decode(encoding, errors="replace").lstrip("\ufeff")
    header = text.splitlines()[0] if text else ""

    def columns(delimiter: str) -> list[str]:
        return next(csv.reader([header], delimiter=delimiter), [])

    named = [d for d in DELIMITERS if text_column in columns(d)]
    delimiter = named[0] if named else max(DELIMITERS, key=lambda d: len(columns(d)))
    return CsvShape(encoding, delimiter)


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


def _clean(line: int, row_id: str | None, text: Any,
           columns: dict[str, Any] | None = None) -> Row:
    if not isinstance(text, str) or not text.strip():
        return Row(line, row_id, "", "no text", columns)
    if not text.isascii() and _NOT_UTF8.search(text):  # bytes that were not UTF-8
        return Row(line, row_id, "", "text is not valid UTF-8", columns)
    if len(text) > MAX_TEXT:
        return Row(line, row_id, text, f"longer than {MAX_TEXT} characters: "
                                       "tagged on its opening part", columns)
    return Row(line, row_id, text, None, columns)


def read_csv(handle: IO[str], text_column: str, id_column: str,
             delimiter: str = ",") -> Iterator[Row]:
    reader = csv.DictReader(handle, delimiter=delimiter)
    if reader.fieldnames is None or text_column not in reader.fieldnames:
        raise ValueError(f"no column named {text_column!r} (columns: {reader.fieldnames})")
    for record in reader:
        record.pop(None, None)  # cells beyond the header
        yield _clean(reader.line_num, record.get(id_column), record.get(text_column), record)


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
        yield _clean(number, None if row_id is None else str(row_id), record.get(text_field),
                     record)


def tagged_row(row: Row, tags: Tags) -> dict[str, Any]:
    """The tags of a row, as a JSON object."""
    evidence = {
        "sentiment": list(tags.evidence.get("sentiment", ())),
        "themes": {t.id: list(t.evidence) for t in tags.themes},
        "risk": [*tags.risk_reasons, *tags.evidence.get("risk", ())],
    }
    return {"id": row.id, "sentiment": tags.sentiment, "polarity": tags.polarity,
            "themes": list(tags.theme_ids), "risk": tags.risk, "risk_score": tags.risk_score,
            "evidence": evidence,
            "error": row.error}


def _quoted(words: tuple[str, ...]) -> str:
    return ", ".join(f"'{w}'" for w in words)


def evidence_cell(tags: Tags) -> str:
    """The evidence as one readable spreadsheet cell:
    "sentiment: 'lovely'; punctuality: 'always late'; risk (neglect): 'nobody came'"."""
    parts = []
    if tags.evidence.get("sentiment"):
        parts.append(f"sentiment: {_quoted(tags.evidence['sentiment'])}")
    parts += [f"{theme.id}: {_quoted(theme.evidence)}" for theme in tags.themes]
    if tags.risk_reasons:
        parts.append(f"risk ({', '.join(tags.risk_reasons)}): "
                     f"{_quoted(tags.evidence.get('risk', ()))}")
    return "; ".join(parts)


class _Writer:
    """Rows out: the kept columns of the row in, then the tags. A tag whose name the
    input already uses is written as carebot_<name>."""

    def __init__(self, handle: IO[str], kind: str, kept: list[str] | None) -> None:
        self._handle = handle
        self._kept = kept
        taken = set(kept or ())
        self._names = [f"carebot_{tag}" if tag in taken else tag for tag in TAGS]
        self._csv = None
        if kind == ".csv":
            self._csv = csv.writer(handle, lineterminator="\n")
            self._csv.writerow([*kept, *self._names] if kept is not None else FIELDS)

    def _kept_values(self, row: Row) -> list[Any]:
        if self._kept is None:
            return [row.id]
        columns = row.columns or {}
        return [columns.get(name, "") for name in self._kept]

    def write(self, row: Row, tags: Tags) -> None:
        if self._csv is not None:
            self._csv.writerow([*self._kept_values(row), tags.sentiment, tags.polarity,
                                ";".join(tags.theme_ids), tags.risk, tags.risk_score,
                                evidence_cell(tags),
                                row.error or ""])
            return
        record = tagged_row(row, tags)
        if self._kept is None:
            out = record
        else:
            out = dict(zip(self._kept, self._kept_values(row), strict=True))
            out |= {name: record[tag] for name, tag in zip(self._names, TAGS, strict=True)}
        self._handle.write(json.dumps(out, ensure_ascii=False) + "\n")


def _kind(path: Path, *, reading: bool) -> str:
    kind = path.suffix.lower()
    if kind not in ((".csv", ".jsonl", ".xlsx") if reading else (".csv", ".jsonl")):
        raise ValueError(f"{path}: use a .csv{', .xlsx' if reading else ''} or .jsonl file")
    return kind


def read_xlsx(path: Path, text_column: str, id_column: str) -> Iterator[Row]:
    """The rows of a workbook's first sheet, as read_csv gives a CSV file's."""
    header, rows = sheet_rows(path)
    if text_column not in header:
        raise ValueError(f"no column named {text_column!r} (columns: {header})")
    for line, record in rows:
        yield _clean(line, record.get(id_column), record.get(text_column), record)


def _kept_columns(source: Path, shape: CsvShape, keep: list[str] | None,
                  id_column: str) -> list[str]:
    """The input's columns to write out: all of them, or those asked for (the id first)."""
    with source.open(encoding=shape.encoding, errors="replace", newline="") as handle:
        header = next(csv.reader(handle, delimiter=shape.delimiter), [])
    return _kept_names(header, keep, id_column)


def _kept_names(header: list[str], keep: list[str] | None, id_column: str) -> list[str]:
    if keep is None:
        return header
    missing = [name for name in keep if name not in header]
    if missing:
        raise ValueError(f"no column named {missing[0]!r} to keep (columns: {header})")
    return list(dict.fromkeys([*([id_column] if id_column in header else []), *keep]))


def tag_file(source: Path, target: Path, *, text_column: str = "text", id_column: str = "id",
             keep: list[str] | None = None, tagger: Tagger | None = None,
             progress: IO[str] | None = None, fast: bool = False) -> int:
    """Tag every row of `source` into `target`; returns how many rows were written.
    `fast`: risk by the rules alone (Tagger(fast=True))."""
    tagger = tagger or (Tagger(fast=True) if fast else default_tagger())
    in_kind, out_kind = _kind(source, reading=True), _kind(target, reading=False)
    total = source.stat().st_size or 1
    show = progress if progress is not None else (sys.stderr if sys.stderr.isatty() else None)
    shape = CsvShape("utf-8", ",")
    kept: list[str] | None = keep
    if in_kind == ".csv":
        with source.open("rb") as raw:
            shape = csv_shape(raw.read(SNIFF_BYTES), text_column)
        kept = _kept_columns(source, shape, keep, id_column)
    elif in_kind == ".xlsx":
        kept = _kept_names(sheet_rows(source)[0], keep, id_column)
    elif keep is not None:
        kept = list(dict.fromkeys([id_column, *keep]))
    written = 0
    # A CSV is written with a byte-order mark, so that Excel opens it as UTF-8 (without
    # one, it reads "Zoë" as "ZoÃ«"); a .jsonl file is read by programs, which need none.
    encoding = "utf-8-sig" if out_kind == ".csv" else "utf-8"
    with source.open("rb") as raw, target.open("w", encoding=encoding, newline="") as out:
        counting = _CountingFile(raw)
        handle = io.TextIOWrapper(io.BufferedReader(counting), encoding=shape.encoding,
                                  errors="surrogateescape", newline="")
        rows = (read_csv(handle, text_column, id_column, shape.delimiter)
                if in_kind == ".csv" else read_xlsx(source, text_column, id_column)
                if in_kind == ".xlsx" else read_jsonl(handle, text_column, id_column))
        writer = _Writer(out, out_kind, kept)
        for row in rows:
            if row.error:
                print(f"{source.name}: line {row.line}: {row.error}", file=sys.stderr)
            writer.write(row, tagger.tag(row.text))
            written += 1
            if show is not None and written % PROGRESS_EVERY == 0:
                show.write(f"\rTagged {written:,} rows ({100 * counting.count // total}%)")
                show.flush()
    if show is not None:
        show.write(f"\rTagged {written:,} rows (100%)\n")
    return written
