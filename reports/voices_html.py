"""What people said, as HTML: each top theme with its change and quotes (the words that
found the theme marked), the Working Together for Change answers, carers' messages."""

from __future__ import annotations

import html
import re

from carebot.reports.voices import Quote, ServiceVoices, ThemeFigure

PROMPT_NAMES = {"working": "What is working", "not_working": "What is not working",
                "future": "What matters for the future"}
KIND_NAMES = {"problem": "problems", "compliment": "thank yous", "idea": "ideas",
              "not said": "not said which"}


def marked(quote: Quote) -> str:
    """The quote, escaped, with each word that found its theme in <mark>."""
    words = html.escape(quote.text)
    for mark in sorted(quote.marks, key=len, reverse=True):
        words = re.sub(rf"(?<![\w>])({re.escape(html.escape(mark))})(?!\w)",
                       r"<mark>\1</mark>", words, flags=re.IGNORECASE)
    return words


def _quotes(quotes: tuple[Quote, ...]) -> str:
    return "".join(f"<blockquote>“{marked(q)}”</blockquote>" for q in quotes)


def shown_count(n: int | None) -> str:
    """A count, or what a reader is told where it is hidden."""
    return "fewer than the threshold" if n is None else str(n)


def _theme(t: ThemeFigure) -> str:
    change = t.comments - t.last_week
    more = "more" if change > 0 else "fewer"
    said = "the same as" if change == 0 else f"{abs(change)} {more} than"
    return (f"<li><strong>{html.escape(t.name)}</strong>: {t.comments} comments, {said} the "
            f"week before; {t.average:.1f} a week over 8 weeks.{_quotes(t.quotes)}</li>")


def voices_html(v: ServiceVoices) -> list[str]:
    parts = []
    if v.themes:
        parts.append("<h3>What people talked about</h3><ul class='themes'>"
                     + "".join(_theme(t) for t in v.themes) + "</ul>")
    if v.prompted:
        parts.append("<h3>Working Together for Change</h3>" + "".join(
            f"<h4>{PROMPT_NAMES[p.prompt]} ({shown_count(p.count)})</h4>{_quotes(p.quotes)}"
            for p in v.prompted))
    if v.carers:
        kinds = ", ".join(f"{KIND_NAMES.get(k, k)} {shown_count(n)}" for k, n in v.carers)
        about = ", ".join(f"{html.escape(name)} ({shown_count(n)})" for name, n in v.carer_themes)
        parts.append(f"<h3>Carers' messages</h3><p>{kinds}.</p>"
                     + (f"<p>About: {about}.</p>" if about else ""))
    return parts
