"""The object store behind one small interface: a local folder (the embedded default) or S3."""

from annual_review.store.base import ObjectInfo, Store, open_store

__all__ = ["ObjectInfo", "Store", "open_store"]
