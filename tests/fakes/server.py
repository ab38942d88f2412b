"""The HTTP side of the fake: a threaded stdlib server that joins all its threads on close."""

from __future__ import annotations

import select
import socket
import socketserver
import ssl
import sys
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# (path, query, content type, body, has the client hung up?) -> (status, JSON body), or
# None when nobody is listening for the answer any more.
Answer = Callable[[str, str, str, bytes, Callable[[], bool]], tuple[int, bytes] | None]


class BotAPIServer(ThreadingHTTPServer):
    """Serve `answer` on a free port of 127.0.0.1 from background threads (HTTPS given `tls`)."""

    daemon_threads = False  # so server_close() joins them and no test leaves a thread behind

    def __init__(self, answer: Answer, tls: ssl.SSLContext | None = None) -> None:
        self.answer = answer
        self.tls = tls
        super().__init__(("127.0.0.1", 0), _Handler)
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="FakeBotAPI"
        )

    @property
    def port(self) -> int:
        """Return the port the server listens on."""
        return int(self.server_address[1])

    def start(self) -> None:
        """Accept requests from a background thread."""
        self._thread.start()

    def close(self) -> None:
        """Stop accepting, close the socket and join every request thread."""
        self.shutdown()
        self.server_close()
        self._thread.join()

    def server_bind(self) -> None:
        """Bind without HTTPServer's FQDN lookup, which can stall on a box without DNS."""
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = "127.0.0.1", self.port

    def finish_request(self, request: Any, client_address: Any) -> None:
        """Answer one connection; over TLS, shake hands first, in the connection's own thread."""
        if self.tls is None:
            super().finish_request(request, client_address)
            return
        try:
            secured = self.tls.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return  # a client that refused our certificate: there is nothing to answer
        try:
            super().finish_request(secured, client_address)
        finally:
            secured.close()

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Report errors, except a bot hanging up mid-answer, which is normal."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    # One request per connection: nothing keeps a thread alive between requests.
    protocol_version = "HTTP/1.0"
    server: BotAPIServer

    def do_POST(self) -> None:
        """Answer one Bot API request."""
        path, _, query = self.path.partition("?")
        content_type = self.headers.get("Content-Type", "")
        answer = self.server.answer(path, query, content_type, self._body(), self._hung_up)
        if answer is None:
            return
        status, payload = answer
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        """Answer a Bot API request made with GET, which Telegram accepts too."""
        self.do_POST()

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            # httpx streams a file handle it cannot measure this way.
            chunks = []
            while size := int(self.rfile.readline().split(b";")[0], 16):
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _hung_up(self) -> bool:
        try:
            readable, _, _ = select.select([self.connection], [], [], 0)
            if isinstance(self.connection, ssl.SSLSocket):
                return bool(readable)  # TLS cannot peek; a closing client is all that comes
            # The request is read in full, so anything readable now is the client's EOF.
            return bool(readable) and self.connection.recv(1, socket.MSG_PEEK) == b""
        except OSError:
            return True

    def log_message(self, format: str, *args: Any) -> None:
        """Stay quiet: api.calls and api.dump() tell what happened."""
