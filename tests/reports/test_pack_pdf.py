"""The provider monitoring pack opens as a PDF (read back with pypdf) and has a cover,
contents, one section per service of that provider (and none of another's), the actions
and open issues, and page numbers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader
from pypdf.generic import BooleanObject, ContentStream, DictionaryObject, IndirectObject

from carebot.cli.main import main
from carebot.reports.figures import Digest, ServiceDigest
from carebot.reports.measures import Measure, ServiceMeasures
from carebot.reports.pack_pdf import PackTitle, provider_pack, write_pack
from carebot.reports.pdf_fonts import printable
from carebot.reports.voices import Prompted, Quote, ServiceVoices, ThemeFigure
from carebot.reports.you_said_we_did import ActionEffect
from carebot.storage import directory
from carebot.storage.db import Database, open_database
from tests.helpers import small_world

NOW = datetime(2026, 11, 23, tzinfo=UTC)


async def _two_providers(path: Path) -> None:
    db = await open_database(path)
    try:
        await _set_up(db)
    finally:
        await db.close()


async def _set_up(db: Database) -> None:
    world = await small_world(db, NOW)
    await directory.add_service(db, council_id=world.council_id, provider_id=world.provider_id,
                                name="Day Centre West", kind="day service", now=NOW)
    other = await directory.add_organisation(db, "provider", "Elsewhere Ltd", NOW)
    await directory.add_service(db, council_id=world.council_id, provider_id=other.id,
                                name="Elsewhere Home Care", kind="home care", now=NOW)


def _runs(page: PageObject) -> list[tuple[float, float, float, str]]:
    """The page's pieces of text as drawn: (x, y, font size, text), top to bottom."""
    found: list[tuple[float, float, float, str]] = []

    def seen(text: str, _cm: object, tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            found.append((tm[4], tm[5], size, text.strip()))
    page.extract_text(visitor_text=seen)
    return found


def test_a_pack_has_a_section_per_service_of_that_provider(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    asyncio.run(_two_providers(tmp_path / "carebot.sqlite3"))
    monkeypatch.setenv("CAREBOT_DATABASE", str(tmp_path / "carebot.sqlite3"))
    monkeypatch.setenv("CAREBOT_OUTPUT_DIR", str(tmp_path / "out"))
    start = (NOW - timedelta(days=28)).date().isoformat()
    assert main(["pack", "--provider", "2", "--from", start, "--to", "2026-11-22"]) == 0
    path = Path(capsys.readouterr().out.split(" written to ")[1].strip())
    assert path.stat().st_mode & 0o077 == 0, "readable by the service only"
    pdf = PdfReader(path)
    assert [item.title for item in pdf.outline] == [  # type: ignore[union-attr]
        "Needs attention", "Day Centre West", "Home Care East",
        "Actions agreed: you said, we did", "Open issues"]
    cover = pdf.pages[0].extract_text()
    assert "Provider monitoring pack" in cover and "Sunrise Care" in cover
    assert "Contents" in pdf.pages[1].extract_text()
    everything = "".join(page.extract_text() for page in pdf.pages)
    assert "Elsewhere" not in everything
    pages = len(pdf.pages)
    assert all(f"Page {n + 1} of {pages}" in pdf.pages[n].extract_text() for n in range(pages))
    assert pdf.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4
    for n, page in enumerate(pdf.pages):
        runs = _runs(page)
        headings = [(x, text) for x, _, size, text in runs if size >= 12]
        # Each heading starts at the left margin, whole ("Contents", never "Conter" off
        # the page's edge), and none is left alone at the foot of a page.
        assert all(x == pytest.approx(54, abs=2) for x, _ in headings), (n, headings)
        body = [r for r in runs if not r[3].startswith("Page ")]
        assert n == 0 or not body or body[-1][2] < 12, (n, body[-1])


def test_a_pack_for_something_that_is_not_a_provider_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CAREBOT_DATABASE", str(tmp_path / "empty.sqlite3"))
    assert main(["pack", "--provider", "1", "--from", "2026-11-01", "--to", "2026-11-22"]) == 2
    assert "not a provider" in capsys.readouterr().err


def test_letters_the_font_lacks_are_shown_plain() -> None:
    assert printable("Zofia Łukasiewicz, Ayşe, Ştefan 😀") == "Zofia Łukasiewicz, Ayse, Stefan "


def test_the_same_pack_made_twice_is_the_same_file(tmp_path: Path) -> None:
    """Dated by the report's own time, not the wall clock: a pack can be made again and
    checked against the one a meeting was sent."""
    async def twice() -> tuple[bytes, bytes]:
        db = await open_database(tmp_path / "carebot.sqlite3")
        try:
            await _set_up(db)
            made = []
            for name in ("one.pdf", "two.pdf"):
                _, path = await provider_pack(db, 2, NOW - timedelta(days=28), NOW,
                                              threshold=5, now=NOW, path=tmp_path / name)
                made.append(path.read_bytes())
                await asyncio.sleep(1.1)  # a second later by the wall clock
            return made[0], made[1]
        finally:
            await db.close()

    first, second = asyncio.run(twice())
    assert first == second


def _synthetic_digest(services: int) -> Digest:
    """Services with themes and quotes enough to run over many pages, and an action
    longer than a page."""
    quote = Quote("The carers come late most mornings and I never know who is coming, "
                  "so I sit by the door waiting.", ("late",))
    voices = ServiceVoices(themes=tuple(ThemeFigure(f"Theme {n}", 6, 2, 3.0, (quote,) * 3)
                                        for n in range(4)),
                           prompted=(Prompted("not_working", 6, (quote,)),), carers=(),
                           carer_themes=())
    long_action = ActionEffect(you_said="the rota " * 900, we_did="We changed it.",
                               theme=None, share_before=None, share_after=None)
    fft = Measure("fft", "Rated good", 75, None, (50, None, 60, 75), good=6, counted=8,
                  trend_counted=(4, None, 5, 8))
    measures = ServiceMeasures(enrolled=12, fft=fft, outcomes=(), helped_by=(),
                               alert_minutes=None, alerts_waiting=0)
    made = tuple(ServiceDigest(
        service=f"Service {n}", provider="Sunrise", kind="home care", checkins_sent=9,
        checkins_completed=8, answers=30, respondents=8, suppressed=False,
        fft=(("very_good", 5), ("good", 3)), sentiment=(), open_issues=(), compliments=0,
        voices=voices, actions=(long_action,) if n == 0 else (), service_id=n + 1,
        measures=measures)
        for n in range(services))
    return Digest(council="Sunrise", start=NOW - timedelta(days=7), end=NOW, made_at=NOW,
                  threshold=5, services=made)


def _dict(found: object) -> DictionaryObject:
    found = found.get_object() if isinstance(found, IndirectObject) else found
    assert isinstance(found, DictionaryObject)
    return found


def _structure(reader: PdfReader) -> list[tuple[str, str | None]]:
    """The structure tree's elements in reading order: (kind, alternative text)."""
    document = _dict(reader.root_object["/StructTreeRoot"])["/K"]
    document = _dict(document[0] if isinstance(document, list) else document)
    kids = document["/K"]
    assert isinstance(kids, list)
    return [(str(_dict(kid)["/S"])[1:], _dict(kid).get("/Alt")) for kid in kids]


def test_the_pack_is_tagged_for_a_screen_reader(tmp_path: Path) -> None:
    path = write_pack(_synthetic_digest(3),
                      PackTitle("Sunrise", NOW - timedelta(days=7), NOW, NOW),
                      tmp_path / "pack.pdf")
    reader = PdfReader(path)
    root = reader.root_object
    assert _dict(root["/MarkInfo"])["/Marked"] == BooleanObject(True)  # "Tagged: yes"
    assert str(root["/Lang"]) == "en-GB"
    assert _dict(root["/ViewerPreferences"])["/DisplayDocTitle"] == BooleanObject(True)
    kinds = [kind for kind, _ in _structure(reader)]
    # The cover's title, then the contents (filled in last, read where it stands), then
    # each service as a section with its own headings and quotes.
    assert kinds[0] == "H1" and kinds.index("H2") < kinds.index("H3")
    # Contents, what needs attention, 3 services, actions and open issues.
    assert kinds.count("H2") == 1 + 1 + 3 + 2
    assert "BlockQuote" in kinds and "P" in kinds
    # Each service's chart is a figure with its words: every week, its answers.
    charts = [alt for kind, alt in _structure(reader) if kind == "Figure"]
    assert len(charts) == 3 and all("75% of 8" in str(alt) for alt in charts)
    # Every letter drawn is inside a tagged element or marked as layout only.
    for n, page in enumerate(reader.pages):
        depth = 0
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            elif operator in (b"Tj", b"TJ"):
                assert depth > 0, f"untagged text on page {n + 1}: {operands}"
        assert depth == 0
