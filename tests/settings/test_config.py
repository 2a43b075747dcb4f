"""Settings: defaults run the demo; a TOML file and CAREBOT_* variables override them."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings.config import Config, problems_with


def test_defaults_file_then_environment(tmp_path: Path) -> None:
    settings = tmp_path / "carebot.toml"
    settings.write_text('[carebot]\ntick_seconds = 5\ndatabase = "from-file.sqlite3"\n',
                        encoding="utf-8")
    config = Config.load(settings, environ={"CAREBOT_DATABASE": "from-env.sqlite3"})
    assert config.tick_seconds == 5.0
    assert config.database == Path("from-env.sqlite3")
    assert config.token is None and config.suppression_threshold == 3


def test_unknown_setting_is_refused(tmp_path: Path) -> None:
    settings = tmp_path / "carebot.toml"
    settings.write_text("[carebot]\ntokne = 'x'\n", encoding="utf-8")
    with pytest.raises(ValueError, match="tokne"):
        Config.load(settings, environ={})


@pytest.mark.parametrize(("url", "listen", "wrong"), [
    ("http://carebot.example.org/telegram", "127.0.0.1:8443", "webhook_url"),  # not HTTPS
    ("https://carebot.example.org", "127.0.0.1:8443", "webhook_url"),  # no path to serve
    ("https://carebot.example.org/telegram", "8443", "webhook_listen"),
    ("https://carebot.example.org/telegram", "0.0.0.0:99999", "webhook_listen"),
])
def test_a_webhook_telegram_could_not_reach_is_one_plain_line(url: str, listen: str,
                                                              wrong: str) -> None:
    problems = problems_with(Config(webhook_url=url, webhook_listen=listen))
    assert len(problems) == 1 and problems[0].startswith(wrong)


@pytest.mark.parametrize("url", ["https://carebot.example.org/telegram",
                                 "http://127.0.0.1:8443/telegram"])  # this machine only
def test_a_webhook_telegram_can_reach_is_accepted(url: str) -> None:
    assert problems_with(Config(webhook_url=url, webhook_listen="[::]:8443")) == []
