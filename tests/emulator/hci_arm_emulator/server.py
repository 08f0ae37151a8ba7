# -*- coding: utf-8 -*-
# Copyright: (c) 2026, hcifleet.azure_hci contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTPS plumbing: a threading HTTP/1.1 server (keep-alive, Content-Length on every answer) that does the
TLS handshake in the connection's own thread and can drop a connection without answering."""

from __future__ import annotations

import http.server
import socket
import ssl
import threading
import typing as t
import urllib.parse

from .pipeline import Request
from .responses import JSON_CONTENT_TYPE, Response

MAX_BODY = 16 * 1024 * 1024
HANDSHAKE_TIMEOUT = 30
IDLE_TIMEOUT = 120


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "HciArmEmulator/1.0"
    sys_version = ""
    timeout = IDLE_TIMEOUT
    disable_nagle_algorithm = True
    server: "HttpsServer"

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, *args: t.Any) -> None:  # pylint: disable=arguments-differ
        """Never print requests (they may carry credentials)."""

    def do_GET(self) -> None:  # pylint: disable=invalid-name
        self._handle()

    def do_PUT(self) -> None:  # pylint: disable=invalid-name
        self._handle()

    def do_POST(self) -> None:  # pylint: disable=invalid-name
        self._handle()

    def do_DELETE(self) -> None:  # pylint: disable=invalid-name
        self._handle()

    def do_PATCH(self) -> None:  # pylint: disable=invalid-name
        self._handle()

    def _read_body(self) -> bytes | None:
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            size = 0
            while True:
                line = self.rfile.readline(1024)
                length = int(line.split(b";", 1)[0].strip() or b"0", 16)
                if length == 0:
                    while self.rfile.readline(1024) not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(chunks)
                size += length
                if size > MAX_BODY:
                    return None
                chunks.append(self.rfile.read(length))
                self.rfile.readline(8)
        length_text = self.headers.get("Content-Length")
        length = int(length_text) if length_text and length_text.strip().isdigit() else 0
        if length > MAX_BODY:
            return None
        return self.rfile.read(length) if length else b""

    def _handle(self) -> None:
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            self._send(Response(400, {"error": {"code": "BadRequest", "message": "The request body could not be read."}}))
            return
        if body is None:
            self.close_connection = True
            self._send(Response(413, {"error": {"code": "RequestEntityTooLarge", "message": "The request body is too large."}}))
            return
        split = urllib.parse.urlsplit(self.path)
        request = Request(self.command, split.path, urllib.parse.parse_qs(split.query, keep_blank_values=True),
                          self.headers, body)
        try:
            response = self.server.dispatch(request)
        except Exception as exc:  # pylint: disable=broad-except
            self.server.report_internal_error(exc)
            response = Response(500, {"error": {"code": "InternalServerError", "message": "The emulator failed: %s" % type(exc).__name__}})
        if response is None:
            self._drop()
            return
        self._send(response)

    def _send(self, response: Response) -> None:
        payload = response.payload()
        try:
            self.send_response(response.status)
            headers = {k.lower(): k for k in response.headers}
            if payload and "content-type" not in headers:
                self.send_header("Content-Type", JSON_CONTENT_TYPE)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            if self.close_connection:
                self.send_header("Connection", "close")
            # headers and body in one write: two small writes would meet Nagle + delayed ACK (40 ms per request)
            self._headers_buffer.append(b"\r\n" + payload)
            self.flush_headers()
        except OSError:
            self.close_connection = True

    def _drop(self) -> None:
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class HttpsServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext,
                 dispatch: t.Callable[[Request], Response | None], error_reporter: t.Callable[[BaseException], None]) -> None:
        self._context = context
        self.dispatch = dispatch
        self.report_internal_error = error_reporter
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, Handler)

    def finish_request(self, request: t.Any, client_address: t.Any) -> None:
        request.settimeout(HANDSHAKE_TIMEOUT)
        try:
            connection = self._context.wrap_socket(request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with self._connections_lock:
            self._connections.add(connection)
        try:
            self.RequestHandlerClass(connection, client_address, self)
        except (ssl.SSLError, OSError):
            pass
        finally:
            with self._connections_lock:
                self._connections.discard(connection)
            try:
                connection.close()
            except OSError:
                pass

    def shutdown_request(self, request: t.Any) -> None:
        try:
            request.close()
        except OSError:
            pass

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle_error(self, request: t.Any, client_address: t.Any) -> None:
        """Connection-level errors (client went away, TLS trouble) are normal here; stay quiet."""
