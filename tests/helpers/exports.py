"""A small hand-made export folder whose figures are known: Northampton as in the reference letter."""

from __future__ import annotations

import csv
from pathlib import Path

NORTHAMPTON = "E07000154"
DAVENTRY = "E07000151"
FIRE = "E31000040"

AUTHORITIES = [
    [
        "authority_code",
        "authority_name",
        "authority_type",
        "chief_executive",
        "chief_executive_role",
        "valid_from",
        "valid_to",
    ],
    [NORTHAMPTON, "Northampton Borough Council", "District Council", "Mr Candler", "", "", "2020-21"],
    [DAVENTRY, "Daventry District Council", "District Council", "Mr Cox", "", "", "2020-21"],
    [
        FIRE,
        "Northamptonshire Fire & Rescue",
        "Fire and rescue authority",
        "Ms O'Brien",
        "Chief Fire Officer",
        "",
        "",
    ],
    ["E06000061", "North Northamptonshire Council", "Unitary Council", "Mr Ward", "", "2021-22", ""],
]


def _decisions() -> list[list[str]]:
    rows = [
        ["case_ref", "authority_code", "category", "decision_date", "decision", "remedy_before_ombudsman"]
    ]
    outcomes = (
        [("Upheld: maladministration and injustice", "Y")]
        + [("Upheld", "N")] * 6
        + [("Not upheld", "")] * 4
        + [("Closed after initial enquiries", "")] * 3
        + [("Referred back for local resolution", "")]
    )
    for i, (decision, remedy) in enumerate(outcomes):
        rows.append([f"19 {i:03d}", NORTHAMPTON, "Housing", f"2019-{4 + i % 9:02d}-15", decision, remedy])
    # Daventry: 2 of 4 investigations upheld, none remedied before us
    for i, decision in enumerate(["Upheld", "Upheld", "Not upheld", "not upheld"]):
        rows.append(
            [f"19 1{i:02d}", DAVENTRY, "Planning and development", f"{10 + i:02d}/01/2020", decision, "N"]
        )
    rows.append(["19 200", FIRE, "Other", "2019-12-01", "Advice given", ""])
    return rows


def _received() -> list[list[str]]:
    rows = [["case_ref", "authority_code", "category", "received_date"]]
    for i in range(12):
        rows.append([f"19 5{i:02d}", NORTHAMPTON, "Housing" if i % 2 else "Benefits and tax", "2019-06-01"])
    rows.append(["19 600", DAVENTRY, "Planning and development", "2019-06-01"])
    return rows


def _compliance() -> list[list[str]]:
    rows = [["case_ref", "authority_code", "recorded_date", "outcome"]]
    for i, outcome in enumerate(["Complied"] * 4 + ["Complied late"]):
        rows.append([f"18 {i:03d}", NORTHAMPTON, "2019-09-01", outcome])
    rows.append(["18 100", DAVENTRY, "2019-09-01", "Not complied"])
    rows.append(["18 101", DAVENTRY, "2019-09-01", "Complied"])
    return rows


BAD_DECISIONS = [
    ["19 900", NORTHAMPTON, "Housing", "2019-13-01", "Upheld", "N"],  # bad date
    ["19 901", "E07999999", "Housing", "2019-06-01", "Upheld", "N"],  # unknown authority
    ["19 000", NORTHAMPTON, "Housing", "2019-06-01", "Upheld", "N"],  # duplicate case_ref
    ["19 902", NORTHAMPTON, "Housing", "2019-06-01", "Sort of upheld", "N"],  # unknown decision
]


def write_exports(folder: Path, *, bad_rows: bool = False) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    decisions = _decisions() + (BAD_DECISIONS if bad_rows else [])
    for name, rows in (
        ("authorities", AUTHORITIES),
        ("decisions", decisions),
        ("received", _received()),
        ("compliance", _compliance()),
    ):
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as out:
            csv.writer(out).writerows(rows)
    return folder
