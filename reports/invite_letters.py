"""Invite letters to print and post: one A4 page each, in large plain type, with the
council's name, the person's address when the sheet gave one, what carebot is, a QR
code and the t.me link to join, who sees what they say, and how to stop. Tagged, so a
screen reader reads it in order; the QR code has words for those who cannot see it.

The QR code is made by segno (pure Python, no other dependency, well kept), as a PNG
fpdf2 embeds."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import segno

from carebot.conversations.texts import text
from carebot.reports.pdf_fonts import FONT, add_fonts, printable
from carebot.reports.tagged_pdf import TaggedPDF
from carebot.storage.invites import WaitingInvite
from carebot.storage.models import Role
from carebot.storage.private_files import make_private

BODY = 13        # points: large enough to read without glasses, small enough for a page
LINE = 6.6       # millimetres between lines of body text
QR_SIZE = 40     # millimetres: a phone reads it from an arm's length
MARGIN = 20


@dataclass(frozen=True)
class LetterSettings:
    bot_username: str
    controller: str
    privacy_url: str
    made_on: date


def joining_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def long_date(day: date) -> str:
    """7 December 2026, as a letter is dated in England."""
    return f"{day.day} {day:%B %Y}"


def write_letters(invites: list[WaitingInvite], settings: LetterSettings, path: Path,
                  *, reminder: bool = False) -> Path:
    """One page per invite, in the order given; the file is readable by the service only
    (it holds codes that let anyone join as that person)."""
    pdf = TaggedPDF()
    pdf.set_title("carebot invite letters")
    pdf.set_author("carebot")
    add_fonts(pdf)
    pdf.set_margins(MARGIN, MARGIN, MARGIN)
    pdf.set_auto_page_break(auto=False)
    for invite in invites:
        _letter(pdf, invite, settings, reminder)
    make_private(path)
    pdf.output(str(path))
    return path


def _letter(pdf: TaggedPDF, invite: WaitingInvite, settings: LetterSettings,
            reminder: bool) -> None:
    pdf.add_page()
    council = invite.council or settings.controller
    pdf.set_font(FONT, "B", 14)
    pdf.paragraph(printable(council), 7)
    pdf.set_font(FONT, size=BODY)
    pdf.ln(3)
    for line in _address_lines(invite.contact):
        pdf.paragraph(printable(line), LINE)
    pdf.ln(3)
    pdf.paragraph(long_date(settings.made_on), LINE)
    pdf.ln(4)
    staff = invite.role not in (Role.PERSON, Role.CARER)
    title = text("letter.title.staff" if staff else "letter.title.carer"
                 if invite.role is Role.CARER else "letter.title",
                 service=invite.service or "")
    pdf.set_font(FONT, "B", 20)
    pdf.heading(printable(title), 1, 10)
    pdf.set_font(FONT, size=BODY)
    pdf.ln(2)
    pdf.paragraph(printable(text("letter.dear", name=invite.display_name or "")), LINE)
    pdf.ln(2)
    if reminder:
        pdf.paragraph(text("letter.reminder"), LINE)
        pdf.ln(2)
    for paragraph in _introduction(invite, council):
        pdf.paragraph(printable(paragraph), LINE)
        pdf.ln(2)
    _how_to_join(pdf, invite, settings, council)
    if not staff:
        _heading(pdf, text("letter.who_sees.heading"))
        pdf.paragraph(printable(text("letter.who_sees", provider=invite.provider or council)),
                      LINE)
        _heading(pdf, text("letter.stop.heading"))
        pdf.paragraph(text("letter.stop"), LINE)
    pdf.ln(3)
    pdf.set_font(FONT, size=10)
    pdf.paragraph(printable(text("letter.controller", controller=settings.controller,
                                 privacy_url=settings.privacy_url)), 5)


def _introduction(invite: WaitingInvite, council: str) -> list[str]:
    if invite.role is Role.PERSON:
        return [text("letter.intro.person", council=council, service=invite.service),
                text("letter.what.person")]
    if invite.role is Role.CARER:
        return [text("letter.intro.carer", council=council, service=invite.service),
                text("letter.what.carer")]
    return [text("letter.intro.staff", where=invite.service or council)]


def _how_to_join(pdf: TaggedPDF, invite: WaitingInvite, settings: LetterSettings,
                 council: str) -> None:
    """The three steps on the left, the QR code beside them on the right."""
    _heading(pdf, text("letter.how"))
    link = joining_link(settings.bot_username, invite.code)
    top = pdf.get_y()
    pdf.set_right_margin(MARGIN + QR_SIZE + 6)
    for step in (text("letter.step_app"), text("letter.step_scan", link=link),
                 text("letter.step_start")):
        pdf.paragraph(step, LINE)
        pdf.ln(1.5)
    pdf.set_right_margin(MARGIN)
    pdf.image(_qr_png(link), x=pdf.w - MARGIN - QR_SIZE, y=top, w=QR_SIZE, h=QR_SIZE,
              alt_text=text("letter.qr_alt"))
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE + 2))
    pdf.paragraph(text("letter.by_hand", bot=f"@{settings.bot_username}", code=invite.code),
                  LINE)
    pdf.ln(1.5)
    expires = long_date(invite.expires_at.date()) if invite.expires_at else ""
    pdf.set_font(FONT, "B", BODY)
    pdf.paragraph(printable(text("letter.code", code=invite.code, expires=expires,
                                 council=council)), LINE)
    pdf.set_font(FONT, size=BODY)


def _heading(pdf: TaggedPDF, words: str) -> None:
    pdf.ln(2)
    pdf.set_font(FONT, "B", 14)
    pdf.heading(words, 2, 7.5)
    pdf.set_font(FONT, size=BODY)


def _address_lines(contact: str | None) -> list[str]:
    """An address as the sheet gave it: on its own lines, or one line split at commas."""
    if not contact:
        return []
    lines = contact.splitlines() if "\n" in contact else contact.split(",")
    return [line.strip() for line in lines if line.strip()][:7]


def _qr_png(link: str) -> io.BytesIO:
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=10, border=4)
    image.seek(0)
    return image
