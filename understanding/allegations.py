"""Whether worrying words accuse someone paid to care (a carer, a member of staff, a
PA) of abuse or neglect: such an alert goes to the council's safeguarding team as well as
the duty contact, and the provider hears of the problem without the person's name or
words until the council releases it, since the provider employs the person accused.

A rule, so it can be read and explained: a clause (up to a comma or full stop) that
holds words the safeguarding cues flagged (understanding/safeguarding.py) also names paid
staff ("my carer is lovely, she helped me when I had a bruise" accuses nobody). Family and friends
are not staff ("my son took my pension" is for the duty contact). A visit missed or late
is the provider's to put right, not an accusation against one person."""

from __future__ import annotations

import re

from carebot.understanding.normalise import plain_words
from carebot.understanding.tagger import Tags

# Abuse by another person, and neglect (the codebook's categories); not self-neglect,
# falls, self-harm or domestic abuse by family.
_ACCUSABLE = frozenset({"physical", "sexual", "financial", "emotional", "restrictive",
                        "discriminatory", "neglect", "exploitation"})
_STAFF = re.compile(
    r"\b(?:carers?|care ?workers?|support ?workers?|key ?workers?|staff|pa|pas|"
    r"personal assistants?|nurses?|agency|manager|helpers?|night ?staff|the girls|"
    r"the lads)\b")
_MISSED_VISIT = re.compile(
    r"\b(?:did ?not|didnt|never|has ?not|hasnt|have ?not|havent) (?:turn up|turned up|come|"
    r"came|show|showed up|arrive|arrived)\b|\blate\b|\bmissed\b|\bno one came\b|"
    r"\bnobody came\b")
_CLAUSE = re.compile(r"[.!?;,\n]+")


def _plain(words: str) -> str:
    """As the safeguarding cues read words (and write their evidence): plain, one case."""
    return " ".join(plain_words(words))


def names_staff(words: str, tags: Tags) -> bool:
    """True if these words, tagged as a risk, accuse someone paid to care."""
    if not _ACCUSABLE.intersection(tags.risk_reasons):
        return False
    flagged = [_plain(phrase) for phrase in tags.evidence.get("risk", ())]
    for clause in map(_plain, _CLAUSE.split(words)):
        if not any(phrase and f" {phrase} " in f" {clause} " for phrase in flagged):
            continue
        if _STAFF.search(clause) and not _MISSED_VISIT.search(clause):
            return True
    return False
