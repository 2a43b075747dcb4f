"""`/mydata` shows a person everything carebot keeps about them; `/forget` deletes their
name and words after they say yes."""

from __future__ import annotations

import json

from telegram import Update

from bot.buttons import ForgetButton, one_per_row
from bot.context import Context
from bot.handlers.common import (
    answer_query,
    note,
    on_tap,
    remove_buttons,
    reply,
    sender_of,
    warn_if_duty_contact,
)
from conversations.texts import text
from storage import privacy
from storage.models import EventKind, PersonStatus


def kept_for(months: int) -> str:
    """How long words are kept, as a person would say it: "2 years", "18 months"."""
    if months == 12:
        return text("period.one_year")
    if months % 12 == 0:
        return text("period.years", years=months // 12)
    return text("period.months", months=months)


async def mydata_command(update: Update, context: Context) -> None:
    rt = context.runtime
    person = await sender_of(update, rt)
    if person is None or person.status is PersonStatus.FORGOTTEN:
        await reply(rt, update, text("odd.not_enrolled"))
        return
    held = await privacy.data_about(rt.db, person.id)
    await note(rt, update, EventKind.MYDATA, person)
    await reply(rt, update, text("mydata.summary", name=person.display_name,
                             checkins=sum(held["checkins"].values()),
                             answers=len(held["answers"]), messages=len(held["messages"]),
                             kept_for=kept_for(rt.config.retention_months)))
    if update.effective_chat is not None:
        held["words_kept_for"] = kept_for(rt.config.retention_months)
        content = json.dumps(held, ensure_ascii=False, indent=2, default=str).encode()
        await context.bot.send_document(update.effective_chat.id, content,
                                        filename="my-carebot-data.json")


async def forget_command(update: Update, context: Context) -> None:
    rt = context.runtime
    person = await sender_of(update, rt)
    if person is None:
        await reply(rt, update, text("odd.not_enrolled"))
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
    if not tap.agreed:
        await reply(rt, update, text("forget.kept"))
        return
    await warn_if_duty_contact(update, rt, person, gone=True)
    await privacy.forget(rt.db, person.id, rt.clock.now())
    await reply(rt, update, text("forget.done"))
