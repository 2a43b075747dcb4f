"""The digest page as a screen reader and a person with low vision meet it: a language,
one main landmark, headings that never skip a level, every link's target on the page,
every chart an image with its words, every table with headers, and text colours with
at least WCAG AA contrast (4.5 to 1) on white. Read from a digest of real rows, with
every part shown (measures, charts, themes, quotes, duty)."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

from carebot.reports.figures import build_digest
from carebot.reports.render import digest_html
from carebot.storage.db import open_database
from tests.reports.report_world import END, THRESHOLD, WEEK, Answered, Raised, World, build


class _Page(HTMLParser):
    """What the checks need from the page, gathered in one reading."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.open: list[str] = []
        self.svg_titles = 0
        self.style = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self.open.append(tag)
        if tag == "title" and "svg" in self.open:
            self.svg_titles += 1

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1] == "style":
            self.style += data


def _luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[n:n + 2], 16) / 255 for n in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str = "#ffffff") -> float:
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_worked_out_as_wcag_does() -> None:
    assert round(contrast("#000000"), 1) == 21.0 and round(contrast("#767676"), 1) == 4.5
    assert contrast("#999999") < 4.5


async def _page(tmp_path: Path) -> str:
    said = (*(Answered(n, week, themes=("punctuality",), feeling="negative",
                       prompt="not_working") for n in range(8) for week in range(3)),)
    db = await open_database(tmp_path / "carebot.sqlite3")
    try:
        council = await build(db, World(said, (Raised(0, "problem"),)))
        digest = await build_digest(db, council_id=council, start=END - 3 * WEEK, end=END,
                                    threshold=THRESHOLD, now=END + timedelta(hours=1))
        return digest_html(digest)
    finally:
        await db.close()


async def test_the_digest_page_can_be_read_by_everyone(tmp_path: Path) -> None:
    words = await _page(tmp_path)
    page = _Page()
    page.feed(words)
    tags = page.tags
    names = [tag for tag, _ in tags]
    assert dict(tags[names.index("html")][1]).get("lang") == "en"
    assert names.count("main") == 1 and names.count("h1") == 1
    levels = [int(tag[1]) for tag in names if re.fullmatch(r"h[1-6]", tag)]
    assert all(b <= a + 1 for a, b in pairwise(levels)), levels
    ids = [attrs["id"] for _, attrs in tags if attrs.get("id")]
    assert len(ids) == len(set(ids))
    targets = [str(attrs["href"])[1:] for tag, attrs in tags
               if tag == "a" and str(attrs.get("href", "")).startswith("#")]
    assert targets and set(targets) <= set(ids)
    charts = [attrs for tag, attrs in tags if tag == "svg"]
    assert any(attrs.get("class") == "trend" for attrs in charts)  # every part is here
    assert all(attrs.get("role") == "img" and attrs.get("aria-label") for attrs in charts)
    assert page.svg_titles == len(charts)
    assert names.count("table") <= names.count("th")
    assert "summary" in names and "blockquote" in names
    # Every colour text is drawn in, on the page's white.
    text_colours = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{3,6})", page.style)
    assert text_colours and all(contrast(c) >= 4.5 for c in text_colours), text_colours
    svg_text = re.findall(r'<text [^>]*fill="(#[0-9a-fA-F]{3,6})"', words)
    assert svg_text and all(contrast(c) >= 4.5 for c in svg_text)
