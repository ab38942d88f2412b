"""The fake's HTTP side on the running asyncio loop, for load generators.

The threaded server costs a thread switch and a stdlib HTTP parse per request; a benchmark
that drives the bot from the same machine would measure that instead of the bot. Requests
are answered on the loop, so this serves webhook-mode bots only: a getUpdates long poll
would hold the loop.
"""

from __future__ import annotations

from aiohttp import web

from tests.fakes.server import Answer


class LoopServer:
    """Serves Endpoint.answer with aiohttp on 127.0.0.1, on the caller's event loop."""

    def __init__(self, answer: Answer) -> None:
        self._answer = answer
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None)

    async def start(self) -> int:
        """Listen on a free port; return it."""
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return int(self._runner.addresses[0][1])

    async def close(self) -> None:
        """Stop listening and close every connection."""
        await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        content_type = request.headers.get("Content-Type", "")
        answer = self._answer(request.path, request.query_string, content_type, body, _never)
        if answer is None:
            return web.Response(status=503)
        status, payload = answer
        return web.Response(status=status, body=payload, content_type="application/json")


def _never() -> bool:
    return False
