"""Fact tables as Parquet: converted under an explicit schema, checked, written deterministically."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from annual_review.tables import KEYS, SCHEMAS


class TableContractError(ValueError):
    """A table about to be written breaks its schema: a bug upstream, never a user's input."""


def to_arrow(name: str, frame: pd.DataFrame) -> pa.Table:
    """The frame under the table's schema, refusing silent casts (str→int) and nulls in keys."""
    schema = SCHEMAS[name]
    missing = [n for n in schema.names if n not in frame.columns]
    if missing:
        raise TableContractError(f"{name}: missing columns {missing}")
    for field in schema:
        series = frame[field.name]
        is_text = pd.api.types.infer_dtype(series, skipna=True) == "string"
        if pa.types.is_string(field.type) != is_text and series.notna().any():
            raise TableContractError(f"{name}.{field.name}: {series.dtype} is not {field.type}")
        if not field.nullable and series.isna().any():
            raise TableContractError(f"{name}.{field.name}: null in a not-null column")
    table = pa.Table.from_pandas(frame[schema.names], schema=schema, preserve_index=False)
    table = table.replace_schema_metadata(None)
    check_table(name, table, KEYS.get(name, ()))
    return table


def check_table(name: str, table: pa.Table, key: Sequence[str]) -> None:
    """Not-null fields hold no null; the key is unique."""
    for field in table.schema:
        if not field.nullable and table.column(field.name).null_count:
            raise TableContractError(f"{name}.{field.name}: null in a not-null column")
    if key and table.num_rows:
        unique = _distinct_keys(table, key)
        if unique != table.num_rows:
            raise TableContractError(f"{name}: {table.num_rows - unique} duplicate keys {list(key)}")


def _distinct_keys(table: pa.Table, key: Sequence[str]) -> int:
    """How many distinct keys; a column holding one value (the year) cannot tell rows apart, and
    grouping by one column on one thread is several times faster than by two on two."""
    varying = [name for name in key if not _constant(table.column(name))]
    if not varying:
        return 1
    return int(table.group_by(varying, use_threads=False).aggregate([]).num_rows)


def _constant(column: pa.ChunkedArray) -> bool:
    if column.null_count == len(column):
        return True
    if column.null_count:
        return False
    bounds = pc.min_max(column)
    return bool(bounds["min"] == bounds["max"])


def parquet_bytes(table: pa.Table) -> bytes:
    """Same table, same bytes: fixed writer options, no timestamps."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", write_statistics=True, use_dictionary=True)
    return bytes(sink.getvalue().to_pybytes())
