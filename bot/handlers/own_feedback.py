"""A person and the feedback they raised: `/mine`, "any news on CB-1001?", and saying
whether the way it was closed was OK (a No opens it again and tells staff)."""

from __future__ import annotations

from telegram import Update

from carebot.bot.buttons import IssueOkButton
from carebot.bot.context import Context
from carebot.bot.handlers.common import answer_query, remove_buttons, reply
from carebot.bot.handlers.declared import on_person_command, on_person_tap
from carebot.bot.outbox_sender import send_pending
from carebot.conversations.issue_news import StatusQuestion, own_issue_line
from carebot.conversations.texts import text
from carebot.storage import directory, issues
from carebot.storage.models import Issue, IssueStatus, Person
from carebot.workflow.issue_messages import organisation_name, reopened_notices

MINE_SHOWN = 10  # the newest this many; older ones are still kept, and in /mydata


async def _line(context: Context, issue: Issue) -> str:
    """One issue as its raiser sees it: status and what staff last said (never the name
    of who said it)."""
    updates = await issues.updates_of(context.runtime.db, issue.id)
    notes = [u.note for u in updates if u.note and u.by_id != issue.raised_by_id]
    return own_issue_line(reference=issue.reference, kind=issue.kind, status=issue.status,
                          raised=issue.created_at, last_note=notes[-1] if notes else None,
                          timezone=context.runtime.config.timezone)


async def show_own(update: Update, context: Context, person: Person,
                   references: tuple[str, ...] = ()) -> None:
    """The person's own feedback, or just the references they asked about. Someone
    else's reference, or one that does not exist, gets the same answer: not found."""
    rt = context.runtime
    if references:
        found = [await issues.issue_by_reference(rt.db, reference) for reference in references]
        for reference, issue in zip(references, found, strict=True):
            if issue is None or issue.raised_by_id != person.id:
                await reply(rt, update, text("mine.not_yours", reference=reference))
        shown = [issue for issue in found if issue is not None and
                 issue.raised_by_id == person.id]
    else:
        shown = await issues.issues_raised_by(rt.db, person.id, limit=MINE_SHOWN)
        await reply(rt, update, text("mine.header") if shown else text("mine.none"))
    for issue in shown:
        await reply(rt, update, await _line(context, issue))


@on_person_command("mine")
async def mine_command(update: Update, context: Context, person: Person) -> None:
    await show_own(update, context, person)


async def answer_question(update: Update, context: Context, person: Person,
                          question: StatusQuestion) -> bool:
    """Answer a person asking about their feedback; False if the words should rather be
    kept as new feedback (they said more than the question, or have raised nothing)."""
    if not question.only_asking:
        return False
    if not question.references and not await issues.issues_raised_by(
            context.runtime.db, person.id, limit=1):
        return False
    await show_own(update, context, person, question.references)
    return True


@on_person_tap(IssueOkButton)
async def ok_tap(update: Update, context: Context, tap: IssueOkButton, person: Person) -> None:
    rt = context.runtime
    issue = await issues.get_issue(rt.db, tap.issue_id)
    assert issue is not None  # they raised it: the guard looked
    now = rt.clock.now()
    if tap.ok:
        done = await issues.record_reply(rt.db, issue_id=issue.id, raised_by_id=person.id,
                                         note=text("issue.ok.yes"), now=now)
        words = text("issue.ok.thanks")
    else:
        tell = await reopened_notices(rt.db, issue, person)
        done = await issues.change_status(
            rt.db, issue_id=issue.id, status=IssueStatus.OPEN, by_id=person.id,
            note=text("issue.ok.no"), tell=tell, now=now)
        service = await directory.get_service(rt.db, issue.service_id)
        assert service is not None
        words = text("issue.ok.reopened", reference=issue.reference,
                     organisation=await organisation_name(rt.db, None, service))
    if done is None:
        await answer_query(update, text("checkin.already_answered"))
        return
    await answer_query(update)
    await remove_buttons(update)
    await reply(rt, update, words)
    await send_pending(context.bot, rt)
