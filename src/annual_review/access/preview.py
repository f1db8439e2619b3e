"""`annual-review preview`: the reference site over the store, on 127.0.0.1, reading only.

The server's root is the store's public/: /site/index.html, /releases.json, /2019-20/json/index.json
are public/site/index.html, public/releases.json, ... With a staged year, /releases.json lists it
beside the released years (marked "preview") and /<year>/... serves the files its candidate.json
lists from staging/<year>/ (so not the access log), as `release` would publish them on the day.
Site files come from the staged candidate, else public/site/, else the ones this package ships.
It is a server, not a batch step: no Prefect flow runs, nothing is recorded.
"""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import unquote, urlsplit

from annual_review.errors import PipelineError
from annual_review.layout import PUBLIC, RELEASES, SITE, candidate_key, public_key, staging_prefix
from annual_review.publish.documents import dump_json, load_json
from annual_review.publish.media import content_type_for
from annual_review.publish.releases_index import read_index, with_year
from annual_review.store import ObjectInfo, Store
from annual_review.years import BusinessYear
from templates import WEBSITE_DIR

PAGES = {"/index.html", "/council.html"}
# The names the preview is reached by on this machine. Any other Host is a page elsewhere whose name was
# made to resolve to 127.0.0.1 (DNS rebinding): it would read the staged, embargoed figures with fetch.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")
_COMPRESSIBLE = ("text/", "application/json", "application/x-ndjson")


class ReadOnlyStore:
    """A store that can only be read: the preview holds nothing that could write."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.url = store.url

    def get(self, key: str) -> bytes:
        return self._store.get(key)

    def get_with_info(self, key: str) -> tuple[bytes, ObjectInfo] | None:
        return self._store.get_with_info(key)

    def head(self, key: str) -> ObjectInfo | None:
        return self._store.head(key)

    def list(self, prefix: str) -> Iterator[str]:
        return self._store.list(prefix)

    def put(self, key: str, data: bytes, **_: Any) -> ObjectInfo:
        raise PermissionError(f"the preview never writes to the store ({key})")

    def delete(self, key: str) -> None:
        raise PermissionError(f"the preview never writes to the store ({key})")

    def clock(self) -> datetime | None:
        return self._store.clock()

    def remove_partial_writes(self, prefix: str) -> int:
        raise PermissionError(f"the preview never writes to the store ({prefix})")


@dataclass(frozen=True)
class Found:
    body: bytes
    content_type: str


class PublicView:
    """public/ as readers will see it, with the staged candidate of `staged` laid over it."""

    def __init__(self, store: Store, staged: BusinessYear | None = None) -> None:
        self.store = ReadOnlyStore(store)
        self.staged = staged
        # The staged files at the addresses their release will give them (public_key): nothing else.
        self._staged: dict[str, str] = {}
        self._staged_at: str | None = None
        if staged is not None:
            keys, self._staged_at = self._candidate(staged)
            self._staged = {public_key(staged, key): key for key in keys}

    def _candidate(self, year: BusinessYear) -> tuple[frozenset[str], str]:
        """candidate.json's keys, not checked as a release does: that needs pandas, seconds to import."""
        found = self.store.get_with_info(candidate_key(year))
        if found is None:
            raise PipelineError(
                f"nothing is staged for {year} ({candidate_key(year)} is missing): "
                f"run `annual-review run --year {year}` first"
            )
        try:
            document = load_json(found[0])
            return frozenset(str(entry["key"]) for entry in document["files"]), str(document["generated_at"])
        except (ValueError, KeyError, TypeError) as error:
            raise PipelineError(f"{candidate_key(year)} is not a valid candidate ({error})") from None

    def releases(self) -> bytes:
        index, _ = read_index(self.store)
        if self.staged is not None:
            entry = {"manifest": None, "preview": True, "staged_at": self._staged_at}
            index = with_year(index, self.staged.label, entry)
        return dump_json(index)

    def find(self, path: str) -> Found | None:
        """The bytes behind a URL path (no query), or None for anything the public would not see."""
        parts = path.lstrip("/").split("/")
        if not all(p and not p.startswith(".") for p in parts):
            return None
        key = "/".join(parts)
        try:
            content_type = content_type_for(key)
        except ValueError:
            return None
        if key == RELEASES:
            return Found(self.releases(), content_type)
        body = self._read(key)
        return Found(body, content_type) if body is not None else None

    def _read(self, key: str) -> bytes | None:
        if self.staged is not None and key in self._staged:
            return self._get(staging_prefix(self.staged) + self._staged[key])
        if self.staged is not None and key.startswith(f"{self.staged.label}/"):
            return None  # not in the candidate (the access log, candidate.json): never released
        body = self._get(PUBLIC + key)
        if body is None and key.startswith(SITE):
            shipped = WEBSITE_DIR / key.removeprefix(SITE)
            return shipped.read_bytes() if shipped.is_file() else None
        return body

    def _get(self, key: str) -> bytes | None:
        found = self.store.get_with_info(key)
        return found[0] if found else None


def make_server(view: PublicView, port: int = 8000) -> ThreadingHTTPServer:
    """Bound to 127.0.0.1 only; port 0 picks a free one (server.server_address says which)."""

    class Handler(BaseHTTPRequestHandler):
        server_version = "annual-review-preview"
        port = 0  # the port bound, set below (port 0 asks the system for one)

        def do_GET(self) -> None:
            self._answer(send_body=True)

        def do_HEAD(self) -> None:
            self._answer(send_body=False)

        def _answer(self, send_body: bool) -> None:
            if not serves_host(self.headers.get("Host"), self.port):
                self.send_response(HTTPStatus.MISDIRECTED_REQUEST)  # no body: nothing of the store
                self.send_header("Content-Length", "0")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                return
            url = urlsplit(self.path)
            path = unquote(url.path)
            if path == "/" or path in PAGES:
                page = "index.html" if path == "/" else path.removeprefix("/")
                target = f"/{SITE}{page}"
                self.send_response(HTTPStatus.FOUND)
                self.send_header("Location", target + (f"?{url.query}" if url.query else ""))
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            if path == "/favicon.ico":  # browsers ask for it on every page, letters included
                self.send_response(HTTPStatus.NO_CONTENT)
                self.end_headers()
                return
            found = view.find(path)
            if found is None:
                self.send_error(HTTPStatus.NOT_FOUND, "not in the store's public view")
                return
            body = found.body
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", found.content_type)
            self.send_header("Cache-Control", "no-cache")
            if (
                "gzip" in self.headers.get("Accept-Encoding", "")
                and found.content_type.startswith(_COMPRESSIBLE)
                and len(body) > 1024
            ):
                body = gzip.compress(body, compresslevel=5, mtime=0)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if send_body:
                self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the operator's terminal shows the address, not every request."""

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    Handler.port = server.server_port
    server.daemon_threads = True
    return server


def serves_host(host: str | None, port: int) -> bool:
    """Whether a request's Host header names this server: a loopback name with its port."""
    if host is None:
        return False
    names = {f"{name}:{port}" for name in LOOPBACK_NAMES}
    if port == 80:  # a browser leaves the default port out
        names |= set(LOOPBACK_NAMES)
    return host.strip().lower() in names


def site_url(server: ThreadingHTTPServer) -> str:
    host, port = server.server_address[:2]
    return f"http://{host!s}:{port}/"
