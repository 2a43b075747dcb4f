"""The service's own small web server: `/healthz` for a container platform, a load
balancer or `carebot healthcheck`, and `/metrics` for Prometheus. It listens on 127.0.0.1
by default, so only the machine itself (or a proxy on it) can ask."""

from __future__ import annotations

import asyncio
import logging
import time

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST

from bot.context import Runtime
from storage.vitals import Vitals, vitals

log = logging.getLogger(__name__)
ASK_TIMEOUT = 2.0   # seconds the database has to answer before it counts as not answering
TICK_LATENESS = 1.0  # seconds a tick may run late (a busy loop) before it counts as missed


def ticked(rt: Runtime) -> None:
    """The periodic job was called: noted whether or not a pass was already under way,
    since a long send-out keeps one pass busy while the job itself is alive."""
    rt.ticked_at = time.monotonic()


async def problems(rt: Runtime) -> tuple[list[str], Vitals | None]:
    """Why the service is not healthy (none: it is), and what was read on the way."""
    try:
        now = await asyncio.wait_for(vitals(rt.db, rt.clock.now()), ASK_TIMEOUT)
        await asyncio.wait_for(rt.db.returning("SELECT 1"), ASK_TIMEOUT)  # the writer too
    except Exception as error:  # any failure to answer is the answer
        return [f"the database does not answer ({type(error).__name__})"], None
    found = [f"{name} is no longer the file on disk: what the bot writes there is lost; "
             f"restart it" for name in rt.db.files_not_on_disk()]
    quiet = time.monotonic() - rt.ticked_at
    if quiet > 2 * rt.config.tick_seconds + TICK_LATENESS:
        found.append(f"the periodic job last ran {quiet:.0f} s ago; it should run every "
                     f"{rt.config.tick_seconds:g} s")
    if now.outbox_backlog >= rt.config.health_backlog_limit:
        found.append(f"{now.outbox_backlog} messages wait to be sent (the limit is "
                     f"{rt.config.health_backlog_limit})")
    return found, now


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
    return web.Response(body=rt.metrics.read(now),
                        headers={"Content-Type": CONTENT_TYPE_LATEST})


RUNTIME = web.AppKey("runtime", Runtime)


async def start_endpoint(rt: Runtime) -> web.AppRunner | None:
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
