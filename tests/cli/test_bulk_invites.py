"""`carebot invite --from SHEET`: a council's spreadsheet (CSV or Excel) checked row by
row before anything is made; letters to print, one page each, whose QR code holds the
joining link; a list of codes Excel opens; carers linked to the person they care for
whichever joins first; reminder letters for who has not joined."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import openpyxl
import pypdf
import pytest
import segno

from carebot.cli.main import main
from carebot.conversations.texts import text
from carebot.settings.clock import SystemClock
from carebot.storage import directory
from carebot.storage.db import open_database
from carebot.translations.speaking import speaking
from tests.cli.test_admin import name_duty_contact, run

HEADER = ["Name", "Role", "Service", "Cares for", "Preferred language", "How to reach them"]
GOOD = [
    ["Mrs Aisha Khan", "", "Home Care", "", "Urdu", "12 Mill Lane, Northtown, NT1 2AB"],
    ["Jo Khan", "Carer", "Home Care", "mrs aisha khan", "", ""],
    ["Tom Price", "person", "2", "", "Cymraeg", "Flat 3\nHigh Street"],
    ["Priya Shah", "duty contact", "Home Care", "", "", ""],
    ["Alex Moore", "Commissioner", "Day Centre", "", "", ""],
]
BAD = [
    ["Bad Role", "nurse", "Home Care", "", "", ""],
    ["No Service", "", "Nowhere", "", "", ""],
    ["Carer Two", "family", "Home Care", "Nobody", "", ""],
    ["Klingon Speaker", "", "Home Care", "", "Klingon", ""],
    ["Mrs Aisha Khan", "", "Home Care", "", "", ""],
    ["", "carer", "Home Care", "", "", ""],
]


@pytest.fixture
def council(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "carebot.sqlite3"
    monkeypatch.setenv("CAREBOT_DATABASE", str(path))
    monkeypatch.setenv("CAREBOT_OUTPUT_DIR", str(tmp_path / "out"))
    monkeypatch.setenv("CAREBOT_BOT_USERNAME", "northshire_care_bot")
    for argv in (["add-organisation", "--kind", "council", "--name", "Northshire"],
                 ["add-organisation", "--kind", "provider", "--name", "Sunrise Care"],
                 ["add-service", "--council", "1", "--provider", "2", "--name", "Home Care",
                  "--kind", "home care"],
                 ["add-service", "--council", "1", "--provider", "2", "--name", "Day Centre",
                  "--kind", "day service"]):
        assert main(argv) == 0
    for service_id, name in ((1, "Dana"), (2, "Dev")):  # alerts reach someone: see below
        name_duty_contact(path, service_id, name)
    return path


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        csv.writer(out).writerows([HEADER, *rows])
    return path


def _xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [HEADER, *rows]:
        sheet.append([int(cell) if cell.isdigit() else cell or None for cell in row])
    book.save(path)
    return path


def _invites(path: Path) -> list[dict[str, object]]:
    async def read() -> list[dict[str, object]]:
        db = await open_database(path)
        try:
            rows = await db.fetchall("SELECT code, role, display_name, service_id, "
                                     "organisation_id, language, contact, cares_for_code "
                                     "FROM invites WHERE display_name NOT IN ('Dana', 'Dev') "
                                     "ORDER BY rowid")
            return [dict(row) for row in rows]
        finally:
            await db.close()
    return asyncio.run(read())


def test_nothing_is_made_until_every_row_is_right(
        council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = _csv(tmp_path / "people.csv", GOOD + BAD)
    status, out, err = run(capsys, "invite", "--from", str(sheet))
    assert status == 2 and _invites(council) == []
    said = out.splitlines()
    assert said == [
        "row 7: 'nurse' is not a role carebot knows. Write person, carer, duty contact, "
        "provider, commissioner or board member.",
        "row 8: there is no service 'Nowhere'. Give the service's id or its name as "
        "`carebot services` lists it (for a commissioner, their council's name will do).",
        "row 9: there is no 'Nobody' at the same service in the sheet. Give the name of "
        "the person cared for exactly as their own row has it.",
        "row 10: 'Klingon' is not a language carebot knows. Write its name in English (e.g. "
        "Welsh, Polish, Urdu) or leave it blank for English.",
        "row 11: Mrs Aisha Khan at Home Care is on row 2 already. Take out one of the two "
        "rows.",
        "row 12: there is no name. Give the name they go by, e.g. Mrs Khan."]
    assert err == ("carebot invite: 6 rows need putting right, so no invite was made. Put "
                   "them right and run this again, or add --skip-bad to invite the other "
                   "rows now.\n")


@pytest.mark.parametrize("save", [_csv, _xlsx], ids=["csv", "xlsx"])
def test_letters_and_codes_for_every_good_row(
        council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        save: object) -> None:
    assert callable(save)
    sheet = save(tmp_path / f"people{'.csv' if save is _csv else '.xlsx'}", GOOD + BAD)
    letters, codes = tmp_path / "letters.pdf", tmp_path / "codes.csv"
    status, out, _ = run(capsys, "invite", "--from", str(sheet), "--skip-bad", "--letters",
                         str(letters), "--codes", str(codes), "--days", "42")
    assert status == 0 and "Made 5 invites, each working once for 42 days." in out
    made = _invites(council)
    assert [(m["display_name"], m["role"], m["service_id"], m["organisation_id"],
             m["language"]) for m in made] == [
        ("Mrs Aisha Khan", "person", 1, None, "ur"), ("Jo Khan", "carer", 1, None, None),
        ("Tom Price", "person", 2, None, "cy"), ("Priya Shah", "duty_contact", 1, None, None),
        ("Alex Moore", "commissioner", None, 1, None)]
    assert made[1]["cares_for_code"] == made[0]["code"]
    assert made[0]["contact"] == "12 Mill Lane, Northtown, NT1 2AB"
    assert codes.read_bytes().startswith(b"\xef\xbb\xbfrow in the sheet,name,role,service")
    with codes.open(encoding="utf-8-sig", newline="") as listed:
        rows = list(csv.DictReader(listed))
    assert [(r["row in the sheet"], r["name"], r["service"]) for r in rows] == [
        ("2", "Mrs Aisha Khan", "Home Care"), ("3", "Jo Khan", "Home Care"),
        ("4", "Tom Price", "Day Centre"), ("5", "Priya Shah", "Home Care"),
        ("6", "Alex Moore", "Northshire")]
    assert [r["language"] for r in rows] == ["Urdu", "", "Welsh", "", ""]
    pages = pypdf.PdfReader(letters).pages
    assert len(pages) == 5  # one page a letter
    for page, invite in zip(pages, made, strict=True):
        words = " ".join(page.extract_text().split())  # as read, not as wrapped
        link = f"https://t.me/northshire_care_bot?start={invite['code']}"
        # In their language where the letter's font can print it: Welsh, not Urdu's script.
        with speaking("cy" if invite["language"] == "cy" else None):
            dear = text("letter.dear", name=invite["display_name"])
        assert dear in words and link in words
        assert f"/start {invite['code']}" in words
        assert _qr_link_matches(page, link)
    first = pages[0].extract_text()
    assert "Mrs Aisha Khan\n12 Mill Lane\nNorthtown\nNT1 2AB" in first  # name, address
    assert _in_the_window(pages[0], ["Mrs Aisha Khan", "12 Mill Lane", "NT1 2AB"])
    assert "If someone is in danger now, call 999" in " ".join(first.split())
    assert "Staff at Sunrise Care read what you write" in first and "/stop" in first
    assert "Flat 3\nHigh Street" in pages[2].extract_text()
    with speaking("cy"):
        assert " ".join(text("letter.danger").split()) in " ".join(
            pages[2].extract_text().split())


def _in_the_window(page: pypdf.PageObject, lines: list[str]) -> bool:
    """Each line starts where a DL or C5 window envelope shows it: 20 mm in, and from
    45 mm to 85 mm down the page."""
    at: dict[str, tuple[float, float]] = {}

    def seen(words: str, _: object, matrix: list[float], *__: object) -> None:
        # `matrix`, the text's own: where its line starts, in points from the bottom left
        if words.strip() in lines:
            at[words.strip()] = (matrix[4] / MM, (float(page.mediabox.height) - matrix[5]) / MM)

    page.extract_text(visitor_text=seen)
    return set(at) == set(lines) and all(
        19 <= x <= 22 and 45 <= y <= 85 for x, y in at.values())


MM = 72 / 25.4  # points in a millimetre


def _qr_link_matches(page: pypdf.PageObject, link: str) -> bool:
    """The letter's QR code, module by module, is the code of its own link."""
    (image,) = page.images
    picture = image.image
    assert picture is not None
    grey = picture.convert("L")
    matrix = segno.make(link, error="m").matrix
    scale, border = 10, 4
    def is_dark(r: int, c: int) -> bool:
        level = grey.getpixel(((border + c) * scale + 5, (border + r) * scale + 5))
        assert isinstance(level, int)  # one grey level: the image is "L"
        return level < 128

    return all(is_dark(r, c) is bool(dark)
               for r, row in enumerate(matrix) for c, dark in enumerate(row))


