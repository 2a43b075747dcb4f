"""Which worrying words accuse someone paid to care (understanding/allegations.py): those
go to the council's safeguarding team first. Written for the rule's meaning, not taken
from any data set."""

from __future__ import annotations

import pytest

from carebot.understanding.allegations import names_staff
from carebot.understanding.tagger import tag_text


@pytest.mark.parametrize("words", [
    "He says the carer grabbed him and now his arm is bleeding.",
    "The night staff shouted at mum and called her stupid.",
    "Our PA took £40 from dad's wallet.",
    "The support worker pushed her into the chair too hard.",
    "Staff leave him in wet pads all day.",
])
def test_words_that_accuse_paid_staff(words: str) -> None:
    tags = tag_text(words)
    assert tags.risk != "none"
    assert names_staff(words, tags)


@pytest.mark.parametrize("words", [
    "My son took my pension again and there is no food.",   # family: the duty contact's
    "The carer did not turn up on Tuesday and nobody rang.",  # a missed visit: the provider's
    "My carer is lovely, she helped me when I had a bruise.",  # nobody accused
    "I fell in the bathroom last night.",
    "The carer was late today.",
])
def test_words_that_accuse_no_one_paid_to_care(words: str) -> None:
    assert not names_staff(words, tag_text(words))
