"""Hand-built release candidates and store wrappers for the publishing tests."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from annual_review.clock import Clock, fixed_clock
from annual_review.publish.staging import stage_release
from annual_review.store import ObjectInfo, Store
from annual_review.tables import SCHEMAS
from annual_review.years import LONDON, BusinessYear

CODES = ("E07000154", "E07000155")


def _value(field: pa.Field, year: BusinessYear, row: int, variant: int) -> Any:
    if field.name == "year":
        return year.label
    if field.name == "authority_code":
        return CODES[row % len(CODES)]
    if pa.types.is_string(field.type):
        return f"{field.name}-{row}-{variant}"
    if pa.types.is_integer(field.type):
        return row + variant
    if pa.types.is_floating(field.type):
        return 0.5 + row
    if pa.types.is_boolean(field.type):
        return row % 2 == 0
    if pa.types.is_date(field.type):
        return date(year.start_year, 4 + row % 9, 1)
    raise TypeError(field.type)


def parquet_bytes(table: str, year: BusinessYear, rows: int = 2, variant: int = 0) -> bytes:
    """A tiny table following tables.py, written as `run` would stage it."""
    schema = SCHEMAS[table]
    data = [{f.name: _value(f, year, r, variant) for f in schema} for r in range(rows)]
    sink = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(data, schema=schema), sink)
    return sink.getvalue()


def candidate_files(year: BusinessYear, variant: int = 0) -> dict[str, bytes]:
    """The files of a release: every table, website JSON and two authorities' letters."""
    files = {f"data/{t}.parquet": parquet_bytes(t, year, variant=variant) for t in SCHEMAS}
    files["json/index.json"] = json.dumps({"year": year.label, "authorities": list(CODES)}).encode()
    files["json/peer_averages.json"] = json.dumps({"year": year.label, "v": variant}).encode()
    for code in CODES:
        files[f"json/authorities/{code}.json"] = json.dumps({"code": code, "v": variant}).encode()
        files[f"letters/{code}.html"] = f"<html><p>{code} {year} {variant}</p></html>".encode()
        files[f"letters/{code}.pdf"] = f"%PDF-1.7 {code} {year} {variant}".encode()
    return files


def at(year: BusinessYear, minutes_after_release: int = 0) -> Clock:
    """A clock at the year's release time (09:30 London on 29 July), shifted by some minutes."""
    base = year.default_release_time()
    shifted = base.timestamp() + 60 * minutes_after_release
    return fixed_clock(datetime.fromtimestamp(shifted, LONDON))


def stage(store: Store, year: BusinessYear, variant: int = 0, **changes: Any) -> dict[str, Any]:
    files = changes.pop("files", None) or candidate_files(year, variant)
    return stage_release(
        store,
        year,
        files,
        row_counts=changes.pop("row_counts", {t: 2 for t in SCHEMAS}),
        peer_method=changes.pop("peer_method", "mean"),
        clock=changes.pop("clock", at(year, -7 * 24 * 60)),
    )


def snapshot(store: Store, prefix: str = "public/") -> dict[str, bytes]:
    """Every object under prefix with its bytes: equal snapshots mean nothing changed."""
    return {key: store.get(key) for key in store.list(prefix)}


class RecordingStore:
    """A store that records puts and deletes, with hooks before and after each put (for faults)."""

    def __init__(
        self,
        inner: Store,
        after_put: Callable[[str, int], None] | None = None,
        before_put: Callable[[str], None] | None = None,
    ) -> None:
        self.inner = inner
        self.url = inner.url
        self.after_put = after_put
        self.before_put = before_put
        self.puts: list[str] = []
        self.deletes: list[str] = []
        self._lock = threading.Lock()

    def put(self, key: str, data: bytes, **options: Any) -> ObjectInfo:
        if self.before_put is not None:
            self.before_put(key)
        info = self.inner.put(key, data, **options)
        with self._lock:
            self.puts.append(key)
            public_puts = sum(1 for k in self.puts if k.startswith("public/"))
        if self.after_put is not None:
            self.after_put(key, public_puts)
        return info

    def delete(self, key: str) -> None:
        with self._lock:
            self.deletes.append(key)
        self.inner.delete(key)

    def get(self, key: str) -> bytes:
        return self.inner.get(key)

    def get_with_info(self, key: str) -> tuple[bytes, ObjectInfo] | None:
        return self.inner.get_with_info(key)

    def head(self, key: str) -> ObjectInfo | None:
        return self.inner.head(key)

    def list(self, prefix: str) -> Iterator[str]:
        return self.inner.list(prefix)

    def clock(self) -> datetime | None:
        return self.inner.clock()

    def remove_partial_writes(self, prefix: str) -> int:
        return self.inner.remove_partial_writes(prefix)
