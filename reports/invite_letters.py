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
from babel.dates import format_date

from carebot.conversations.texts import text
from carebot.reports.pdf_fonts import FONT, add_fonts, printable
from carebot.reports.tagged_pdf import TaggedPDF
from carebot.storage.invites import WaitingInvite
from carebot.storage.models import STAFF_ROLES, Role
from carebot.storage.private_files import make_private
from carebot.translations.speaking import language_now, speaking

BODY = 12        # points: the RNIB's smallest for print most people can read
LINE = 5.6       # millimetres between lines of body text (1.3 times the type)
QR_SIZE = 30     # millimetres: a phone reads it from an arm's length
MARGIN = 20
# Where a DL or C5 window envelope shows the address: 20 mm in, 45 mm down (Royal Mail).
ADDRESS_X, ADDRESS_Y = 20, 45
LAST_LINE = 285  # millimetres down an A4 page (297): nothing printed below it
# The languages carebot speaks whose letters the letter's font (Lato) has: Urdu's script
# it has not, so an Urdu speaker's letter is in English (their chats are in Urdu).
PRINTED_LANGUAGES = frozenset({"cy", "pl"})


@dataclass(frozen=True)
class LetterSettings:
    bot_username: str
    controller: str
    privacy_url: str
    made_on: date
    help_contact: str | None = None


def joining_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username}?start={code}"


def long_date(day: date) -> str:
    """7 December 2026, as a letter is dated in England (and in its own language)."""
    return format_date(day, "d MMMM y", locale=language_now())


def _new_pdf() -> TaggedPDF:
    pdf = TaggedPDF()
    pdf.set_title("carebot invite letters")
    pdf.set_author("carebot")
    add_fonts(pdf)
    pdf.set_margins(MARGIN, 15, MARGIN)
    pdf.set_auto_page_break(auto=False, margin=12)  # a printer's edge: nothing past it
    return pdf


def write_letters(invites: list[WaitingInvite], settings: LetterSettings, path: Path,
                  *, reminder: bool = False) -> Path:
    """One page per invite, in the order given, each in the person's language where its
    letter can be printed in it; the file is readable by the service only (it holds codes
    that let anyone join as that person)."""
    pdf = _new_pdf()
    for invite in invites:
        with speaking(_letter_language(invite, settings, reminder)):
            _letter(pdf, invite, settings, reminder)
    make_private(path)
    pdf.output(str(path))
    return path


def _letter_language(invite: WaitingInvite, settings: LetterSettings,
                     reminder: bool) -> str | None:
    """The invite's language if the letter's font has its letters and the letter, in it,
    still fits its page (its words are longer than English); else English (None)."""
    if invite.language not in PRINTED_LANGUAGES:
        return None
    trial = _new_pdf()
    with speaking(invite.language):
        _letter(trial, invite, settings, reminder)
    return invite.language if trial.page_no() == 1 and trial.get_y() <= LAST_LINE else None


def _letter(pdf: TaggedPDF, invite: WaitingInvite, settings: LetterSettings,
            reminder: bool) -> None:
    pdf.add_page()
    council = invite.council or settings.controller
    _head(pdf, invite, council, settings)
    staff = invite.role in STAFF_ROLES
    title = text("letter.title.staff" if staff else "letter.title.carer"
                 if invite.role is Role.CARER else "letter.title",
                 service=invite.service or "")
    if reminder:
        title = text("letter.reminder_title", title=title)
    pdf.set_font(FONT, "B", 18)
    pdf.heading(printable(title), 1, 9)
    pdf.set_font(FONT, size=BODY)
    pdf.paragraph(printable(text("letter.dear", name=invite.display_name or "")), LINE)
    pdf.ln(1)
    if reminder:
        pdf.paragraph(text("letter.reminder"), LINE)
        pdf.ln(1)
    # A reminder says what carebot is in its first sentence only: the page holds the
    # reminder's own words as well, and the first letter said the rest.
    for paragraph in _introduction(invite, council)[:1 if reminder else None]:
        pdf.paragraph(printable(paragraph), LINE)
        pdf.ln(1)
    _how_to_join(pdf, invite, settings, council)
    if not staff:
        _heading(pdf, text("letter.who_sees.heading"))
        pdf.paragraph(printable(text("letter.who_sees", provider=invite.provider or council)),
                      LINE)
        pdf.paragraph(text("letter.no_change"), LINE)
        pdf.set_font(FONT, "B", BODY)
        pdf.paragraph(text("letter.danger"), LINE)
        pdf.set_font(FONT, size=BODY)
        _heading(pdf, text("letter.stop.heading"))
        pdf.paragraph(text("letter.stop"), LINE)
    pdf.paragraph(printable(text("letter.controller", controller=settings.controller,
                                 privacy_url=settings.privacy_url)), LINE)


