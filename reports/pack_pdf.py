"""The provider monitoring pack: an A4 PDF for one provider and a period, for the
monitoring meeting. A cover page, contents, one section per service (its measures and
trends, what people said with redacted quotes, carers' messages, open issues and
alerts, and how quickly staff read what people sent), then the actions agreed and every
open issue, with page numbers.

Made with fpdf2 and the Lato font (SIL Open Font License), both installed from pip; a
character Lato lacks is shown as its plain letter (ş as s), never as a blank."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from fpdf.outline import OutlineSection

from carebot.conversations.texts import text
from carebot.reports.attention import ALL_CLEAR, concerns
from carebot.reports.figures import Digest, ServiceDigest, build_for
from carebot.reports.measures import Measure
from carebot.reports.pdf_fonts import FONT, add_fonts, printable
from carebot.reports.staff_reading import reading_lines
from carebot.reports.tagged_pdf import TaggedPDF
from carebot.reports.trend_chart import (
    HEIGHT,
    WIDTH,
    Dot,
    Line,
    TrendChart,
    last_week_of,
    measure_charts,
    shapes,
    trend_chart,
)
from carebot.reports.voices import Quote
from carebot.reports.voices_html import PROMPT_NAMES, messages_words, shown_count, written_in
from carebot.reports.wording import (
    HEADINGS,
    LIKE_NOTE,
    alert_speed_words,
    alerts_words,
    change_words,
    label_words,
    poor_words,
    privacy_words,
    share_words,
    talks_words,
    theme_words,
)
from carebot.storage import directory
from carebot.storage.db import Database
from carebot.storage.private_files import make_private

BLUE = (29, 112, 184)
GREY = (80, 90, 95)


@dataclass(frozen=True)
class PackTitle:
    provider: str
    start: datetime
    end: datetime
    made_at: datetime


class _Pack(TaggedPDF):
    def page_footer(self) -> None:
        self.set_y(-14)
        self.set_font(FONT, size=8)
        self.set_text_color(*GREY)
        self.cell(0, 8, f"Page {self.page_no()} of {{nb}}", align="C")
        self.set_text_color(0, 0, 0)


def _start(title: PackTitle) -> _Pack:
    pdf = _Pack()
    pdf.set_title(printable(f"Provider monitoring pack: {title.provider}"))
    pdf.set_author("carebot")
    pdf.set_creation_date(title.made_at)  # the report's time, so the same pack is the same file
    add_fonts(pdf)
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    return pdf


KEEP_WITH_HEADING = 25  # mm: a heading with less room than this below it starts a page


def _heading(pdf: _Pack, words: str, size: int = 16, section: bool = False) -> None:
    """A heading, never left alone at the foot of a page."""
    if pdf.will_page_break(size * 0.55 + KEEP_WITH_HEADING):
        pdf.add_page()
    if section:
        pdf.start_section(printable(words))
    pdf.set_font(FONT, "B", size)
    pdf.set_text_color(*BLUE)
    pdf.heading(printable(words), 1 if size > 20 else 2 if section else 3, size * 0.55)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)


def _para(pdf: _Pack, words: str, size: int = 10, style: str = "") -> None:
    pdf.set_font(FONT, style, size)
    pdf.paragraph(printable(words), size * 0.5)
    pdf.ln(1)


def _cover(pdf: _Pack, title: PackTitle, digest: Digest) -> None:
    pdf.add_page()
    pdf.ln(50)
    _heading(pdf, "Provider monitoring pack", 26)
    _para(pdf, title.provider, 18, "B")
    _para(pdf, f"{title.start:%d %B %Y} to {title.end:%d %B %Y}", 14)
    pdf.ln(8)
    _para(pdf, f"Services: {', '.join(s.service for s in digest.services) or 'none'}.")
    _para(pdf, f"Made by carebot on {title.made_at:%d %B %Y}. "
               f"{privacy_words(digest.threshold)}", 9, "I")


def _render_toc(pdf: TaggedPDF, outline: list[OutlineSection]) -> None:
    pdf.set_x(pdf.l_margin)  # the placeholder's page starts wherever the cursor was
    pdf.set_font(FONT, "B", 16)
    pdf.set_text_color(*BLUE)
    with pdf.tagged("H2"):
        pdf.cell(0, 10, "Contents", new_x="LMARGIN", new_y="NEXT")
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(FONT, size=11)
    for entry in outline:
        with pdf.tagged("P"):
            pdf.cell(150, 8, entry.name)
            pdf.cell(0, 8, str(entry.page_number), align="R", new_x="LMARGIN", new_y="NEXT")


def _measure_line(m: Measure, last_week: date) -> str:
    share, poor_share, changed = share_words(m), poor_words(m), change_words(m)
    now = "not shown (too few answered)" if share == "—" else share
    poor = f"; poor {poor_share}" if poor_share not in ("", "—") else ""
    change = f"; since the week before: {changed}" if changed else ""
    return (f"{label_words(m)}: {now}{poor}{change}. Week by week: "
            f"{trend_chart(m, '', last_week).weeks_words}.")


def _titled_quotes(pdf: _Pack, title: str, quotes: tuple[Quote, ...]) -> None:
    """A theme's or a question's line in bold, never left at a page's foot without its
    first quote."""
    if quotes and pdf.will_page_break(KEEP_WITH_HEADING):
        pdf.add_page()
    _para(pdf, title, 10, "B")
    _quotes(pdf, quotes)


CHART_MM = 120 / WIDTH  # the chart's units in millimetres: 120 mm wide
COLOURS = {"axis": GREY, "grid": (221, 221, 221), "median": (212, 53, 28), "data": BLUE}


def _chart(pdf: _Pack, chart: TrendChart) -> None:
    """The chart (reports/trend_chart.py) drawn, as one figure with its words."""
    high = HEIGHT * CHART_MM + 8
    if pdf.will_page_break(high):
        pdf.add_page()
    left, top = pdf.l_margin, pdf.get_y()
    with pdf.tagged("Figure", alt=printable(chart.description)):
        for shape in shapes(chart):
            if isinstance(shape, Line):
                pdf.set_draw_color(*COLOURS[shape.kind])
                pdf.set_line_width(0.6 if shape.kind == "data" else 0.2)
                pdf.set_dash_pattern(*((1.5, 1) if shape.kind == "median" else (0, 0)))
                pdf.line(left + shape.x1 * CHART_MM, top + shape.y1 * CHART_MM,
                         left + shape.x2 * CHART_MM, top + shape.y2 * CHART_MM)
            elif isinstance(shape, Dot):
                pdf.set_fill_color(*BLUE)
                pdf.circle(left + shape.x * CHART_MM, top + shape.y * CHART_MM, 0.9, style="F")
            else:
                pdf.set_font(FONT, size=shape.size * CHART_MM * 2.1)  # in points
                width = pdf.get_string_width(shape.words)
                shift = {"start": 0, "middle": width / 2, "end": width}[shape.anchor]
                pdf.text(left + shape.x * CHART_MM - shift, top + shape.y * CHART_MM,
                         shape.words)
        pdf.set_dash_pattern()
        pdf.set_draw_color(0, 0, 0)
    pdf.set_y(top + HEIGHT * CHART_MM)
    pdf.set_font(FONT, "I", 8)
    pdf.paragraph(printable(". ".join((chart.title, *chart.signals)) + "."), 4)
    pdf.ln(3)


def _quotes(pdf: _Pack, quotes: tuple[Quote, ...]) -> None:
    for quote in quotes:
        pdf.set_font(FONT, "I", 9)
        pdf.paragraph(printable(f"“{quote.text}”{written_in(quote)}"), 4.5, "BlockQuote",
                      indent=6)


def _new_page(pdf: _Pack) -> None:
    """A new page, unless this one has nothing on it yet (as after the contents)."""
    if pdf.get_y() > pdf.t_margin + 1:
        pdf.add_page()


def _voices(pdf: _Pack, s: ServiceDigest) -> None:
    """Themes with quotes, Working Together for Change, carers' messages."""
    if s.voices is None:
        return
    if s.voices.themes:
        _heading(pdf, HEADINGS["talked"], 12)
        for t in s.voices.themes:
            _titled_quotes(pdf, f"{t.name}: {theme_words(t)}.", t.quotes)
    if s.voices.prompted:
        _heading(pdf, HEADINGS["wtfc"], 12)
        for p in s.voices.prompted:
            _titled_quotes(pdf, f"{PROMPT_NAMES[p.prompt]}: {shown_count(p.count)}", p.quotes)
    if s.voices.carers:
        _heading(pdf, HEADINGS["carers"], 12)
        _para(pdf, f"From family and unpaid carers: {messages_words(s.voices.carers)}.")


