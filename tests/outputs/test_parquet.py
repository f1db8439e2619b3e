"""Tables are checked against their schema before writing, and written byte for byte the same."""

import io

import pandas as pd
import pyarrow.parquet as pq
import pytest

from annual_review.outputs.parquet import TableContractError, parquet_bytes, to_arrow


def received(**overrides: object) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "year": ["2019-20", "2019-20"],
            "case_ref": ["1", "2"],
            "authority_code": ["E07000154", "E07000154"],
            "category": ["Housing", "Other"],
            "received_date": pd.to_datetime(["2019-05-01", "2020-03-31"]),
        }
    )
    return frame.assign(**overrides)


def test_round_trip_and_same_bytes() -> None:
    data = parquet_bytes(to_arrow("received", received()))
    assert data == parquet_bytes(to_arrow("received", received()))
    table = pq.read_table(io.BytesIO(data))
    assert str(table.schema.field("received_date").type) == "date32[day]"
    assert table.schema.metadata is None  # no pandas metadata: plain Arrow for every reader


def test_text_is_never_cast_to_a_number() -> None:
    frame = received().assign(year="2019-20")
    with pytest.raises(TableContractError, match=r"received\.received_date"):
        to_arrow("received", frame.assign(received_date=["2019-05-01", "2020-03-31"]))


def test_null_in_a_not_null_column_refused() -> None:
    with pytest.raises(TableContractError, match=r"received\.category: null"):
        to_arrow("received", received(category=["Housing", None]))


def test_duplicate_key_refused() -> None:
    with pytest.raises(TableContractError, match=r"1 duplicate keys \['year', 'case_ref'\]"):
        to_arrow("received", received(case_ref=["1", "1"]))


def test_missing_column_refused() -> None:
    with pytest.raises(TableContractError, match="missing columns"):
        to_arrow("received", received().drop(columns="category"))
