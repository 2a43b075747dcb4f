"""The provider monitoring pack opens as a PDF (read back with pypdf) and has a cover,
contents, one section per service of that provider (and none of another's), the actions
and open issues, and page numbers."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PageObject, PdfReader

from carebot.cli.main import main
from carebot.reports.pack_pdf import printable, provider_pack
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
        "Day Centre West", "Home Care East", "Actions agreed: you said, we did", "Open issues"]
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
