"""Settings, from a TOML file and then environment variables; the defaults run the demo."""

from __future__ import annotations

import os
import re
import tempfile
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ENV_PREFIX = "CAREBOT_"
POSTGRESQL_SCHEMES = ("postgresql://", "postgres://")


@dataclass(frozen=True)
class Config:
    token: str | None = None           # from @BotFather; never commit it
    bot_username: str | None = None    # e.g. "northshire_carebot": invite links use it
    base_url: str | None = None        # a local Bot API server, e.g. the emulator
    # A SQLite file, or a PostgreSQL server's address: postgresql://user@host/dbname
    # (docs/deploy.md: "PostgreSQL"). The password belongs in ~/.pgpass or PGPASSWORD.
    database: Path | str = Path("carebot.sqlite3")
    output_dir: Path = Path("reports-output")
    tick_seconds: float = 20.0          # how often due check-ins and the outbox are looked at
    reminder_after_hours: int = 24      # one gentle reminder when there is no answer by then
    checkin_expiry_hours: int = 72      # an unfinished check-in closes after this
    suppression_threshold: int = 3      # fewer people than this: figures are not shown
    digest_weekday: int = 0             # Monday
    digest_hour: int = 9                # 09:00 Europe/London
    timezone: str = "Europe/London"
    # An alert nobody has acted on goes to the next person in the chain (duty contact,
    # backup, council safeguarding lead) after this many minutes; an urgent one sooner.
    alert_escalate_minutes: int = 30
    alert_escalate_urgent_minutes: int = 10
    # A problem nobody has marked seen within this many working days (Monday to Friday,
    # in `timezone`) is chased: the provider's staff are reminded. Within twice as
    # many, the council's commissioners are told, and so is the person who raised it.
    issue_seen_within_days: int = 2
    # Everything people send goes on a read list (/read). An item nobody has read within
    # this many hours goes to the service's duty contact; within twice as many, to the
    # council's commissioners. Each reader hears each morning how many wait.
    read_within_hours: int = 24
    read_morning_hour: int = 8
    read_reminders: bool = True  # the morning messages, and passing on what waits
    # A ceiling: outbox messages a send-out claims ahead, and sends at once, at most. It
    # sends at once only what Telegram's 30 a second needs at the time a send is measured
    # to take (two at loopback, about six with Telegram 90 ms away). Each is marked sent
    # the moment Telegram answers, so after a crash (kill -9) only those, plus the replies
    # being sent to people at that instant, can go out a second time.
    max_in_flight: int = 30
    # Telegram's flood limits hold per this many seconds. Only tests shorten it, to run the
    # same limits on a faster clock; the emulator and the rate limiter both read it.
    flood_window_seconds: float = 1.0
    # People's words (e.g. an edited message) in the log, at debug level only. Off: logs
    # then say what happened and to which record, never what anybody wrote.
    log_words: bool = False
    # Log lines on stderr as plain text, or as JSON lines ("json") for a log collector.
    log_format: str = "text"
    # /healthz and /metrics (operations/health.py). 127.0.0.1: only this machine can ask; port 0
    # turns the endpoint off.
    health_host: str = "127.0.0.1"
    health_port: int = 9464
    # /healthz says unhealthy when more messages than this wait to go: ten minutes of
    # sending at Telegram's 30 a second, which a healthy bot clears well before then.
    health_backlog_limit: int = 18000
    # A checked copy of the database every night after backup_hour (local time), in
    # backup_dir (default: a "backups" folder beside the database), keeping the newest
    # backup_keep. Copies hold people's words until they are removed.
    nightly_backup: bool = True
    backup_dir: Path | None = None
    backup_hour: int = 2
    backup_keep: int = 7
    # Receive updates by webhook instead of long polling: the public HTTPS address
    # Telegram posts to (behind a reverse proxy), and where the bot listens for it.
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1:8443"
    # Words (answers, messages, closed issues, notes) older than this lose their words
    # once a day; the records and every count stay. Safeguarding alerts are kept.
    retention_months: int = 24
    # Each message Telegram takes is also noted (ids and times, never words) in a "sent"
    # folder beside the backups, so that a restore does not send it again.
    sent_journal: bool = True
    # Who is responsible for people's data (the data controller: the council), and where
    # its privacy notice is. People are told both before they say yes. The defaults are
    # the demo's made-up council: a real council sets its own.
    data_controller: str = "Northshire County Council"
    privacy_notice_url: str = "https://www.northshire.example/privacy"
    # How people reach the council for help with carebot, printed on invite letters, e.g.
    # "01632 960000 (Monday to Friday, 9am to 5pm)". `carebot check` asks for it.
    help_contact: str | None = None

    @property
    def database_file(self) -> Path | None:
        """The SQLite file, if the database is one (None on PostgreSQL)."""
        return self.database if isinstance(self.database, Path) else None

    @property
    def backup_folder(self) -> Path:
        if self.backup_dir is not None:
            return self.backup_dir
        return (self.database_file or Path("carebot")).parent / "backups"

    @property
    def journal_folder(self) -> Path:
        return self.backup_folder / "sent"

    @classmethod
    def load(cls, path: Path | None = None, environ: dict[str, str] | None = None) -> Config:
        """Defaults, then the TOML file (if any), then CAREBOT_* environment variables.
        Raises SettingsError with every problem found, one line each."""
        environ = dict(os.environ) if environ is None else environ
        values: dict[str, tuple[str, Any]] = {}  # name: (where it was set, value)
        path = path or (Path(environ[f"{ENV_PREFIX}CONFIG"]) if f"{ENV_PREFIX}CONFIG" in environ
                        else None)
        if path is not None:
            try:
                with path.open("rb") as handle:
                    table = tomllib.load(handle).get("carebot", {})
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise SettingsError([f"settings file {path}: {error}"]) from error
            values.update({k: (f"{k} in {path}", v) for k, v in table.items()})
        for f in fields(cls):
            key = f"{ENV_PREFIX}{f.name.upper()}"
            if key in environ:
                values[f.name] = (key, environ[key])
        problems: list[str] = []
        read: dict[str, Any] = {}
        for name, (where, value) in values.items():
            try:
                read[name] = _coerce(cls, name, value)
            except ValueError as error:
                problems.append(f"{where}: {error}")
        if problems:
            raise SettingsError(problems)
        return replace(cls(), **read)


