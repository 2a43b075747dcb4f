"""`build_application`: the one place the bot is wired together, so production, the demo
and the tests all run the very same Application."""

from __future__ import annotations

import asyncio
import logging

from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from bot.context import Runtime, install, runtime_in
from bot.flood import FloodLimits
from bot.handlers.controls import (
    checkin_now_command,
    commands_for,
    pause_command,
    resume_command,
    schedule_command,
    stop_command,
)
from bot.handlers.enrolment import start
from bot.handlers.general import (
    button_tap,
    edited_message,
    help_command,
    media_message,
    on_error,
    text_message,
    unknown_command,
)
from bot.handlers.privacy import forget_command, mydata_command
from bot.handlers.staff import digest_command
from bot.handlers.talk import talk_command
from bot.jobs import tick_job
from bot.rate_limit import FloodRateLimiter
from bot.updates import PerChatUpdateProcessor
from settings.clock import Clock
from settings.config import Config
from storage import directory, outbox
from storage.db import Database
from understanding.tagger import default_tagger

log = logging.getLogger(__name__)

async def _post_init(app: Application) -> None:  # type: ignore[type-arg]
    rt = runtime_of_app(app)
    released = await outbox.release_interrupted(rt.db)
    if released:
        log.warning("%s messages were being sent when we last stopped; sending again",
                    released)
    await app.bot.set_my_commands(commands_for(None))
    for service in await directory.services_without_reachable_duty_contact(rt.db):
        log.warning("service %s (%s) has no reachable duty contact: its safeguarding alerts "
                    "would reach nobody", service.id, service.name)
    # Load the tagger now, so the first person to write does not wait for it.
    await asyncio.to_thread(default_tagger)
    assert app.job_queue is not None
    app.job_queue.run_repeating(tick_job, interval=rt.config.tick_seconds, first=0.05,
                                name="tick", job_kwargs={"max_instances": 1,
                                                         "coalesce": True})


def runtime_of_app(app: Application) -> Runtime:  # type: ignore[type-arg]
    return runtime_in(app.bot_data)


def build_application(config: Config, db: Database, clock: Clock) -> Application:  # type: ignore[type-arg]
    if not config.token:
        raise ValueError("no bot token: set CAREBOT_TOKEN, or run `carebot demo`")
    builder = (
        ApplicationBuilder()
        .token(config.token)
        .rate_limiter(FloodRateLimiter(FloodLimits(seconds=config.flood_window_seconds)))
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
    )
    if config.base_url:
        root = config.base_url.removesuffix("/bot")
        builder = builder.base_url(f"{root}/bot").base_file_url(f"{root}/file/bot")
    app = builder.build()
    install(app.bot_data, Runtime(config=config, db=db, clock=clock))
    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("help", help_command))
    app.add_handler(CommandHandler("talk", talk_command))
    app.add_handler(CommandHandler("digest", digest_command))
    app.add_handler(CommandHandler("checkin", checkin_now_command))
    app.add_handler(CommandHandler("schedule", schedule_command))
    app.add_handler(CommandHandler("pause", pause_command))
    app.add_handler(CommandHandler("resume", resume_command))
    app.add_handler(CommandHandler("stop", stop_command))
    app.add_handler(CommandHandler("mydata", mydata_command))
    app.add_handler(CommandHandler("forget", forget_command))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, edited_message))
    app.add_handler(MessageHandler(filters.COMMAND, unknown_command))
    app.add_handler(CallbackQueryHandler(button_tap))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, text_message))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~filters.TEXT, media_message))
    app.add_error_handler(on_error)
    return app


__all__ = ["build_application", "runtime_of_app"]
