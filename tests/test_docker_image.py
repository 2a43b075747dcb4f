"""The image itself, built and run by Docker (tests/test_container.py reads the
Dockerfile's promises without Docker): its base made from Debian's own packages by
debootstrap (public image registries are out of reach here, as at many councils), the
project's Dockerfile built on it, run read-only with no capabilities against the
emulator, healthy by its own HEALTHCHECK, and stopped by `docker stop` well within
Docker's 10 seconds, its logs JSON lines without the token.

Needs a Docker daemon and debootstrap (Debian: docker.io, debootstrap) and root; skipped
with the reason where they are missing, unless CAREBOT_REQUIRE_DOCKER=1 (CI), where that
is a failure. The base image is made once per machine and kept (`carebot-test-base`)."""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from carebot.emulator.harness import LOCAL_TOKEN
from carebot.emulator.server import BotApiEmulator
from tests.helpers import REPO, free_port

pytestmark = pytest.mark.slow
BASE = "carebot-test-base:bookworm"
IMAGE = "carebot-test:latest"
# Debian's Python (3.11 on bookworm) with venv, and the certificates to reach PyPI.
PACKAGES = "python3,python3-venv,ca-certificates"


def _docker_missing() -> str | None:
    """Why Docker cannot be used here, or None."""
    for program in ("docker", "debootstrap"):
        if shutil.which(program) is None and not Path(f"/usr/sbin/{program}").exists():
            return f"{program} is not installed (Debian: apt-get install docker.io debootstrap)"
    if os.geteuid() != 0:
        return "building a base with debootstrap needs root"
    answer = subprocess.run(["docker", "info"], capture_output=True, text=True, check=False)
    return None if answer.returncode == 0 else "the Docker daemon is not running (dockerd)"


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    if (missing := _docker_missing()) is not None:
        if os.environ.get("CAREBOT_REQUIRE_DOCKER") == "1":
            pytest.fail(f"the image cannot be built and run: {missing}")
        pytest.skip(f"the image is not built here: {missing}")
    if _docker("image", "inspect", BASE).returncode != 0:
        _make_base()
    built = _docker("build", "-q", "--build-arg", f"BASE={BASE}", "-t", IMAGE, str(REPO))
    assert built.returncode == 0, built.stderr[-3000:]
    yield IMAGE


def _docker(*argv: str, timeout: float = 1200) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["docker", *argv], capture_output=True, text=True, check=False,
                          timeout=timeout)


def _make_base() -> None:
    """A minimal Debian bookworm with Python, from Debian's mirror, imported as an image.
    The machine's own extra certificate authorities (a proxy's) go in with it."""
    sbin = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "root"
        subprocess.run(["debootstrap", "--variant=minbase", f"--include={PACKAGES}",
                        "bookworm", str(root), "http://deb.debian.org/debian"],
                       check=True, capture_output=True, env={**os.environ, "PATH": sbin},
                       timeout=1200)
        extra = Path("/usr/local/share/ca-certificates")
        for certificate in extra.glob("*.crt") if extra.is_dir() else ():
            shutil.copy(certificate, root / "usr/local/share/ca-certificates")
        subprocess.run(["chroot", str(root), "update-ca-certificates"], check=True,
                       capture_output=True, env={**os.environ, "PATH": sbin})
        packed = subprocess.Popen(["tar", "-C", str(root), "-c", "."], stdout=subprocess.PIPE)
        imported = subprocess.run(["docker", "import", "--change", "ENV LANG=C.UTF-8", "-",
                                   BASE], stdin=packed.stdout, capture_output=True, check=False)
        assert packed.wait() == 0 and imported.returncode == 0, imported.stderr


async def test_the_image_runs_healthy_read_only_and_stops_in_time(
        image: str, emulator_for_a_process: BotApiEmulator) -> None:
    name = f"carebot-test-{os.getpid()}"
    health_port = free_port()
    started = _docker(
        "run", "-d", "--name", name, "--network", "host", "--read-only", "--tmpfs", "/tmp",
        "--cap-drop", "ALL", "--security-opt", "no-new-privileges:true",
        "--health-interval", "1s", "--health-start-period", "60s",
        "-e", f"CAREBOT_TOKEN={LOCAL_TOKEN}",
        "-e", f"CAREBOT_BASE_URL={emulator_for_a_process.base_url}",
        "-e", f"CAREBOT_HEALTH_PORT={health_port}", image)
    assert started.returncode == 0, started.stderr
    try:
        health = await _health(name)
        assert health == "healthy", _docker("logs", name).stderr[-3000:]
        assert _docker("exec", name, "id", "-u").stdout.strip() == "10001"  # never root
        began = time.monotonic()
        stopped = _docker("stop", "-t", "10", name)
        took = time.monotonic() - began
        assert stopped.returncode == 0 and took < 10, took
        state = json.loads(_docker("inspect", "-f", "{{json .State}}", name).stdout)
        assert state["ExitCode"] == 0 and not state["OOMKilled"]
        logged = _docker("logs", name)
        lines = [json.loads(line) for line in logged.stderr.splitlines() if line.strip()]
        messages = [line["message"] for line in lines]
        assert any(m.startswith("carebot is running") for m in messages)
        assert messages[-1].startswith("carebot stopped")
        assert LOCAL_TOKEN not in logged.stderr + logged.stdout
    finally:
        _docker("rm", "-f", "-v", name)


async def _health(name: str) -> str:
    """The container's health as Docker judges it by the image's HEALTHCHECK."""
    status = "starting"
    for _ in range(120):
        found = _docker("inspect", "-f", "{{.State.Health.Status}} {{.State.Running}}", name)
        status, running = [*found.stdout.split(), "", ""][:2]
        if status != "starting" or running != "true":
            break
        await asyncio.sleep(0.5)
    return status
