"""`/action`: a provider or commissioner records what changed because of what people
said, and it goes back to the people of that service. Pick the service, pick the theme
from what came up most in the last four weeks, type what changed, see the message as
people will, and send it. A commissioner may look after a whole council's services, more
than one message's buttons can hold, so they come a page at a time, by name, with [Back]
and [More]."""

from __future__ import annotations

from datetime import timedelta

from telegram import InlineKeyboardMarkup, Update

from carebot.bot.buttons import (
    ActionButton,
    ActionPageButton,
    CallbackButton,
    keyboard,
    one_per_row,
)
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers.common import (
    answer_query,
    forged,
    remove_buttons,
    reply,
    set_buttons,
)
from carebot.bot.handlers.declared import notes_of, on_person_command, on_person_tap
from carebot.bot.handlers.owners import service_for
from carebot.bot.outbox_sender import send_pending
from carebot.conversations.texts import plural, text
from carebot.reports.you_said_we_did import action_words, record_and_send, theme_topic
from carebot.storage import actions, directory, drafts
from carebot.storage.actions import NewAction
from carebot.storage.drafts import Draft
from carebot.storage.models import DraftPurpose, Person, Service
from carebot.understanding.themes import THEME_IDS, themes

RECENT = timedelta(weeks=4)
THEMES_OFFERED = 5
OTHER = "other"
SERVICES_PER_PAGE = 10


async def _choosable(rt: Runtime, staff: Person) -> list[Service]:
    """The services this member of staff may record an action for, by name."""
    services = await directory.services_for_staff(rt.db, staff)
    return sorted(services, key=lambda service: (service.name.casefold(), service.id))


def services_page(services: list[Service], offset: int) -> InlineKeyboardMarkup:
    """A page of services to choose from, one a row, then [Back] and [More] as needed."""
    rows: list[list[tuple[CallbackButton, str]]] = [
        [(ActionButton(service.id), service.name)]
        for service in services[offset:offset + SERVICES_PER_PAGE]]
    turn: list[tuple[CallbackButton, str]] = []
    if offset > 0:
        turn.append((ActionPageButton(max(offset - SERVICES_PER_PAGE, 0)), text("page.back")))
    if offset + SERVICES_PER_PAGE < len(services):
        turn.append((ActionPageButton(offset + SERVICES_PER_PAGE), text("page.more")))
    if turn:
        rows.append(turn)
    return keyboard(rows)


async def _ask_theme(update: Update, rt: Runtime, service: Service) -> None:
    now = rt.clock.now()
    counts = await actions.theme_counts(rt.db, service.id, now - RECENT,
                                        now + timedelta(seconds=1))  # up to this moment
    names = {theme.id: theme.name for theme in themes()}
    top = [theme for theme in counts if theme in names][:THEMES_OFFERED]
    choices = [(ActionButton(service.id, theme), names[theme]) for theme in top]
    choices.append((ActionButton(service.id, OTHER), text("action.other_theme")))
    await reply(rt, update, text("action.pick_theme"), reply_markup=one_per_row(choices))


@on_person_command("action")
async def action_command(update: Update, context: Context, staff: Person) -> None:
    rt = context.runtime
    services = await _choosable(rt, staff)
    if not services:
        await reply(rt, update, text("action.no_services"))
    elif len(services) == 1:
        await _ask_theme(update, rt, services[0])
    else:
        await reply(rt, update, text("action.pick_service"),
                    reply_markup=services_page(services, 0))


@on_person_tap(ActionPageButton)
async def page_tap(update: Update, context: Context, tap: ActionPageButton,
                   staff: Person) -> None:
    """Another page of services, on the same message. Past the end (services gone since,
    or a forged tap): the first page."""
    services = await _choosable(context.runtime, staff)
    await answer_query(update)
    await set_buttons(update, services_page(services, tap.offset
                                            if tap.offset < len(services) else 0))


@on_person_tap(ActionButton)
async def action_tap(update: Update, context: Context, tap: ActionButton,
                     staff: Person) -> None:
    rt = context.runtime
    service = await service_for(rt, staff, tap.service_id)
    assert service is not None  # they look after it: the guard looked
    if tap.theme not in ("", OTHER, *THEME_IDS):
        await forged(update, context, staff, f"action {tap.pack()}")
        return
    await answer_query(update)
    await remove_buttons(update)
    if not tap.theme:
        await _ask_theme(update, rt, service)
        return
    await drafts.start_draft(rt.db, person_id=staff.id, purpose=DraftPurpose.ACTION,
                             target_id=service.id, choice=tap.theme, now=rt.clock.now())
    await reply(rt, update, text("action.ask_did"))


def _new_action(staff: Person, service: Service, draft: Draft) -> NewAction:
    theme = None if draft.choice == OTHER else draft.choice
    you_said = theme_topic(theme) or text("action.said_general")
    return NewAction(service.id, theme, you_said, draft.text or "", staff.id)


async def preview_action(rt: Runtime, staff: Person, draft: Draft) -> str | None:
    service = await service_for(rt, staff, draft.target_id)
    if service is None:
        return None
    action = _new_action(staff, service, draft)
    count = len(await actions.listeners(rt.db, service.id, rt.clock.now(), rt.config.timezone))
    return plural("action.confirm", count, service=service.name,
                message=action_words(service.name, action.you_said, action.we_did))


async def send_action(context: Context, update: Update, staff: Person, draft: Draft) -> str:
    rt = context.runtime
    service = await service_for(rt, staff, draft.target_id)
    if service is None or not draft.text:
        return text("draft.gone")
    _, count = await record_and_send(rt.db, rt.config, _new_action(staff, service, draft),
                                     rt.clock.now())
    await send_pending(context.bot, rt)
    return plural("action.sent", count)


notes_of(DraftPurpose.ACTION, preview=preview_action, send=send_action)
