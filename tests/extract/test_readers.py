"""Reading exports: encodings, header matching, XLSX title rows, missing files and columns."""

from pathlib import Path

import openpyxl
import pytest

from annual_review.errors import InputError
from annual_review.extract.readers import LINE, find_export, read_export

REQUIRED = ("case_ref", "authority_code", "received_date")


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_utf8_bom_and_messy_headers(tmp_path: Path) -> None:
    path = write(
        tmp_path / "received.csv",
        "\ufeff Case Ref ,AUTHORITY_CODE,received_date,extra\r\n19 001,E07000154,2019-11-04,x\r\n",
    )
    export = read_export(path, "received", REQUIRED)
    assert list(export.frame.columns) == [LINE, *REQUIRED]
    assert export.frame.iloc[0].tolist() == [2, "19 001", "E07000154", "2019-11-04"]
    assert export.warnings == ()


def test_windows_1252_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write(
        tmp_path / "received.csv",
        "case_ref,authority_code,received_date,note\n1,E07000154,2019-11-04,caf\u00e9 \u2019\n",
        encoding="cp1252",
    )
    export = read_export(path, "received", (*REQUIRED, "note"))
    assert export.frame["note"].iloc[0] == "caf\u00e9 \u2019"
    assert "Windows-1252" in export.warnings[0]


def test_line_numbers_skip_blank_and_malformed_lines(tmp_path: Path) -> None:
    path = write(
        tmp_path / "received.csv",
        "case_ref,authority_code,received_date\n1,E07000154,2019-11-04\n\n2,E07000154\n3,E07000154,2019-11-05\n",
    )
    export = read_export(path, "received", REQUIRED)
    assert export.frame[LINE].tolist() == [2, 5]
    assert export.blank_lines == 1
    assert export.malformed[[LINE, "reason"]].values.tolist() == [[4, "expected 3 fields, found 2"]]


def test_missing_column_names_file_and_column(tmp_path: Path) -> None:
    path = write(tmp_path / "received.csv", "case_ref,authority_code\n1,E07000154\n")
    with pytest.raises(InputError, match=r"received\.csv: missing required column received_date"):
        read_export(path, "received", REQUIRED)


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"missing export: .*decisions\.csv \(or \.xlsx\)"):
        find_export(tmp_path, "decisions")


def test_two_files_for_one_export_refused(tmp_path: Path) -> None:
    write(tmp_path / "received.csv", "x\n")
    write(tmp_path / "Received.xlsx", "x")
    with pytest.raises(InputError, match="two exports"):
        find_export(tmp_path, "received")


def _workbook(path: Path, rows: list[list[object]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xlsx_header_below_title_rows(tmp_path: Path) -> None:
    import datetime

    path = _workbook(
        tmp_path / "received.xlsx",
        [
            ["Complaints received 2019-20"],
            [],
            ["Case ref", "Authority code", "Received date"],
            [19004123, "E07000154", datetime.date(2019, 11, 4)],
            ["19 005", "E07000154", "04/11/2019"],
        ],
    )
    export = read_export(path, "received", REQUIRED)
    assert export.frame.values.tolist() == [
        [4, "19004123", "E07000154", "2019-11-04 00:00:00"],
        [5, "19 005", "E07000154", "04/11/2019"],
    ]


def test_xlsx_without_header_refused(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "received.xlsx", [["a", "b"], ["1", "2"]])
    with pytest.raises(InputError, match="no header row with case_ref, authority_code, received_date"):
        read_export(path, "received", REQUIRED)
