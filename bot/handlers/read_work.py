"""Staff reading everything people send (/read, issue 29): the unread items at their own
services, the most worrying first, each with who sent it, when, what it answered, the
words or the photo or voice note itself, and buttons: [Read] [Safeguarding concern]
[Raise as a problem], and [Not a concern] when the tagger flagged it. One tap marks a
page read, all but what was flagged and worrying answers, each decided on its own. What
a reader decides is kept beside the words: the tagger learns from it."""

from __future__ import annotations

import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from carebot.bot.buttons import ReadButton, ReadPageButton, keyboard
from carebot.bot.context import Context, Runtime
from carebot.bot.gathering import MEDIA_KINDS
from carebot.bot.handlers.common import answer_query, remove_buttons, reply
from carebot.bot.handlers.declared import notes_of, on_person_command, on_person_tap
from carebot.bot.incoming_words import tagged
from carebot.bot.outbox_sender import send_pending
from carebot.care.alert_policy import reachable
from carebot.care.issue_moves import can_move
from carebot.care.references import alert_reference
from carebot.conversations import fitting, questions
from carebot.conversations.texts import plural, text
from carebot.storage import alerts, audit, directory, drafts, issues, read_list
from carebot.storage.audit import WORDS_SHOWN
from carebot.storage.drafts import Draft
from carebot.storage.models import (
    DraftPurpose,
    IssueKind,
    IssueStatus,
    Person,
    Purpose,
    Role,
    Service,
)
from carebot.storage.outbox import NewMessage, enqueue
from carebot.storage.read_list import Judgement, ReadItem
from carebot.translations.speaking import language_called, speaking
from carebot.translations.written_dates import day_and_month
from carebot.understanding.allegations import names_staff
from carebot.workflow.alert_chain import raise_and_send
from carebot.workflow.issue_messages import move_issue

log = logging.getLogger(__name__)

PAGE = 5  # items shown at a time: a page a reader can take in, and mark read, at once
JUDGED_BY = {"read": Judgement.NO_CONCERN, "not_concern": Judgement.NOT_A_CONCERN}
DONE_WORDS = {"read": "read.done_read", "not_concern": "read.done_not_concern"}


async def readable_services(rt: Runtime, reader: Person) -> dict[int, Service]:
    """The services whose list this reader reads: their own (bot/handlers/owners.py)."""
    return {s.id: s for s in await directory.services_for_staff(rt.db, reader)}


def late_after(rt: Runtime) -> float:
    """Hours after which a commissioner sees an item: twice `read_within_hours`."""
    return 2 * rt.config.read_within_hours


def media_words(item: ReadItem) -> str:
    """What the person sent besides words, in plain words ("a voice note")."""
    kinds = (item.media_kinds or "").replace(" ", "").split(",")
    named = [text(f"media.{kind}") for kind in dict.fromkeys(kinds)
             if f"media.{kind}" in _MEDIA_KEYS]
    return ", ".join(named) or text("media.some")


_MEDIA_KEYS = frozenset(f"media.{kind}" for kind in (*MEDIA_KINDS, "location", "contact"))


def asked(question_key: str, service: str) -> str:
    """A question as the reader needs it: the question, without how to answer it."""
    wording = questions.question(question_key).wording(service)
    return wording.split("?")[0] + "?" if "?" in wording else wording


def item_words(item: ReadItem, timezone: str) -> str:
    """One item as a reader sees it."""
    when = item.arrived_at.astimezone(ZoneInfo(timezone))
    name = (text("who.carer", name=item.person_name, cares_for=item.cares_for_name)
            if item.carer and item.cares_for_name else item.person_name)
    lines = [text("read.from", name=name, date=f"{day_and_month(when)}, {when:%H:%M}")]
    if item.question_key is not None:
        lines.append(text("read.answered",
                          question=asked(item.question_key, item.service_name or "")))
    if item.safety_answer and item.choice is not None:
        lines.append(text("read.safety", answer=text(f"choice.{item.choice}")))
    if item.edited:
        lines.append(text("read.edited"))
    if item.words and item.language:
        lines.append(text("read.language", language=language_called(item.language)))
    if item.words:
        lines.append(f"\"{fitting.shorten(item.words, fitting.TEXT_LIMIT - 600, '…')}\"")
    elif not item.file_ids and not item.safety_answer:
        lines.append(text("read.no_words"))
    if item.file_ids:
        lines.append(text("read.sent_media", what=media_words(item)))
    if item.flagged and not item.safety_answer:
        lines.append(text("read.flagged", why=(item.why or item.risk).replace("_", " ")))
    if item.alert_id is not None:
        lines.append(text("read.alerted", reference=alert_reference(item.alert_id)))
    return "\n\n".join(lines)


def needs_its_own_tap(item: ReadItem) -> bool:
    """Flagged items and worrying answers are decided one by one, never by marking a
    page read."""
    return item.flagged or item.safety_answer


