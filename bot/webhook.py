"""Updates by webhook: Telegram POSTs each update to `webhook_url`, and is answered 200
only once the update is kept (bot/inbox.py), so one Telegram lets go of is never lost to
a crash. PTB's own webhook server answers before the update is kept, and answers an
update it cannot read with 400 after logging it whole (people's words): Telegram then
sends it again and again while everything after it waits (issue 26). Here a request
without this start's secret token is refused (403), another path is not found (404), and
an update that cannot be read is kept by its id alone and answered 200, so the rest move
on. This is PTB's documented way to run a custom webhook server: updates go into the
Application's update queue; the Application is started and stopped here."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import secrets
from urllib.parse import urlsplit

from aiohttp import web

from carebot.bot.context import CarebotApplication
from carebot.bot.inbox import DurableUpdateQueue, readable
from carebot.bot.telegram_bot import UPDATES_WANTED
from carebot.settings.config import Config, listen_address

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
LARGEST_UPDATE = 1 << 20  # bytes: Telegram's updates are far smaller


def _receiver(app: CarebotApplication, path: str, secret: str) -> web.Application:
    inbox = app.update_queue
    assert isinstance(inbox, DurableUpdateQueue)

    async def receive(request: web.Request) -> web.Response:
        if not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
            return web.Response(status=403)
        try:
            raw = json.loads(await request.read())
        except ValueError:
            raw = None
        if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
            log.error("a webhook request that is not an update was refused")
            return web.Response(status=400)
        update = readable(raw, app.bot)
        if update is None:
            await inbox.receive(raw["update_id"], None)
        else:
            await inbox.put(update)
        return web.Response()

    server = web.Application(client_max_size=LARGEST_UPDATE)
    server.router.add_post(path, receive)
    return server


async def serve_webhook(app: CarebotApplication, config: Config,
                        stopped: asyncio.Event) -> None:
    """Run the Application on updates by webhook until `stopped` is set, starting and
    stopping it in the order `Application.run_webhook` does."""
    assert config.webhook_url is not None
    secret = secrets.token_urlsafe(32)  # new each start: an old one lets nobody in
    await app.initialize()
    try:
        if app.post_init is not None:
            await app.post_init(app)
        receiver = _receiver(app, urlsplit(config.webhook_url).path, secret)
        runner = web.AppRunner(receiver, access_log=None)
        await runner.setup()
        host, port = listen_address(config)
        await web.TCPSite(runner, host, port).start()
        await app.bot.set_webhook(config.webhook_url, secret_token=secret,
                                  allowed_updates=list(UPDATES_WANTED))
        await app.start()
        log.info("receiving updates by webhook at %s", config.webhook_url)
        await stopped.wait()
        await runner.cleanup()  # no more updates come in; those queued are handled
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
    finally:
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)
