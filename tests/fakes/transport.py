"""A Bot API transport that answers in memory: the system talks to Telegram without a network.

It stands in for bot/telegram/request.py's AiohttpRequest where the whole fake Bot API
(tests/fakes/bot_api.py, real HTTP and TLS) would be more than a test needs: it keeps
every call, and answers each method the way Telegram does, as JSON.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from telegram.request import BaseRequest, RequestData

BOT = {"id": 1, "is_bot": True, "first_name": "Ouderbrug", "username": "ouderbrug_test_bot"}


@dataclass
class InMemoryTelegram(BaseRequest):
    """Keeps the Bot API calls made through it and answers them; opens no connection."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    _message_ids: int = 0

    @property
    def read_timeout(self) -> float:
        """Return how long a call may take: nothing here waits."""
        return 1.0

    async def initialize(self) -> None:
        """Open nothing: there is no connection."""

    async def shutdown(self) -> None:
        """Close nothing."""

    def sent(self, method: str) -> list[dict[str, Any]]:
        """Return the parameters of every call of a method, oldest first."""
        return [parameters for name, parameters in self.calls if name == method]

    async def do_request(  # type: ignore[override]
        self, url: str, method: str, request_data: RequestData | None = None, **_: object
    ) -> tuple[int, bytes]:
        """Answer one Bot API call as Telegram would."""
        name = url.rsplit("/", 1)[-1]
        parameters = dict(request_data.parameters) if request_data is not None else {}
        self.calls.append((name, parameters))
        return 200, json.dumps({"ok": True, "result": self._result(name, parameters)}).encode()

    def _result(self, name: str, parameters: dict[str, Any]) -> object:
        if name == "getMe":
            return BOT
        if name == "getUpdates":
            return []
        if name == "sendMessage":
            self._message_ids += 1
            chat = {"id": parameters["chat_id"], "type": "private"}
            text = parameters.get("text", "")
            return {"message_id": self._message_ids, "date": 0, "chat": chat, "text": text}
        return True
