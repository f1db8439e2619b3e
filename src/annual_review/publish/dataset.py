"""The all-years dataset: one hive partition per released year and table.

public/data/<table>/year=<year>/part-0.parquet holds the staged table without its `year`
column, which the partition path supplies; so `pyarrow.dataset.dataset(..., partitioning="hive")`
reads every released year as one table, with `year` as a string.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from annual_review.errors import ReleaseRefused
from annual_review.layout import table_key
from annual_review.outputs.parquet import parquet_bytes
from annual_review.tables import SCHEMAS
from annual_review.years import BusinessYear


def partition_part(table: str, data: bytes, year: BusinessYear) -> bytes:
    """Check the staged table against its schema and year, then drop `year` (the path holds it)."""
    staged = pq.read_table(pa.BufferReader(data))
    expected = SCHEMAS[table]
    if not staged.schema.equals(expected, check_metadata=False):
        differences = sorted(
            {f"{f.name}: {f.type}{'' if f.nullable else ' not null'}" for f in staged.schema}
            ^ {f"{f.name}: {f.type}{'' if f.nullable else ' not null'}" for f in expected}
        )
        raise ReleaseRefused(
            f"staged {table_key(table)} does not match the {table} schema "
            f"(differs in {'; '.join(differences) or 'column order'}); stage {year} again"
        )
    years = pc.unique(staged.column("year")).to_pylist()
    if years and years != [year.label]:
        raise ReleaseRefused(f"staged {table_key(table)} holds years {years}, not only {year}")
    return parquet_bytes(staged.drop_columns(["year"]).replace_schema_metadata(None))
