"""`annual-review bucket-setup`: let browsers read what a release publishes, and nothing staged.

Two settings of the bucket, each kept beside whatever else the bucket holds: a CORS rule for GET and
HEAD from the website's origins (so a site served elsewhere can fetch the JSON), and a bucket policy
statement letting anyone GET objects under <prefix>/public/, never under <prefix>/staging/.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from annual_review.errors import PipelineError
from annual_review.layout import PUBLIC
from annual_review.store import Store


def check_origin(origin: str) -> str:
    """An origin is scheme://host[:port], nothing more: CORS compares it as a string."""
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path or parts.query:
        raise PipelineError(f"--origin {origin!r} is not an origin like https://www.example.org")
    return origin


def open_to_browsers(store: Store, origins: list[str]) -> str:
    """Set both; returns the resource that anyone may now read."""
    from annual_review.store.s3 import S3Store

    if not isinstance(store, S3Store):
        raise PipelineError(f"bucket-setup needs an S3 store (s3://bucket/prefix), not {store.url}")
    if not origins:
        raise PipelineError("give the website's origin with --origin https://...")
    store.allow_browser_gets([check_origin(o) for o in origins])
    return store.allow_public_read(PUBLIC)
