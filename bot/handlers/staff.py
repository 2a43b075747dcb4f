"""Commands for staff: `/digest` sends a digest of the last seven days now."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.context import Context
from bot.handlers.common import note, reply, usable_person
from bot.outbox_sender import send_pending
from conversations.texts import text
from reports.weekly import make_digest, queue_digest
from storage.models import EventKind, Role


async def digest_command(update: Update, context: Context) -> None:
    person = await usable_person(update, context)
    if person is None:
        return
    rt = context.runtime
    if person.role is not Role.COMMISSIONER:
        await note(rt, update, EventKind.NOT_AUTHORISED, person, detail="/digest")
        await reply(rt, update, text("odd.not_allowed"))
        return
    now = rt.clock.now()
    start, end = now - timedelta(days=7), now
    digest, html_path, csv_path = await make_digest(rt.db, rt.config, person, start, end, now)
    await queue_digest(rt.db, person, digest, html_path, csv_path,
                       key=f"digest-now:{person.id}:{now.isoformat()}", now=now)
    await send_pending(context.bot, rt)
