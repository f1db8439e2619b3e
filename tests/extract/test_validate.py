"""Validation: every bad row rejected with file, line, raw values and reason; nothing lost."""

import json
from pathlib import Path

import pandas as pd
import pytest

from annual_review.extract import specs
from annual_review.extract.readers import read_export
from annual_review.extract.validate import validate_authorities, validate_cases
from annual_review.years import BusinessYear

YEAR = BusinessYear.parse("2019-20")
KNOWN = pd.Index(["E07000154", "E06000043"], dtype="str")

DECISIONS_CSV = """case_ref,authority_code,category,decision_date,decision,remedy_before_ombudsman
19 001,E07000154,Housing,2019-04-01,Upheld: maladministration and injustice,Y
19 002,E07000154,housing,31/03/2020,NOT UPHELD,
19 003,E07000154,Housing,2019-02-30,Upheld,N
19 004,E09999999,Housing,2019-06-01,Upheld,N
19 001,E07000154,Housing,2019-06-01,Not upheld,
19 005,E07000154,Housing,2019-06-01,Partly upheld,
19 006,E06000043,Education and children\u2019s services,2020-04-01,Advice given,maybe
19 007,E06000043,Other,01/06/2019,advice given,no
"""


@pytest.fixture
def decisions(tmp_path: Path):
    path = tmp_path / "decisions.csv"
    path.write_text(DECISIONS_CSV, encoding="utf-8")
    raw = read_export(path, "decisions", specs.DECISIONS.required)
    return validate_cases(raw, specs.DECISIONS, YEAR, KNOWN)


def test_counts_reconcile(decisions) -> None:
    report = decisions.report
    assert (report.rows_read, report.rows_accepted, report.rows_rejected) == (8, 3, 5)
    assert report.rows_read == report.rows_accepted + report.rows_rejected


def test_each_bad_row_has_its_reason(decisions) -> None:
    rejects = decisions.rejects.set_index("line")
    assert rejects.index.tolist() == [4, 5, 6, 7, 8]
    assert (
        rejects.loc[4, "reason"] == "decision_date: not a date (use 2019-11-04 or 04/11/2019) ('2019-02-30')"
    )
    assert (
        rejects.loc[5, "reason"]
        == "authority_code: not an authority of 2019-20 in the authorities file ('E09999999')"
    )
    assert rejects.loc[6, "reason"] == "case_ref: duplicate of an earlier row ('19 001')"
    assert rejects.loc[7, "reason"] == "decision: unknown decision ('Partly upheld')"
    # several problems on one row are all named
    assert rejects.loc[8, "reason"] == (
        "decision_date: outside 2019-20 (1 April 2019 to 31 March 2020) ('2020-04-01'); "
        "remedy_before_ombudsman: not Y, N or blank ('maybe')"
    )
    assert (rejects["file"] == "decisions.csv").all()
    assert (rejects["year"] == "2019-20").all()


def test_rejects_keep_the_raw_values(decisions) -> None:
    raw = json.loads(decisions.rejects.set_index("line").loc[7, "raw"])
    assert raw == {
        "case_ref": "19 005",
        "authority_code": "E07000154",
        "category": "Housing",
        "decision_date": "2019-06-01",
        "decision": "Partly upheld",
        "remedy_before_ombudsman": "",
    }


def test_accepted_rows_are_typed_and_canonical(decisions) -> None:
    accepted = decisions.accepted
    assert accepted["case_ref"].tolist() == ["19 001", "19 002", "19 007"]
    assert accepted["decision"].tolist() == ["Upheld", "Not upheld", "Advice given"]
    assert accepted["decision_detail"].tolist()[0] == "maladministration and injustice"
    assert accepted["decision_detail"].isna().tolist()[1:] == [True, True]
    assert accepted["category"].tolist() == ["Housing", "Housing", "Other"]
    assert accepted["decision_date"].dt.strftime("%Y-%m-%d").tolist() == [
        "2019-04-01",
        "2020-03-31",
        "2019-06-01",
    ]
    assert accepted["remedy_before_ombudsman"].tolist() == [True, pd.NA, False]
    assert accepted.columns[0] == "year"


