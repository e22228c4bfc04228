"""A small forward HTTP proxy on loopback, as a municipal web proxy: it forwards plain-HTTP requests in absolute
form (`GET http://host:port/path HTTP/1.1`) and counts them; anything else (CONNECT, origin form) gets 405 or 400."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from aiohttp import ClientSession, ClientTimeout

HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "content-length",
    "host",
}
MAX_HEADER_LINES = 200


@dataclass
class ForwardProxy:
    """The proxy: `url` for HTTP_PROXY; `seen` holds (method, absolute URL) of every request it forwarded."""

    seen: list[tuple[str, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    _server: asyncio.Server | None = None
    _http: ClientSession | None = None

    @property
    def url(self) -> str:
        """The proxy's address, for HTTP_PROXY and HTTPS_PROXY."""
        assert self._server is not None
        host, port = self._server.sockets[0].getsockname()[:2]
        return f"http://{host}:{port}"

    def paths(self, netloc: str) -> list[str]:
        """The paths of the forwarded requests to one host:port."""
        return [parts.path for parts in (urlsplit(url) for _, url in self.seen) if parts.netloc == netloc]

    async def start(self) -> ForwardProxy:
        """Listen on a free loopback port."""
        self._http = ClientSession(timeout=ClientTimeout(total=30), auto_decompress=False)  # never trusts env itself
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0)
        return self

    async def close(self) -> None:
        """Stop listening and close the upstream session."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
        if self._http is not None:
            await self._http.close()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while await self._one(reader, writer):
                pass
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bool:
        """Forward one request; whether the client may send another on this connection."""
        line = await reader.readline()
        if not line:
            return False
        method, target, _version = line.decode("latin-1").rstrip("\r\n").split(" ", 2)
        headers: list[tuple[str, str]] = []
        for _ in range(MAX_HEADER_LINES):
            raw = (await reader.readline()).decode("latin-1").rstrip("\r\n")
            if not raw:
                break
            name, _, value = raw.partition(":")
            headers.append((name.strip(), value.strip()))
        lower = {name.lower(): value for name, value in headers}
        body = await _body(reader, lower)
        if method == "CONNECT" or not target.startswith("http://"):
            self.refused.append(f"{method} {target}")
            await _answer(writer, 405 if method == "CONNECT" else 400, [], b"")
            return False
        self.seen.append((method, target))
        assert self._http is not None
        forwarded = [(name, value) for name, value in headers if name.lower() not in HOP_BY_HOP]
        async with self._http.request(
            method, target, headers=forwarded, data=body or None, allow_redirects=False, proxy=None
        ) as response:
            payload = await response.read()
            answer = [(k, v) for k, v in response.headers.items() if k.lower() not in HOP_BY_HOP]
            await _answer(writer, response.status, answer, payload, response.reason or "")
        return lower.get("connection", "").lower() != "close"


async def _body(reader: asyncio.StreamReader, headers: dict[str, str]) -> bytes:
    """The request body, by Content-Length or chunked."""
    if "chunked" in headers.get("transfer-encoding", "").lower():
        chunks = []
        while True:
            size = int((await reader.readline()).split(b";")[0].strip() or b"0", 16)
            if size == 0:
                while (await reader.readline()).strip():  # trailers, then the empty line
                    pass
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            await reader.readline()
    length = int(headers.get("content-length", "0") or 0)
    return await reader.readexactly(length) if length else b""


async def _answer(
    writer: asyncio.StreamWriter, status: int, headers: list[tuple[str, str]], body: bytes, reason: str = ""
) -> None:
    """Write one response with its length, keeping the connection open."""
    head = [f"HTTP/1.1 {status} {reason or 'Proxy'}"]
    head += [f"{name}: {value}" for name, value in headers]
    head += [f"Content-Length: {len(body)}", "", ""]
    writer.write("\r\n".join(head).encode("latin-1") + body)
    await writer.drain()
