"""Reading exports: encodings, header matching, XLSX title rows, missing files and columns."""

import errno
import gzip
import re
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


HEADER = "case_ref,authority_code,received_date"
ROW = "19 001,E07000154,2019-11-04"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"is empty \(0 bytes\)"),
        (gzip.compress(f"{HEADER}\n{ROW}\n".encode()), "is gzip-compressed, not CSV text: unpack it first"),
        (f"{HEADER}\n{ROW}\n".encode("utf-16"), "is UTF-16 text: save it as CSV UTF-8"),
        (f"{HEADER}\n{ROW}\n".encode("utf-16-le"), r"is not CSV text \(byte 1 is NUL"),
        (bytes(range(256)) * 4, r"is not CSV text \(byte 0 is NUL"),
        (b"PK\x03\x04" + bytes(100), r"is a zip archive \(an XLSX workbook\?\)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"is not CSV text \(byte 8 is NUL"),
        (b"\x01\x02\x03\x7f" * 20 + b"\n", r"is not CSV text \(control characters in line 1\)"),
        (
            f'"{HEADER}\n{ROW}\n'.encode(),
            r"line 1 \(the header\) cannot be split .* \(an unmatched quote\?\)",
        ),
        (
            f'{HEADER}\n{ROW}\n19 002,E07000154,"2019-11-04\n19 003,E07000154,2019-11-04\n'.encode(),
            r"line 3: a quoted value runs on over the next lines \(an unmatched quote\?\)",
        ),
        (  # the open quote swallows a field separator too: the row has too few fields
            f'{HEADER}\n{ROW}\n19 002,"E07000154,2019-11-04\n19 003,E07000154,2019-11-04\n'.encode(),
            r"line 3: a quoted value runs on",
        ),
    ],
)
def test_a_broken_csv_is_one_line_naming_the_file_and_what_is_wrong(
    tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "received.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=rf"^{re.escape(str(path))}: {message}"):
        read_export(path, "received", REQUIRED)


def test_excel_s_trailing_comma_on_every_line_is_read(tmp_path: Path) -> None:
    path = write(tmp_path / "received.csv", f"{HEADER},\r\n{ROW},\r\n19 002,E07000154,2019-11-05,\r\n")
    export = read_export(path, "received", REQUIRED)
    assert export.frame.values.tolist() == [[2, *ROW.split(",")], [3, "19 002", "E07000154", "2019-11-05"]]


def test_a_last_line_without_its_newline_is_read(tmp_path: Path) -> None:
    assert read_export(write(tmp_path / "received.csv", HEADER), "received", REQUIRED).frame.empty
    export = read_export(write(tmp_path / "received.csv", f"{HEADER}\n{ROW}"), "received", REQUIRED)
    assert export.frame[LINE].tolist() == [2]


def test_a_folder_or_a_dangling_link_in_place_of_the_file(tmp_path: Path) -> None:
    (tmp_path / "received.csv").mkdir()
    with pytest.raises(InputError, match=r"received\.csv: is a folder, not a file"):
        find_export(tmp_path, "received")
    (tmp_path / "received.csv").rmdir()
    (tmp_path / "received.csv").symlink_to(tmp_path / "gone.csv")
    with pytest.raises(
        InputError, match=r"received\.csv \(a link to .*gone\.csv\): cannot be read: No such file"
    ):
        read_export(find_export(tmp_path, "received"), "received", REQUIRED)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_a_transient_read_error_is_not_the_file_s_fault(
    tmp_path: Path, suffix: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """EIO (a failing disk, a network share) stays an OSError, so the extract task retries it."""
    path = write(tmp_path / f"received{suffix}", "x")

    def fail(self: Path) -> bytes:
        raise OSError(errno.EIO, "Input/output error", str(self))

    monkeypatch.setattr(Path, "read_bytes", fail)
    with pytest.raises(OSError, match="Input/output error") as caught:
        read_export(path, "received", REQUIRED)
    assert not isinstance(caught.value, InputError)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"is empty"),
        (f"{HEADER}\n{ROW}\n".encode(), "cannot be read as XLSX: Cannot detect file format"),
        (gzip.compress(b"x"), "cannot be read as XLSX"),
    ],
)
def test_a_broken_xlsx_is_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "received.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError, match=rf"received\.xlsx: {message}"):
        read_export(path, "received", REQUIRED)


def test_an_excel_date_time_cell_on_the_year_s_last_minute(tmp_path: Path) -> None:
    import datetime

    path = _workbook(
        tmp_path / "received.xlsx",
        [
            ["Case ref", "Authority code", "Received date"],
            ["19 1", "E07000154", datetime.datetime(2020, 3, 31, 23, 59)],
        ],
    )
    assert read_export(path, "received", REQUIRED).frame.values.tolist() == [
        [2, "19 1", "E07000154", "2020-03-31 23:59:00"]
    ]


def test_an_old_mac_csv_with_cr_line_ends_is_read_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "received.csv", f"{HEADER}\r{ROW}\r")
    export = read_export(path, "received", REQUIRED)
    assert export.frame.values.tolist() == [[2, *ROW.split(",")]]
    assert "lines end in CR alone" in export.warnings[0]


def test_an_input_folder_that_is_a_file(tmp_path: Path) -> None:
    write(tmp_path / "in", "x")
    with pytest.raises(InputError, match=r"input folder .*in is a file, not a folder"):
        find_export(tmp_path / "in", "received")
