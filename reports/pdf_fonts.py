"""The one font every PDF carebot makes uses, Lato (SIL Open Font License, installed
from pip as font-lato), embedded so the file looks the same everywhere; and every
character Lato lacks shown as its plain letter (ş as s), never as a blank."""

from __future__ import annotations

import unicodedata
from functools import cache
from importlib import resources
from pathlib import Path

from fpdf import FPDF

FONT = "Lato"


def font_file(style: str) -> Path:
    name = {"": "Regular", "B": "Bold", "I": "Italic"}[style]
    return Path(str(resources.files("font_lato").joinpath(f"files/Lato-{name}.ttf")))


@cache
def _glyphs() -> frozenset[int]:
    """The characters Lato can draw (read through fpdf2, which loads the font anyway)."""
    probe = FPDF()
    probe.add_font(FONT, "", str(font_file("")))
    font = probe.fonts[FONT.lower()]
    return frozenset(getattr(font, "cmap", {}))


def printable(text: str) -> str:
    """`text` with each character the font lacks as its plain letter, or left out."""
    glyphs = _glyphs()
    out = []
    for ch in text:
        if ord(ch) in glyphs or ch in "\n\t":
            out.append(ch)
            continue
        plain = unicodedata.normalize("NFKD", ch)[:1]
        if plain and ord(plain) in glyphs:
            out.append(plain)
    return "".join(out)


def add_fonts(pdf: FPDF) -> None:
    """Lato's regular, bold and italic, under the name FONT."""
    for style in ("", "B", "I"):
        pdf.add_font(FONT, style, str(font_file(style)))
