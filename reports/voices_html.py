"""What people said, as the digest's template (templates/digest.html) and the pack show
it: the names of the Working Together for Change questions and of carers' message kinds,
hidden counts in words, and a quote with the words that found its theme marked."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from carebot.reports.voices import Quote

PROMPT_NAMES = {"working": "What is working", "not_working": "What is not working",
                "future": "What matters for the future"}
KIND_NAMES = {"problem": "problems", "compliment": "thank yous", "idea": "ideas",
              "not said": "not said which"}


def marked(quote: Quote) -> Markup:
    """The quote, escaped, with each word that found its theme in <mark>."""
    words = html.escape(quote.text)
    for mark in sorted(quote.marks, key=len, reverse=True):
        words = re.sub(rf"(?<![\w>])({re.escape(html.escape(mark))})(?!\w)",
                       r"<mark>\1</mark>", words, flags=re.IGNORECASE)
    return Markup(words)  # every part of it was escaped above


def shown_count(n: int | None) -> str:
    """A count, or what a reader is told where it is hidden."""
    return "fewer than the threshold" if n is None else str(n)
