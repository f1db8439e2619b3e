"""Read one export (CSV or XLSX) into an all-string frame with normalised headers and line numbers."""

from __future__ import annotations

import csv
import io
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from python_calamine import CalamineError

from annual_review.errors import InputError, is_transient

log = logging.getLogger(__name__)

LINE = "_line"
HEADER_SEARCH_ROWS = 20
EXTENSIONS = (".csv", ".xlsx")


@dataclass(frozen=True)
class RawExport:
    """An export as read: string cells under normalised headers, the file line of each row in LINE."""

    name: str
    path: Path
    frame: pd.DataFrame
    malformed: pd.DataFrame  # LINE, raw text, reason: rows the parser could not split into fields
    blank_lines: int = 0
    warnings: tuple[str, ...] = field(default=())


def normalise_header(name: object) -> str:
    """'  Case Ref ' and 'CASE_REF' both match 'case_ref'."""
    return re.sub(r"[\s_]+", "_", str(name).strip().lower()).strip("_")


def _is_export(path: Path, name: str) -> bool:
    return path.stem.lower() == name and path.suffix.lower() in EXTENSIONS


def find_export(folder: Path, name: str) -> Path:
    """The one file named `name` with a known extension (any case) in `folder`."""
    if not folder.is_dir():
        problem = "is a file, not a folder" if folder.exists() else "does not exist"
        raise InputError(f"input folder {folder} {problem}")
    found = [p for p in folder.iterdir() if _is_export(p, name)]
    if not found:
        raise InputError(f"missing export: {folder / name}.csv (or .xlsx)")
    if len(found) > 1:
        names = ", ".join(sorted(p.name for p in found))
        raise InputError(f"two exports for {name!r} in {folder}: {names}; keep one")
    if found[0].is_dir():
        raise InputError(f"{found[0]}: is a folder, not a file")
    return found[0]


def find_optional_export(folder: Path, name: str) -> Path | None:
    """An optional export (population): None when the folder holds none, else as find_export."""
    if folder.is_dir() and not any(_is_export(p, name) for p in folder.iterdir()):
        return None
    return find_export(folder, name)


def read_export(path: Path, name: str, required: Sequence[str], optional: Sequence[str] = ()) -> RawExport:
    """Read and check the header; a missing required column stops the run, naming file and column.

    Whatever is wrong with a file's content is an InputError (one line, never retried); only an
    I/O failure that may pass (EIO, a network share) leaves here as an OSError, to be retried.
    """
    data = _read_bytes(path)
    if path.suffix.lower() == ".xlsx":
        export = _read_xlsx(path, data, name, required)
    else:
        export = _read_csv(path, data, name)
    missing = [c for c in required if c not in export.frame.columns]
    if missing:
        raise InputError(f"{path}: missing required column {', '.join(missing)}")
    wanted = [LINE, *required, *(c for c in optional if c in export.frame.columns)]
    return RawExport(name, path, export.frame[wanted], export.malformed, export.blank_lines, export.warnings)


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise unreadable(path, error) from None


def unreadable(path: Path, error: OSError) -> OSError | InputError:
    """A reason that lasts (missing, a folder, no permission) is the user's to fix, in one line;
    any other OSError (EIO, a network share) is given back as it is, to be retried (errors.is_transient)."""
    if is_transient(error):
        return error
    if isinstance(error, IsADirectoryError):
        return InputError(f"{path}: is a folder, not a file")
    link = f" (a link to {os.readlink(path)})" if path.is_symlink() else ""
    return InputError(f"{path}{link}: cannot be read: {error.strerror}")