class SettingsError(ValueError):
    """Settings that cannot be used: each problem in one line an admin can act on."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


_NAMES = {f.name for f in fields(Config)}
_OPTIONAL_PATHS = {"backup_dir"}


def _coerce(cls: type[Config], name: str, value: Any) -> Any:
    if name not in _NAMES:
        raise ValueError(f"unknown setting {name!r}")
    default = getattr(cls(), name)
    if name in _OPTIONAL_PATHS:
        return Path(value) if value not in ("", None) else None
    if name == "database":
        return _database(str(value))
    if isinstance(default, Path):
        return Path(value)
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if str(value).lower() not in _TRUE | _FALSE:
            raise ValueError(f"should be true or false, not {value!r}")
        return str(value).lower() in _TRUE
    if isinstance(default, int | float):
        return _number(type(default), value)
    return None if value in ("", None) else str(value)


def _database(value: str) -> Path | str:
    """A server's address as it is; anything else is a file's path."""
    if "://" not in value:
        return Path(value)
    if not value.startswith(POSTGRESQL_SCHEMES):
        raise ValueError(f"should be a file's path or a postgresql:// address, not "
                         f"{value.split('://')[0]}://…")
    return value


def _number(kind: type[int] | type[float], value: Any) -> int | float:
    wanted = "a whole number" if kind is int else "a number"
    if isinstance(value, bool) or (kind is int and isinstance(value, float)):
        raise ValueError(f"should be {wanted}, not {value!r}")
    try:
        return kind(value)
    except (TypeError, ValueError):
        raise ValueError(f"should be {wanted}, not {value!r}") from None


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


# What @BotFather gives: the bot's number, a colon, then 35 letters, digits, - or _.
_TOKEN = re.compile(r"^[0-9]{5,16}:[A-Za-z0-9_-]{30,50}$")


def problems_with(config: Config) -> list[str]:
    """Settings that were read but cannot work, one line each: a token that does not look
    like one, numbers out of range, a time zone nobody has, an output folder that cannot
    be written."""
    problems = []
    if config.token is not None and not _TOKEN.match(config.token):
        problems.append("CAREBOT_TOKEN does not look like a bot token from @BotFather "
                        "(digits, a colon, then about 35 letters and digits)")
    for name, low, high in _RANGES:
        value = getattr(config, name)
        if not low <= value <= high:
            problems.append(f"{name} is {value}: it should be from {low} to {high}")
    try:
        ZoneInfo(config.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"timezone {config.timezone!r} is not a time zone (e.g. Europe/London)")
    if config.log_format not in LOG_FORMATS:
        problems.append(f"log_format is {config.log_format!r}: it should be one of "
                        f"{', '.join(LOG_FORMATS)}")
    problems.extend(webhook_problems(config))
    problems.extend(privacy_problems(config))
    if not _writable(config.output_dir):
        problems.append(f"output_dir {config.output_dir} cannot be written by this user")
    return problems


_RANGES = (("tick_seconds", 0.1, 3600), ("reminder_after_hours", 1, 24 * 14),
           ("checkin_expiry_hours", 1, 24 * 60), ("suppression_threshold", 1, 100),
           ("digest_weekday", 0, 6), ("digest_hour", 0, 23),
           ("alert_escalate_minutes", 1, 24 * 60),
           ("alert_escalate_urgent_minutes", 1, 24 * 60), ("issue_seen_within_days", 1, 30),
           ("read_within_hours", 1, 24 * 14), ("read_morning_hour", 0, 23),
           ("max_in_flight", 1, 1000),
           ("flood_window_seconds", 0.001, 60), ("health_port", 0, 65535),
           ("health_backlog_limit", 1, 10_000_000), ("backup_hour", 0, 23),
           ("backup_keep", 1, 366), ("retention_months", 1, 1200))
LOG_FORMATS = ("text", "json")
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# The only ports Telegram posts a webhook to (Bot API, setWebhook).
TELEGRAM_WEBHOOK_PORTS = (80, 88, 443, 8443)


def listen_address(config: Config) -> tuple[str, int]:
    """`webhook_listen` as (host, port); raises ValueError if it is not host:port."""
    host, _, port = config.webhook_listen.rpartition(":")
    number = int(port)
    if not host or not 1 <= number <= 65535:
        raise ValueError(config.webhook_listen)
    return host.strip("[]"), number


def webhook_problems(config: Config) -> list[str]:
    """Telegram posts only to HTTPS on ports 80, 88, 443 or 8443 (plain HTTP on any port
    is allowed here for this machine only, as the tests' emulator does); the listening
    address must be host:port. Caught here, not by Telegram refusing it at start."""
    problems = []
    if config.webhook_url is not None:
        url = urlsplit(config.webhook_url)
        local = url.scheme == "http" and url.hostname in LOCAL_HOSTS
        if not (url.scheme == "https" or local) or not url.hostname or not url.path.strip("/"):
            problems.append(f"webhook_url {config.webhook_url!r} should be an https:// "
                            "address with a path, e.g. https://carebot.example.org/telegram")
        elif not local and _port_of(url) not in TELEGRAM_WEBHOOK_PORTS:
            problems.append(f"webhook_url {config.webhook_url!r} uses a port Telegram will "
                            "not post to: use 443 (the default), 80, 88 or 8443. The "
                            "webhook_listen port behind your proxy can be any port")
    try:
        listen_address(config)
    except ValueError:
        problems.append(f"webhook_listen {config.webhook_listen!r} should be host:port, "
                        "e.g. 127.0.0.1:8443")
    return problems


def _port_of(url: SplitResult) -> int | None:
    """The URL's port (443 for https:// without one); None if it is not a number."""
    try:
        return url.port or 443
    except ValueError:
        return None


DATA_CONTROLLER_LONGEST = 100  # characters: it is read out in a sentence


def privacy_problems(config: Config) -> list[str]:
    """People are told who is responsible for their data and where to read how it is
    used: a name that fits in a sentence, and an https:// address a phone can open."""
    problems = []
    controller = (config.data_controller or "").strip()  # "" in a setting is read as None
    if not controller or len(controller) > DATA_CONTROLLER_LONGEST or "\n" in controller:
        problems.append(f"data_controller {config.data_controller!r} should be the name of "
                        "who is responsible for people's data, on one line, e.g. "
                        "'Northshire County Council'")
    address = (config.privacy_notice_url or "").strip()
    try:
        url = urlsplit(address)
        https = url.scheme == "https" and bool(url.hostname)
    except ValueError:  # e.g. "https://[" : not an address at all
        https = False
    if not https or any(c.isspace() for c in address):
        problems.append(f"privacy_notice_url {config.privacy_notice_url!r} should be an "
                        "https:// address, e.g. https://www.northshire.gov.uk/privacy")
    return problems


def _writable(folder: Path) -> bool:
    """A file can be created in the folder, or the folder made: checked without making
    it (a check changes nothing) and leaving nothing behind."""
    if not folder.exists():
        parent = next((p for p in folder.absolute().parents if p.exists()), Path("/"))
        return parent.is_dir() and os.access(parent, os.W_OK | os.X_OK)
    try:
        with tempfile.TemporaryFile(dir=folder):
            return True
    except OSError:
        return False