def _reading(pdf: _Pack, s: ServiceDigest, now: datetime) -> None:
    """How quickly staff read what people sent: every count shown, however small."""
    if s.reading is None:
        return
    _heading(pdf, text("report.read_list.heading"), 12)
    for line in reading_lines(s.reading, now):
        _para(pdf, line)
    _para(pdf, text("report.read_list.about"), 9, "I")


def _service(pdf: _Pack, s: ServiceDigest, digest: Digest) -> None:
    now, end, timezone = digest.made_at, digest.end, digest.timezone
    _new_page(pdf)
    _heading(pdf, s.service, section=True)
    _para(pdf, f"Kind of service: {s.kind}. Check-ins sent {s.checkins_sent}, finished "
               f"{s.checkins_completed}; "
               f"{s.respondents} people answered"
               + ("" if s.measures is None else f" of {s.measures.enrolled} taking part") + ".")
    if s.measures is not None:
        _heading(pdf, HEADINGS["rate"], 12)
        shown = (s.measures.fft, *s.measures.outcomes)
        for m in shown:
            _para(pdf, _measure_line(m, last_week_of(end, timezone)), 9)
        if any(m.like for m in shown):
            _para(pdf, LIKE_NOTE, 8)
        for chart in measure_charts(s.measures, end, timezone, label_words):
            _chart(pdf, chart)
    _voices(pdf, s)
    _heading(pdf, "Alerts, requests to talk and open issues", 12)
    raised, acknowledged = s.alerts
    alerts = (f"{alerts_words(raised, acknowledged)} {alert_speed_words(s.measures)}".strip()
              if raised else "No safeguarding alerts in this period.")
    talks = f" {talks_words(*s.talks)}" if s.talks[0] else ""
    _para(pdf, f"{alerts}{talks} Open issues: {len(s.open_issues)}.")
    _reading(pdf, s, now)


