"""`python -m carebot.emulator` serves the Bot API on its own, with the faults asked for."""

from __future__ import annotations

import asyncio
import sys

import aiohttp

from carebot.emulator.harness import LOCAL_TOKEN
from tests.helpers import REPO


async def test_the_emulator_runs_on_its_own_and_injects_faults() -> None:
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "carebot.emulator", "--port", "0", "--fault", "getMe:500:2",
        cwd=REPO, stdout=asyncio.subprocess.PIPE)
    try:
        assert server.stdout is not None
        line = (await server.stdout.readline()).decode()  # "Bot API emulator on http://…"
        base = line.split(" on ")[1].split()[0]
        async with aiohttp.ClientSession() as session:
            codes = []
            for _ in range(2):
                async with session.post(f"{base}{LOCAL_TOKEN}/getMe") as response:
                    codes.append(response.status)
            async with session.get(base.removesuffix("/bot") + "/_emulator/stats") as response:
                stats = (await response.json())["result"]
        assert codes == [200, 500]
        assert stats["faults_injected"] == {"getMe:500": 1}
    finally:
        server.terminate()
        await server.wait()
