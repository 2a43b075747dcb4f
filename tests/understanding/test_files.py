"""`carebot tag IN OUT`: every row in gives a row out, bad rows are said on stderr."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest

from carebot.cli.main import main
from carebot.understanding.files import TAGS, tag_file


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_to_jsonl_keeps_ids_and_adds_tags(tmp_path: Path) -> None:
    source = tmp_path / "survey.csv"
    source.write_text('id,text\nA1,"Nobody came on Tuesday, so I had no food."\n'
                      "A2,The carers are lovely and kind.\n", encoding="utf-8")
    target = tmp_path / "tagged.jsonl"
    assert tag_file(source, target) == 2
    first, second = (json.loads(line) for line in target.read_text().splitlines())
    assert first["id"] == "A1" and first["sentiment"] == "negative"
    assert first["risk"] == "concern" and "neglect" in first["evidence"]["risk"]
    assert isinstance(first["themes"], list) and -1 <= first["polarity"] <= 1
    assert second["id"] == "A2" and second["sentiment"] == "positive"
    assert set(first) == {"id", "text", *TAGS}   # the input's columns, then the tags


def test_jsonl_to_csv_with_bad_rows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "emails.jsonl"
    lines = [
        json.dumps({"id": 1, "text": "The minibus was late again."}).encode(),
        b"{not json",
        json.dumps({"id": 3, "text": ""}).encode(),
        b'{"id": 4, "text": "caf\xe9 was cold"}',
        json.dumps({"id": 5, "text": "Lovely staff. " * 8000}).encode(),
        json.dumps({"id": 6}).encode(),
        json.dumps(["a", "list"]).encode(),
    ]
    source.write_bytes(b"\n".join(lines) + b"\n")
    target = tmp_path / "out.csv"
    assert tag_file(source, target) == 7
    rows = _csv_rows(target)
    assert [r["id"] for r in rows] == ["1", "", "3", "4", "5", "6", ""]
    assert rows[0]["themes"] and rows[0]["sentiment"] == "negative"
    assert [r["error"] != "" for r in rows] == [False, True, True, True, True, True, True]
    assert rows[3]["sentiment"] == "neutral" and rows[3]["themes"] == ""  # tagged as empty
    assert rows[4]["sentiment"] == "positive"  # a 100 KB cell is tagged on its opening part
    assert rows[0]["evidence"].startswith("sentiment: 'late again'")
    err = capsys.readouterr().err
    for line in (2, 3, 4, 5, 6, 7):
        assert f"line {line}:" in err


def test_other_columns_and_a_missing_column(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "paper.csv"
    source.write_text("ref,comment\nP-9,\"Carers rush, I\nnever get a chat.\"\n",
                      encoding="utf-8")
    target = tmp_path / "paper-tagged.csv"
    assert main(["tag", str(source), str(target), "--text-column", "comment",
                 "--id-column", "ref"]) == 0
    (row,) = _csv_rows(target)
    assert row["ref"] == "P-9" and row["sentiment"] == "negative"  # one row, over two lines
    assert list(row)[:2] == ["ref", "comment"]
    assert main(["tag", str(source), str(tmp_path / "x.csv")]) == 2
    assert "no column named 'text'" in capsys.readouterr().err
    assert main(["tag", str(source), str(tmp_path / "x.txt")]) == 2


def test_many_rows_stream_through(tmp_path: Path) -> None:
    source = tmp_path / "big.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "text"])
        for n in range(3000):
            writer.writerow([n, f"Visit {n}: the carer was late again."])
    target = tmp_path / "big.jsonl"
    assert tag_file(source, target) == 3000
    with target.open(encoding="utf-8") as handle:
        assert sum(1 for _ in handle) == 3000


SURVEY = [("R1", "Mum’s carer was late again, café closed", "Ward 3"),
          ("R2", "Lovely staff; always kind", "Ward 4")]


@pytest.mark.parametrize(("encoding", "delimiter"), [
    ("utf-8-sig", ","), ("utf-8-sig", ";"), ("cp1252", ","), ("cp1252", ";"),
    ("utf-16", "\t"), ("utf-8", ";"),
])
def test_csv_as_excel_saves_it(tmp_path: Path, encoding: str, delimiter: str) -> None:
    source = tmp_path / "excel.csv"
    with source.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(["id", "text", "ward"])
        writer.writerows(SURVEY)
    target = tmp_path / "out.csv"
    assert tag_file(source, target) == 2
    rows = _csv_rows(target)
    assert [(r["id"], r["text"], r["ward"]) for r in rows] == SURVEY
    assert [r["error"] for r in rows] == ["", ""]
    assert rows[0]["sentiment"] == "negative" and rows[1]["sentiment"] == "positive"


def test_keep_names_the_columns_and_tags_never_overwrite_them(tmp_path: Path) -> None:
    source = tmp_path / "survey.csv"
    source.write_text("id,text,ward,sentiment,notes\n"
                      "7,Nobody came and I had no food,Ward 3,unhappy,x\n", encoding="utf-8")
    target = tmp_path / "out.csv"
    assert main(["tag", str(source), str(target), "--keep", "ward,sentiment"]) == 0
    (row,) = _csv_rows(target)
    assert list(row)[:3] == ["id", "ward", "sentiment"] and "notes" not in row
    assert row["sentiment"] == "unhappy" and row["carebot_sentiment"] == "negative"
    assert row["risk"] == "concern"
    assert "risk (neglect): 'nobody came'" in row["evidence"]
    assert main(["tag", str(source), str(target), "--keep", "nope"]) == 2


def test_a_csv_out_opens_in_excel_as_utf8(tmp_path: Path) -> None:
    """Excel reads a CSV as UTF-8 only when it starts with a byte-order mark."""
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps({"id": 1, "text": "Zoë was lovely"}) + "\n", encoding="utf-8")
    tag_file(source, tmp_path / "out.csv")
    tag_file(source, tmp_path / "out.jsonl")
    assert (tmp_path / "out.csv").read_bytes().startswith(b"\xef\xbb\xbfid,")
    assert (tmp_path / "out.jsonl").read_bytes().startswith(b"{")  # for programs: no mark


def test_an_excel_workbook_is_read_as_excel_shows_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["ref", "received", "comment", None])
    sheet.append([101, datetime(2026, 11, 2), "Nobody came on Tuesday, so I had no food."])
    sheet.append([None, None, None])  # a blank row Excel users leave: skipped
    sheet.append([102.0, "2/11/2026", "The carers are lovely and kind."])
    sheet.append([103, None, None])  # no words: said, with Excel's row number
    book.save(tmp_path / "survey.xlsx")
    target = tmp_path / "tagged.csv"
    assert main(["tag", str(tmp_path / "survey.xlsx"), str(target), "--text-column",
                 "comment", "--id-column", "ref"]) == 0
    rows = _csv_rows(target)
    assert [(r["ref"], r["received"]) for r in rows] == [
        ("101", "2026-11-02"), ("102", "2/11/2026"), ("103", "")]
    assert rows[0]["risk"] == "concern" and rows[1]["sentiment"] == "positive"
    assert "survey.xlsx: line 5: no text" in capsys.readouterr().err


def test_a_file_that_is_not_a_workbook_is_one_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "survey.xlsx").write_text("id,text\n1,saved with the wrong name\n")
    assert main(["tag", str(tmp_path / "survey.xlsx"), str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not an Excel workbook" in err and ".csv" in err