def _actions_and_issues(pdf: _Pack, digest: Digest) -> None:
    _new_page(pdf)
    _heading(pdf, "Actions agreed: you said, we did", section=True)
    actions = [(s.service, a) for s in digest.services for a in s.actions]
    if not actions:
        _para(pdf, "No actions were agreed in this period or the 4 weeks before it.")
    for service, a in actions:
        _para(pdf, f"{service}: you told us {a.you_said}. {a.we_did}")
    pdf.ln(4)
    _heading(pdf, "Open issues", section=True)
    issues = [(s.service, i) for s in digest.services for i in s.open_issues]
    if not issues:
        _para(pdf, "None.")
    for service, issue in sorted(issues, key=lambda pair: -pair[1].age_days):
        _para(pdf, f"{issue.reference} ({issue.kind}) at {service}: {issue.status}, open "
                   f"{issue.age_days} day{'' if issue.age_days == 1 else 's'}.")


def _attention(pdf: _Pack, digest: Digest) -> None:
    """What needs attention first, as the digest opens with it (reports/attention.py)."""
    _heading(pdf, HEADINGS["attention"], section=True)
    found = concerns(digest)
    if not found:
        _para(pdf, ALL_CLEAR)
    for concern in found:
        _para(pdf, f"{concern.service.service}: {'; '.join(concern.reasons)}.")


def write_pack(digest: Digest, title: PackTitle, path: Path) -> Path:
    """Write the pack to `path` (readable by the service only); returns the path."""
    pdf = _start(title)
    _cover(pdf, title, digest)
    pdf.add_page()
    pdf.tagged_contents(_render_toc)  # filled in at the end; then a page break
    _attention(pdf, digest)
    for service in digest.services:
        _service(pdf, service, digest)
    _actions_and_issues(pdf, digest)
    make_private(path)
    pdf.output(str(path))
    return path


async def provider_pack(db: Database, provider_id: int, start: datetime, end: datetime, *,
                        threshold: int, now: datetime, path: Path) -> tuple[str, Path]:
    """Build and write one provider's pack for [start, end); returns its name and the path.
    LookupError if `provider_id` is not a provider."""
    provider = await directory.get_organisation(db, provider_id)
    if provider is None or provider.kind != "provider":
        raise LookupError(f"organisation {provider_id} is not a provider")
    services = await directory.services_of_provider(db, provider.id)
    digest = await build_for(db, title=provider.name, services=services, start=start,
                             end=end, threshold=threshold, now=now)
    title = PackTitle(provider.name, start, end - timedelta(days=1), now)
    return provider.name, write_pack(digest, title, path)
