"""The extract step: an export checked against the year's authorities (their extract's result), its
files named by the result, and the first rejects carried in it for the run report."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq

from annual_review import steps
from annual_review.years import BusinessYear
from tests.helpers.exports import DAVENTRY, FIRE, NORTHAMPTON, write_exports

YEAR = BusinessYear(2019)


def extract_all(folder: Path, work: Path) -> dict[str, steps.Extracted]:
    paths = steps.locate_exports(folder)
    authorities = steps.extract_export("authorities", paths["authorities"], YEAR, None, work)
    return {"authorities": authorities} | {
        name: steps.extract_export(name, path, YEAR, authorities, work)
        for name, path in paths.items()
        if name != "authorities"
    }


def test_the_authorities_of_the_year_are_those_valid_in_it(tmp_path: Path) -> None:
    authorities = extract_all(write_exports(tmp_path / "in"), tmp_path / "work")["authorities"]
    assert (authorities.report.rows_read, authorities.report.rows_accepted) == (4, 4)
    assert authorities.rows == 3  # North Northamptonshire is valid from 2021-22 only
    codes = pq.read_table(authorities.accepted).column("authority_code").to_pylist()
    assert sorted(codes) == sorted([NORTHAMPTON, DAVENTRY, FIRE])
    assert authorities.files == (authorities.accepted, authorities.rejects)
    assert all(Path(file).is_file() for file in authorities.files)


def test_a_case_export_is_checked_against_the_authorities_extract(tmp_path: Path) -> None:
    extracted = extract_all(write_exports(tmp_path / "in", bad_rows=True), tmp_path / "work")
    decisions = extracted["decisions"]
    assert (decisions.report.rows_read, decisions.report.rows_rejected) == (24, 4)
    assert decisions.rows == decisions.report.rows_accepted == 20
    shown = decisions.first_rejects
    assert len(shown) == 4 and all(set(row) == {"file", "line", "reason", "raw"} for row in shown)
    assert any("not an authority of 2019-20 in the authorities file" in row["reason"] for row in shown)
    assert [row["line"] for row in shown] == sorted(row["line"] for row in shown)
    assert pq.read_metadata(decisions.rejects).num_rows == 4


def test_without_authorities_no_code_is_known(tmp_path: Path) -> None:
    paths = steps.locate_exports(write_exports(tmp_path / "in"))
    received = steps.extract_export("received", paths["received"], YEAR, None, tmp_path / "work")
    assert received.rows == 0 and received.report.rows_rejected == received.report.rows_read > 0
