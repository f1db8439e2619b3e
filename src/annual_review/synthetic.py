"""Synthetic case exports at realistic volume: run, test and time the pipeline without real data."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.packaging.core import DocumentProperties
from openpyxl.xml.functions import tostring

from annual_review.errors import PipelineError
from annual_review.extract import specs
from annual_review.years import BusinessYear
from transforms.vocab import CATEGORIES, DECISIONS, OUTCOMES

# The files as the case system writes them: every column the extract step reads, in contract order.
COLUMNS: dict[str, tuple[str, ...]] = {
    spec.name: spec.required + spec.optional
    for spec in (*specs.CASE_EXPORTS, specs.AUTHORITIES, specs.POPULATION)
}
DATE_COLUMN = {spec.name: str(spec.date_column) for spec in specs.CASE_EXPORTS}
TARGET_ROWS = {"received": 17_019, "decisions": 16_950, "compliance": 1_500}
MESSY_KINDS = (
    "unparseable_date",
    "date_outside_year",
    "unknown_authority",
    "unknown_value",
    "duplicate_case_ref",
)
EXCEL_MAX_DATA_ROWS = 1_048_575  # 1,048,576 rows a sheet, one of them the header

UK_DATE_SHARE = 0.05
_UNKNOWN_VALUES = {
    "category": ("Parking", "Council tax", "Social housing", "N/A"),
    "decision": ("Upheld in part", "Withdrawn", "Premature", "Pending"),
    "outcome": ("Pending", "Partly complied", "Awaiting evidence"),
}
_DETAILS = {
    "Upheld": ("maladministration and injustice", "maladministration no injustice", "fault and injustice"),
    "Not upheld": ("no maladministration", "no further action"),
}
_NON_INVESTIGATION = {  # share of the decisions that are not detailed investigations
    "Closed after initial enquiries": 0.50,
    "Referred back for local resolution": 0.27,
    "Advice given": 0.08,
    "Incomplete/invalid": 0.15,
}
_OUTCOME_P = (0.840, 0.154, 0.006)
_REMEDY_Y_SHARE = 0.13
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_DOC_TIME = datetime(2000, 1, 1)


def generate_exports(
    year: BusinessYear,
    out: Path,
    *,
    scale: float = 1.0,
    seed: int = 0,
    fmt: str = "csv",
    messy: float = 0.0,
    population: bool = True,
) -> dict[str, int]:
    """Write a year's three case exports, the authorities and (unless told not to) the population;
    same arguments, same bytes."""
    if fmt not in ("csv", "xlsx"):
        raise PipelineError(f"format {fmt!r} is not one of csv, xlsx")
    if not scale > 0:
        raise PipelineError(f"scale must be positive, not {scale}")
    if not 0.0 <= messy <= 1.0:
        raise PipelineError(f"messy must be between 0 and 1, not {messy}")
    sizes = {name: max(1, round(n * scale)) for name, n in TARGET_ROWS.items()}
    if fmt == "xlsx" and max(sizes.values()) > EXCEL_MAX_DATA_ROWS:
        raise PipelineError(
            f"scale {scale} gives {max(sizes.values()):,} rows, more than an XLSX sheet holds "
            f"({EXCEL_MAX_DATA_ROWS:,}); use --format csv or a smaller --scale"
        )
    registry = build_authorities()
    cases = _case_frames(valid_in(registry, year), year, sizes, seed)
    frames = {
        name: _spoil(frame, name, year, messy, np.random.default_rng([seed, 9, i]))
        for i, (name, frame) in enumerate(cases.items())
    }
    frames["authorities"] = registry
    if population:
        frames["population"] = build_population(registry, year)
    out.mkdir(parents=True, exist_ok=True)
    for name, frame in frames.items():
        ordered = frame.loc[:, list(COLUMNS[name])]
        if fmt == "csv":
            ordered.to_csv(out / f"{name}.csv", index=False, lineterminator="\n", encoding="utf-8")
        else:
            _write_xlsx(ordered, out / f"{name}.xlsx", name)
    return {name: len(frame) for name, frame in frames.items()}


# --- the authorities: a fixed fictional registry around a few real councils -------------

_HEADS = (
    "Ash",
    "Brad",
    "Bram",
    "Cal",
    "Cran",
    "Dun",
    "Elm",
    "Fal",
    "Glen",
    "Hal",
    "Hart",
    "Kel",
    "Lang",
    "Marl",
    "Nor",
    "Oak",
    "Pen",
    "Ribble",
    "Stan",
    "Thorn",
    "Wal",
    "Wes",
    "Whit",
    "Wyn",
    "Ald",
    "Bel",
    "Chel",
    "Dor",
    "Ember",
    "Fern",
    "Gran",
    "Hol",
    "Ket",
    "Lyd",
    "Mel",
)
_TAILS = (
    "bury",
    "by",
    "caster",
    "don",
    "field",
    "ford",
    "ham",
    "ley",
    "mere",
    "minster",
    "mouth",
    "stead",
    "stoke",
    "ton",
    "well",
    "wick",
    "worth",
)
_SURNAMES = (
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Johnson",
    "Davies",
    "Patel",
    "Wright",
    "Walker",
    "Thompson",
    "Robinson",
    "White",
    "Hughes",
    "Edwards",
    "Green",
    "Hall",
    "Khan",
    "Lewis",
    "Harris",
    "Clarke",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Bennett",
    "Shah",
    "O'Brien",
    "O'Neill",
    "D'Souza",
    "Ahmed",
    "Begum",
    "Okafor",
    "Nowak",
    "McDonald",
)
_TYPES = {  # authority type -> GSS prefix, synthetic councils valid in 2019-20
    "County Council": ("E10", 25),
    "District Council": ("E07", 181),
    "Metropolitan Borough": ("E08", 36),
    "Unitary Council": ("E06", 53),
    "London Borough": ("E09", 32),
    "Fire and rescue authority": ("E31", 12),
    "National park authority": ("E26", 6),
    "Combined authority": ("E47", 6),
}
_REAL = (  # code, name, type, valid_from, valid_to: the reorganisations and the awkward names
    ("E10000021", "Northamptonshire County Council", "County Council", "", "2020-21"),
    ("E07000150", "Corby Borough Council", "District Council", "", "2020-21"),
    ("E07000151", "Daventry District Council", "District Council", "", "2020-21"),
    ("E07000152", "East Northamptonshire Council", "District Council", "", "2020-21"),
    ("E07000153", "Kettering Borough Council", "District Council", "", "2020-21"),
    ("E07000154", "Northampton Borough Council", "District Council", "", "2020-21"),
    ("E07000155", "South Northamptonshire Council", "District Council", "", "2020-21"),
    ("E07000156", "Borough Council of Wellingborough", "District Council", "", "2020-21"),
    ("E06000061", "North Northamptonshire Council", "Unitary Council", "2021-22", ""),
    ("E06000062", "West Northamptonshire Council", "Unitary Council", "2021-22", ""),
    ("E07000201", "Forest Heath District Council", "District Council", "", "2018-19"),
    ("E07000204", "St Edmundsbury Borough Council", "District Council", "", "2018-19"),
    ("E07000245", "West Suffolk Council", "District Council", "2019-20", ""),
    ("E07000146", "King's Lynn & West Norfolk Borough Council", "District Council", "", ""),
    ("E06000043", "Brighton & Hove City Council", "Unitary Council", "", ""),
    ("E06000022", "Bath & North East Somerset Council", "Unitary Council", "", ""),
    ("E09000001", "City of London Corporation", "London Borough", "", ""),
)
_STYLES = {
    "County Council": ("{}shire County Council",),
    "District Council": ("{} District Council",) * 3 + ("{} Borough Council",) * 2 + ("{} City Council",),
    "Metropolitan Borough": ("{} Metropolitan Borough Council",) * 3 + ("{} City Council",),
    "Unitary Council": ("{} Council", "{} Council", "{} Borough Council", "{} City Council"),
    "London Borough": ("London Borough of {}",) * 10 + ("Royal Borough of {}",),
    "Fire and rescue authority": ("{} Fire and Rescue Authority",),
    "National park authority": ("{} National Park Authority",),
    "Combined authority": ("{} Combined Authority",),
}


def build_authorities() -> pd.DataFrame:
    """One registry for every year and seed, so the exports of several years share it."""
    rng = np.random.default_rng(20190401)
    places = iter([_place(i) for i in rng.permutation(len(_HEADS) * len(_TAILS))])
    reserved = {code for code, *_ in _REAL}
    keys = ("authority_code", "authority_name", "authority_type", "valid_from", "valid_to")
    rows = [dict(zip(keys, real, strict=True)) for real in _REAL]
    for kind, (prefix, count) in _TYPES.items():
        codes = [c for c in (f"{prefix}{i:06d}" for i in range(1, count + 40)) if c not in reserved]
        styles = _STYLES[kind]
        for i in range(count):
            name = styles[int(rng.integers(len(styles)))].format(next(places))
            if kind == "District Council" and i < 6:
                name = f"{next(places)} & {next(places)} District Council"
            elif kind == "District Council" and i < 10:
                name = f"Bishop's {name}"
            rows.append(
                {
                    "authority_code": codes[i],
                    "authority_name": name,
                    "authority_type": kind,
                    "valid_from": "",
                    "valid_to": "",
                }
            )
    n = len(rows)
    titles = rng.choice(["Mr", "Ms", "Mrs", "Dr"], size=n, p=[0.5, 0.35, 0.08, 0.07])
    surnames = rng.choice(_SURNAMES, size=n)
    roles = rng.choice(
        ["Chief Executive", "Managing Director", "Head of Paid Service"], size=n, p=[0.92, 0.05, 0.03]
    )
    frame = pd.DataFrame(rows).assign(
        chief_executive=[f"{t} {s}" for t, s in zip(titles, surnames, strict=True)],
        chief_executive_role=roles,
    )
    frame.loc[frame["authority_code"] == "E07000154", "chief_executive"] = "Mr Candler"
    ordered = frame.sort_values("authority_code", ignore_index=True)
    return ordered.loc[:, list(COLUMNS["authorities"])]


# Residents by type, drawn between these bounds with more small places than large ones (ONS mid-year
# estimates run from ~50k districts to ~1.1M Birmingham); fire, park and combined authorities by the
# area they serve. The City of London is a London borough by type and a village by size.
_RESIDENTS = {
    "County Council": (500_000, 1_600_000),
    "District Council": (50_000, 150_000),
    "Metropolitan Borough": (150_000, 1_200_000),
    "Unitary Council": (150_000, 1_200_000),
    "London Borough": (150_000, 400_000),
    "Fire and rescue authority": (400_000, 2_500_000),
    "National park authority": (2_000, 60_000),
    "Combined authority": (1_000_000, 3_000_000),
}
_KNOWN_RESIDENTS = {"E09000001": 8_600}
_GROWTH = 1.006  # a year, roughly England's since 2011


def build_population(registry: pd.DataFrame, year: BusinessYear) -> pd.DataFrame:
    """Residents of each authority of the year, as an ONS-style estimate: the same place grows slowly
    from year to year, and every seed and year draws from one registry-wide sequence."""
    rng = np.random.default_rng(20190402)
    low, high = (
        registry["authority_type"]
        .map({k: bounds[i] for k, bounds in _RESIDENTS.items()})
        .to_numpy(dtype=float)
        for i in (0, 1)
    )
    base = low * (high / low) ** (rng.random(len(registry)) ** 1.6)
    known = registry["authority_code"].map(_KNOWN_RESIDENTS).to_numpy(dtype=float)
    residents = np.where(np.isnan(known), base, known) * _GROWTH ** (year.start_year - 2019)
    frame = registry.assign(
        residents=np.round(residents).astype(np.int64),
        source=f"ONS mid-{year.start_year - 1} population estimates (synthetic)",
    )
    return valid_in(frame, year).loc[:, list(COLUMNS["population"])]


def _place(i: int) -> str:
    """A place name from one index, so that distinct indices give distinct places."""
    head, tail = divmod(int(i), len(_TAILS))
    return _HEADS[head] + _TAILS[tail]


def valid_in(registry: pd.DataFrame, year: BusinessYear) -> pd.DataFrame:
    """The authorities that exist in the year: a reorganised council has its own years only."""
    start = year.start_year
    first = registry["valid_from"].str.slice(0, 4).replace("", "0").astype(int)
    last = registry["valid_to"].str.slice(0, 4).replace("", "9999").astype(int)
    return registry.loc[(first <= start) & (start <= last)].reset_index(drop=True)


# --- the case rows -----------------------------------------------------------------------

_CATEGORY_P = {  # counties do care and schools, districts housing and planning
    "County Council": (0.30, 0.01, 0.06, 0.35, 0.06, 0.17, 0.00, 0.03, 0.02),
    "District Council": (0.00, 0.15, 0.15, 0.00, 0.17, 0.05, 0.22, 0.24, 0.02),
    "all-purpose": (0.17, 0.10, 0.09, 0.20, 0.09, 0.10, 0.12, 0.10, 0.03),
    "other": (0.00, 0.00, 0.60, 0.00, 0.20, 0.10, 0.00, 0.05, 0.05),
}
_VOLUME = {
    "County Council": 3.0,
    "District Council": 0.7,
    "Metropolitan Borough": 3.0,
    "Unitary Council": 2.5,
    "London Borough": 2.5,
}
_UPHOLD = {"District Council": 0.45}  # others 0.665, which makes ~61 % nationally
_BASE_YEAR = 2019


def _case_frames(
    councils: pd.DataFrame, year: BusinessYear, sizes: dict[str, int], seed: int
) -> dict[str, pd.DataFrame]:
    """Case rows that hang together: decisions follow receipts, compliance follows upholds."""
    rng = np.random.default_rng([seed, 1])
    kinds = councils["authority_type"].to_numpy()
    n_auth, n_days = len(councils), (year.last_day - year.first_day).days + 1
    other = ~np.isin(kinds, list(_VOLUME))
    weight = np.array([_VOLUME.get(k, 0.15) for k in kinds]) * rng.lognormal(0.0, 0.6, n_auth)
    weight[other & (rng.random(n_auth) < 0.5)] = 0.0  # some other bodies have no cases at all
    quiet = np.zeros(n_auth, dtype=bool)  # no detailed investigation, hence no compliance
    quiet[rng.choice(np.flatnonzero(kinds == "District Council"), size=4, replace=False)] = True
    weight[quiet] *= 0.3
    p_auth = weight / weight.sum()
    spread = np.clip(0.25 * rng.lognormal(0.0, 0.25, n_auth), 0.05, 0.6)
    p_investigate = np.where(quiet, 0.0, spread)
    mean_uphold = np.array([_UPHOLD.get(k, 0.665) for k in kinds])
    logit = np.log(mean_uphold / (1 - mean_uphold)) + rng.normal(0, 0.4, n_auth)
    p_uphold = 1 / (1 + np.exp(-logit))
    if year.start_year != _BASE_YEAR:
        # The councils above keep their traits (volume, investigation and uphold rates) from year to
        # year; their cases are drawn afresh for each year. 2019-20 continues the one stream, so its
        # exports are what they always were.
        rng = np.random.default_rng([seed, 1, year.start_year])
    purpose = np.where(np.isin(kinds, list(_CATEGORY_P)), kinds, "all-purpose")
    group = np.where(other, "other", purpose)
    yy, prev = f"{year.start_year % 100:02d}", f"{(year.start_year - 1) % 100:02d}"

    def categories(auth: np.ndarray) -> np.ndarray:
        out = np.zeros(len(auth), dtype=np.int64)
        for name, p in _CATEGORY_P.items():
            rows = np.flatnonzero(group[auth] == name)
            out[rows] = rng.choice(len(CATEGORIES), size=len(rows), p=np.array(p) / sum(p))
        return out

    # received: numbered in the order they arrive
    n_rec = sizes["received"]
    rec_auth = rng.choice(n_auth, size=n_rec, p=p_auth)
    rec_day = np.sort(rng.integers(0, n_days, n_rec))
    rec_num = np.cumsum(rng.integers(1, 3, n_rec))
    rec_cat = categories(rec_auth)

    # decisions: most on this year's receipts, the rest on cases received in earlier years
    n_dec, n_com = sizes["decisions"], sizes["compliance"]
    n_link = min(round(0.7 * n_dec), n_rec)
    link = rng.choice(n_rec, size=n_link, replace=False)
    n_old = n_dec - n_link
    old_num = rng.permutation(np.cumsum(rng.integers(1, 4, n_old + n_com + 1)))
    old_auth = rng.choice(n_auth, size=n_old, p=p_auth)
    left = n_days - 1 - rec_day[link]
    lag = np.floor(rng.exponential(70.0, n_link)).astype(np.int64)
    lag = np.where(lag > left, np.floor(rng.random(n_link) * (left + 1)).astype(np.int64), lag)
    dec_auth = np.concatenate([rec_auth[link], old_auth])
    dec_day = np.concatenate([rec_day[link] + lag, rng.integers(0, n_days, n_old)])
    dec_cat = np.concatenate([rec_cat[link], categories(old_auth)])
    dec_ref = np.concatenate([_refs(yy, rec_num[link], rng), _refs(prev, old_num[:n_old], rng)])
    investigated = rng.random(n_dec) < p_investigate[dec_auth]
    upheld = investigated & (rng.random(n_dec) < p_uphold[dec_auth])
    others = np.array([DECISIONS.index(d) for d in _NON_INVESTIGATION])
    dec_code = np.where(
        investigated,
        np.where(upheld, 0, 1),
        rng.choice(others, size=n_dec, p=list(_NON_INVESTIGATION.values())),
    )
    order = np.argsort(dec_day, kind="stable")

    # compliance: outcomes of upheld decisions, this year's and earlier years'
    eligible = np.flatnonzero(upheld & (dec_day < n_days - 7))
    n_com_link = min(round(0.6 * n_com), len(eligible))
    n_com_old = n_com - n_com_link
    com_link = rng.choice(eligible, size=n_com_link, replace=False)
    room = n_days - 1 - dec_day[com_link]
    com_lag = np.minimum(7 + np.floor(rng.exponential(40.0, n_com_link)).astype(np.int64), room)
    p_com = np.where(quiet, 0.0, weight)
    com_old_auth = rng.choice(n_auth, size=n_com_old, p=p_com / p_com.sum())
    com_auth = np.concatenate([dec_auth[com_link], com_old_auth])
    com_day = np.concatenate([dec_day[com_link] + com_lag, rng.integers(0, n_days, n_com_old)])
    com_old_ref = _refs(prev, old_num[n_old : n_old + n_com_old], rng)
    com_ref = np.concatenate([dec_ref[com_link], com_old_ref])
    com_order = np.argsort(com_day, kind="stable")

    codes = councils["authority_code"].to_numpy()
    return {
        "received": pd.DataFrame(
            {
                "case_ref": _refs(yy, rec_num, rng),
                "authority_code": codes[rec_auth],
                "category": np.array(CATEGORIES)[rec_cat],
                "received_date": _dates(year, rec_day, rng),
            }
        ),
        "decisions": pd.DataFrame(
            {
                "case_ref": dec_ref[order],
                "authority_code": codes[dec_auth[order]],
                "category": np.array(CATEGORIES)[dec_cat[order]],
                "decision_date": _dates(year, dec_day[order], rng),
                "decision": _decision_text(dec_code[order], rng),
                "remedy_before_ombudsman": _remedy(dec_code[order] == 0, rng),
            }
        ),
        "compliance": pd.DataFrame(
            {
                "case_ref": com_ref[com_order],
                "authority_code": codes[com_auth[com_order]],
                "recorded_date": _dates(year, com_day[com_order], rng),
                "outcome": rng.choice(np.array(OUTCOMES), size=n_com, p=_OUTCOME_P),
            }
        ),
    }


def _refs(yy: str, num: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Case references as the case system prints them: mostly '19 004 123', sometimes '19004123'."""
    s = pd.Series(num, dtype=np.int64)
    thousands, units = (s // 1000).astype(str).str.zfill(3), (s % 1000).astype(str).str.zfill(3)
    spaced = yy + " " + thousands + " " + units
    compact = yy + s.astype(str).str.zfill(6)
    return np.where(rng.random(len(s)) < 0.1, compact, spaced).astype(object)


def _dates(year: BusinessYear, day: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Day offsets as date text: ISO mostly, some typed the UK way; both valid per the contract."""
    days = pd.date_range(year.first_day, year.last_day, freq="D")
    iso = np.array(days.strftime("%Y-%m-%d"), dtype=object)
    uk = np.array(days.strftime("%d/%m/%Y"), dtype=object)
    text: np.ndarray = np.where(rng.random(len(day)) < UK_DATE_SHARE, uk[day], iso[day])
    return text


def _decision_text(code: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Decision values with the variation real exports have: details after a colon, odd case."""
    text = pd.Series(np.array(DECISIONS, dtype=object)[code])
    for base, details in _DETAILS.items():
        rows = (text == base) & (rng.random(len(text)) < 0.35)
        detail = np.array(details, dtype=object)[rng.integers(0, len(details), int(rows.sum()))]
        text[rows] = base + ": " + detail
    case = rng.random(len(text))
    text[case < 0.02] = text[case < 0.02].str.lower()
    text[(case >= 0.02) & (case < 0.03)] = text[(case >= 0.02) & (case < 0.03)].str.upper()
    return text.to_numpy(dtype=object)


def _remedy(upheld: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Y on ~13 % of upheld decisions; elsewhere N, and the blanks and yes/no a system lets in."""
    on_upheld = np.where(rng.random(len(upheld)) < _REMEDY_Y_SHARE, "Y", "N")
    loose = np.array(["N", "", "no", "yes"])
    elsewhere = rng.choice(loose, size=len(upheld), p=[0.85, 0.10, 0.04, 0.01])
    return np.where(upheld, on_upheld, elsewhere).astype(object)


# --- messy rows ------------------------------------------------------------------------


def _spoil(
    frame: pd.DataFrame, name: str, year: BusinessYear, messy: float, rng: np.random.Generator
) -> pd.DataFrame:
    """Swap round(messy * rows) rows for rows with one known defect each, a fifth of each kind."""
    n_bad = int(np.floor(messy * len(frame) + 0.5))
    if n_bad == 0:
        return frame
    cols = {c: frame[c].to_numpy(dtype=object, copy=True) for c in frame.columns}
    bad = np.sort(rng.choice(len(frame), size=n_bad, replace=False))
    kind = rng.permutation(np.arange(n_bad) % len(MESSY_KINDS))
    clean = np.setdiff1d(np.arange(len(frame)), bad)
    earlier = np.searchsorted(clean, bad)  # a duplicate repeats an earlier clean row: keep-first
    kind[(kind == 4) & (earlier == 0)] = 2
    dates = cols[DATE_COLUMN[name]]

    rows = bad[kind == 0]
    junk = [f"31/02/{year.end_year}", f"{year.start_year}-13-01", "TBC", f"32/01/{year.end_year}"]
    dates[rows] = rng.choice(np.array(junk, dtype=object), size=len(rows))

    rows = bad[kind == 1]
    n_days = (year.last_day - year.first_day).days + 1
    step = 1 + np.floor(rng.exponential(30.0, len(rows))).astype(np.int64)
    offset = np.where(rng.random(len(rows)) < 0.5, -step, n_days - 1 + step)
    when = pd.Timestamp(year.first_day) + pd.to_timedelta(offset, unit="D")
    uk = rng.random(len(rows)) < 0.5
    dates[rows] = np.where(uk, when.strftime("%d/%m/%Y"), when.strftime("%Y-%m-%d"))

    rows = bad[kind == 2]
    prefix = rng.choice(np.array(["E06", "E07", "E08", "E09"], dtype=object), size=len(rows))
    cols["authority_code"][rows] = (
        prefix
        + pd.Series(900_000 + rng.integers(0, 99_999, len(rows)), dtype=np.int64).astype(str).to_numpy()
    )

    rows = bad[kind == 3]
    field = {"received": "category", "compliance": "outcome"}.get(name)
    fields = (
        np.full(len(rows), field, dtype=object)
        if field
        else rng.choice(np.array(["decision", "category"], dtype=object), size=len(rows))
    )
    for f in np.unique(fields):
        these = rows[fields == f]
        cols[f][these] = rng.choice(np.array(_UNKNOWN_VALUES[f], dtype=object), size=len(these))

    rows = bad[kind == 4]
    source = clean[np.floor(rng.random(len(rows)) * earlier[kind == 4]).astype(np.int64)]
    cols["case_ref"][rows] = cols["case_ref"][source]
    return pd.DataFrame(cols)


# --- XLSX with fixed bytes ---------------------------------------------------------------


def _write_xlsx(frame: pd.DataFrame, path: Path, sheet: str) -> None:
    """An XLSX whose bytes depend only on its data: fixed document and zip entry times."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet)
    ws.append(list(frame.columns))
    cells = frame.astype(object).where(frame.astype(str) != "", None)
    for column in [c for c in frame.columns if c.endswith("_date")]:
        parsed = pd.to_datetime(frame[column], format="%Y-%m-%d", errors="coerce")
        real = parsed.notna()
        cells.loc[real, column] = pd.Series(parsed[real].dt.date, dtype=object)
    for row in cells.itertuples(index=False, name=None):
        ws.append(row)
    raw = io.BytesIO()
    wb.save(raw)
    props = DocumentProperties(
        creator="annual-review synthetic", created=_FIXED_DOC_TIME, modified=_FIXED_DOC_TIME
    )
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            core = item.filename == "docProps/core.xml"
            data = tostring(props.to_tree()) if core else src.read(item)
            fixed = zipfile.ZipInfo(item.filename, date_time=_FIXED_ZIP_TIME)
            fixed.compress_type, fixed.external_attr = zipfile.ZIP_DEFLATED, 0o600 << 16
            dst.writestr(fixed, data)
