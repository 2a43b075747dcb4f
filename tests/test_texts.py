"""Every text the bot sends can be filled in and fits in one Telegram message."""

from __future__ import annotations

import string

from conversations.texts import all_texts


def test_every_text_fills_and_fits() -> None:
    for key, template in all_texts():
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
        filled = template.format(**{name: "X" * 40 for name in names})
        assert 1 <= len(filled) <= 4096, key
        assert filled == filled.strip(), key


def test_button_labels_fit_a_phone() -> None:
    for key, words in all_texts():
        if key.startswith(("choice.", "feedback.problem", "feedback.compliment",
                           "feedback.idea", "consent.yes", "consent.no")):
            assert len(words) <= 30, key
