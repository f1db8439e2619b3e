"""What an operator sees from `annual-review run` when exports, settings or the store are wrong.

Each test runs the real command in a subprocess and reads its one `error:` line (tests/helpers/commands.py).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

from annual_review.store.local import LocalStore
from tests.helpers.commands import Command
from tests.helpers.exports import NORTHAMPTON, write_exports

RUN = ("run", "--year", "2019-20", "--input", "in", "--store", "store", "--formats", "none")


def staged(tmp_path: Path, table: str) -> pd.DataFrame:
    return pd.read_parquet(tmp_path / "store" / "staging" / "2019-20" / "data" / f"{table}.parquet")


def test_a_decision_in_the_last_minute_of_the_year_is_counted(command: Command, tmp_path: Path) -> None:
    folder = write_exports(tmp_path / "in")
    with (folder / "decisions.csv").open("a") as out:
        out.write(f"19 300,{NORTHAMPTON},Housing,2020-03-31 23:59:00,Upheld,N\n")
        out.write(f"19 301,{NORTHAMPTON},Housing,31/03/2020 23:59,Not upheld,\n")

    result = command(*RUN, cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    decisions = staged(tmp_path, "decisions").set_index("case_ref")
    assert str(decisions.loc["19 300", "decision_date"]) == "2020-03-31"
    assert str(decisions.loc["19 301", "decision_date"]) == "2020-03-31"
    assert len(decisions) == 22 and staged(tmp_path, "rejects").empty


def test_excel_s_trailing_commas_are_read(command: Command, tmp_path: Path) -> None:
    folder = write_exports(tmp_path / "in")
    text = (folder / "decisions.csv").read_text()
    (folder / "decisions.csv").write_text(text.replace("\r\n", ",\r\n"))

    result = command(*RUN, cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert len(staged(tmp_path, "decisions")) == 20


def header_only(path: Path) -> None:
    path.write_text(path.read_text().splitlines()[0] + "\n")


def outside_the_year(path: Path) -> None:
    path.write_text(path.read_text().replace("2019-", "2017-"))


@pytest.mark.parametrize(
    ("export", "spoil", "message"),
    [
        (
            "compliance",
            header_only,
            "compliance.csv has no rows for 2019-20 (only its header); "
            "if that is meant, run with --allow-empty compliance",
        ),
        (
            "decisions",
            header_only,
            "decisions.csv has no rows for 2019-20 (only its header); "
            "if that is meant, run with --allow-empty decisions",
        ),
        (
            "received",
            outside_the_year,
            "received.csv has no rows for 2019-20 (none of its 13 rows accepted); "
            "if that is meant, run with --allow-empty received",
        ),
    ],
)
def test_an_export_with_no_rows_for_the_year_stops_the_run(
    command: Command, tmp_path: Path, export: str, spoil: object, message: str
) -> None:
    folder = write_exports(tmp_path / "in")
    spoil(folder / f"{export}.csv")  # type: ignore[operator]

    result = command(*RUN, cwd=tmp_path)

    assert result.error == message
    assert list(LocalStore(tmp_path / "store").list("")) == []  # nothing staged, no lease left


def test_an_empty_export_the_operator_allows_is_staged_and_recorded(command: Command, tmp_path: Path) -> None:
    header_only(write_exports(tmp_path / "in") / "compliance.csv")

    result = command(*RUN, "--allow-empty", "compliance", cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert "no rows for 2019-20, as allowed: compliance" in result.stdout
    candidate = json.loads((tmp_path / "store" / "staging" / "2019-20" / "candidate.json").read_text())
    assert candidate["empty_exports"] == ["compliance"]
    figures = staged(tmp_path, "authority_year").set_index("authority_code")
    assert figures.loc[NORTHAMPTON, "compliance_outcomes"] == 0
    assert pd.isna(figures.loc[NORTHAMPTON, "compliance_rate"])


@pytest.mark.parametrize("name", ["authorities", "complaince"])
def test_allow_empty_takes_only_the_case_exports(command: Command, tmp_path: Path, name: str) -> None:
    result = command(*RUN, "--allow-empty", name, cwd=tmp_path)
    assert result.error == f"--allow-empty takes received, decisions, compliance, population; not {name!r}"


def utf16(path: Path) -> None:
    path.write_bytes(path.read_text().encode("utf-16"))


def gzipped(path: Path) -> None:
    import gzip

    path.write_bytes(gzip.compress(path.read_bytes()))


def binary(path: Path) -> None:
    path.write_bytes(os.urandom(100) + bytes(10))


def quote_in_header(path: Path) -> None:
    path.write_text('"' + path.read_text())


def folder_instead(path: Path) -> None:
    path.unlink()
    path.mkdir()


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (utf16, "is UTF-16 text: save it as CSV UTF-8"),
        (gzipped, "is gzip-compressed, not CSV text: unpack it first"),
        (binary, "is not CSV text (byte "),
        (quote_in_header, "line 1 (the header) cannot be split into columns: unexpected end of data"),
        (folder_instead, "is a folder, not a file"),
    ],
)
def test_a_broken_export_is_one_line_naming_it(
    command: Command, tmp_path: Path, spoil: object, problem: str
) -> None:
    spoil(write_exports(tmp_path / "in") / "decisions.csv")  # type: ignore[operator]

    result = command(*RUN, cwd=tmp_path)

    assert result.error.startswith(f"{Path('in') / 'decisions.csv'}: {problem}"), result.error


def test_deleting_the_work_folder_recomputes_what_was_cached(command: Command, tmp_path: Path) -> None:
    """docs/operations.md calls var/work safe to delete: the next run must not trip on the cache."""
    write_exports(tmp_path / "in")
    html = (*RUN[:-1], "html")
    assert command(*html, cwd=tmp_path).returncode == 0
    staged_first = sorted(LocalStore(tmp_path / "store").list("staging/"))
    shutil.rmtree(tmp_path / "var" / "work")

    result = command(*html, cwd=tmp_path)

    assert result.returncode == 0, result.stderr[-3000:]
    assert sorted(LocalStore(tmp_path / "store").list("staging/")) == staged_first
    work = tmp_path / "var" / "work" / "2019-20"
    for step in ("extract", "build", "letters"):  # each step ran again and wrote its files
        assert any((work / step).rglob("*.parquet" if step != "letters" else "*.html")), step


def test_implausible_reference_rows_are_rejected_with_their_reasons(command: Command, tmp_path: Path) -> None:
    """One resident, a near miss of a peer type, a year label that is no year: each a reject, none lost."""
    folder = write_exports(tmp_path / "in")
    with (folder / "authorities.csv").open("a") as out:
        out.write("E08000001,Bolton Council,Metropolitan Borough Council,Ms Ward,,,\r\n")
        out.write("E07000152,East Northamptonshire Council,District Council,Mr Hill,,,2019-21\r\n")
    (folder / "population.csv").write_text(
        f"authority_code,residents,source\n{NORTHAMPTON},1,ONS\nE31000040,700000,ONS\n"
    )

    result = command(*RUN, cwd=tmp_path, ANNUAL_REVIEW_MAX_REJECT_RATE="1")

    assert result.returncode == 0, result.stderr[-3000:]
    rejects = staged(tmp_path, "rejects").set_index(["file", "line"])["reason"]
    assert rejects.to_dict() == {
        ("authorities.csv", 6): "authority_type: not a peer type, but close to 'Metropolitan Borough': "
        "spell it so, or the authority has no peer average ('Metropolitan Borough Council')",
        ("authorities.csv", 7): "valid_to: not a business year (the second part must be the year after "
        "the first, as in 2019-20) ('2019-21')",
        ("population.csv", 2): "residents: fewer than 1,000 residents: not plausible for an authority "
        "(the Isles of Scilly have about 2,100) ('1')",
    }
    figures = staged(tmp_path, "authority_year").set_index("authority_code")
    assert pd.isna(figures.loc[NORTHAMPTON, "upheld_per_100k"])