def item_buttons(item: ReadItem) -> InlineKeyboardMarkup:
    actions = ["read", "concern", "problem"]
    if item.flagged:
        actions.append("not_concern")
    return keyboard([[(ReadButton(item.id, action), text(f"read.button.{action}"))]
                     for action in actions])


async def show_media(context: Context, reader: Person, item: ReadItem) -> None:
    """The photo, voice note or file itself, copied from the person's chat, so the reader
    can look or listen in Telegram; said in words if it can no longer be copied."""
    if reader.chat_id is None or item.person_chat is None or item.message_id is None:
        return
    try:
        await context.bot.copy_message(chat_id=reader.chat_id, from_chat_id=item.person_chat,
                                       message_id=item.message_id)
    except TelegramError as error:
        log.info("could not show item %s's media: %s", item.id, error)
        await context.bot.send_message(reader.chat_id,
                                       text("read.media_gone", what=media_words(item)))


async def _show_page(update: Update, context: Context, reader: Person) -> None:
    rt = context.runtime
    services = await readable_services(rt, reader)
    if not services:
        await reply(rt, update, text("read.none_covered"))
        return
    older = None
    if reader.role is Role.COMMISSIONER:  # told of what waits too long, and sees only that
        older = rt.clock.now() - timedelta(hours=late_after(rt))
    page, total = await read_list.unread(rt.db, list(services), limit=PAGE, arrived_before=older,
                                         for_provider=reader.role is Role.PROVIDER)
    if total == 0:
        await reply(rt, update, text("read.none"))
        return
    await reply(rt, update, text("read.header", count=total))
    await audit.record(rt.db, [audit.AuditEvent(WORDS_SHOWN, actor_id=reader.id,
                                                subject_id=item.person_id,
                                                service_id=item.service_id, detail="/read")
                               for item in page], rt.clock.now())
    for item in page:
        await reply(rt, update, item_words(item, rt.config.timezone),
                    reply_markup=item_buttons(item))
        if item.file_ids:
            await show_media(context, reader, item)
    plain = [item.id for item in page if not needs_its_own_tap(item)]
    more = plural("read.more", total - len(page)) if total > len(page) else None
    if not plain:
        await reply(rt, update, more or text("read.each_its_own"))
        return
    await reply(rt, update, more or text("read.page_prompt"),
                reply_markup=keyboard([[(ReadPageButton(*plain), text("read.button.page"))]]))


@on_person_command("read")
async def read_command(update: Update, context: Context, reader: Person) -> None:
    await _show_page(update, context, reader)


@on_person_tap(ReadPageButton)
async def page_tap(update: Update, context: Context, tap: ReadPageButton,
                   reader: Person) -> None:
    rt = context.runtime
    mine = [item for item in [await read_list.get_item(rt.db, i) for i in tap.item_ids]
            if item is not None and await may_read(rt, reader, item)
            and not needs_its_own_tap(item)]
    marked = await read_list.judge(rt.db, [item.id for item in mine], reader_id=reader.id,
                                   judgement=Judgement.NO_CONCERN, now=rt.clock.now())
    # Said on the reader's screen, not as a message: a page read is quick to mark, and
    # its buttons going is the sign it was.
    await answer_query(update, text("read.marked", count=marked))
    await remove_buttons(update)
    await seen(context, reader, mine)


@on_person_tap(ReadButton)
async def item_tap(update: Update, context: Context, tap: ReadButton, reader: Person) -> None:
    rt = context.runtime
    item = await read_list.get_item(rt.db, tap.item_id)
    if item is None:
        await answer_query(update)
        await reply(rt, update, text("read.gone"))
        return
    if tap.action in JUDGED_BY:
        await read_list.judge(rt.db, [item.id], reader_id=reader.id,
                              judgement=JUDGED_BY[tap.action], now=rt.clock.now())
        await answer_query(update, text(DONE_WORDS[tap.action]))  # on screen, as a page's
        await remove_buttons(update)
        await seen(context, reader, [item])
        return
    await answer_query(update)
    if tap.action == "concern":
        await drafts.start_draft(rt.db, person_id=reader.id, purpose=DraftPurpose.READ_CONCERN,
                                 target_id=item.id, now=rt.clock.now())
        await reply(rt, update, text("read.ask_concern"))
    else:
        await remove_buttons(update)
        await reply(rt, update, await raise_problem(context, reader, item))


async def may_read(rt: Runtime, reader: Person, item: ReadItem) -> bool:
    """The item is at one of the reader's services, and (for a provider) not what a
    provider is not shown (storage/read_list.py)."""
    if item.service_id not in await readable_services(rt, reader):
        return False
    return reader.role is not Role.PROVIDER or item.shown_to_provider


async def seen(context: Context, reader: Person, items: list[ReadItem]) -> None:
    """A message (issue) read is seen: the person who sent it hears so, as when it is
    marked seen in /issues, so they are never told nobody has read it."""
    rt = context.runtime
    moved = False
    for item in items:
        issue = None if item.issue_id is None else await issues.get_issue(rt.db, item.issue_id)
        if issue is not None and can_move(issue.status, IssueStatus.SEEN):
            moved |= await move_issue(rt, reader, issue, IssueStatus.SEEN, None) is not None
    if moved:
        await send_pending(context.bot, rt)