def test_carers_are_linked_whichever_joins_first(
        council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["Ann Lee", "", "Home Care", "", "", "1 Elm Road"],
            ["Ben Lee", "carer", "Home Care", "Ann Lee", "", ""],
            ["Cy Roe", "", "Home Care", "", "", ""],
            ["Di Roe", "carer", "Home Care", "Cy Roe", "", ""]]
    assert run(capsys, "invite", "--from", str(_csv(tmp_path / "p.csv", rows)))[0] == 0
    codes = {m["display_name"]: str(m["code"]) for m in _invites(council)}

    async def join_in_order() -> dict[str, tuple[int, int | None]]:
        db = await open_database(council)
        try:
            now = SystemClock().now()
            for user, name in enumerate(("Ann Lee", "Ben Lee", "Di Roe", "Cy Roe"), start=1):
                assert await directory.enrol_from_invite(
                    db, code=codes[name], telegram_user_id=user, chat_id=user,
                    fallback_name=name, now=now) is not None
            return {p.display_name: (p.id, p.cares_for_id)
                    for p in await directory.people_of(db)}
        finally:
            await db.close()

    joined = asyncio.run(join_in_order())
    assert joined["Ben Lee"][1] == joined["Ann Lee"][0]  # after Ann: linked as he joined
    assert joined["Di Roe"][1] == joined["Cy Roe"][0]  # before Cy: linked when Cy joined
    ann = [i for i in _invites(council) if i["display_name"] == "Ann Lee"]
    assert ann[0]["contact"] is None  # her address goes once she has joined


