"""Tagging a person's words as they arrive, and keeping the tags, so reports never re-tag."""

from __future__ import annotations

from bot.context import Runtime
from storage import tags
from storage.models import TagRecord
from understanding.tagger import TAGGER_NAME, Tags, tag_text


def tag_records(found: Tags) -> list[TagRecord]:
    """One sentiment tag, one per theme, and one risk tag, each with its evidence."""
    records = [TagRecord("sentiment", found.sentiment, found.polarity,
                         "; ".join(found.evidence.get("sentiment", ())) or None)]
    records += [TagRecord("theme", theme.id, None, "; ".join(theme.evidence) or None)
                for theme in found.themes]
    risk_evidence = "; ".join((*found.risk_reasons, *found.evidence.get("risk", ())))
    records.append(TagRecord("risk", found.risk, None, risk_evidence or None))
    return records


async def tag_and_keep(rt: Runtime, words: str, *, answer_id: int | None = None,
                       issue_id: int | None = None) -> Tags:
    found = tag_text(words)
    await tags.add_tags(rt.db, tags=tag_records(found), tagger=TAGGER_NAME, now=rt.clock.now(),
                        answer_id=answer_id, issue_id=issue_id)
    return found
