"""PTB's HTTP transport on aiohttp: the same Bot API calls for a third of httpx's CPU time.

bench/bot.py showed sending through httpx and anyio as the largest cost per update;
python-telegram-bot makes its transport pluggable (BaseRequest) for exactly this.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """A BaseRequest that keeps a pool of aiohttp connections to the Bot API."""

    def __init__(
        self,
        *,
        connections: int = 256,
        read_timeout: float = 5.0,
        connect_timeout: float = 5.0,
        pool_timeout: float = 1.0,
    ) -> None:
        self._connections = connections
        self._read_timeout = read_timeout
        self._connect_timeout = connect_timeout
        self._pool_timeout = pool_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float:
        """Return how long to wait for an answer by default."""
        return self._read_timeout

    async def initialize(self) -> None:
        """Open the connection pool (inside the running event loop)."""
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._connections)
            self._session = aiohttp.ClientSession(connector=connector)

    async def shutdown(self) -> None:
        """Close the connection pool."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        write_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | object | None = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one request; return the HTTP status and the body."""
        if self._session is None:
            await self.initialize()
        assert self._session is not None
        timeout = aiohttp.ClientTimeout(
            sock_read=self._given(read_timeout, self._read_timeout),
            sock_connect=self._given(connect_timeout, self._connect_timeout),
            connect=self._given(pool_timeout, self._pool_timeout + self._connect_timeout),
        )
        try:
            async with self._session.request(
                method,
                url,
                data=_body(request_data),
                headers={"User-Agent": self.USER_AGENT},
                timeout=timeout,
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{type(error).__name__}: {error}") from error

    @staticmethod
    def parse_json_payload(payload: bytes) -> dict[str, Any]:
        """Parse Telegram's answer; refuse one that is not a Bot API answer without logging it.

        PTB's own logs the whole answer at ERROR: a batch of updates, with what parents wrote.
        And PTB reads a successful answer's "result" unchecked: JSON of another shape would
        raise a TypeError or KeyError where every caller expects a TelegramError.
        """
        try:
            parsed = json.loads(payload.decode("utf-8", "replace"))
        except (ValueError, RecursionError) as error:
            raise TelegramError("Invalid server response") from error
        if not isinstance(parsed, dict) or (parsed.get("ok") is True and "result" not in parsed):
            raise TelegramError("Invalid server response")
        return parsed

    @staticmethod
    def _given(value: object, default: float) -> float | None:
        if value is BaseRequest.DEFAULT_NONE:
            return default
        return value if isinstance(value, int | float) or value is None else default


def _body(request_data: RequestData | None) -> aiohttp.FormData | dict[str, str] | None:
    """Form-encode the parameters; multipart when files travel along, as PTB does."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    files = request_data.multipart_data
    if not files:
        return fields
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mimetype) in files.items():
        form.add_field(name, content, filename=filename, content_type=mimetype)
    return form