def _head(pdf: TaggedPDF, invite: WaitingInvite, council: str,
          settings: LetterSettings) -> None:
    """The council's name at the top right; the person's name and address where a window
    envelope shows them; then the date."""
    pdf.set_font(FONT, "B", 14)
    with pdf.tagged("P"):
        pdf.cell(0, 7, printable(council), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, size=BODY)
    pdf.set_y(ADDRESS_Y)
    for line in [invite.display_name or "", *_address_lines(invite.contact)]:
        pdf.paragraph(printable(line), 5, indent=ADDRESS_X - MARGIN)
    pdf.set_y(max(pdf.get_y() + 2, ADDRESS_Y + 28))
    pdf.paragraph(long_date(settings.made_on), LINE)
    pdf.ln(1)


def _introduction(invite: WaitingInvite, council: str) -> list[str]:
    if invite.role is Role.PERSON:
        return [text("letter.intro.person", council=council, service=invite.service),
                text("letter.what.person")]
    if invite.role is Role.CARER:
        helping = ([text("letter.cares_for", person=invite.cares_for)] if invite.cares_for
                   else [])
        return [text("letter.intro.carer", council=council, service=invite.service),
                *helping, text("letter.what.carer")]
    where = invite.service or council
    return [text("letter.intro.staff", where=where),
            text(f"letter.staff.{invite.role.value}", where=where, council=council)]


def _how_to_join(pdf: TaggedPDF, invite: WaitingInvite, settings: LetterSettings,
                 council: str) -> None:
    """The three steps on the left, the QR code beside them on the right; then the
    message to send by hand, on a line of its own so it is typed whole."""
    _heading(pdf, text("letter.how"))
    link = joining_link(settings.bot_username, invite.code)
    top = pdf.get_y()
    pdf.set_right_margin(MARGIN + QR_SIZE + 6)
    for step in (text("letter.step_app"), text("letter.step_scan", link=link),
                 text("letter.step_start")):
        pdf.paragraph(step, LINE)
        pdf.ln(1)
    pdf.set_right_margin(MARGIN)
    pdf.image(_qr_png(link), x=pdf.w - MARGIN - QR_SIZE, y=top, w=QR_SIZE, h=QR_SIZE,
              alt_text=text("letter.qr_alt"))
    pdf.set_y(max(pdf.get_y(), top + QR_SIZE + 1))
    pdf.paragraph(text("letter.by_hand", bot=f"@{settings.bot_username}"), LINE)
    pdf.set_font(FONT, "B", 14)
    pdf.paragraph(f"/start {invite.code}", 7.5, indent=10)
    pdf.set_font(FONT, size=BODY)
    expires = long_date(invite.expires_at.date()) if invite.expires_at else ""
    pdf.paragraph(printable(text("letter.code", code=invite.code, expires=expires,
                                 council=council)), LINE)
    if settings.help_contact:
        pdf.paragraph(printable(text("letter.help", council=council,
                                     contact=settings.help_contact)), LINE)


def _heading(pdf: TaggedPDF, words: str) -> None:
    pdf.ln(1)
    pdf.set_font(FONT, "B", 14)
    pdf.heading(words, 2, 7)
    pdf.set_font(FONT, size=BODY)


def _address_lines(contact: str | None) -> list[str]:
    """An address as the sheet gave it: on its own lines, or one line split at commas."""
    if not contact:
        return []
    lines = contact.splitlines() if "\n" in contact else contact.split(",")
    return [line.strip() for line in lines if line.strip()][:6]


def _qr_png(link: str) -> io.BytesIO:
    image = io.BytesIO()
    segno.make(link, error="m").save(image, kind="png", scale=10, border=4)
    image.seek(0)
    return image
