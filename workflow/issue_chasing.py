"""Problems nobody reads are chased, so that none sits at "waiting to be read" for days
while the person who sent it hears nothing. Not marked seen within
`issue_seen_within_days` working days: the provider's staff get a reminder with the
issue's buttons. Within twice that: the council's commissioners are told, and so is the
person. Each step once per wait, recorded with its messages, so a restart repeats none."""

from __future__ import annotations

from datetime import datetime

from carebot.conversations import issue_news
from carebot.storage import alerts, directory, issues
from carebot.storage.issues import ChaseStep
from carebot.storage.models import Issue
from carebot.workflow.given import Given
from carebot.workflow.issue_messages import escalation_messages, reminder_messages

CHASE_BATCH = 100  # problems chased per step in one tick; any more wait for the next


async def problems_due(rt: Given, now: datetime) -> list[tuple[ChaseStep, Issue]]:
    """Each step that is due, reminders first. None outside working hours: they wait."""
    timezone, days = rt.config.timezone, rt.config.issue_seen_within_days
    if not issue_news.may_chase(now, timezone):
        return []
    due: list[tuple[ChaseStep, Issue]] = []
    for step, wait in ((ChaseStep.REMIND, days), (ChaseStep.ESCALATE, 2 * days)):
        since = issue_news.working_days_before(now, wait, timezone)
        due += [(step, issue) for issue in
                await issues.problems_to_chase(rt.db, step, since, limit=CHASE_BATCH)]
    return due


async def chase_one(rt: Given, issue: Issue, step: ChaseStep, now: datetime) -> bool:
    """Take one step for one problem; False if it was seen meanwhile, or taken already."""
    service = await directory.get_service(rt.db, issue.service_id)
    assert service is not None
    if await alerts.held_from_provider(rt.db, issue.id):
        # Words that may accuse the provider's staff: the council's lead has them and
        # decides; the provider cannot be chased for what it may not read.
        return await issues.mark_chased(rt.db, issue, step, [], now)
    make = reminder_messages if step is ChaseStep.REMIND else escalation_messages
    tell = await make(rt.db, issue, service, now, rt.config.timezone)
    return await issues.mark_chased(rt.db, issue, step, tell, now)
