"""The optional population export: read like the others, every bad row rejected with its reason."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook

from annual_review import steps
from annual_review.errors import InputError
from annual_review.extract import specs
from annual_review.extract.parse import parse_positive_whole
from annual_review.extract.readers import RawExport, read_export
from annual_review.extract.validate import validate_population
from annual_review.years import BusinessYear
from tests.helpers.exports import write_exports

YEAR = BusinessYear.parse("2019-20")
KNOWN = pd.Index(["E07000154", "E07000151", "E31000040", "E06000043"], dtype="str")

POPULATION_CSV = """authority_code,residents,source
E07000154,"225,000",ONS mid-2019 population estimates
E07000151,0,
E09999999,1000,ONS
E07000154,230000,a second row for Northampton
E31000040,12.5,
 E06000043 ,  281000  ,
E07000151,-3,
,,
"""


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("350000", 350_000),
        (" 350,000 ", 350_000),
        ("350000.0", 350_000),  # a whole number typed into a decimal cell
        ("1", 1),
        ("0", None),
        ("-3", None),
        ("12.5", None),
        ("3e5", None),
        ("1,23", None),
        ("three", None),
        ("", None),
    ],
)
def test_positive_whole_numbers(text: str, value: int | None) -> None:
    parsed = parse_positive_whole(pd.Series([text], dtype="str")).iloc[0]
    assert (pd.isna(parsed) and value is None) or parsed == value


def read(path: Path) -> RawExport:
    return read_export(path, "population", specs.POPULATION.required, specs.POPULATION.optional)


def test_rows_are_accepted_or_rejected_with_their_reasons(tmp_path: Path) -> None:
    path = tmp_path / "population.csv"
    path.write_text(POPULATION_CSV, encoding="utf-8")
    validated = validate_population(read(path), YEAR, KNOWN)
    expected = pd.DataFrame(
        {
            "year": "2019-20",
            "authority_code": ["E07000154", "E06000043"],
            "residents": pd.array([225_000, 281_000], dtype="Int64"),
            "source": pd.array(["ONS mid-2019 population estimates", None], dtype="str"),
        }
    )
    pd.testing.assert_frame_equal(validated.accepted, expected)
    reasons = validated.rejects.set_index("line")["reason"].to_dict()
    assert reasons == {
        3: "residents: not a positive whole number ('0')",
        4: "authority_code: not an authority of 2019-20 in the authorities file ('E09999999')",
        5: "authority_code: duplicate of an earlier row ('E07000154')",
        6: "residents: not a positive whole number ('12.5')",
        # a code's every later row is a duplicate, even after a rejected first one; all reasons are named
        8: "authority_code: duplicate of an earlier row ('E07000151'); "
        "residents: not a positive whole number ('-3')",
    }
    report = validated.report
    assert (report.rows_read, report.rows_accepted, report.rows_rejected, report.blank_lines) == (7, 2, 5, 1)
    assert (validated.rejects["file"] == "population.csv").all()


def test_a_workbook_with_number_cells_reads_the_same(tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Authority code", "Residents"])  # headers match case- and space-insensitively
    sheet.append(["E07000154", 225000])
    sheet.append(["E07000151", 93000.0])
    sheet.append(["E31000040", 0.5])
    book.save(tmp_path / "population.xlsx")
    validated = validate_population(read(tmp_path / "population.xlsx"), YEAR, KNOWN)
    assert validated.accepted["residents"].tolist() == [225_000, 93_000]
    assert validated.accepted["source"].isna().all()
    assert validated.rejects["reason"].tolist() == ["residents: not a positive whole number ('0.5')"]


def test_a_missing_residents_column_stops_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "population.csv"
    path.write_text("authority_code,population\nE07000154,225000\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"population\.csv: missing required column residents$"):
        read(path)


def test_the_population_export_is_optional(tmp_path: Path) -> None:
    folder = write_exports(tmp_path / "in")
    assert set(steps.locate_exports(folder)) == {"authorities", "received", "decisions", "compliance"}
    (folder / "Population.CSV").write_text("authority_code,residents\n", encoding="utf-8")
    assert steps.locate_exports(folder)["population"] == folder / "Population.CSV"
    (folder / "population.xlsx").write_bytes(b"")
    with pytest.raises(InputError, match="two exports for 'population'"):
        steps.locate_exports(folder)
