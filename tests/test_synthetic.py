"""The synthetic exports must look like the case system's, or the pipeline is tested against a fiction."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from annual_review.errors import PipelineError
from annual_review.synthetic import (
    COLUMNS,
    DATE_COLUMN,
    EXCEL_MAX_DATA_ROWS,
    MESSY_KINDS,
    build_authorities,
    build_population,
    generate_exports,
    valid_in,
)
from annual_review.years import BusinessYear
from transforms.vocab import AUTHORITY_CODE_PATTERN, CATEGORIES, DECISIONS, OUTCOMES, PEER_TYPES

YEAR = BusinessYear.parse("2019-20")
CASE_FILES = ("received", "decisions", "compliance")


def read(folder: Path, name: str) -> pd.DataFrame:
    """Every value as the text in the file, blanks as empty strings, as a strict extractor sees it."""
    return pd.read_csv(folder / f"{name}.csv", dtype=str, keep_default_na=False)


def parse_dates(text: pd.Series) -> pd.Series:
    """The contract's two date forms; anything else is NaT."""
    iso = pd.to_datetime(
        text.where(text.str.fullmatch(r"\d{4}-\d{2}-\d{2}")), format="%Y-%m-%d", errors="coerce"
    )
    uk = pd.to_datetime(
        text.where(text.str.fullmatch(r"\d{2}/\d{2}/\d{4}")), format="%d/%m/%Y", errors="coerce"
    )
    return iso.fillna(uk)


def decision_base(text: pd.Series) -> pd.Series:
    """The decision without its detail, matched case-insensitively to the vocabulary."""
    canonical = {d.lower(): d for d in DECISIONS}
    return text.str.split(":").str[0].str.strip().str.lower().map(canonical)


def bad_rows(frame: pd.DataFrame, name: str, codes: set[str]) -> pd.Series:
    """A small validator after the contract: which rows a correct pipeline must reject."""
    when = parse_dates(frame[DATE_COLUMN[name]])
    bad = when.isna() | (when < pd.Timestamp(YEAR.first_day)) | (when > pd.Timestamp(YEAR.last_day))
    bad |= ~frame["authority_code"].isin(codes)
    if "category" in frame:
        bad |= ~frame["category"].isin(CATEGORIES)
    if "decision" in frame:
        bad |= decision_base(frame["decision"]).isna()
    if "outcome" in frame:
        bad |= ~frame["outcome"].isin(OUTCOMES)
    return bad | frame["case_ref"].duplicated(keep="first")


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, int]]:
    folder = tmp_path_factory.mktemp("clean")
    return folder, generate_exports(YEAR, folder)


@pytest.fixture(scope="module")
def frames(clean: tuple[Path, dict[str, int]]) -> dict[str, pd.DataFrame]:
    return {name: read(clean[0], name) for name in COLUMNS}


@pytest.fixture(scope="module")
def councils() -> pd.DataFrame:
    return valid_in(build_authorities(), YEAR)


def test_same_arguments_give_the_same_bytes(tmp_path: Path) -> None:
    for run in ("a", "b"):
        generate_exports(YEAR, tmp_path / run, scale=0.3, seed=7, messy=0.05)
    for name in COLUMNS:
        first, second = (tmp_path / run / f"{name}.csv" for run in ("a", "b"))
        assert first.read_bytes() == second.read_bytes(), name


def test_another_seed_gives_other_cases(tmp_path: Path) -> None:
    generate_exports(YEAR, tmp_path / "a", scale=0.1, seed=1)
    generate_exports(YEAR, tmp_path / "b", scale=0.1, seed=2)
    assert (tmp_path / "a/received.csv").read_bytes() != (tmp_path / "b/received.csv").read_bytes()
    assert (tmp_path / "a/authorities.csv").read_bytes() == (tmp_path / "b/authorities.csv").read_bytes()


