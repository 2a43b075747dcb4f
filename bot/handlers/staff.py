"""Commands for staff: `/digest` sends a digest of the last seven days now."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update

from bot.context import Context
from bot.handlers.common import person_in_role
from bot.outbox_sender import send_pending
from reports.weekly import make_digest, queue_digest
from storage.models import Role


async def digest_command(update: Update, context: Context) -> None:
    person = await person_in_role(update, context, (Role.COMMISSIONER, Role.BOARD_MEMBER),
                                  "/digest")
    if person is None:
        return
    rt = context.runtime
    now = rt.clock.now()
    start, end = now - timedelta(days=7), now
    digest, html_path, csv_path = await make_digest(rt.db, rt.config, person, start, end, now)
    await queue_digest(rt.db, person, digest, html_path, csv_path,
                       key=f"digest-now:{person.id}:{now.isoformat()}", now=now)
    await send_pending(context.bot, rt)