def test_who_has_not_joined_and_their_reminder_letters(
        council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(capsys, "invite", "--from", str(_csv(tmp_path / "p.csv", GOOD[:3])))[0] == 0
    made = _invites(council)
    assert run(capsys, "invite", "revoke", str(made[2]["code"]))[0] == 0
    status, out, _ = run(capsys, "invite", "list", "--waiting")
    assert status == 0 and "Mrs Aisha Khan" in out and "Jo Khan" in out
    assert "Tom Price" not in out
    status, out, _ = run(capsys, "invite", "list", "--letters", str(tmp_path / "r.pdf"))
    assert status == 0 and out.startswith("2 reminder letters to print")
    pages = pypdf.PdfReader(tmp_path / "r.pdf").pages
    assert [("Mrs Aisha Khan" in p.extract_text(), "You have not joined yet" in
             p.extract_text()) for p in pages] == [(True, True), (False, True)]


def test_letters_need_the_bot_s_username(
        council: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CAREBOT_BOT_USERNAME")
    status, _, err = run(capsys, "invite", "--from", str(_csv(tmp_path / "p.csv", GOOD)))
    assert status == 2 and "CAREBOT_BOT_USERNAME" in err and _invites(council) == []


def test_no_one_is_invited_where_a_worry_would_reach_nobody(
        council: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["add-service", "--council", "1", "--provider", "2", "--name", "Respite",
                 "--kind", "respite"]) == 0
    rows = [*GOOD, ["Una Reed", "", "Respite", "", "", ""]]
    status, _, err = run(capsys, "invite", "--from", str(_csv(tmp_path / "p.csv", rows)))
    assert status == 2 and _invites(council) == []
    assert "a worry told at Respite would reach nobody yet" in err
    assert "name each service's duty contact" in err
