"""The object store behind one small interface: a local folder (the embedded default) or S3."""

from annual_review.store.base import ObjectInfo, Presigner, Store, WriteConflict, sha256_hex

__all__ = ["ObjectInfo", "Presigner", "Store", "WriteConflict", "open_store", "sha256_hex"]


def open_store(url: str, *, endpoint_url: str | None = None, max_attempts: int = 5) -> Store:
    """'s3://bucket/prefix' opens S3 (endpoint_url overrides AWS_ENDPOINT_URL); else a folder."""
    if url.startswith("s3://"):
        from annual_review.store.s3 import S3Store

        return S3Store.from_url(url, endpoint_url=endpoint_url, max_attempts=max_attempts)
    from annual_review.store.local import LocalStore

    return LocalStore(url)
