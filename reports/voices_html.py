"""What people said, as the digest's template (templates/digest.html) and the pack show
it: the names of the Working Together for Change questions and of carers' message kinds,
hidden counts in words, and a quote with the words that found its theme marked."""

from __future__ import annotations

import html
import re

from markupsafe import Markup

from carebot.reports.voices import Quote
from carebot.translations.speaking import language_called

PROMPT_NAMES = {"working": "What is working", "not_working": "What is not working",
                "future": "What matters for the future"}
KIND_NAMES = {"problem": "problems", "compliment": "thank yous", "idea": "ideas",
              "not said": "not yet said which"}


def marked(quote: Quote) -> Markup:
    """The quote, escaped, with each word that found its theme in <mark>."""
    words = html.escape(quote.text)
    for mark in sorted(quote.marks, key=len, reverse=True):
        words = re.sub(rf"(?<![\w>])({re.escape(html.escape(mark))})(?!\w)",
                       r"<mark>\1</mark>", words, flags=re.IGNORECASE)
    return Markup(words)  # every part of it was escaped above


def written_in(quote: Quote) -> str:
    """" (in Welsh)" after a quote not in English, quoted as it was written; else ""."""
    return "" if quote.language is None else f" (in {language_called(quote.language)})"


ONE_KIND = {"problem": "problem", "compliment": "thank you", "idea": "idea",
            "not said": "not yet said which"}


def messages_words(carers: tuple[tuple[str, int], ...]) -> str:
    """'2 problems, 1 thank you and 1 idea': carers' messages by kind, each with its count."""
    said = [f"{n} {ONE_KIND.get(kind, kind) if n == 1 else KIND_NAMES.get(kind, kind)}"
            for kind, n in carers]
    return said[0] if len(said) == 1 else f"{', '.join(said[:-1])} and {said[-1]}"


def shown_count(n: int | None) -> str:
    """A count, or what a reader is told where it is hidden."""
    return "not shown" if n is None else str(n)
