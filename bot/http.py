"""How the bot reaches Telegram: python-telegram-bot's request interface over aiohttp.

PTB's own transport is httpx, which parses HTTP in pure Python and costs about 0.8 ms of
CPU a call on this kind of machine; aiohttp parses it in C, about 0.2 ms. Each answer in a
check-in makes three calls (answer the tap, show what was said, ask the next question),
so with many people answering at once this is a large part of what the bot does
(issue 14). PTB documents `BaseRequest` for exactly this; its error mapping and JSON
handling stay PTB's own (`BaseRequest.post`), only the HTTP exchange is here.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

# PTB's defaults for HTTPXRequest, in seconds.
CONNECT = 5.0
READ = 5.0
MEDIA_WRITE = 20.0  # a whole upload (a report file)
POOL = 1.0

_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


class AiohttpRequest(BaseRequest):
    """`connections` at once to the Bot API; a call waits up to POOL seconds for one."""

    def __init__(self, connections: int = 256) -> None:
        self._connections = connections
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        return READ

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections),
                headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def do_request(self, url: str, method: str,
                         request_data: RequestData | None = None,
                         read_timeout: object = BaseRequest.DEFAULT_NONE,
                         write_timeout: object = BaseRequest.DEFAULT_NONE,
                         connect_timeout: object = BaseRequest.DEFAULT_NONE,
                         pool_timeout: object = BaseRequest.DEFAULT_NONE) -> tuple[int, bytes]:
        if self._session is None:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        timeout = aiohttp.ClientTimeout(
            total=_seconds(write_timeout, MEDIA_WRITE) + READ if files else None,
            sock_connect=_seconds(connect_timeout, CONNECT),
            sock_read=_seconds(read_timeout, READ),
            connect=_seconds(pool_timeout, POOL) + _seconds(connect_timeout, CONNECT))
        body: aiohttp.FormData | bytes | None = None
        headers = None
        if files:
            body = _form(fields or {}, files)
        elif fields:
            body, headers = urlencode(fields).encode(), _FORM
        try:
            async with self._session.request(method, url, data=body, headers=headers,
                                             timeout=timeout) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error


def _seconds(value: object, default: float) -> float:
    return value if isinstance(value, int | float) else default


def _form(fields: Mapping[str, str],
          files: Mapping[str, tuple[str, object, str]]) -> aiohttp.FormData:
    """Fields and files as one multipart body, as Telegram takes uploads."""
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
