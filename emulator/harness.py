"""The real bot running against the local emulator: one object the demo and the tests
share, to start it, stop it, restart it, and wait until it has finished what it was doing."""

from __future__ import annotations

import asyncio
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import TracebackType

from carebot.bot.application import build_application, runtime_of_app
from carebot.bot.context import CarebotApplication, Runtime
from carebot.bot.flood import FloodLimits
from carebot.bot.jobs import TickReport, run_tick
from carebot.bot.telegram_bot import UPDATES_WANTED
from carebot.emulator.control import add_control_routes
from carebot.emulator.people import SimulatedPerson
from carebot.emulator.server import CALLBACK_EXPIRY_SECONDS, BotApiEmulator
from carebot.settings.clock import Clock
from carebot.settings.config import Config

LOCAL_TOKEN = "1000001:LOCAL-emulator-token-not-a-secret"
# build_application gives the periodic job's first pass 0.05 s; the scheduler skips a
# first pass it could not start within a second. The most to wait for either to be seen.
FIRST_TICK_SECONDS = 30.0
# How often `settle` looks whether the bot is still busy (it must find it idle 3 times
# in a row). Shorter suits a caller that settles after every single tap.
SETTLE_STEP_SECONDS = 0.01


class LocalBot:
    """`async with LocalBot(config, clock) as local:` runs emulator + Application."""

    def __init__(self, config: Config, clock: Clock, *, enforce_flood_limits: bool = True,
                 poll_timeout: float = 1.0,
                 callback_expiry_seconds: float = CALLBACK_EXPIRY_SECONDS,
                 settle_step: float = SETTLE_STEP_SECONDS) -> None:
        self.config = config
        self.clock = clock
        # Messages are dated, and updates aged, by the simulated clock, as a phone would
        # show them; a tap still expires in real seconds.
        self.emulator = BotApiEmulator(
            LOCAL_TOKEN, enforce_flood_limits=enforce_flood_limits,
            limits=FloodLimits(seconds=config.flood_window_seconds),
            clock=lambda: clock.now().timestamp(),
            callback_expiry_seconds=callback_expiry_seconds,
            allow_local_webhook=True,  # nothing leaves this machine
        )
        self.poll_timeout = poll_timeout
        self.settle_step = settle_step
        self._app: CarebotApplication | None = None

    async def __aenter__(self) -> LocalBot:
        await self.emulator.start(
            more_routes=lambda app: add_control_routes(app, self.emulator))
        self.config = replace(self.config, token=LOCAL_TOKEN, base_url=self.emulator.base_url)
        await self.start_bot()
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await self.stop_bot()
        await self.emulator.stop()

    @property
    def app(self) -> CarebotApplication:
        if self._app is None:
            raise RuntimeError("the bot is not running")
        return self._app

    @property
    def runtime(self) -> Runtime:
        return runtime_of_app(self.app)

    async def start_bot(self) -> None:
        app = build_application(self.config, self.clock)
        # The same order as Application.run_polling, which production uses.
        await app.initialize()
        if app.post_init is not None:
            await app.post_init(app)
        before_first_tick = runtime_of_app(app).ops.ticked_at
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0, timeout=int(self.poll_timeout),
                                        drop_pending_updates=False,
                                        allowed_updates=list(UPDATES_WANTED))
        await app.start()
        self._app = app
        # The periodic job's first pass runs 0.05 s after the start: let it begin (it
        # notes the time as it does) and finish, or the scheduler give it up (its next
        # run is then a whole interval away), so that whoever starts the bot decides
        # what happens next, however slow this machine is.
        deadline = time.monotonic() + FIRST_TICK_SECONDS
        while time.monotonic() < deadline:
            if self._first_pass_over(before_first_tick):
                break
            await asyncio.sleep(0.005)
        await self.settle()

    def _first_pass_over(self, before: float) -> bool:
        """The first pass began (it noted the time), or will not run (skipped: the
        scheduler could not start it within its grace, on a busy machine)."""
        if self.runtime.ops.ticked_at != before:
            return True
        jobs = self.app.job_queue.get_jobs_by_name("tick") if self.app.job_queue else ()
        half_interval = timedelta(seconds=self.config.tick_seconds / 2)
        return any(job.next_t is not None and job.next_t > datetime.now(UTC) + half_interval
                   for job in jobs)

    async def stop_bot(self) -> None:
        """Stop as a server process would stop: what is in SQLite stays."""
        if self._app is None:
            return
        app, self._app = self._app, None
        assert app.updater is not None
        # Let the long poll in flight return at once rather than at its time-out.
        stopping = asyncio.create_task(app.updater.stop())
        while not stopping.done():
            self.emulator.release_long_polls()
            await asyncio.sleep(0.01)
        await stopping
        await app.stop()
        if app.post_stop is not None:
            await app.post_stop(app)
        await app.shutdown()
        if app.post_shutdown is not None:
            await app.post_shutdown(app)

    async def restart(self) -> None:
        await self.stop_bot()
        await self.start_bot()

    def person(self, user_id: int, first_name: str = "Sam", *, last_name: str | None = None,
               username: str | None = None,
               language_code: str | None = "en") -> SimulatedPerson:
        return SimulatedPerson(self.emulator, user_id, first_name, last_name=last_name,
                               username=username, language_code=language_code)

    async def tick(self) -> TickReport:
        """Run the periodic job's work now (the JobQueue also runs it on its own)."""
        report = await run_tick(self.app.bot, self.runtime)
        await self.settle()
        return report

    def _busy(self) -> bool:
        app = self.app
        return (
            self.emulator.unconfirmed_updates > 0
            or not app.update_queue.empty()
            or app.update_processor.current_concurrent_updates > 0
            or self.runtime.ticks.lock.locked()
            or self.runtime.send_out.lock.locked()
            or self.runtime.ops.backup_under_way
        )

    async def settle(self, timeout: float = 30.0) -> None:
        """Wait until every update is handled and the periodic job is between runs."""
        deadline = time.monotonic() + timeout
        calm = 0
        while calm < 3:
            if time.monotonic() > deadline:
                raise TimeoutError("the bot did not settle")
            calm = 0 if self._busy() else calm + 1
            await asyncio.sleep(self.settle_step)
