"""What happens to a person's own words when they arrive: they are tagged and the tags
kept, and a risk never waits for a digest: worrying words alert the service's duty
contact at once, and the person is told what happens next."""

from __future__ import annotations

import asyncio
import logging

from carebot.bot.context import Runtime
from carebot.bot.outbox_sender import send_pending
from carebot.bot.telegram_bot import CarebotBot
from carebot.care.alert_policy import RiskLevel, reachable_lead
from carebot.care.references import alert_reference
from carebot.conversations.texts import text
from carebot.storage import alerts, directory, edits, tags
from carebot.storage.models import Person, TagKind, TagRecord
from carebot.understanding.allegations import names_staff
from carebot.understanding.any_language import NO_SENTIMENT, tag_words
from carebot.understanding.labels import NO_RISK, RISK_LEVELS
from carebot.understanding.language_detection import ENGLISH
from carebot.understanding.tagger import TAGGER_NAME, Tags
from carebot.workflow.alert_chain import raise_and_send, reachable_chain

log = logging.getLogger(__name__)


async def tagged(words: str) -> Tags:
    """The tags of these words, in whatever language, worked out in a thread: the
    sentence encoder takes tens of milliseconds, and everyone else's updates must not
    wait for it."""
    return await asyncio.to_thread(tag_words, words)


def tag_records(found: Tags) -> list[TagRecord]:
    """One sentiment tag, one per theme, and one risk tag, each with its evidence (words
    not in English: the risk tag alone)."""
    records = [] if found.sentiment == NO_SENTIMENT else [
        TagRecord(TagKind.SENTIMENT, found.sentiment, found.polarity,
                  "; ".join(found.evidence.get("sentiment", ())) or None)]
    records += [TagRecord(TagKind.THEME, theme.id, None, "; ".join(theme.evidence) or None)
                for theme in found.themes]
    # The risk's score ranks the read list; its evidence is why, as the duty worker reads it.
    records.append(TagRecord(TagKind.RISK, found.risk, found.risk_score, found.why or None))
    return records


async def take_words(bot: CarebotBot, rt: Runtime, person: Person, words: str, *,
                     answer_id: int | None = None, issue_id: int | None = None) -> str | None:
    """Tag and keep the words of a stored answer or issue, and raise an alert if they are
    worrying; returns what to tell the person about it, if anything. Words the person
    forwarded are read like their own: a threat passed on is still a worry for someone's
    safety. Its alert says they were passed on (the issue says so: workflow/alert_chain.py)."""
    found = await tagged(words)
    await tags.add_tags(rt.db, tags=tag_records(found), tagger=TAGGER_NAME, now=rt.clock.now(),
                        answer_id=answer_id, issue_id=issue_id)
    if found.language != ENGLISH:
        await tags.set_language(rt.db, found.language, answer_id=answer_id, issue_id=issue_id)
    return await alert_if_worrying(bot, rt, person, words, found, answer_id=answer_id,
                                   issue_id=issue_id)


async def take_edit(bot: CarebotBot, rt: Runtime, person: Person, words: str,
                    message_id: int) -> str | None:
    """A changed message: the new version is kept beside the first, with its own tags, and
    raises an alert if it is more worrying than what it first said; returns what to tell
    the person about that, if anything."""
    found = await tagged(words)
    why = found.why
    edited = await edits.add_edit(
        rt.db, person_id=person.id, message_id=message_id, text=words,
        tags=edits.EditTags(found.sentiment or None, found.risk, why or None), now=rt.clock.now())
    before = edited.first_risk or NO_RISK  # as the first words were tagged when they came
    if RISK_LEVELS.index(found.risk) <= RISK_LEVELS.index(before):
        return None
    return await alert_if_worrying(bot, rt, person, words, found, answer_id=edited.answer_id,
                                   issue_id=edited.issue_id)


async def take_answer_version(bot: CarebotBot, rt: Runtime, person: Person, words: str, *,
                              answer_id: int, message_id: int) -> str | None:
    """New words for an answer that had words already (a reply to its question): kept
    beside it, as an edit is, and an alert if they are more worrying than the first."""
    found = await tagged(words)
    why = found.why
    kept = await edits.add_answer_version(
        rt.db, person_id=person.id, message_id=message_id, answer_id=answer_id, text=words,
        tags=edits.EditTags(found.sentiment or None, found.risk, why or None),
        now=rt.clock.now())
    if RISK_LEVELS.index(found.risk) <= RISK_LEVELS.index(kept.first_risk or NO_RISK):
        return None
    return await alert_if_worrying(bot, rt, person, words, found, answer_id=answer_id)


async def alert_if_worrying(bot: CarebotBot, rt: Runtime, person: Person, words: str,
                            found: Tags, *,
                            answer_id: int | None = None,
                            issue_id: int | None = None) -> str | None:
    """Raise an alert for a concern or urgent risk; returns what to tell the person."""
    if found.risk == NO_RISK or person.service_id is None:
        return None
    service = await directory.get_service(rt.db, person.service_id)
    assert service is not None
    why = found.why
    accused = names_staff(words, found)
    alert_id, told = await raise_and_send(
        rt, service, alerts.NewAlert(service.id, person.id, RiskLevel(found.risk), why,
                                     answer_id, issue_id, names_staff=accused),
        words)
    log.warning("safeguarding %s alert %s for person %s at service %s", found.risk,
                alert_reference(alert_id), person.id, service.id)
    await send_pending(bot, rt)  # now, not at the next tick
    if told is None:
        log.error("safeguarding alert %s for service %s reached nobody: set a reachable "
                  "duty contact for it", alert_reference(alert_id), service.id)
        return text("alert.no_contact")
    council_told = accused and reachable_lead(await reachable_chain(rt, service)) is not None
    return text("alert.person_council" if council_told else "alert.person",
                service=service.name)
