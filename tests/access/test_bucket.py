"""S3 for browsers, on SeaweedFS and in Chromium: the site's origin reads public/, nobody reads staging/."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser

from annual_review.store.s3 import S3Store
from tests.helpers.s3_server import BUCKET, SeaweedServer

from .browser import GuardedPage, chromium, guarded_page

pytestmark = [pytest.mark.s3, pytest.mark.slow]
PAGE = """<!doctype html><html lang="en"><head><title>elsewhere</title><link rel="icon" href="data:,"></head>
<body><p id="out">loading</p><script>
fetch("%s").then((r) => r.json()).then((d) => { out.textContent = "latest " + d.latest; })
  .catch((e) => { out.textContent = "blocked"; });
</script></body></html>"""


def unsigned(url: str, origin: str | None = None) -> tuple[int, dict[str, str]]:
    request = urllib.request.Request(url, headers={"Origin": origin} if origin else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


def serve_page(html: str) -> Iterator[str]:
    """A website on another origin: one page on a port of its own."""

    class Page(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = html.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Page)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def store(seaweed: SeaweedServer, s3_credentials: None) -> S3Store:
    store = seaweed.store()
    index = {"format": 1, "latest": "2019-20", "years": {}}
    store.put("public/releases.json", json.dumps(index).encode(), content_type="application/json")
    store.put("staging/2019-20/candidate.json", b"{}", content_type="application/json")
    return store


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as launched:
        yield launched


def test_the_websites_origin_reads_public_and_nobody_reads_staging(
    store: S3Store, seaweed: SeaweedServer, browser: Browser
) -> None:
    base = f"{seaweed.endpoint}/{BUCKET}/{store.prefix}"
    public, staged = base + "public/releases.json", base + "staging/2019-20/candidate.json"
    assert unsigned(public)[0] == 403  # private until the bucket is set up
    client = seaweed.client()
    foreign = {"ID": "someone else's", "AllowedOrigins": ["https://other.example"], "AllowedMethods": ["PUT"]}
    client.put_bucket_cors(Bucket=BUCKET, CORSConfiguration={"CORSRules": [foreign]})

    for page_origin in serve_page(PAGE % public):
        for other_origin in serve_page(PAGE % public):
            command = ["bucket-setup", "--store", store.url, "--origin", page_origin]
            env = {**os.environ, "AWS_ENDPOINT_URL": seaweed.endpoint}
            done = subprocess.run(
                [sys.executable, "-m", "flows.cli", *command],
                capture_output=True,
                text=True,
                timeout=60,
                env=env,
            )
            assert done.returncode == 0, done.stderr
            assert f"public read on arn:aws:s3:::{BUCKET}/{store.prefix}public/* only" in done.stdout

            status, headers = unsigned(public, origin=page_origin)
            assert (status, headers.get("Access-Control-Allow-Origin")) == (200, page_origin)
            assert unsigned(staged)[0] == 403
            assert unsigned(base + "staging/2019-20/nothing.json")[0] == 403  # not even whether it exists
            rules = client.get_bucket_cors(Bucket=BUCKET)["CORSRules"]
            assert foreign["AllowedOrigins"] in [r["AllowedOrigins"] for r in rules]  # kept

            with guarded_page(browser, page_origin, seaweed.endpoint) as page:
                page.goto(page_origin)
                page.wait_for_function("document.getElementById('out').textContent !== 'loading'")
                assert page.inner_text("#out") == "latest 2019-20"

            refused = GuardedPage(browser, (other_origin, seaweed.endpoint))
            try:
                refused.page.goto(other_origin)
                refused.page.wait_for_function("document.getElementById('out').textContent !== 'loading'")
                assert refused.page.inner_text("#out") == "blocked"  # CORS holds for any other origin
            finally:
                refused.close()
            assert any("CORS" in problem for problem in refused.problems)


def test_a_local_store_and_a_bad_origin_are_refused_in_one_line(tmp_path: object) -> None:
    for args, message in [
        (
            ["--store", str(tmp_path), "--origin", "https://a.example"],
            "error: bucket-setup needs an S3 store",
        ),
        (
            ["--store", "s3://bucket/x", "--origin", "https://a.example/path"],
            "error: --origin 'https://a.example/path' is not an origin",
        ),
    ]:
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", "bucket-setup", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1
        assert done.stderr.startswith(message), done.stderr