def test_headers_and_row_counts(clean: tuple[Path, dict[str, int]], frames: dict[str, pd.DataFrame]) -> None:
    rows = clean[1]
    for name, frame in frames.items():
        assert tuple(frame.columns) == COLUMNS[name]
        assert len(frame) == rows[name]
    assert 16_000 <= rows["received"] <= 18_000
    assert 16_000 <= rows["decisions"] <= 18_000
    assert 1_300 <= rows["compliance"] <= 1_700


def test_values_are_in_the_vocabularies(frames: dict[str, pd.DataFrame]) -> None:
    for name in ("received", "decisions"):
        assert frames[name]["category"].isin(CATEGORIES).all()
    decisions = frames["decisions"]
    assert decision_base(decisions["decision"]).notna().all()
    assert decisions["remedy_before_ombudsman"].isin(["Y", "N", "", "yes", "no"]).all()
    assert frames["compliance"]["outcome"].isin(OUTCOMES).all()
    assert decisions["decision"].str.contains(": ").any()  # a detail after a colon
    assert decisions["decision"].isin(["upheld", "UPHELD", "not upheld", "NOT UPHELD"]).any()


def test_dates_are_inside_the_year_in_both_forms(frames: dict[str, pd.DataFrame]) -> None:
    for name in CASE_FILES:
        text = frames[name][DATE_COLUMN[name]]
        when = parse_dates(text)
        assert when.notna().all(), name
        assert when.between(pd.Timestamp(YEAR.first_day), pd.Timestamp(YEAR.last_day)).all(), name
        assert 0.01 < text.str.contains("/").mean() < 0.1, name


def test_case_refs_are_unique_and_decisions_follow_receipts(frames: dict[str, pd.DataFrame]) -> None:
    for name in CASE_FILES:
        assert frames[name]["case_ref"].is_unique, name
        assert frames[name]["case_ref"].str.fullmatch(r"\d{2} ?\d{3,} ?\d{3}").all(), name
    received = set(frames["received"]["case_ref"].str.replace(" ", ""))
    linked = frames["decisions"]["case_ref"].str.replace(" ", "").isin(received)
    assert 0.6 < linked.mean() < 0.8


def test_authority_codes(frames: dict[str, pd.DataFrame], councils: pd.DataFrame) -> None:
    registry = frames["authorities"]
    assert registry["authority_code"].str.fullmatch(AUTHORITY_CODE_PATTERN[1:-1]).all()
    assert registry["authority_code"].is_unique
    valid = set(councils["authority_code"])
    for name in CASE_FILES:
        assert frames[name]["authority_code"].isin(valid).all(), name


def test_authority_types_in_the_stated_proportions(councils: pd.DataFrame) -> None:
    counts = councils["authority_type"].value_counts()
    expected = {
        "County Council": 26,
        "District Council": 190,
        "Metropolitan Borough": 36,
        "Unitary Council": 55,
        "London Borough": 33,
    }
    assert {t: int(counts[t]) for t in PEER_TYPES} == expected
    others = counts.drop(list(PEER_TYPES))
    assert 12 <= others.sum() <= 48
    assert {"Fire and rescue authority", "National park authority", "Combined authority"} <= set(others.index)


def test_registry_spans_a_reorganisation(frames: dict[str, pd.DataFrame], councils: pd.DataFrame) -> None:
    registry = build_authorities()
    later = set(valid_in(registry, BusinessYear.parse("2021-22"))["authority_code"])
    assert {"E06000061", "E06000062"} <= later and "E10000021" not in later
    assert "E10000021" in set(councils["authority_code"])
    assert len(frames["authorities"]) > len(councils)
    named = registry.set_index("authority_code")
    assert named.loc["E07000154", "chief_executive"] == "Mr Candler"