# What a file that is not CSV text starts with, and what to do about it.
_NOT_CSV = (
    (b"\x1f\x8b", "is gzip-compressed, not CSV text: unpack it first"),
    (b"PK\x03\x04", "is a zip archive (an XLSX workbook?), not CSV text: name it .xlsx or save it as CSV"),
    (b"\xd0\xcf\x11\xe0", "is an old Excel (.xls) or Office file, not CSV text: save it as CSV or XLSX"),
    (b"%PDF", "is a PDF, not CSV text"),
    (b"\xff\xfe", "is UTF-16 text: save it as CSV UTF-8"),
    (b"\xfe\xff", "is UTF-16 text: save it as CSV UTF-8"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _check_text(path: Path, data: bytes) -> None:
    """Refuse what is plainly not CSV text, naming what it is, rather than report missing columns."""
    if not data:
        raise InputError(f"{path}: is empty (0 bytes); the first line must be the header")
    for magic, problem in _NOT_CSV:
        if data.startswith(magic):
            raise InputError(f"{path}: {problem}")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(f"{path}: is not CSV text (byte {nul} is NUL: binary, or UTF-16 without a BOM)")


def _decode(path: Path, data: bytes) -> tuple[bytes, tuple[str, ...]]:
    """UTF-8 (BOM or not) as is; anything else is taken as Windows-1252, with a warning."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        data.decode("utf-8")
        return data, ()
    except UnicodeDecodeError as err:
        warning = f"{path}: not UTF-8 (byte {err.start}); read as Windows-1252"
        log.warning(warning)
        return data.decode("cp1252", errors="replace").encode("utf-8"), (warning,)


def _read_csv(path: Path, data: bytes, name: str) -> RawExport:
    _check_text(path, data)
    data, warnings = _decode(path, data)
    if b"\n" not in data and b"\r" in data:  # "CSV (Macintosh)": lines end in CR alone
        data = data.replace(b"\r", b"\n")
        warnings = (*warnings, f"{path}: lines end in CR alone (an old Mac CSV); read as lines")
    if not data.endswith(b"\n"):  # a last line without its newline is still a line
        data += b"\n"
    header_line = data.split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    if not header_line.strip():
        raise InputError(f"{path}: the first line must be the header, found an empty line")
    if _CONTROL.search(header_line):
        raise InputError(f"{path}: is not CSV text (control characters in line 1)")
    try:
        names = next(csv.reader([header_line], strict=True))
    except csv.Error as err:
        hint = " (an unmatched quote?)" if '"' in header_line else ""
        raise InputError(f"{path}: line 1 (the header) cannot be split into columns: {err}{hint}") from None
    # A column without a name holds nothing we read: Excel's trailing comma on every line makes one.
    raw_names = [n for n in names if normalise_header(n)]
    headers = [normalise_header(h) for h in raw_names]
    _check_unique(path, headers)
    try:
        # Threaded is 4x faster, but only a single-threaded read numbers the lines of malformed rows.
        table, malformed = _parse_csv(data, raw_names, threaded=True)
        if malformed:
            table, malformed = _parse_csv(data, raw_names, threaded=False)
    except pa.ArrowInvalid as err:
        raise InputError(f"{path}: cannot be read as CSV: {err}") from None
    frame = table.rename_columns(headers).to_pandas()
    bad_lines = np.array(sorted(m[0] for m in malformed), dtype=np.int64)
    all_lines = np.arange(2, 2 + len(frame) + len(bad_lines), dtype=np.int64)
    frame.insert(0, LINE, np.setdiff1d(all_lines, bad_lines, assume_unique=True))
    _check_one_line_per_row(path, table, frame[LINE], malformed)
    return _drop_blank(name, path, frame, _malformed_frame(malformed), warnings)


def _check_one_line_per_row(
    path: Path, table: pa.Table, lines: pd.Series, malformed: list[tuple[int, str, str]]
) -> None:
    """A quote left open swallows the lines after it into one value: stop, naming where it opened."""
    opened = [line for line, text, _ in malformed if "\n" in text]
    for column in table.columns:
        broken = pc.match_substring(column, "\n")
        if pc.any(broken).as_py():
            opened.append(int(lines.iloc[pc.index(broken, True).as_py()]))
    if opened:
        raise InputError(
            f"{path}: line {min(opened)}: a quoted value runs on over the next lines "
            "(an unmatched quote?); each row must be one line"
        )


def _parse_csv(
    data: bytes, raw_names: Sequence[str], *, threaded: bool
) -> tuple[pa.Table, list[tuple[int, str, str]]]:
    """Every cell as text; a row with the wrong number of fields is set aside with its line and reason."""
    malformed: list[tuple[int, str, str]] = []

    def on_invalid(row: pacsv.InvalidRow) -> str:
        reason = f"expected {row.expected_columns} fields, found {row.actual_columns}"
        malformed.append((row.number or 0, row.text, reason))
        return "skip"

    table = pacsv.read_csv(
        io.BytesIO(data),
        read_options=pacsv.ReadOptions(use_threads=threaded, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(ignore_empty_lines=False, invalid_row_handler=on_invalid),
        convert_options=pacsv.ConvertOptions(
            column_types={h: pa.string() for h in raw_names},
            strings_can_be_null=False,
            include_columns=list(raw_names),
        ),
    )
    return table, malformed


def _read_xlsx(path: Path, data: bytes, name: str, required: Sequence[str]) -> RawExport:
    """The header row is the first of the top rows that holds every required column."""
    if not data:
        raise InputError(f"{path}: is empty (0 bytes)")
    try:
        sheet = pd.read_excel(
            io.BytesIO(data), header=None, dtype=str, engine="calamine", keep_default_na=False
        )
    except (CalamineError, ValueError) as err:  # the bytes are in memory: this is the content
        raise InputError(f"{path}: cannot be read as XLSX: {err}") from None
    top = sheet.head(HEADER_SEARCH_ROWS)
    for position, row in enumerate(top.itertuples(index=False, name=None)):  # noqa: B007
        headers = [normalise_header(h) for h in row]
        if set(required) <= set(headers):
            break
    else:
        raise InputError(
            f"{path}: no header row with {', '.join(required)} in the first {HEADER_SEARCH_ROWS} rows"
        )
    keep = [i for i, h in enumerate(headers) if h]
    headers = [headers[i] for i in keep]
    _check_unique(path, headers)
    frame = sheet.iloc[position + 1 :, keep].set_axis(headers, axis=1).reset_index(drop=True)
    frame = frame.astype("str")
    frame.insert(0, LINE, np.arange(position + 2, position + 2 + len(frame), dtype=np.int64))
    return _drop_blank(name, path, frame, _malformed_frame([]), ())


def _check_unique(path: Path, headers: Sequence[str]) -> None:
    seen = pd.Series(headers)
    duplicated = sorted(set(seen[seen.duplicated() & (seen != "")]))
    if duplicated:
        raise InputError(f"{path}: column {', '.join(duplicated)} appears more than once")


def _drop_blank(
    name: str, path: Path, frame: pd.DataFrame, malformed: pd.DataFrame, warnings: tuple[str, ...]
) -> RawExport:
    """Entirely blank lines are not records: count them, don't validate them."""
    blank = np.ones(len(frame), dtype=bool)
    for column in frame.columns.drop(LINE):  # each column looks only at rows still all blank
        rows = np.flatnonzero(blank)
        if not len(rows):
            break
        cells = frame[column] if len(rows) == len(frame) else frame[column].iloc[rows]
        blank[rows] = (cells.str.strip() == "").to_numpy(dtype=bool)
    kept = frame if not blank.any() else frame[~blank].reset_index(drop=True)
    return RawExport(name, path, kept, malformed, int(blank.sum()), warnings)


def _malformed_frame(rows: list[tuple[int, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=[LINE, "raw", "reason"]).astype(
        {LINE: "int64", "raw": "str", "reason": "str"}
    )
