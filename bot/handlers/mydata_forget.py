"""`/mydata` shows anyone everything carebot keeps about them; `/forget` deletes the name
and words of a person or carer after they say yes. Staff records are not deleted from the
chat (bot/menu.py says who may do what): alerts, issue steps and actions name who acted,
and a duty contact gone without a word would leave alerts reaching nobody."""

from __future__ import annotations

import json

from telegram import Update

from carebot.bot.buttons import ForgetButton, one_per_row
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers.common import (
    answer_query,
    note,
    remove_buttons,
    reply,
    sender_of,
    warn_if_duty_contact,
)
from carebot.bot.handlers.declared import on_command, on_tap
from carebot.bot.menu import may_use
from carebot.conversations.texts import plural, text
from carebot.storage import audit, directory, personal_data
from carebot.storage.models import EventKind, Person, PersonStatus


def kept_for(months: int) -> str:
    """How long words are kept, as a person would say it: "2 years", "18 months"."""
    if months % 12 == 0:
        return plural("period.years", months // 12)
    return plural("period.months", months)


@on_command("mydata")
async def mydata_command(update: Update, context: Context) -> None:
    rt = context.runtime
    person = await sender_of(update, rt)
    if person is None or person.status is PersonStatus.FORGOTTEN:
        await reply(rt, update, text("odd.not_enrolled"))
        return
    if not may_use(person.role, "mydata"):
        await _refuse(rt, update, person, "/mydata", text("odd.not_allowed"))
        return
    held = await personal_data.data_about(rt.db, person.id)
    await note(rt, update, EventKind.MYDATA, person)
    if may_use(person.role, "forget"):
        service = (None if person.service_id is None
                   else await directory.get_service(rt.db, person.service_id))
        provider = text("consent.your_provider") if service is None else service.provider_name
        await reply(rt, update, text("mydata.summary", name=person.display_name,
                                     provider=provider,
                                     checkins=sum(held["checkins"].values()),
                                     answers=len(held["answers"]),
                                     messages=len(held["messages"]),
                                     kept_for=kept_for(rt.config.retention_months)))
    else:  # staff: nothing to count, and no /forget to offer
        await reply(rt, update, text("mydata.staff", name=person.display_name))
    if update.effective_chat is not None:
        held["words_kept_for"] = kept_for(rt.config.retention_months)
        content = json.dumps(held, ensure_ascii=False, indent=2, default=str).encode()
        await context.bot.send_document(update.effective_chat.id, content,
                                        filename="my-carebot-data.json")


@on_command("forget")
async def forget_command(update: Update, context: Context) -> None:
    rt = context.runtime
    person = await sender_of(update, rt)
    if person is None:
        await reply(rt, update, text("odd.not_enrolled"))
        return
    if not may_use(person.role, "forget"):
        await _refuse(rt, update, person, "/forget", text("forget.staff"))
        return
    await warn_if_duty_contact(update, rt, person, gone=False)
    choices = [(ForgetButton(True), text("forget.yes")), (ForgetButton(False), text("forget.no"))]
    await reply(rt, update, text("forget.ask"), reply_markup=one_per_row(choices))


@on_tap(ForgetButton)
async def forget_tap(update: Update, context: Context, tap: ForgetButton) -> None:
    rt = context.runtime
    person = await sender_of(update, rt)
    if person is None:
        await answer_query(update, text("odd.unknown_button"))
        return
    await answer_query(update)
    await remove_buttons(update)
    if not may_use(person.role, "forget"):  # forged, or asked before staff were refused
        await _refuse(rt, update, person, "forget button", text("forget.staff"))
        return
    if not tap.agreed:
        await reply(rt, update, text("forget.kept"))
        return
    await warn_if_duty_contact(update, rt, person, gone=True)
    await personal_data.forget(rt.db, person.id, rt.clock.now())
    await audit.record(rt.db, [audit.AuditEvent("forgotten, as they asked", actor_id=person.id,
                                                service_id=person.service_id)],
                       rt.clock.now())
    await reply(rt, update, text("forget.done"))


async def _refuse(rt: Runtime, update: Update, person: Person, what: str, words: str) -> None:
    """Someone whose role may not do `what`: a plain reply, kept in the event log."""
    await note(rt, update, EventKind.NOT_AUTHORISED, person, detail=what)
    await reply(rt, update, words)
