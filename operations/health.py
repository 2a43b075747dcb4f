"""The service's own small web server: `/healthz` for a container platform, a load
balancer or `carebot healthcheck`, and `/metrics` for Prometheus. It listens on 127.0.0.1
by default, so only the machine itself (or a proxy on it) can ask."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from carebot.operations.state import Running
from carebot.storage.vitals import Vitals, vitals

log = logging.getLogger(__name__)
ASK_TIMEOUT = 2.0   # seconds the database has to answer before it counts as not answering
TICK_LATENESS = 1.0  # seconds a tick may run late (a busy loop) before it counts as missed
# A message Telegram refused as too long reached nobody: unhealthy for this long after it,
# so that an operator is told even if they look the next morning (docs/deploy.md).
TOO_LONG_SHOWN_FOR = timedelta(hours=24)
# Another program polled with the token this recently: it takes some of people's messages.
CONFLICT_SHOWN_FOR = 300.0  # seconds


def ticked(rt: Running) -> None:
    """The periodic job was called: noted whether or not a pass was already under way,
    since a long send-out keeps one pass busy while the job itself is alive."""
    rt.ops.ticked_at = time.monotonic()


async def problems(rt: Running) -> tuple[list[str], Vitals | None]:
    """Why the service is not healthy (none: it is), and what was read on the way."""
    try:
        now = await asyncio.wait_for(vitals(rt.db, rt.clock.now()), ASK_TIMEOUT)
        await asyncio.wait_for(rt.db.returning("SELECT 1"), ASK_TIMEOUT)  # the writer too
    except Exception as error:  # any failure to answer is the answer
        return [f"the database does not answer ({type(error).__name__})"], None
    found = [f"{name} is no longer the file on disk: what the bot writes there is lost; "
             f"restart it" for name in rt.db.files_not_on_disk()]
    quiet = time.monotonic() - rt.ops.ticked_at
    if quiet > 2 * rt.config.tick_seconds + TICK_LATENESS:
        found.append(f"the periodic job last ran {quiet:.0f} s ago; it should run every "
                     f"{rt.config.tick_seconds:g} s")
    if now.outbox_backlog >= rt.config.health_backlog_limit:
        found.append(f"{now.outbox_backlog} messages wait to be sent (the limit is "
                     f"{rt.config.health_backlog_limit})")
    found += _too_long(rt)
    if rt.ops.metrics.conflict_within(CONFLICT_SHOWN_FOR):
        found.append("another program is taking this bot's updates (Telegram answers "
                     "409 Conflict), so it gets some of what people send: only one carebot "
                     "may run with a token")
    return found, now


def _too_long(rt: Running) -> list[str]:
    refused = rt.ops.metrics.too_long_since(rt.clock.now() - TOO_LONG_SHOWN_FOR)
    if not refused:
        return []
    hours = TOO_LONG_SHOWN_FOR / timedelta(hours=1)
    many = (f"{len(refused)} messages were" if len(refused) > 1 else "1 message was")
    return [f"{many} refused by Telegram as too long in the last {hours:g} hours, the last "
            f"at {refused[-1]:%Y-%m-%d %H:%M} UTC, and reached nobody; the log names each "
            f"by its outbox id"]


async def _healthz(request: web.Request) -> web.Response:
    found, _ = await problems(request.app[RUNTIME])
    if found:
        return web.Response(status=503, text="".join(f"{line}\n" for line in found))
    return web.Response(text="ok\n")


async def _metrics(request: web.Request) -> web.Response:
    rt = request.app[RUNTIME]
    found, now = await problems(rt)
    if now is None:
        return web.Response(status=503, text="".join(f"{line}\n" for line in found))
    return web.Response(body=rt.ops.metrics.read(now),
                        headers={"Content-Type": CONTENT_TYPE_LATEST})


RUNTIME = web.AppKey("running", Running)


async def start_endpoint(rt: Running) -> web.AppRunner | None:
    """Listen on the configured host and port (port 0: not at all). A port already taken
    is logged, not fatal: alerts must still go out without it."""
    if not rt.config.health_port:
        return None
    app = web.Application()
    app[RUNTIME] = rt
    app.router.add_get("/healthz", _healthz)
    app.router.add_get("/metrics", _metrics)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    try:
        await web.TCPSite(runner, rt.config.health_host, rt.config.health_port).start()
    except OSError as error:
        log.error("the health endpoint could not listen on %s:%s (%s); the bot runs on "
                  "without it", rt.config.health_host, rt.config.health_port, error)
        await runner.cleanup()
        return None
    log.info("health on http://%s:%s/healthz and /metrics", rt.config.health_host,
             rt.config.health_port)
    return runner
