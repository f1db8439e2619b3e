"""The authorities: a fixed fictional registry around a few real councils, and their residents."""

from __future__ import annotations

import numpy as np
import pandas as pd

from annual_review.synthetic.columns import COLUMNS
from annual_review.years import BusinessYear

# fmt: off
_HEADS = (
    "Ash", "Brad", "Bram", "Cal", "Cran", "Dun", "Elm", "Fal", "Glen", "Hal", "Hart", "Kel", "Lang", "Marl",
    "Nor", "Oak", "Pen", "Ribble", "Stan", "Thorn", "Wal", "Wes", "Whit", "Wyn", "Ald", "Bel", "Chel", "Dor",
    "Ember", "Fern", "Gran", "Hol", "Ket", "Lyd", "Mel",
)
_TAILS = (
    "bury", "by", "caster", "don", "field", "ford", "ham", "ley", "mere", "minster", "mouth", "stead",
    "stoke", "ton", "well", "wick", "worth",
)
_SURNAMES = (
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Wright",
    "Walker", "Thompson", "Robinson", "White", "Hughes", "Edwards", "Green", "Hall", "Khan", "Lewis",
    "Harris", "Clarke", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore",
    "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson",
    "Davis", "Parker", "Bennett", "Shah", "O'Brien", "O'Neill", "D'Souza", "Ahmed", "Begum", "Okafor",
    "Nowak", "McDonald",
)
# fmt: on
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
