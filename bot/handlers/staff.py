"""`/digest` for those who read digests (commissioners and board members: their
council; providers: their own services): the digest now, for the week so far, the last
full week, or the last four weeks."""

from __future__ import annotations

from datetime import datetime, timedelta

from telegram import Update

from carebot.bot.buttons import CallbackButton, DigestButton, DigestDayButton, one_per_row
from carebot.bot.context import Context, Runtime
from carebot.bot.handlers.common import answer_query, remove_buttons, reply
from carebot.bot.handlers.declared import on_person_command, on_person_tap
from carebot.bot.outbox_sender import send_pending
from carebot.conversations.texts import text
from carebot.reports.weekly import make_digest, queue_digest, week_ending
from carebot.storage import directory
from carebot.storage.models import Person


@on_person_command("digest")
async def digest_command(update: Update, context: Context, person: Person) -> None:
    choices: list[tuple[CallbackButton, str]] = [
        (DigestButton(span), text(f"digest.{span}")) for span in DigestButton.SPANS]
    choices.append((DigestDayButton(), text("digest.change_day")))
    await reply(context.runtime, update, text("digest.which"),
                reply_markup=one_per_row(choices))


def _period(rt: Runtime, span: str, now: datetime) -> tuple[datetime, datetime]:
    if span == "this_week":
        return now - timedelta(days=7), now
    start, end, _ = week_ending(now, rt.config.digest_weekday, rt.config.digest_hour,
                                rt.config.timezone)
    return (start, end) if span == "last_week" else (end - timedelta(weeks=4), end)


@on_person_tap(DigestButton)
async def digest_tap(update: Update, context: Context, tap: DigestButton,
                     person: Person) -> None:
    await answer_query(update)
    await remove_buttons(update)
    rt = context.runtime
    now = rt.clock.now()
    start, end = _period(rt, tap.span, now)
    digest, html_path, csv_path = await make_digest(rt.db, rt.config, person, start, end, now)
    await queue_digest(rt.db, person, digest, html_path, csv_path,
                       key=f"digest-now:{person.id}:{tap.span}:{now.isoformat()}", now=now)
    await send_pending(context.bot, rt)


@on_person_tap(DigestDayButton)
async def digest_day_tap(update: Update, context: Context, tap: DigestDayButton,
                         person: Person) -> None:
    """Show the days, or save the one chosen."""
    await answer_query(update)
    await remove_buttons(update)
    rt = context.runtime
    if tap.weekday is None:
        await reply(rt, update, text("digest.which_day"), reply_markup=one_per_row(
            [(DigestDayButton(day), text(f"choice.day_{day}")) for day in range(7)]))
        return
    await directory.set_digest_weekday(rt.db, person.id, tap.weekday)
    await reply(rt, update, text("digest.day_saved", day=text(f"choice.day_{tap.weekday}")))
