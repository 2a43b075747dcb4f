"""/healthz and /metrics on the running bot, asked over HTTP as a container platform and
Prometheus would: healthy only when the database answers, the periodic job runs and the
outbox is not backed up; the reason when not; counters that move as the bot works."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import replace

import aiohttp
import pytest
from prometheus_client.parser import text_string_to_metric_families

from carebot.emulator.harness import LocalBot
from carebot.settings.clock import SimulatedClock
from carebot.settings.config import Config
from carebot.storage import outbox
from carebot.storage.models import Purpose
from tests.engines import file_of
from tests.helpers import REPO, World, enrol, free_port, small_world


@pytest.fixture
async def served(config: Config, clock: SimulatedClock) -> AsyncIterator[LocalBot]:
    port = free_port()
    async with LocalBot(replace(config, health_port=port, tick_seconds=0.3,
                                health_backlog_limit=3), clock) as running:
        await running.settle()
        yield running


async def _ask(local: LocalBot, path: str) -> tuple[int, str]:
    url = f"http://127.0.0.1:{local.config.health_port}{path}"
    async with aiohttp.ClientSession() as web, web.get(url) as answer:
        return answer.status, await answer.text()


async def _healthcheck(local: LocalBot) -> tuple[int, str]:
    """`carebot healthcheck` as its own process, asking this bot's port."""
    asked = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "carebot.cli.main", "healthcheck", cwd=REPO, stdout=subprocess.PIPE,
        env={"PATH": os.environ.get("PATH", ""), "CAREBOT_DATABASE": str(local.config.database),
             "CAREBOT_HEALTH_PORT": str(local.config.health_port)})
    said, _ = await asked.communicate()
    return await asked.wait(), said.decode().strip()


def _samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


async def test_healthy_bot_says_ok(served: LocalBot) -> None:
    assert await _ask(served, "/healthz") == (200, "ok\n")
    status, _ = await _ask(served, "/nothing-here")
    assert status == 404


async def test_a_backed_up_outbox_is_unhealthy_with_the_reason(served: LocalBot) -> None:
    rt = served.runtime
    served.app.job_queue.scheduler.pause()  # type: ignore[union-attr]  # nothing goes out
    for n in range(3):
        await outbox.enqueue(rt.db, outbox.NewMessage(5000 + n, Purpose.TALK_REQUEST,
                                                      text=f"message {n}"), rt.clock.now())
    status, text = await _ask(served, "/healthz")
    assert status == 503 and "3 messages wait to be sent (the limit is 3)" in text
    # What a container's HEALTHCHECK runs says the same, and fails.
    assert await _healthcheck(served) == (1, "Not healthy: 3 messages wait to be sent "
                                             "(the limit is 3)")
    served.app.job_queue.scheduler.resume()  # type: ignore[union-attr]
    await asyncio.sleep(1.0)  # the periodic job sends them
    assert await _ask(served, "/healthz") == (200, "ok\n")


async def test_a_stopped_periodic_job_is_unhealthy_until_it_runs_again(
        served: LocalBot) -> None:
    scheduler = served.app.job_queue.scheduler  # type: ignore[union-attr]
    scheduler.pause()
    await asyncio.sleep(2 * 0.3 + 1.2)  # two ticks, and the lateness allowed
    status, text = await _ask(served, "/healthz")
    assert status == 503 and "the periodic job last ran" in text
    scheduler.resume()
    await asyncio.sleep(0.5)
    assert (await _ask(served, "/healthz"))[0] == 200


async def test_a_database_that_does_not_answer_is_unhealthy(served: LocalBot) -> None:
    held = asyncio.Event()

    async def hold_the_writer() -> None:
        async with served.runtime.db.transaction():
            held.set()
            await asyncio.sleep(3)

    holder = asyncio.create_task(hold_the_writer())
    await held.wait()
    status, text = await _ask(served, "/healthz")
    assert status == 503 and "the database does not answer" in text
    await holder
    await asyncio.sleep(0.5)  # the periodic job, held up too, runs again
    assert (await _ask(served, "/healthz"))[0] == 200


async def test_metrics_count_what_the_bot_did(served: LocalBot) -> None:
    world: World = await small_world(served.runtime.db, served.clock.now())
    person = await enrol(served, world, 801, "Mo")
    person.send_text("The carer was kind today")
    await served.settle()
    status, text = await _ask(served, "/metrics")
    assert status == 200
    seen = _samples(text)
    assert seen[("carebot_updates_handled_total", ())] >= 3  # /start, the tap, the words
    assert seen[("carebot_messages_sent_total", (("purpose", "reply"),))] >= 1
    assert seen[("carebot_outbox_backlog", ())] == 0
    assert seen[("carebot_alerts_open", ())] == 0
    assert ("carebot_alert_oldest_unacknowledged_seconds", ()) in seen
    assert ("carebot_checkins_due", ()) in seen
    assert "Mo" not in text and "kind" not in text  # counts only, never names or words


@pytest.mark.sqlite_only
async def test_a_database_file_deleted_or_replaced_under_the_bot_is_unhealthy(
        served: LocalBot) -> None:
    """What the bot writes to a file no longer on disk nobody reads, and it is lost when
    the bot stops: /healthz says so, by the file's name."""
    file = file_of(served.config)
    wal = file.with_name(file.name + "-wal")
    moved = wal.with_name("moved-aside")
    wal.rename(moved)
    status, text = await _ask(served, "/healthz")
    assert status == 503 and f"{wal} is no longer the file on disk" in text
    moved.rename(wal)
    assert await _ask(served, "/healthz") == (200, "ok\n")