def test_curly_apostrophe_category_matches(tmp_path: Path) -> None:
    path = tmp_path / "received.csv"
    path.write_text(
        "case_ref,authority_code,category,received_date\n"
        "1,E06000043,Education and children\u2019s services,2019-06-01\n"
    )
    result = validate_cases(
        read_export(path, "received", specs.RECEIVED.required), specs.RECEIVED, YEAR, KNOWN
    )
    assert result.accepted["category"].tolist() == ["Education and children's services"]


def test_compliance_outcomes(tmp_path: Path) -> None:
    path = tmp_path / "compliance.csv"
    path.write_text(
        "case_ref,authority_code,recorded_date,outcome\n"
        "1,E06000043,2019-06-01,complied late\n2,E06000043,2019-06-01,Sort of\n"
    )
    result = validate_cases(
        read_export(path, "compliance", specs.COMPLIANCE.required), specs.COMPLIANCE, YEAR, KNOWN
    )
    assert result.accepted["outcome"].tolist() == ["Complied late"]
    assert result.rejects["reason"].tolist() == ["outcome: unknown outcome ('Sort of')"]


AUTHORITIES_CSV = (
    (
        "authority_code,authority_name,authority_type,chief_executive,chief_executive_role,valid_from,valid_to\n"
    )
    + """E07000154,Northampton Borough Council,district council,Mr Candler,,,2020-21
E06000043,Brighton & Hove City Council,Unitary Council,Ms Example,Managing Director,,
E0600004,Short Code Council,Unitary Council,Mr X,,,
E07000154,Again Council,District Council,Mr Y,,2020-21,
E31000001,Some Fire Authority,Fire and rescue authority,Ms F,,2021-22,2019-20
E31000002,Another Fire Authority,Fire and rescue authority,,,,
"""
)


def test_authorities(tmp_path: Path) -> None:
    path = tmp_path / "authorities.csv"
    path.write_text(AUTHORITIES_CSV)
    raw = read_export(path, "authorities", specs.AUTHORITIES.required, specs.AUTHORITIES.optional)
    result = validate_authorities(raw, YEAR)
    accepted = result.accepted.set_index("authority_code")
    assert accepted.index.tolist() == ["E07000154", "E06000043"]
    assert accepted.loc["E07000154", "authority_type"] == "District Council"  # canonical spelling
    assert accepted["peer_group"].tolist() == [True, True]
    assert accepted["chief_executive_role"].tolist() == ["Chief Executive", "Managing Director"]
    reasons = result.rejects.set_index("line")["reason"].to_dict()
    assert reasons == {
        4: "authority_code: not a code like E07000154 ('E0600004')",
        5: "authority_code: same code as an earlier row with overlapping years ('E07000154')",
        6: "valid_to: before valid_from ('2019-20')",
        7: "chief_executive: empty ('')",
    }
    assert result.report.rows_read == 6 == result.report.rows_accepted + result.report.rows_rejected


def test_the_last_minute_of_the_year_is_in_the_year(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    header = DECISIONS_CSV.splitlines()[0]
    path.write_text(
        f"{header}\n"
        "19 101,E07000154,Housing,2020-03-31 23:59:00,Upheld,N\n"
        "19 102,E07000154,Housing,31/03/2020 23:59,Upheld,N\n"
        "19 103,E07000154,Housing,2019-04-01T00:00:00,Upheld,N\n"
        "19 104,E07000154,Housing,2020-04-01 00:00:00,Upheld,N\n",
        encoding="utf-8",
    )
    validated = validate_cases(
        read_export(path, "decisions", specs.DECISIONS.required), specs.DECISIONS, YEAR, KNOWN
    )
    assert validated.accepted["case_ref"].tolist() == ["19 101", "19 102", "19 103"]
    assert validated.accepted["decision_date"].dt.date.astype(str).tolist() == [
        "2020-03-31",
        "2020-03-31",
        "2019-04-01",
    ]
    assert validated.rejects[["line", "reason"]].values.tolist() == [
        [5, "decision_date: outside 2019-20 (1 April 2019 to 31 March 2020) ('2020-04-01 00:00:00')"]
    ]


def test_an_export_of_only_its_header_validates_to_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "decisions.csv"
    path.write_text(DECISIONS_CSV.splitlines()[0] + "\n", encoding="utf-8")
    validated = validate_cases(
        read_export(path, "decisions", specs.DECISIONS.required), specs.DECISIONS, YEAR, KNOWN
    )
    assert (validated.report.rows_read, len(validated.accepted), len(validated.rejects)) == (0, 0, 0)
