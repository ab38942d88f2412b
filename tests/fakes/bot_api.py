"""A fake Telegram Bot API on 127.0.0.1, so end-to-end tests run the real PTB client offline."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import functools
import json
import ssl
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import AsyncIterator, Callable
from http import HTTPStatus
from types import TracebackType
from typing import Self, TypeVar

from tests.fakes.endpoint import Endpoint
from tests.fakes.server import BotAPIServer
from tests.fakes.state import JSON, APIError, BotState, Call, SentMessage, scope_key

T = TypeVar("T")

_DESCRIPTIONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    500: "Internal Server Error",
    502: "Bad Gateway",
}


class FakeBotAPI:
    """Serve the Bot API on a free local port from a background thread; a context manager."""

    def __init__(
        self,
        token: str = "123456789:AAFake-Token_for-Ouderbrug-tests",
        *,
        username: str = "ouderbrug_test_bot",
        first_name: str = "Ouderbrug",
        tls: ssl.SSLContext | None = None,
    ) -> None:
        self.token = token
        # Serve HTTPS with this context's certificate, as Telegram's own API is served.
        self._tls = tls
        bot_user = {
            "id": int(token.split(":", 1)[0]),
            "is_bot": True,
            "first_name": first_name,
            "username": username,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self._state = BotState(bot_user=bot_user)
        self._endpoint = Endpoint(token, self._state)
        self._changed = self._endpoint.changed
        self._server: BotAPIServer | None = None
        self._loop_port: int | None = None

    # Lifecycle.

    def start(self) -> Self:
        """Listen on a free port of 127.0.0.1 and serve from a background thread."""
        if self._server is not None:
            raise RuntimeError("this FakeBotAPI is already started")
        self._server = BotAPIServer(self._endpoint.answer, self._tls)
        self._server.start()
        return self

    def stop(self) -> None:
        """Answer the waiting long polls, close every connection and join every thread."""
        if self._server is None:
            return
        self._endpoint.close()
        self._server.close()
        self._server = None

    @contextlib.asynccontextmanager
    async def serving_in_loop(self) -> AsyncIterator[Self]:
        """Serve from the running event loop instead of threads (benchmarks, webhook bots)."""
        from tests.fakes.loop_server import LoopServer

        if self._server is not None or self._loop_port is not None:
            raise RuntimeError("this FakeBotAPI is already started")
        if self._tls is not None:
            raise RuntimeError("serving from the event loop is plain HTTP only")
        server = LoopServer(self._endpoint.answer)
        self._loop_port = await server.start()
        try:
            yield self
        finally:
            await server.close()
            self._loop_port = None
        if self._endpoint.crashes:
            raise AssertionError("the fake Bot API crashed:\n" + "\n".join(self._endpoint.crashes))

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
        if self._endpoint.crashes and exc is None:
            raise AssertionError("the fake Bot API crashed:\n" + "\n".join(self._endpoint.crashes))

    @property
    def port(self) -> int:
        """Return the port the fake listens on."""
        if self._loop_port is not None:
            return self._loop_port
        if self._server is None:
            raise RuntimeError("start the FakeBotAPI first")
        return self._server.port

    @property
    def base_url(self) -> str:
        """Return the value for PTB's base_url, which appends the token itself."""
        scheme = "https" if self._tls is not None else "http"
        return f"{scheme}://127.0.0.1:{self.port}/bot"

    @property
    def bot_user(self) -> JSON:
        """Return the User that getMe answers."""
        return copy.deepcopy(self._state.bot_user)

    # Feeding updates.

    def push_update(self, update: JSON) -> int:
        """Queue an update for getUpdates; fills in update_id and message ids in place.

        Pushing the same dict again keeps its update_id: that is Telegram redelivering it.
        """
        with self._changed:
            update_id, redelivery = self._state.prepare(update)
            self._state.enqueue(update, redelivery)
            self._changed.notify_all()
        return update_id

    def push_raw_update(self, update: JSON) -> int:
        """Queue an update as given, however malformed; only a missing update_id is filled in."""
        with self._changed:
            if "update_id" not in update:
                update["update_id"] = self._state.last_update_id + 1
            self._state.last_update_id = max(self._state.last_update_id, update["update_id"])
            self._state.enqueue(update, redelivery=False)
            self._changed.notify_all()
        return int(update["update_id"])

    def deliver_webhook(self, url: str, update: JSON, secret_token: str | None = None) -> int:
        """POST an update to the bot's webhook as Telegram does; return the HTTP status."""
        with self._changed:
            self._state.prepare(update)
            self._changed.notify_all()
        headers = {"Content-Type": "application/json"}
        if secret_token is not None:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret_token
        request = urllib.request.Request(
            url, data=json.dumps(update).encode(), headers=headers, method="POST"
        )
        # No proxy: the bot listens on this machine, whatever HTTP_PROXY says.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        try:
            with opener.open(request, timeout=10) as response:
                body = response.read()
                status = int(response.status)
        except urllib.error.HTTPError as error:
            with error:  # an HTTPError holds the response open
                return error.code
        self._run_webhook_reply(body)
        return status

    def _run_webhook_reply(self, body: bytes) -> None:
        """Carry out a method the bot put in its webhook answer, as Telegram does."""
        try:
            reply = json.loads(body) if body else None
        except ValueError:
            return
        if not isinstance(reply, dict) or "method" not in reply:
            return
        params = {k: v for k, v in reply.items() if k != "method"}
        path = f"/bot{self.token}/{reply['method']}"
        self._endpoint.answer(
            path, "", "application/json", json.dumps(params).encode(), lambda: False
        )

    async def async_deliver_webhook(
        self, url: str, update: JSON, secret_token: str | None = None
    ) -> int:
        """Like deliver_webhook, without blocking the loop the bot's webhook server runs on."""
        return await asyncio.to_thread(self.deliver_webhook, url, update, secret_token)

    # Failure injection.

    def fail(
        self,
        method: str,
        status: int = 500,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` with this error (429 gets retry_after)."""
        if status == 429 and retry_after is None:
            retry_after = 1  # Telegram never sends a 429 without it
        if description is None:
            description = (
                f"Too Many Requests: retry after {retry_after}"
                if status == 429
                else _DESCRIPTIONS.get(status, HTTPStatus(status).phrase)
            )
        with self._changed:
            failures = self._endpoint.failures.setdefault(method.lower(), deque())
            failures.extend(APIError(status, description, retry_after) for _ in range(times))

    def recover(self, method: str) -> None:
        """Drop the failures still waiting for `method`: it answers normally again."""
        with self._changed:
            self._endpoint.failures.pop(method.lower(), None)

    def block(self, chat_id: int) -> None:
        """Act as if the user blocked the bot: every send to the chat answers 403."""
        with self._changed:
            self._state.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        """Act as if the user restarted the bot."""
        with self._changed:
            self._state.blocked.discard(chat_id)

    def set_delay(self, seconds: float, method: str | None = None) -> None:
        """Answer every request, or only `method`, after `seconds`: a slow network."""
        with self._changed:
            self._endpoint.delays[(method or "").lower()] = seconds

    # Inspection.

    def on_call(self, listener: Callable[[Call], None]) -> None:
        """Have `listener` called with every answered request, in the server's thread."""
        with self._changed:
            self._endpoint.listeners.append(listener)

    @property
    def calls(self) -> list[Call]:
        """Return every answered request so far, in the order they were answered."""
        with self._changed:
            return list(self._endpoint.calls)

    def calls_to(self, method: str) -> list[Call]:
        """Return the answered requests to one method."""
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def messages(self, chat_id: int) -> list[SentMessage]:
        """Return the bot's messages in a chat as they stand now (deleted ones gone)."""
        with self._changed:
            stored = self._state.messages.get(chat_id, {})
            return [copy.deepcopy(stored[i]) for i in sorted(stored)]

    def last_message(self, chat_id: int) -> SentMessage:
        """Return the bot's newest message in a chat."""
        sent = self.messages(chat_id)
        if not sent:
            raise AssertionError(f"the bot sent nothing to chat {chat_id}\n{self.dump()}")
        return sent[-1]

    def commands(self, language_code: str | None = None, scope: JSON | None = None) -> list[JSON]:
        """Return the commands set for exactly this language and scope."""
        with self._changed:
            key = (scope_key(scope), language_code or "")
            return copy.deepcopy(self._state.commands.get(key, []))

    def pending_update_ids(self) -> list[int]:
        """Return the ids of the updates the bot has not confirmed yet."""
        with self._changed:
            return [q.update["update_id"] for q in self._state.queue]

    def fetched_update_ids(self) -> list[int]:
        """Return the ids of the updates the bot has fetched but not confirmed yet."""
        with self._changed:
            return [q.update["update_id"] for q in self._state.queue if q.delivered]

    @property
    def waiting_polls(self) -> int:
        """Return how many getUpdates long polls are waiting for an update right now."""
        with self._changed:
            return self._endpoint.waiting_polls

    @property
    def webhook(self) -> JSON:
        """Return the webhook set with setWebhook, secret token included; {} when none."""
        with self._changed:
            return copy.deepcopy(self._state.webhook)

    def dump(self) -> str:
        """Describe the calls and messages so far, for failure messages."""
        with self._changed:
            lines = [f"calls ({len(self._endpoint.calls)}):"]
            lines += [
                f"  {c.status} {c.method} {c.params!r}"[:300] for c in self._endpoint.calls[-30:]
            ]
            for chat_id, stored in self._state.messages.items():
                lines.append(f"messages in chat {chat_id}:")
                lines += [f"  #{m.message_id} {m.text!r} {m.buttons}" for m in stored.values()]
            lines.append(f"pending updates: {[q.update['update_id'] for q in self._state.queue]}")
            return "\n".join(lines + self._endpoint.crashes)

    # Waiting.

    def wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 10.0, *, what: str | None = None
    ) -> T:
        """Block until `predicate()` is truthy and return its value; runs under the fake's lock."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not (result := predicate()):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise AssertionError(
                        f"waited {timeout}s for {what or predicate!r}\n{self.dump()}"
                    )
                self._changed.wait(remaining)
            return result

    def wait_for_message(
        self, chat_id: int, contains: str | None = None, *, after: int = 0, timeout: float = 10.0
    ) -> SentMessage:
        """Wait for a bot message in the chat, newer than message id `after`; return the newest."""

        def found() -> SentMessage | None:
            matches = [
                m
                for m in self.messages(chat_id)
                if m.message_id > after and (contains is None or contains in (m.text or ""))
            ]
            return matches[-1] if matches else None

        what = f"a message in chat {chat_id}" + (f" containing {contains!r}" if contains else "")
        return self.wait_for(found, timeout, what=what)

    def wait_for_call(
        self, method: str, where: Callable[[Call], bool] | None = None, *, timeout: float = 10.0
    ) -> Call:
        """Wait for an answered call to `method` (matching `where`); return the newest."""

        def found() -> Call | None:
            matches = [c for c in self.calls_to(method) if where is None or where(c)]
            return matches[-1] if matches else None

        return self.wait_for(found, timeout, what=f"a call to {method}")

    async def async_wait_for(
        self, predicate: Callable[[], T | None], timeout: float = 10.0, *, what: str | None = None
    ) -> T:
        """Like wait_for, in a worker thread so the event loop keeps serving the bot."""
        return await asyncio.to_thread(self.wait_for, predicate, timeout, what=what)

    async def async_wait_for_message(
        self, chat_id: int, contains: str | None = None, *, after: int = 0, timeout: float = 10.0
    ) -> SentMessage:
        """Like wait_for_message, without blocking the event loop."""
        wait = functools.partial(self.wait_for_message, after=after, timeout=timeout)
        return await asyncio.to_thread(wait, chat_id, contains)

    async def async_wait_for_call(
        self, method: str, where: Callable[[Call], bool] | None = None, *, timeout: float = 10.0
    ) -> Call:
        """Like wait_for_call, without blocking the event loop."""
        return await asyncio.to_thread(self.wait_for_call, method, where, timeout=timeout)