def test_awkward_names_and_salutations(frames: dict[str, pd.DataFrame]) -> None:
    registry = frames["authorities"]
    names = set(registry["authority_name"])
    assert {
        "Brighton & Hove City Council",
        "King's Lynn & West Norfolk Borough Council",
        "Bath & North East Somerset Council",
    } <= names
    assert registry["chief_executive"].str.fullmatch(r"(Mr|Ms|Mrs|Dr) [A-Z][A-Za-z']+").all()
    roles = registry["chief_executive_role"].value_counts(normalize=True)
    assert roles["Chief Executive"] > 0.8 and len(roles) > 1


def test_national_rates_look_real(frames: dict[str, pd.DataFrame]) -> None:
    decisions = frames["decisions"].assign(base=lambda d: decision_base(d["decision"]))
    investigated = decisions["base"].isin(["Upheld", "Not upheld"])
    upheld = decisions["base"] == "Upheld"
    assert 0.2 < investigated.mean() < 0.3
    assert 0.55 < upheld.sum() / investigated.sum() < 0.67
    remedied = decisions.loc[upheld, "remedy_before_ombudsman"] == "Y"
    assert 0.09 < remedied.mean() < 0.17
    types = frames["authorities"].set_index("authority_code")["authority_type"]
    district = decisions["authority_code"].map(types) == "District Council"
    assert 0.38 < upheld[district].sum() / investigated[district].sum() < 0.52
    outcomes = frames["compliance"]["outcome"].value_counts(normalize=True)
    assert 0.985 < 1 - outcomes.get("Not complied", 0.0) < 1.0
    assert outcomes["Complied late"] > 0.05


def test_some_authorities_have_gaps(frames: dict[str, pd.DataFrame], councils: pd.DataFrame) -> None:
    decisions = frames["decisions"]
    investigated = decision_base(decisions["decision"]).isin(["Upheld", "Not upheld"])
    peer = councils.loc[councils["authority_type"].isin(PEER_TYPES), "authority_code"]
    with_investigations = set(decisions.loc[investigated, "authority_code"])
    assert (~peer.isin(with_investigations)).any()
    assert (~peer.isin(set(frames["compliance"]["authority_code"]))).any()
    active = set(frames["received"]["authority_code"]) | set(decisions["authority_code"])
    other = councils.loc[~councils["authority_type"].isin(PEER_TYPES), "authority_code"]
    assert (~other.isin(active)).any()


@pytest.mark.parametrize("messy", [0.003, 0.05, 0.2])
def test_messy_rows_are_counted_and_of_every_kind(
    tmp_path: Path, councils: pd.DataFrame, messy: float
) -> None:
    rows = generate_exports(YEAR, tmp_path, scale=0.5, messy=messy)
    codes = set(councils["authority_code"])
    for name in CASE_FILES:
        frame = read(tmp_path, name)
        expected = int(np.floor(messy * rows[name] + 0.5))
        assert int(bad_rows(frame, name, codes).sum()) == expected, name
    decisions = read(tmp_path, "decisions")
    if int(np.floor(messy * len(decisions) + 0.5)) >= 2 * len(MESSY_KINDS):
        when = parse_dates(decisions["decision_date"])
        assert when.isna().any()
        assert (when < pd.Timestamp(YEAR.first_day)).any() or (when > pd.Timestamp(YEAR.last_day)).any()
        assert (~decisions["authority_code"].isin(codes)).any()
        assert decision_base(decisions["decision"]).isna().any()
        assert decisions["case_ref"].duplicated().any()


def as_cell_text(value: object) -> str:
    """A cell as the CSV has it: ISO dates were written as real date cells."""
    if isinstance(value, (pd.Timestamp, datetime, date)):
        return value.strftime("%Y-%m-%d")
    return "" if value is None else str(value)


