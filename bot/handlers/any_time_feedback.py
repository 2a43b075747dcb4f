"""Feedback at any time: the words are kept at once, then the person says what kind it is
and gets a reference."""

from __future__ import annotations

from telegram import Update

from carebot.bot.buttons import KindButton, one_per_row
from carebot.bot.context import Context
from carebot.bot.handlers.common import Said, answer_query, forged, note, remove_buttons, reply
from carebot.bot.handlers.declared import on_person_tap
from carebot.bot.incoming_words import take_words
from carebot.bot.outbox_sender import send_pending
from carebot.conversations import feedback
from carebot.conversations.texts import text
from carebot.storage import alerts, directory, issues
from carebot.storage.models import EventKind, Issue, IssueKind, Person
from carebot.workflow.issue_messages import new_issue_notices, saved_words


async def new_feedback(update: Update, context: Context, person: Person, said: Said, *,
                       first: str | None = None, forwarded_from: str | None = None) -> None:
    """Keep the words as new feedback and ask what kind it is (a worry is a problem at
    once). `first` is said before that, e.g. why a reply was not taken as an answer.

    Someone else's message that the person forwarded (`forwarded_from`: who wrote it)
    is kept as feedback they passed on, marked so for staff, reports and /mydata, and
    read like any words: a threat passed on is still a worry for someone's safety, so
    it raises an alert, which says the words were forwarded. It never answers a
    check-in question: the person did not write it to us."""
    rt = context.runtime
    if person.service_id is None:
        await reply(rt, update, text("odd.not_allowed"))
        return
    now = rt.clock.now()
    issue = await issues.raise_issue(
        rt.db, raised_by_id=person.id, service_id=person.service_id, text=said.words,
        now=now, media_file_id=said.media_file_id,
        message_id=said.message_id, forwarded_from=forwarded_from,
    )
    told = await take_words(context.bot, rt, person, said.words, issue_id=issue.id)
    await note(rt, update, EventKind.ISSUE_RAISED, person,
               detail=issue.reference if forwarded_from is None else f"{issue.reference} passed on")
    if forwarded_from is not None:
        first = text("feedback.forwarded", origin=forwarded_from)
    if told is not None:  # a worry for someone's safety is a problem: never "a thank you?"
        await _a_problem_at_once(update, context, person, issue, told, first)
        return
    kinds = one_per_row([(KindButton(issue.id, kind), label)
                         for kind, label in feedback.kind_buttons()])
    asked = text("feedback.kind")
    await reply(rt, update, asked if first is None else f"{first}\n\n{asked}",
                reply_markup=kinds)


async def _a_problem_at_once(update: Update, context: Context, person: Person, issue: Issue,
                             told: str, first: str | None) -> None:
    """Words that raised an alert are kept as a problem without asking, and the person
    is told who has them: the duty team (as the alert's reply said), and the provider and
    council, or, when the words accuse someone paid to care, the council's safeguarding
    team, the provider hearing only that there is a problem."""
    rt = context.runtime
    held = await alerts.held_from_provider(rt.db, issue.id)
    tell = await new_issue_notices(rt.db, issue, person, IssueKind.PROBLEM, names_staff=held)
    await issues.set_issue_kind(rt.db, issue.id, person.id, IssueKind.PROBLEM,
                                rt.clock.now(), tell=tell)
    service = await directory.get_service(rt.db, issue.service_id)
    assert service is not None
    kept = text("feedback.risk_kept_council" if held else "feedback.risk_kept",
                reference=issue.reference,
                provider=service.provider_name)
    # What the person must know about their safety comes first.
    await reply(rt, update, "\n\n".join(part for part in (told, first, kept) if part))
    await send_pending(context.bot, rt)  # staff hear of it now


@on_person_tap(KindButton)
async def kind_tap(update: Update, context: Context, tap: KindButton,
                   person: Person) -> None:
    rt = context.runtime
    if tap.kind not in feedback.KINDS:
        await forged(update, context, person, f"kind {tap.kind}")
        return
    kind = IssueKind(tap.kind)
    raised = await issues.get_issue(rt.db, tap.issue_id)
    tell = await new_issue_notices(rt.db, raised, person, kind) if raised is not None else []
    issue = await issues.set_issue_kind(rt.db, tap.issue_id, person.id, kind, rt.clock.now(),
                                        tell=tell)
    if issue is None:
        await answer_query(update, text("checkin.already_answered"))
        return
    await answer_query(update)
    await remove_buttons(update)
    await reply(rt, update, await saved_words(rt.db, issue))
    if tell:
        await send_pending(context.bot, rt)  # staff hear of a new problem now
