"""Answer one Bot API request: check the token, decode, inject failures, long-poll, record."""

from __future__ import annotations

import json
import re
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable
from typing import Any

from tests.fakes import methods
from tests.fakes.state import JSON, APIError, BotState, Call
from tests.fakes.wire import MalformedRequestError, Params, envelope_ok, parse_request

_PATH = re.compile(r"/bot(?P<token>[^/]+)/(?P<method>[A-Za-z]+)/?")
_SUPERSEDED = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
_WEBHOOK_ACTIVE = (
    "Conflict: can't use getUpdates method while webhook is active; "
    "use deleteWebhook to delete the webhook first"
)
_HUNG_UP = object()  # what a long poll returns when its client is gone
# How often a waiting long poll looks whether its client hung up (PTB cancels its poll
# on stop); it frees the thread early, and no test depends on how early.
_HANGUP_CHECK = 0.05


class Endpoint:
    """Everything the request threads touch, behind one lock."""

    def __init__(self, token: str, state: BotState) -> None:
        self.token = token
        self.state = state
        # Reentrant, so that wait_for predicates can call the inspection methods.
        self.changed = threading.Condition(threading.RLock())
        self.calls: list[Call] = []
        # Called with each answered Call, in the request's thread, outside the lock.
        self.listeners: list[Callable[[Call], None]] = []
        self.failures: dict[str, deque[APIError]] = {}
        self.delays: dict[str, float] = {}  # by lower-case method; "" for every method
        self.crashes: list[str] = []
        self.waiting_polls = 0
        self._poll_generation = 0
        self._closing = threading.Event()

    def close(self) -> None:
        """Let waiting long polls and delayed answers go, so their threads can end."""
        self._closing.set()
        with self.changed:
            self.changed.notify_all()

    def answer(
        self, path: str, query: str, content_type: str, body: bytes, hung_up: Callable[[], bool]
    ) -> tuple[int, bytes] | None:
        """Answer one request with (status, body); None when the bot hung up on a long poll."""
        match = _PATH.fullmatch(path)
        method = match["method"] if match else path
        params: Params = {}
        try:
            if match is None:
                raise APIError(404, "Not Found")
            if match["token"] != self.token:
                raise APIError(401, "Unauthorized")
            try:
                params = parse_request(query, content_type, body)
            except MalformedRequestError as exc:
                raise APIError(400, f"Bad Request: {exc}") from exc
            result = self._run(method, params, hung_up)
            if result is _HUNG_UP:
                return None
            status, payload = 200, envelope_ok(result)
        except APIError as error:
            status, payload = error.status, json.dumps(error.envelope()).encode()
        except Exception:
            # A bug in the fake, not in the bot: answer like Telegram's 500, fail the test on exit.
            with self.changed:
                self.crashes.append(f"{method} {params!r}\n{traceback.format_exc()}")
            status = 500
            payload = json.dumps(APIError(500, "Internal Server Error").envelope()).encode()
        call = Call(method, params, status)
        with self.changed:
            self.calls.append(call)
            self.changed.notify_all()
            listeners = list(self.listeners)
        for listener in listeners:
            listener(call)
        return status, payload

    def _run(self, method: str, params: Params, hung_up: Callable[[], bool]) -> Any:
        key = method.lower()
        with self.changed:
            delay = self.delays.get(key, self.delays.get("", 0.0))
        self._closing.wait(delay)
        with self.changed:
            failures = self.failures.get(key)
            if failures:
                raise failures.popleft()
            if key != "getupdates":
                return methods.call(self.state, method, params)
            return self._get_updates(params, hung_up)

    def _get_updates(self, params: Params, hung_up: Callable[[], bool]) -> list[JSON] | object:
        # Called with the lock held; waiting on the condition lets it go.
        if self.state.webhook:
            raise APIError(409, _WEBHOOK_ACTIVE)
        try:
            timeout = float(params.get("timeout") or 0)
            limit = min(max(int(params.get("limit") or 100), 1), 100)
        except (TypeError, ValueError) as exc:
            raise APIError(400, f"Bad Request: {exc}") from exc
        deadline = time.monotonic() + timeout
        self._poll_generation += 1
        generation = self._poll_generation
        self.state.confirm(params.get("offset"))
        self.changed.notify_all()  # supersedes an older poll; confirming changed the queue
        # Others see the count only while this poll waits, since only then is the lock free.
        self.waiting_polls += 1
        try:
            while True:
                updates = self.state.take(limit)
                remaining = deadline - time.monotonic()
                if updates or remaining <= 0 or self._closing.is_set():
                    return updates
                self.changed.wait(min(remaining, _HANGUP_CHECK))
                if hung_up():
                    return _HUNG_UP
                if generation != self._poll_generation:
                    raise APIError(409, _SUPERSEDED)
        finally:
            self.waiting_polls -= 1
            self.changed.notify_all()
