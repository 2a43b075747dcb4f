"""`build_application`: the one place the bot is wired together, so production, the demo
and the tests all run the very same Application. Its start-up hook opens the database
and its shut-down hook closes it."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.ext import (
    ApplicationBuilder,
    CallbackQueryHandler,
    ChatMemberHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from carebot.bot.context import (
    CarebotApplication,
    Context,
    Runtime,
    install,
    runtime_if_any,
    runtime_in,
)
from carebot.bot.flood import FloodLimits
from carebot.bot.handlers import (
    action_work,
    alert_work,
    any_time_feedback,
    chat_events,
    checkin_chat,
    enrolment,
    help_and_talk,
    issue_work,
    language_choice,
    mydata_forget,
    note_drafts,
    odd_input,
    own_feedback,
    read_work,
    relay,
    scheduling,
    staff,
    typed_words,
)
from carebot.bot.handlers.declared import COMMANDS, TAPS
from carebot.bot.http import AiohttpRequest
from carebot.bot.inbox import DurableUpdateQueue
from carebot.bot.jobs import tick_job
from carebot.bot.menu import commands_for
from carebot.bot.outbox_sender import finish_sending
from carebot.bot.rate_limit import FloodRateLimiter
from carebot.bot.telegram_bot import UPDATES_WANTED, CarebotBot
from carebot.bot.updates import PerChatUpdateProcessor
from carebot.bot.webhook import serve_webhook
from carebot.operations.health import start_endpoint
from carebot.operations.metrics import Metrics
from carebot.operations.state import Operations
from carebot.settings.clock import Clock
from carebot.settings.config import Config
from carebot.storage import outbox, readiness, running_lock
from carebot.storage.db import open_database
from carebot.storage.sent_journal import SentJournal
from carebot.understanding.tagger import default_tagger

log = logging.getLogger(__name__)

# The handler modules, each declaring its own commands, buttons and staff notes as it is
# imported (bot/handlers/declared.py). Listed here so that importing this module
# declares them all; the order of routing is below, in `_add_handlers`.
HANDLER_MODULES = (
    enrolment, help_and_talk,                   # joining, help, asking to talk
    checkin_chat, scheduling,                   # check-ins and when they come
    any_time_feedback, own_feedback, relay,     # feedback at any time, and its news
    issue_work, alert_work, action_work,        # staff: problems, alerts, "we did"
    read_work,                                  # staff: reading everything people send
    note_drafts, staff,                         # staff: the notes they type, digests
    mydata_forget,                              # what is kept, and forgetting it
    language_choice,                            # their language, and easy read
)


def runtime_of_app(app: CarebotApplication) -> Runtime:
    return runtime_in(app.bot_data)


Hook = Callable[[CarebotApplication], Coroutine[Any, Any, None]]


def _on_start(config: Config, clock: Clock, metrics: Metrics) -> Hook:
    async def post_init(app: CarebotApplication) -> None:
        """Open the database, pick up what the last run left, start the periodic job and
        the health endpoint."""
        lock = running_lock.hold(config.database)  # one bot per database
        try:
            db = await open_database(config.database, config.backup_folder)
        except BaseException:
            lock.release()
            raise
        ops = Operations(metrics=metrics, running_lock=lock,
                         # Only a file's restore reads the journal (on PostgreSQL the
                         # DBA's recovery keeps every row, sent marks and all).
                         sent_journal=(SentJournal(config.journal_folder)
                                       if config.sent_journal and config.database_file
                                       else None))
        rt = Runtime(config=config, db=db, clock=clock, ops=ops)
        install(app.bot_data, rt)
        inbox = app.update_queue
        assert isinstance(inbox, DurableUpdateQueue)
        inbox.attach(db, clock)
        if replayed := await inbox.replay(app.bot):
            log.warning("%s updates were being handled when we last stopped; handling them "
                        "again", replayed)
        released = await outbox.release_interrupted(db)
        if released:
            log.warning("%s messages were being sent when we last stopped; sending again",
                        released)
        await app.bot.set_my_commands(commands_for(None))
        for gap in await readiness.gaps(db, clock.now()):  # what `carebot check` lists
            log.warning("%s To put it right: %s", gap.what, gap.fix)
        # Load the tagger now, so the first person to write does not wait for it.
        await asyncio.to_thread(default_tagger)
        assert app.job_queue is not None
        app.job_queue.run_repeating(tick_job, interval=config.tick_seconds, first=0.05,
                                    name="tick", job_kwargs={"max_instances": 1,
                                                             "coalesce": True})
        rt.ops.endpoint = await start_endpoint(rt)
        log.info("carebot is running on %s; health and metrics %s", config.database,
                 f"on {config.health_host}:{config.health_port}" if config.health_port
                 else "off")
    return post_init


async def _post_stop(app: CarebotApplication) -> None:
    """No new updates or jobs now: let a send-out under way finish what it has in flight,
    while the bot can still reach Telegram."""
    if (rt := runtime_if_any(app.bot_data)) is not None:
        await finish_sending(rt)


async def _post_shutdown(app: CarebotApplication) -> None:
    """Close the database, once everything that could write to it has stopped."""
    rt = runtime_if_any(app.bot_data)
    if rt is None:  # the start failed before there was anything to close
        return
    if rt.ops.endpoint is not None:
        await rt.ops.endpoint.cleanup()
    await rt.db.close()
    if rt.ops.sent_journal is not None:
        rt.ops.sent_journal.close()
    if rt.ops.running_lock is not None:
        rt.ops.running_lock.release()
    log.info("carebot stopped; what was not sent waits in the outbox for the next start")


def _add_handlers(app: CarebotApplication) -> None:
    """Route each update to its handler, in this order; the first that matches takes it."""
    # Everything said in answer is in the sender's language.
    app.add_handler(TypeHandler(Update, language_choice.speak_as_sender), group=-2)
    # Only one-to-one chats: a group or channel is answered once and goes no further.
    app.add_handler(TypeHandler(Update, odd_input.not_one_to_one), group=-1)
    # Someone blocking or unblocking the bot.
    app.add_handler(ChatMemberHandler(chat_events.bot_membership,
                                      ChatMemberHandler.MY_CHAT_MEMBER))
    # Commands, as their modules declared them; a command runs when it is sent, never
    # again when it is changed.
    for name, on_command in COMMANDS.items():
        app.add_handler(CommandHandler(name, on_command, filters.UpdateType.MESSAGE))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED & filters.COMMAND,
                                   chat_events.edited_command))
    app.add_handler(MessageHandler(filters.UpdateType.EDITED, typed_words.edited_message))
    app.add_handler(MessageHandler(filters.COMMAND, odd_input.unknown_command))
    # Taps, one handler per kind of button as declared; anything else is forged or stale.
    for kind, on_tap in TAPS:
        app.add_handler(CallbackQueryHandler(on_tap, pattern=kind.pattern()))
    app.add_handler(CallbackQueryHandler(odd_input.unknown_button))
    # Telegram's own notes in the chat (a pin, a timer) are not words from anyone.
    app.add_handler(MessageHandler(filters.StatusUpdate.ALL, chat_events.chat_note))
    # Words, typed or as a caption, down their sender's route table (typed_words.py);
    # a sticker, voice note or file without words gets its own reply.
    words = filters.TEXT | filters.CAPTION
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & words, typed_words.text_message))
    app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & ~words, odd_input.media_message))
    app.add_error_handler(odd_input.on_error)


def _bot(config: Config, metrics: Metrics) -> CarebotBot:
    assert config.token
    root = (config.base_url or "https://api.telegram.org").removesuffix("/bot")
    return CarebotBot(
        config.token, base_url=f"{root}/bot", base_file_url=f"{root}/file/bot",
        # As ApplicationBuilder would: many sends at once, one long poll; over aiohttp
        # (bot/http.py says why).
        request=AiohttpRequest(256),
        get_updates_request=AiohttpRequest(1),
        rate_limiter=FloodRateLimiter(FloodLimits(seconds=config.flood_window_seconds)),
        on_conflict=metrics.note_conflict,
    )


def build_application(config: Config, clock: Clock) -> CarebotApplication:
    if not config.token:
        raise ValueError("no bot token: set CAREBOT_TOKEN, or run `carebot demo`")
    metrics = Metrics()
    inbox = DurableUpdateQueue()
    app: CarebotApplication = (
        ApplicationBuilder()
        .bot(_bot(config, metrics))
        .update_queue(inbox)
        .context_types(ContextTypes(context=Context))
        .concurrent_updates(PerChatUpdateProcessor(metrics, inbox, lambda u: app.process_update(u)))
        .post_init(_on_start(config, clock, metrics))
        .post_stop(_post_stop)
        .post_shutdown(_post_shutdown)
        .build()
    )
    _add_handlers(app)
    return app


def run(config: Config, clock: Clock, poll_interval: float) -> None:
    """Receive updates until SIGTERM or Ctrl+C: by long polling, or by webhook when
    `webhook_url` is set (bot/webhook.py). Each mode tells Telegram as it starts: polling
    deletes a webhook, a webhook is set with a new secret.

    On the signal the send-out under way stops claiming at once (PTB would first wait
    for the periodic job, and so for the whole send-out, which a container platform
    kills after 10 seconds); what is in flight finishes and is recorded, and the rest
    waits in the outbox for the next start."""
    app = build_application(config, clock)
    if config.webhook_url is None:
        _stop_on_signals(app, app.stop_running)
        app.run_polling(poll_interval=poll_interval, stop_signals=None,
                        allowed_updates=list(UPDATES_WANTED))
        return
    stopped = asyncio.Event()
    _stop_on_signals(app, stopped.set)
    asyncio.run(serve_webhook(app, config, stopped))


def _stop_on_signals(app: CarebotApplication, stop: Callable[[], None]) -> None:
    start = app.post_init
    assert start is not None

    async def post_init(app: CarebotApplication) -> None:
        await start(app)
        loop = asyncio.get_running_loop()
        for signal_number in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signal_number, _stop_soon, app, stop)

    app.post_init = post_init


def _stop_soon(app: CarebotApplication, stop: Callable[[], None]) -> None:
    if (rt := runtime_if_any(app.bot_data)) is not None:
        rt.ops.stopping = True
    stop()


__all__ = ["build_application", "run", "runtime_of_app"]
