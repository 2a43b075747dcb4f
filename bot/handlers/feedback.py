"""Feedback at any time: the words are kept at once, then the person says what kind it is
and gets a reference."""

from __future__ import annotations

from telegram import Update

from bot.alerts import alert_if_worrying
from bot.buttons import KindTap, kind_markup
from bot.context import runtime_of
from bot.handlers.common import Context, answer_tap, note, remove_buttons, reply
from bot.tagging import tag_and_keep
from conversations import feedback
from conversations.texts import text
from storage import issues
from storage.models import Person


async def new_feedback(update: Update, context: Context, person: Person, words: str) -> None:
    rt = runtime_of(context)
    if person.service_id is None:
        await reply(update, text("odd.not_allowed"))
        return
    now = rt.clock.now()
    issue = await issues.raise_issue(
        rt.db, raised_by_id=person.id, service_id=person.service_id, text=words,
        make_reference=feedback.reference_for, now=now,
    )
    found = await tag_and_keep(rt, words, issue_id=issue.id)
    told = await alert_if_worrying(context.bot, rt, person, words, found, issue_id=issue.id)
    if told is not None:
        await reply(update, told)
    await note(rt, update, "issue_raised", person, detail=issue.reference)
    buttons = tuple((choice,) for choice in feedback.kind_buttons())
    await reply(update, text("feedback.kind"), reply_markup=kind_markup(issue.id, buttons))


async def kind_tap(update: Update, context: Context, person: Person, tap: KindTap) -> None:
    rt = runtime_of(context)
    if tap.kind not in feedback.KINDS:
        await note(rt, update, "forged_button", person, detail=f"kind {tap.kind}")
        await answer_tap(update, text("odd.unknown_button"))
        return
    issue = await issues.set_issue_kind(rt.db, tap.issue_id, person.id, tap.kind,
                                        rt.clock.now())
    if issue is None:
        await answer_tap(update, text("checkin.already_answered"))
        return
    await answer_tap(update)
    await remove_buttons(update)
    await reply(update, text("feedback.saved", reference=issue.reference))
