"""Spreadsheets as councils save them (.xlsx), read as rows of text: the first sheet,
its first row the header, each cell as a person would read it (a whole number without
".0", a date as 2026-11-02), and each row with the line number Excel shows beside it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException


def cell_text(value: Any) -> str:
    """A cell as its reader sees it."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else \
            value.isoformat(sep=" ", timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


def sheet_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header, and each row after it with its line number as a dict by column name
    (blank rows skipped). ValueError, in words, if the file is not a workbook."""
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise ValueError(f"{path.name} is not an Excel workbook that can be read "
                         f"({error}); save it again as .xlsx or .csv") from None
    rows = book.worksheets[0].iter_rows(values_only=True)
    header = [cell_text(value) for value in next(rows, ())]
    while header and not header[-1]:
        header.pop()

    def each() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for line, values in enumerate(rows, start=2):
                cells = [cell_text(value) for value in values]
                if any(cells):
                    yield line, dict(zip(header, cells + [""] * (len(header) - len(cells)),
                                         strict=False))
        finally:
            book.close()

    return header, each()