def test_xlsx_round_trips_and_is_reproducible(tmp_path: Path) -> None:
    for fmt, run in (("csv", "c"), ("xlsx", "x1"), ("xlsx", "x2")):
        generate_exports(YEAR, tmp_path / run, scale=0.1, seed=3, fmt=fmt, messy=0.02)
    for name in COLUMNS:
        assert (tmp_path / f"x1/{name}.xlsx").read_bytes() == (tmp_path / f"x2/{name}.xlsx").read_bytes()
        sheet = pd.read_excel(
            tmp_path / f"x1/{name}.xlsx", engine="calamine", dtype=object, keep_default_na=False
        )
        as_text = sheet.apply(lambda col: col.map(as_cell_text))
        expected = read(tmp_path / "c", name)
        pd.testing.assert_frame_equal(as_text.astype(str), expected, check_dtype=False)


def test_xlsx_beyond_a_sheet_is_refused_before_writing(tmp_path: Path) -> None:
    with pytest.raises(PipelineError, match="XLSX"):
        generate_exports(YEAR, tmp_path / "big", scale=EXCEL_MAX_DATA_ROWS / 16_000, fmt="xlsx")
    assert not (tmp_path / "big").exists()


@pytest.mark.parametrize("kwargs", [{"fmt": "json"}, {"scale": 0}, {"messy": 1.5}])
def test_bad_arguments_are_refused(tmp_path: Path, kwargs: dict[str, object]) -> None:
    with pytest.raises(PipelineError):
        generate_exports(YEAR, tmp_path, **kwargs)  # type: ignore[arg-type]


def test_scale_ten(tmp_path: Path) -> None:
    rows = generate_exports(YEAR, tmp_path, scale=10)
    assert rows["decisions"] == 169_500
    assert read(tmp_path, "received")["case_ref"].is_unique


def test_population_of_every_authority_of_the_year_sized_by_type(
    frames: dict[str, pd.DataFrame], councils: pd.DataFrame
) -> None:
    population = frames["population"]
    assert sorted(population["authority_code"]) == sorted(councils["authority_code"])
    residents = population.set_index("authority_code")["residents"].astype(int)
    by_type = residents.groupby(councils.set_index("authority_code")["authority_type"])
    bounds = {  # the realistic ranges
        "District Council": (50_000, 150_000),
        "Unitary Council": (150_000, 1_200_000),
        "Metropolitan Borough": (150_000, 1_200_000),
        "County Council": (500_000, 1_600_000),
        "London Borough": (150_000, 400_000),
    }
    for kind, (low, high) in bounds.items():
        values = by_type.get_group(kind)
        if kind == "London Borough":
            assert residents["E09000001"] < 10_000  # the City of London: a borough by type only
            values = values.drop("E09000001")
        assert low <= values.min() and values.max() <= high, kind
        assert values.median() < (low + high) / 2, kind  # more small places than large ones
    assert by_type.get_group("Fire and rescue authority").min() > 100_000
    assert set(population["source"]) == {"ONS mid-2018 population estimates (synthetic)"}


def test_population_grows_slowly_and_can_be_left_out(tmp_path: Path) -> None:
    generate_exports(BusinessYear.parse("2024-25"), tmp_path / "later", scale=0.01)
    generate_exports(YEAR, tmp_path / "none", scale=0.01, population=False)
    assert not (tmp_path / "none" / "population.csv").exists()
    assert (tmp_path / "none" / "authorities.csv").exists()
    later = read(tmp_path / "later", "population").set_index("authority_code")["residents"].astype(int)
    now = build_population(build_authorities(), YEAR).set_index("authority_code")["residents"]
    growth = (later / now).dropna()
    assert growth.between(1.03, 1.04).all()  # 0.6 % a year over five years


def test_consecutive_years_have_other_cases_from_the_same_councils(tmp_path: Path) -> None:
    """Last year's figures must differ from this year's, as a council's do, but not at random."""
    volumes = []
    for start in (2023, 2024):
        generate_exports(BusinessYear(start), tmp_path / str(start), scale=0.5)
        volumes.append(read(tmp_path / str(start), "decisions")["authority_code"].value_counts())
    both = pd.concat(volumes, axis=1, keys=["before", "after"]).fillna(0)
    assert not both["before"].equals(both["after"])
    assert both["before"].corr(both["after"]) > 0.9
