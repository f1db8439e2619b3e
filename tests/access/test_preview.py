"""The preview serves public/ as readers will see it, the staged year laid over it, and never writes."""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from annual_review.access.preview import PublicView, ReadOnlyStore
from annual_review.outputs.site import site_files
from annual_review.store.local import LocalStore
from annual_review.years import BusinessYear
from tests.helpers.s3_server import SeaweedServer

from .conftest import RELEASED, STAGED, Preview

pytestmark = pytest.mark.slow


def fetch(url: str) -> tuple[int, bytes, dict[str, str]]:
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args: object, **kwargs: object) -> None:
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under the store (its .meta sidecars too) with its sha256 and mtime."""
    return {
        str(p.relative_to(root)): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize(
    ("path", "status", "location"),
    [
        ("", 302, "/site/index.html"),
        ("index.html?year=2022-23", 302, "/site/index.html?year=2022-23"),
        ("council.html?code=E07000146", 302, "/site/council.html?code=E07000146"),
        ("site/index.html", 200, None),
        ("releases.json", 200, None),
        (f"{RELEASED[0]}/manifest.json", 200, None),
        (f"{STAGED}/json/index.json", 404, None),  # staged, not released: only with --year
        ("site/../../staging/2024-25/candidate.json", 404, None),
        ("%2e%2e/staging/2024-25/candidate.json", 404, None),
        (".meta/public/releases.json.json", 404, None),
        ("favicon.ico", 204, None),
    ],
)
def test_urls_map_onto_public(preview: Preview, path: str, status: int, location: str | None) -> None:
    code, _, headers = fetch(preview.url + path)
    assert code == status
    assert headers.get("Location") == location


def test_with_a_year_the_staged_candidate_is_served_as_released(staged_preview: Preview) -> None:
    store = staged_preview.store
    code, body, headers = fetch(staged_preview.url + "releases.json")
    index = json.loads(body)
    assert (index["latest"], sorted(index["years"])) == (STAGED, [*RELEASED, STAGED])
    assert index["years"][STAGED]["preview"] is True
    assert "preview" not in index["years"][RELEASED[0]]
    code, body, headers = fetch(staged_preview.url + f"{STAGED}/json/index.json")
    assert (code, headers["Content-Type"]) == (200, "application/json")
    assert body == (store / "staging" / STAGED / "json" / "index.json").read_bytes()
    for unlisted in ("candidate.json", "access-log.jsonl"):
        assert fetch(f"{staged_preview.url}{STAGED}/{unlisted}")[0] == 404
    # only at the addresses the release will give them: a link that works here works on 29 July
    for elsewhere in ("json/index.json", f"{STAGED}/site/index.html"):
        assert fetch(staged_preview.url + elsewhere)[0] == 404
    # the released years are still public's
    assert (
        fetch(f"{staged_preview.url}{RELEASED[0]}/json/index.json")[1]
        == (store / "public" / RELEASED[0] / "json" / "index.json").read_bytes()
    )


def get_as(url: str, path: str, host: str | None) -> tuple[int, bytes]:
    """A GET with the Host header a browser would send for another name (None: no Host at all)."""
    address = urlsplit(url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        connection.putrequest("GET", path, skip_host=True)
        if host is not None:
            connection.putheader("Host", host)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "host",
    [
        "rebind.attacker.example:{port}",  # DNS rebinding: a foreign name that resolves to 127.0.0.1
        "127.0.0.1.attacker.example:{port}",
        "localhost.attacker.example:{port}",
        "127.0.0.1:{other}",
        "localhost",  # no port: not what a browser sends for this server
        "127.0.0.2:{port}",
        "",
        None,
    ],
)
def test_a_foreign_host_name_reads_nothing(staged_preview: Preview, host: str | None) -> None:
    port = urlsplit(staged_preview.url).port
    header = host.format(port=port, other=(port or 0) + 1) if host is not None else None
    embargoed = (staged_preview.store / "staging" / STAGED / "json" / "index.json").read_bytes()
    for path in ("/releases.json", f"/{STAGED}/json/index.json", "/", "/site/index.html"):
        status, body = get_as(staged_preview.url, path, header)
        assert 400 <= status < 500, (header, path, status)
        assert STAGED.encode() not in body and embargoed not in body and b"authority" not in body


@pytest.mark.parametrize("host", ["127.0.0.1:{port}", "localhost:{port}", "[::1]:{port}", "LocalHost:{port}"])
def test_the_loopback_names_it_serves_are_answered(staged_preview: Preview, host: str) -> None:
    header = host.format(port=urlsplit(staged_preview.url).port)
    status, body = get_as(staged_preview.url, f"/{STAGED}/json/index.json", header)
    assert status == 200
    assert body == (staged_preview.store / "staging" / STAGED / "json" / "index.json").read_bytes()


def test_json_is_gzipped_for_browsers_that_ask(preview: Preview) -> None:
    request = urllib.request.Request(
        f"{preview.url}{RELEASED[0]}/json/index.json", headers={"Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        import gzip

        assert (
            gzip.decompress(response.read())
            == (preview.store / "public" / RELEASED[0] / "json" / "index.json").read_bytes()
        )


def test_the_release_put_the_site_in_public_and_its_manifest(pipeline_store: Path) -> None:
    for key, data in site_files().items():
        assert (pipeline_store / "public" / key).read_bytes() == data
    manifest = json.loads((pipeline_store / "public" / RELEASED[-1] / "manifest.json").read_bytes())
    listed = {f["key"]: f for f in manifest["files"]}
    assert listed["site/council.js"]["content_type"] == "text/javascript; charset=utf-8"
    assert listed["site/index.html"]["sha256"] == hashlib.sha256(site_files()["site/index.html"]).hexdigest()
    assert not any(key.startswith(f"{RELEASED[-1]}/site/") for key in listed)


def test_the_preview_never_writes(pipeline_store: Path, staged_preview: Preview) -> None:
    before = snapshot(pipeline_store)
    for path in (
        "",
        "releases.json",
        f"{STAGED}/json/index.json",
        f"{STAGED}/letters/x.html",
        "nothing.json",
    ):
        fetch(staged_preview.url + path)
    assert snapshot(pipeline_store) == before
    guard = ReadOnlyStore(LocalStore(pipeline_store))
    with pytest.raises(PermissionError):
        guard.put("public/releases.json", b"{}", content_type="application/json")
    with pytest.raises(PermissionError):
        guard.delete("public/releases.json")


def test_the_command_starts_in_seconds_and_stops_on_ctrl_c(pipeline_store: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "flows.cli", "preview", "--store", str(pipeline_store), "--year", STAGED]
    started = time.perf_counter()
    server = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path
    )
    try:
        while fetch_or_none(f"http://127.0.0.1:{port}/releases.json") is None:
            assert server.poll() is None, server.stderr.read() if server.stderr else ""
            assert time.perf_counter() - started < 10
            time.sleep(0.05)
        took = time.perf_counter() - started
        rebound = get_as(f"http://127.0.0.1:{port}/", "/releases.json", f"rebind.example:{port}")
    finally:
        server.send_signal(2)  # Ctrl-C
        out, err = server.communicate(timeout=10)
    assert server.returncode == 0, err
    assert f"on http://127.0.0.1:{port}/" in out.decode()
    assert took < 5.0, took
    assert rebound[0] == 421 and STAGED.encode() not in rebound[1]  # a foreign Host: nothing served
    assert not (tmp_path / "var").exists()  # no Prefect home, no work folder: it is not a flow


def fetch_or_none(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            body: bytes = response.read()
            return body
    except OSError:
        return None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--store", "/nonexistent/store"], "error: there is no store at /nonexistent/store"),
        (["--year", "2031-32"], "error: nothing is staged for 2031-32"),
    ],
)
def test_the_command_refuses_in_one_line(pipeline_store: Path, args: list[str], message: str) -> None:
    args = args if "--store" in args else [*args, "--store", str(pipeline_store)]
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "preview", *args, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 1
    assert done.stderr.startswith(message), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.s3
@pytest.mark.usefixtures("s3_credentials")
def test_the_preview_reads_an_s3_store(seaweed: SeaweedServer, pipeline_store: Path) -> None:
    store = seaweed.store()
    for path in sorted(pipeline_store.rglob("*")):
        key = path.relative_to(pipeline_store).as_posix()
        if path.is_file() and key.startswith(("public/releases.json", f"public/{RELEASED[0]}/json/")):
            store.put(key, path.read_bytes(), content_type="application/json")
    view = PublicView(store)
    found = view.find(f"/{RELEASED[0]}/json/index.json")
    assert found is not None
    assert found.body == (pipeline_store / "public" / RELEASED[0] / "json" / "index.json").read_bytes()
    assert json.loads(view.releases())["latest"] == RELEASED[-1]
    shipped = view.find("/site/council.js")  # not released to this store: the packaged site
    assert shipped is not None and shipped.body == site_files()["site/council.js"]
    with pytest.raises(Exception, match="nothing is staged"):
        PublicView(store, BusinessYear.parse(STAGED))


def test_the_preview_imports_no_pandas() -> None:
    """pandas alone took 6.5 s to import on a busy machine: the preview must start without it."""
    imports = "import sys, flows.cli, annual_review.access.preview"
    code = f"{imports}; print(sorted({{'pandas', 'prefect'}} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout.strip() == "[]"
