"""The build step's result: handles to the tables it wrote, and the values the run reports, so that
nothing above the steps reads its files again."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from annual_review import steps
from tests.helpers.exports import DAVENTRY, FIRE, NORTHAMPTON, write_exports

from .test_extract import YEAR, extract_all


@pytest.fixture
def built(tmp_path: Path) -> steps.Built:
    extracted = extract_all(write_exports(tmp_path / "in"), tmp_path / "work")
    return steps.build_tables(YEAR, "mean", ("html",), extracted, tmp_path / "work")


def test_the_tables_are_reached_by_their_handles(built: steps.Built) -> None:
    assert built.authority_year in built.files and built.peer_averages in built.files
    assert all(Path(file).is_file() for file in built.files)
    figures = pq.read_table(built.authority_year).to_pandas().set_index("authority_code")
    assert (figures.at[NORTHAMPTON, "upheld"], figures.at[NORTHAMPTON, "investigations"]) == (7, 11)
    peers = pq.read_table(built.peer_averages).to_pylist()
    assert [row["authority_type"] for row in peers] == ["District Council"]


def test_the_peer_figures_are_reported_as_shown_with_what_they_are_made_of(built: steps.Built) -> None:
    """Mean of rates: uphold (7/11 + 2/4) / 2 = 56.8 % → 57 %, beside the pooled counts 9/15;
    satisfactory remedies (1/7 + 0/2) / 2 = 7.1 % → 7 %."""
    (district,) = built.report.peer_rows
    assert district == {
        "type": "District Council",
        "method": "mean",
        "authorities": 2,
        "uphold rate": "57%",
        "uphold rate (of)": "9/15",
        "compliance rate": "75%",
        "compliance rate (of)": "6/7",
        "satisfactory remedy rate": "7%",
        "satisfactory remedy rate (of)": "1/9",
        "upheld per 100,000 residents": "–",
        "upheld per 100,000 (of)": "0 upheld, 0 residents, 0 authorities",
    }


def test_the_authorities_without_a_population_are_named(built: steps.Built) -> None:
    report = built.report
    assert (report.authorities, report.with_letter) == (3, 3)
    assert [(a.code, a.has_letter) for a in report.without_population] == [
        (DAVENTRY, True),
        (NORTHAMPTON, True),
        (FIRE, True),
    ]
    assert report.without_population[1].name == "Northampton Borough Council"
