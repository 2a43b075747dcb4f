"""Commands for staff: `/digest` sends a digest of the last seven days now."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.digests import make_digest, queue_digest
from bot.handlers.common import Context, note, reply, usable_person
from bot.outbox_sender import send_pending
from bot.runtime import runtime_of
from conversations.texts import text
from storage.models import Role


async def digest_command(update: Update, context: Context) -> None:
    person = await usable_person(update, context)
    if person is None:
        return
    rt = runtime_of(context)
    if person.role is not Role.COMMISSIONER:
        await note(rt, update, "not_authorised", person, detail="/digest")
        await reply(update, text("odd.not_allowed"))
        return
    now = rt.clock.now()
    start, end = now - timedelta(days=7), now
    digest, html_path, csv_path = await make_digest(rt, person, start, end)
    await queue_digest(rt, person, digest, html_path, csv_path,
                       key=f"digest-now:{person.id}:{now.isoformat()}")
    await send_pending(context.bot, rt)