async def raise_problem(context: Context, reader: Person, item: ReadItem) -> str:
    """Open a problem from what the person sent, with a reference the person is told, as
    they are when they raise one; what to tell the reader."""
    rt = context.runtime
    if item.service_id is None:
        return text("read.gone")
    if item.issue_id is not None and item.judgement is Judgement.PROBLEM:
        return text("read.already_problem", reference=item.issue_reference)
    service = await directory.get_service(rt.db, item.service_id)
    person = await directory.get_person(rt.db, item.person_id)
    assert service is not None and person is not None
    now = rt.clock.now()
    issue = await issues.raise_issue(
        rt.db, raised_by_id=person.id, service_id=service.id,
        text=item.words or text("read.sent_media", what=media_words(item)), now=now,
        media_file_id=item.file_ids)
    with speaking(person.language):
        told = text("read.problem_for_person", service=service.name, reference=issue.reference)
    tell = [] if person.chat_id is None else [NewMessage(
        person.chat_id, Purpose.ISSUE_NEWS, person_id=person.id, text=told,
        dedupe_key=f"read_problem:{issue.id}")]
    await issues.set_issue_kind(rt.db, issue.id, person.id, IssueKind.PROBLEM, now, tell=tell)
    raised_item = await read_list.item_of_issue(rt.db, issue.id)
    await read_list.judge(rt.db, [item.id, *([raised_item] if raised_item else [])],
                          reader_id=reader.id, judgement=Judgement.PROBLEM, now=now)
    await send_pending(context.bot, rt)
    return text("read.problem_raised", reference=issue.reference, name=person.display_name)


async def preview_concern(rt: Runtime, reader: Person, draft: Draft) -> str | None:
    item = None if draft.target_id is None else await read_list.get_item(rt.db, draft.target_id)
    if item is None or item.service_id is None or not await may_read(rt, reader, item):
        return None
    service = await directory.get_service(rt.db, item.service_id)
    assert service is not None
    return text("read.concern_confirm", service=service.name, note=draft.text)


async def raise_concern(context: Context, update: Update, reader: Person, draft: Draft) -> str:
    """A reader's safeguarding concern: an alert through the same chain as the tagger's
    (duty contact, backup, the council's lead), with the reader's note as its reason."""
    rt = context.runtime
    item = None if draft.target_id is None else await read_list.get_item(rt.db, draft.target_id)
    if item is None or item.service_id is None or draft.text is None:
        return text("draft.gone")
    service = await directory.get_service(rt.db, item.service_id)
    assert service is not None
    now = rt.clock.now()
    known = await alerts.safeguarding_alert_on(rt.db, answer_id=item.answer_id,
                                               issue_id=item.issue_id)
    if known is not None:  # the tagger raised one: the reader's note goes with it
        await alerts.add_note(rt.db, alert_id=known, by_id=reader.id, note=draft.text, now=now)
        await read_list.judge(rt.db, [item.id], reader_id=reader.id,
                              judgement=Judgement.CONCERN, now=now)
        await _tell_holder(context, reader, known, draft.text)
        return text("read.concern_known", reference=alert_reference(known))
    words = item.words or text("read.sent_media", what=media_words(item))
    accused = bool(item.words) and names_staff(item.words or "", await tagged(item.words or ""))
    why = text("alert.part.reader_concern", name=reader.display_name,
               note=draft.text.strip().rstrip("."))
    alert_id, told = await raise_and_send(rt, service, alerts.NewAlert(
        service.id, item.person_id, "concern", why,
        item.answer_id, item.issue_id, names_staff=accused), words)
    await read_list.judge(rt.db, [item.id], reader_id=reader.id, judgement=Judgement.CONCERN,
                          now=now)
    await send_pending(context.bot, rt)
    log.warning("a reader's safeguarding concern: alert %s for service %s",
                alert_reference(alert_id), service.id)
    key = "read.concern_raised" if told is not None else "read.concern_nobody"
    return text(key, reference=alert_reference(alert_id), service=service.name)


async def _tell_holder(context: Context, reader: Person, alert_id: int, note: str) -> None:
    """Whoever holds the alert now hears the reader's note at once."""
    rt = context.runtime
    alert = await alerts.get_alert(rt.db, alert_id)
    holder = reachable(None if alert is None or alert.holder_id in (None, reader.id)
                       else await directory.get_person(rt.db, alert.holder_id))
    if holder is None or holder.chat_id is None:
        return
    with speaking(holder.language):
        words = text("read.note_to_holder", name=reader.display_name,
                     reference=alert_reference(alert_id), note=note)
    await enqueue(rt.db, NewMessage(holder.chat_id, Purpose.ALERT, person_id=holder.id,
                                    text=words), rt.clock.now())
    await send_pending(context.bot, rt)


notes_of(DraftPurpose.READ_CONCERN, preview=preview_concern, send=raise_concern)
