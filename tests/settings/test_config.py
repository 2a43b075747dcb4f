"""Settings: defaults run the demo; a TOML file and CAREBOT_* variables override them."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from carebot.settings.config import Config, problems_with


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
    ("https://carebot.example.org:8080/telegram", "127.0.0.1:8080", "webhook_url"),  # port
    ("https://carebot.example.org:99999/telegram", "127.0.0.1:8443", "webhook_url"),
    ("https://carebot.example.org/telegram", "8443", "webhook_listen"),
    ("https://carebot.example.org/telegram", "0.0.0.0:99999", "webhook_listen"),
])
def test_a_webhook_telegram_could_not_reach_is_one_plain_line(url: str, listen: str,
                                                              wrong: str) -> None:
    problems = problems_with(Config(webhook_url=url, webhook_listen=listen))
    assert len(problems) == 1 and problems[0].startswith(wrong)


@pytest.mark.parametrize("url", ["https://carebot.example.org/telegram",
                                 "https://carebot.example.org:8443/telegram",
                                 "https://carebot.example.org:88/telegram",
                                 "http://127.0.0.1:8443/telegram",  # this machine only
                                 "http://127.0.0.1:41234/telegram"])
def test_a_webhook_telegram_can_reach_is_accepted(url: str) -> None:
    assert problems_with(Config(webhook_url=url, webhook_listen="[::]:8443")) == []


def test_who_is_in_charge_of_data_and_the_privacy_notice_are_checked(tmp_path: Path) -> None:
    """People are told both before they say yes: a name on one line, and an https://
    address; each problem is one line naming the setting."""
    assert problems_with(Config(output_dir=tmp_path)) == []
    config = Config.load(environ={"CAREBOT_DATA_CONTROLLER": "Testshire Council",
                                  "CAREBOT_PRIVACY_NOTICE_URL": "https://testshire.example/p"})
    assert (config.data_controller, config.privacy_notice_url) == (
        "Testshire Council", "https://testshire.example/p")
    for wrong, setting in (({"data_controller": ""}, "data_controller"),
                           ({"data_controller": "A\nB"}, "data_controller"),
                           ({"privacy_notice_url": "http://testshire.example/p"},
                            "privacy_notice_url"),
                           ({"privacy_notice_url": "testshire.example/p"}, "privacy_notice_url"),
                           ({"privacy_notice_url": "https://["}, "privacy_notice_url")):
        problems = problems_with(Config(output_dir=tmp_path, **wrong))  # type: ignore[arg-type]
        assert len(problems) == 1 and problems[0].startswith(setting), (wrong, problems)
    empty = Config.load(environ={"CAREBOT_DATA_CONTROLLER": ""})  # read as not set
    assert problems_with(replace(empty, output_dir=tmp_path))[0].startswith("data_controller")
