"""Settings: defaults run the demo; a TOML file and CAREBOT_* variables override them."""

from __future__ import annotations

from pathlib import Path

import pytest

from settings.config import Config


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
