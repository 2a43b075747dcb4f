"""`carebot check`: settings that cannot work (exit 2), then what in the directory would
stop the service doing its job (exit 1 if anything). `carebot run` runs the same checks."""

from __future__ import annotations

import argparse

from carebot.cli import admin
from carebot.cli.registry import command
from carebot.settings.clock import SystemClock
from carebot.settings.config import Config, problems_with
from carebot.storage.readiness import Gap, gaps
from carebot.understanding import encoder, risk_model


def settings_problems(config: Config, *, running: bool) -> list[str]:
    problems = problems_with(config)
    if running and not config.token:
        problems.append("no bot token: set CAREBOT_TOKEN (from @BotFather), "
                        "or try `carebot demo`")
    return problems


@command("check", "check the settings, then list what would stop the service working: alerts "
         "that would reach nobody, invites about to lapse", example="carebot check")
async def check(args: argparse.Namespace) -> int:
    config = admin.config_of(args)
    if problems := settings_problems(config, running=False):
        for problem in problems:
            print(f"setting: {problem}")
        return 2
    async with admin.database(args) as db:
        found = await gaps(db, SystemClock().now())
    loaded = encoder.load()
    if loaded is None:
        found.append(Gap("The sentence encoder is missing or damaged, so risk is read by the "
                         "rules alone and more worries are missed.",
                         "make install (or rebuild the image): it installs "
                         "requirements-encoder.txt"))
    elif loaded.tuning is None and risk_model.load().reads_tuned:
        found.append(Gap(f"The tuned risk reader ({encoder.TUNING_FILE}) is missing, so risk "
                         "is read by the rules alone and more worries are missed.",
                         "reinstall carebot (or rebuild the image): the file comes with it"))
    for gap in found:
        print(f"- {gap.what}\n  To put it right: {gap.fix}")
    things = "1 thing" if len(found) == 1 else f"{len(found)} things"
    print(f"Settings are fine; {things} above to put right." if found
          else "Settings are fine, and nothing stands in the service's way.")
    return 1 if found else 0
