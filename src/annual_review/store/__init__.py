"""The object store behind one small interface: a local folder (the embedded default) or S3."""

from annual_review.store.base import ObjectInfo, Store, WriteConflict, open_store, sha256_hex

__all__ = ["ObjectInfo", "Store", "WriteConflict", "open_store", "sha256_hex"]
