"""Staff working on feedback inside Telegram: `/issues` lists what is open at their own
services, oldest first, with buttons to mark it seen, in progress, or closed with a note
they type and confirm. Every move tells the person who raised it, in the same
transaction, and is kept in the audit log (issue_updates: who, when, what, note)."""

from __future__ import annotations

from telegram import Update

from carebot.bot.buttons import (
    ISSUE_STAFF,
    IssueButton,
    IssuesPageButton,
    NoticesButton,
    one_per_row,
)
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers.common import (
    answer_query,
    person_in_role,
    remove_buttons,
    reply,
    set_buttons,
)
from carebot.bot.handlers.declared import notes_of, on_person_command, on_person_tap
from carebot.bot.handlers.owners import issue_for
from carebot.bot.keyboards import keyboard_of
from carebot.bot.outbox_sender import send_pending
from carebot.care.issue_moves import MOVES, NOTE_FIRST, STATUS_AFTER_NOTE, can_move
from carebot.conversations import issue_news
from carebot.conversations.texts import plural, text
from carebot.storage import alerts, audit, directory, drafts, issues
from carebot.storage.audit import WORDS_SHOWN
from carebot.storage.drafts import Draft
from carebot.storage.models import DraftPurpose, Issue, IssueStatus, Person, Role
from carebot.workflow.issue_messages import (
    described,
    issue_buttons,
    move_issue,
    organisation_name,
)

PAGE = 5  # issues shown at a time

# What each button does, and which ask for a note first, is in care/issue_moves.py;
# reminders show the same buttons (workflow/issue_messages.py).


async def staff_with_issues(update: Update, context: Context) -> Person | None:
    """The sender, if their role works on issues; otherwise a kind refusal."""
    return await person_in_role(update, context, ISSUE_STAFF, "issues")


async def _show_page(update: Update, rt: Runtime, staff: Person, offset: int) -> None:
    services = {s.id: s for s in await directory.services_for_staff(rt.db, staff)}
    if not services:
        await reply(rt, update, text("issues.none_covered"))
        return
    page, total = await issues.open_issues(rt.db, list(services), limit=PAGE, offset=offset)
    if total == 0:
        await reply(rt, update, text("issues.none"))
        return
    if offset == 0:
        await reply(rt, update, plural("issues.header", total))
    await audit.record(rt.db, [audit.AuditEvent(WORDS_SHOWN, actor_id=staff.id,
                                                subject_id=issue.raised_by_id,
                                                service_id=issue.service_id,
                                                detail=f"/issues {issue.reference}")
                               for issue in page], rt.clock.now())
    for issue in page:
        words = await described(rt.db, issue, services[issue.service_id].name,
                                rt.config.timezone)
        await reply(rt, update, words, reply_markup=keyboard_of(issue_buttons(issue)))
    shown = offset + len(page)
    if shown < total:
        await reply(rt, update, plural("issues.more", total - shown),
                    reply_markup=one_per_row([(IssuesPageButton(shown),
                                               text("issues.more_button"))]))


@on_person_command("issues")
async def issues_command(update: Update, context: Context, staff: Person) -> None:
    await _show_page(update, context.runtime, staff, 0)


@on_person_tap(IssuesPageButton)
async def page_tap(update: Update, context: Context, tap: IssuesPageButton,
                   staff: Person) -> None:
    await answer_query(update)
    await remove_buttons(update)
    await _show_page(update, context.runtime, staff, tap.offset)


async def move(context: Context, staff: Person, issue: Issue, status: IssueStatus,
               note_text: str | None) -> Issue | None:
    """Move the issue on and tell the person who raised it, in one transaction."""
    moved = await move_issue(context.runtime, staff, issue, status, note_text)
    if moved is not None:
        await send_pending(context.bot, context.runtime)
    return moved


@on_person_tap(IssueButton)
async def issue_tap(update: Update, context: Context, tap: IssueButton, staff: Person) -> None:
    rt = context.runtime
    issue = await issues.get_issue(rt.db, tap.issue_id)
    assert issue is not None  # at their services: the guard looked
    await answer_query(update)
    if not can_move(issue.status, MOVES[tap.action]):
        await reply(rt, update, text("issues.moved_on", reference=issue.reference))
        return
    if staff.role is Role.PROVIDER and await alerts.held_from_provider(rt.db, issue.id):
        # It may accuse one of the provider's staff: the council's lead has it first.
        await reply(rt, update, text("issues.held_by_council", reference=issue.reference))
        return
    if tap.action in NOTE_FIRST:
        await drafts.start_draft(rt.db, person_id=staff.id, purpose=NOTE_FIRST[tap.action],
                                 target_id=issue.id, now=rt.clock.now())
        await reply(rt, update, text(f"issues.ask_{tap.action}", reference=issue.reference))
        return
    moved = await move(context, staff, issue, MOVES[tap.action], None)
    if moved is None:
        await reply(rt, update, text("issues.moved_on", reference=issue.reference))
        return
    await set_buttons(update, keyboard_of(issue_buttons(moved)))
    await reply(rt, update, text("issues.moved", reference=moved.reference,
                                 status=issue_news.status_word(moved.status)))


async def preview_note(rt: Runtime, staff: Person, draft: Draft) -> str | None:
    """What the person will be told if the typed note is sent; None if the issue is no
    longer one this member of staff can close."""
    issue = await issue_for(rt, staff, draft.target_id)
    if issue is None or draft.purpose not in STATUS_AFTER_NOTE:
        return None
    service = await directory.get_service(rt.db, issue.service_id)
    assert service is not None
    news = issue_news.news_for_raiser(
        status=STATUS_AFTER_NOTE[draft.purpose], kind=issue.kind, reference=issue.reference,
        organisation=await organisation_name(rt.db, staff, service), note=draft.text)
    return text("draft.confirm", reference=issue.reference, message=news)


async def send_note(context: Context, update: Update, staff: Person, draft: Draft) -> str:
    """Close the issue with the confirmed note; what to tell the member of staff."""
    rt = context.runtime
    issue = await issue_for(rt, staff, draft.target_id)
    moved = None if issue is None else await move(context, staff, issue,
                                                  STATUS_AFTER_NOTE[draft.purpose], draft.text)
    if moved is None:
        return text("draft.gone")
    return text("issues.moved", reference=moved.reference,
                status=issue_news.status_word(moved.status))


notes_of(DraftPurpose.RESOLVE, DraftPurpose.CLOSE, preview=preview_note, send=send_note)


@on_person_command("notices")
async def notices_command(update: Update, context: Context, staff: Person) -> None:
    """A provider chooses: each new problem as it comes, or one summary a day."""
    await reply(context.runtime, update, text("notices.ask"), reply_markup=one_per_row(
        [(NoticesButton(how), text(f"notices.{how}")) for how in ("each", "daily")]))


@on_person_tap(NoticesButton)
async def notices_tap(update: Update, context: Context, tap: NoticesButton,
                      staff: Person) -> None:
    await answer_query(update)
    await directory.set_issue_notices(context.runtime.db, staff.id, tap.how,
                                      context.runtime.clock.now())
    await remove_buttons(update)
    await reply(context.runtime, update, text(f"notices.saved.{tap.how}"))
