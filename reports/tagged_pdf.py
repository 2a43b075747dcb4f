"""A PDF a screen reader can follow: every piece of content is an element of the
document's structure tree (a heading of its level, a paragraph, a quote, a figure with
its words), in reading order, and what is only layout (page numbers) is marked an
artifact, so the file is tagged (`pdfinfo`: "Tagged: yes").

fpdf2 keeps a structure tree for images' alternative text; this builds on it (its
`struct_builder`, in fpdf2 2.8) for text too. A marked piece of content cannot run onto
the next page, so a paragraph taller than the room left starts a page, and one taller
than a page is tagged a page's worth at a time."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

from fpdf import FPDF
from fpdf.outline import OutlineSection
from fpdf.prefs import ViewerPreferences

HEADINGS = {1: "H1", 2: "H2", 3: "H3"}


class TaggedPDF(FPDF):
    """An A4 FPDF whose content goes in through `tagged`, `paragraph` and `artifact`."""

    def __init__(self, language: str = "en-GB") -> None:
        super().__init__(format="A4")
        self.set_lang(language)
        self.viewer_preferences = ViewerPreferences(display_doc_title=True)

    @contextmanager
    def tagged(self, kind: str, alt: str | None = None) -> Iterator[None]:
        """What is drawn inside, as one element of kind `kind` (H1, P, Figure…), on
        this page."""
        page = self.page
        mcid = self.struct_builder.next_mcid_for_page(page)
        self._add_marked_content(struct_type=f"/{kind}", mcid=mcid, alt_text=alt)
        self._out(f"/{kind} <</MCID {mcid}>> BDC")
        yield
        if self.page != page:
            raise RuntimeError(f"a tagged {kind} ran onto the next page")
        self._out("EMC")

    @contextmanager
    def artifact(self) -> Iterator[None]:
        """What is drawn inside is layout only: a reader skips it."""
        self._out("/Artifact BMC")
        yield
        self._out("EMC")

    def paragraph(self, words: str, height: float, kind: str = "P", indent: float = 0) -> None:
        """`words` wrapped to the width left, tagged `kind`, never split inside a mark:
        it starts a page when it does not fit, and a longer one goes a page at a time."""
        self.set_x(self.l_margin + indent)
        lines = cast(list[str], self.multi_cell(0, height, words, dry_run=True, output="LINES"))
        while lines:
            room = int((self.page_break_trigger - self.y) / height + 1e-6)
            starting = self.y <= self.t_margin + 1
            if room < 1 or (room < len(lines) and not starting
                            and len(lines) * height <= self.eph):
                self.add_page()  # a page of its own, or the rest of it on the next
                continue
            part, lines = lines[:room], lines[room:]
            with self.tagged(kind):
                self.set_x(self.l_margin + indent)
                self.multi_cell(0, height, "\n".join(part), new_x="LMARGIN", new_y="NEXT")

    def heading(self, words: str, level: int, height: float) -> None:
        self.paragraph(words, height, HEADINGS[level])

    def footer(self) -> None:
        with self.artifact():
            self.page_footer()

    def page_footer(self) -> None:
        """What each page's foot shows: nothing unless a pack says."""

    def tagged_contents(self, render: Callable[[TaggedPDF, list[OutlineSection]], None]) -> None:
        """A contents page, filled in at the end (when the page numbers are known) but read
        where it stands: its elements are moved to this place in the reading order."""
        at = len(self.struct_builder.doc_struct_elem.k)

        def in_place(pdf: FPDF, outline: list[OutlineSection]) -> None:
            kids = self.struct_builder.doc_struct_elem.k
            before = len(kids)
            render(self, outline)
            made = kids[before:]
            del kids[before:]
            kids[at:at] = made

        self.insert_toc_placeholder(in_place)
