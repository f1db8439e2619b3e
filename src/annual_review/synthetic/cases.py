"""The case rows: receipts, decisions on them and on earlier years' cases, compliance with upheld ones."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from annual_review.years import BusinessYear
from transforms.vocab import CATEGORIES, DECISIONS, OUTCOMES

UK_DATE_SHARE = 0.05
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


@dataclass(frozen=True)
class _Traits:
    """What each council keeps from year to year, one entry per council."""

    group: np.ndarray  # its mix of categories: a county's, a district's, all-purpose or other
    weight: np.ndarray  # its relative volume of cases
    quiet: np.ndarray  # no detailed investigation, hence no compliance
    p_investigate: np.ndarray
    p_uphold: np.ndarray

    @property
    def p_auth(self) -> np.ndarray:
        """The chance that a case is this council's."""
        p: np.ndarray = self.weight / self.weight.sum()
        return p


@dataclass(frozen=True)
class _Received:
    auth: np.ndarray
    day: np.ndarray
    number: np.ndarray
    category: np.ndarray


@dataclass(frozen=True)
class _Decided:
    auth: np.ndarray
    day: np.ndarray
    category: np.ndarray
    ref: np.ndarray
    code: np.ndarray  # index into DECISIONS
    upheld: np.ndarray
    spare_numbers: np.ndarray  # numbers of earlier years' cases not decided this year


@dataclass(frozen=True)
class _Complied:
    auth: np.ndarray
    day: np.ndarray
    ref: np.ndarray


def case_frames(
    councils: pd.DataFrame, year: BusinessYear, sizes: dict[str, int], seed: int
) -> dict[str, pd.DataFrame]:
    """Case rows that hang together: decisions follow receipts, compliance follows upholds."""
    rng = np.random.default_rng([seed, 1])
    traits = _traits(councils["authority_type"].to_numpy(), rng)
    if year.start_year != _BASE_YEAR:
        # The councils above keep their traits (volume, investigation and uphold rates) from year to
        # year; their cases are drawn afresh for each year. 2019-20 continues the one stream, so its
        # exports are what they always were.
        rng = np.random.default_rng([seed, 1, year.start_year])
    n_days = (year.last_day - year.first_day).days + 1
    yy, prev = f"{year.start_year % 100:02d}", f"{(year.start_year - 1) % 100:02d}"
    received = _receive(traits, sizes["received"], n_days, rng)
    decided = _decide(traits, received, sizes, n_days, (yy, prev), rng)
    complied = _comply(traits, decided, sizes["compliance"], n_days, prev, rng)

    # The text columns come last, in this order, from the same stream: the bytes depend on it.
    codes = councils["authority_code"].to_numpy()
    order = np.argsort(decided.day, kind="stable")
    com_order = np.argsort(complied.day, kind="stable")
    return {
        "received": pd.DataFrame(
            {
                "case_ref": _refs(yy, received.number, rng),
                "authority_code": codes[received.auth],
                "category": np.array(CATEGORIES)[received.category],
                "received_date": _dates(year, received.day, rng),
            }
        ),
        "decisions": pd.DataFrame(
            {
                "case_ref": decided.ref[order],
                "authority_code": codes[decided.auth[order]],
                "category": np.array(CATEGORIES)[decided.category[order]],
                "decision_date": _dates(year, decided.day[order], rng),
                "decision": _decision_text(decided.code[order], rng),
                "remedy_before_ombudsman": _remedy(decided.code[order] == 0, rng),
            }
        ),
        "compliance": pd.DataFrame(
            {
                "case_ref": complied.ref[com_order],
                "authority_code": codes[complied.auth[com_order]],
                "recorded_date": _dates(year, complied.day[com_order], rng),
                "outcome": rng.choice(np.array(OUTCOMES), size=len(complied.ref), p=_OUTCOME_P),
            }
        ),
    }


def _traits(kinds: np.ndarray, rng: np.random.Generator) -> _Traits:
    """Each council's volume, investigation and uphold rates, drawn around its type's."""
    n_auth = len(kinds)
    other = ~np.isin(kinds, list(_VOLUME))
    weight = np.array([_VOLUME.get(k, 0.15) for k in kinds]) * rng.lognormal(0.0, 0.6, n_auth)
    weight[other & (rng.random(n_auth) < 0.5)] = 0.0  # some other bodies have no cases at all
    quiet = np.zeros(n_auth, dtype=bool)
    quiet[rng.choice(np.flatnonzero(kinds == "District Council"), size=4, replace=False)] = True
    weight[quiet] *= 0.3
    spread = np.clip(0.25 * rng.lognormal(0.0, 0.25, n_auth), 0.05, 0.6)
    mean_uphold = np.array([_UPHOLD.get(k, 0.665) for k in kinds])
    logit = np.log(mean_uphold / (1 - mean_uphold)) + rng.normal(0, 0.4, n_auth)
    purpose = np.where(np.isin(kinds, list(_CATEGORY_P)), kinds, "all-purpose")
    return _Traits(
        group=np.where(other, "other", purpose),
        weight=weight,
        quiet=quiet,
        p_investigate=np.where(quiet, 0.0, spread),
        p_uphold=1 / (1 + np.exp(-logit)),
    )


def _categories(group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A category per case from its council's mix (`group`: the council's group, a case a row)."""
    out = np.zeros(len(group), dtype=np.int64)
    for name, p in _CATEGORY_P.items():
        rows = np.flatnonzero(group == name)
        out[rows] = rng.choice(len(CATEGORIES), size=len(rows), p=np.array(p) / sum(p))
    return out


def _receive(traits: _Traits, n_rec: int, n_days: int, rng: np.random.Generator) -> _Received:
    """Receipts, numbered in the order they arrive."""
    auth = rng.choice(len(traits.weight), size=n_rec, p=traits.p_auth)
    day = np.sort(rng.integers(0, n_days, n_rec))
    number = np.cumsum(rng.integers(1, 3, n_rec))
    return _Received(auth, day, number, _categories(traits.group[auth], rng))


def _decide(
    traits: _Traits,
    rec: _Received,
    sizes: dict[str, int],
    n_days: int,
    years: tuple[str, str],
    rng: np.random.Generator,
) -> _Decided:
    """Most decisions on this year's receipts, the rest on cases received in earlier years."""
    yy, prev = years
    n_dec, n_com = sizes["decisions"], sizes["compliance"]
    n_link = min(round(0.7 * n_dec), len(rec.auth))
    link = rng.choice(len(rec.auth), size=n_link, replace=False)
    n_old = n_dec - n_link
    old_num = rng.permutation(np.cumsum(rng.integers(1, 4, n_old + n_com + 1)))
    old_auth = rng.choice(len(traits.weight), size=n_old, p=traits.p_auth)
    left = n_days - 1 - rec.day[link]
    lag = np.floor(rng.exponential(70.0, n_link)).astype(np.int64)
    lag = np.where(lag > left, np.floor(rng.random(n_link) * (left + 1)).astype(np.int64), lag)
    auth = np.concatenate([rec.auth[link], old_auth])
    day = np.concatenate([rec.day[link] + lag, rng.integers(0, n_days, n_old)])
    category = np.concatenate([rec.category[link], _categories(traits.group[old_auth], rng)])
    ref = np.concatenate([_refs(yy, rec.number[link], rng), _refs(prev, old_num[:n_old], rng)])
    investigated = rng.random(n_dec) < traits.p_investigate[auth]
    upheld = investigated & (rng.random(n_dec) < traits.p_uphold[auth])
    others = np.array([DECISIONS.index(d) for d in _NON_INVESTIGATION])
    code = np.where(
        investigated,
        np.where(upheld, 0, 1),
        rng.choice(others, size=n_dec, p=list(_NON_INVESTIGATION.values())),
    )
    return _Decided(auth, day, category, ref, code, upheld, old_num[n_old:])


def _comply(
    traits: _Traits, dec: _Decided, n_com: int, n_days: int, prev: str, rng: np.random.Generator
) -> _Complied:
    """Outcomes of upheld decisions, this year's and earlier years'."""
    eligible = np.flatnonzero(dec.upheld & (dec.day < n_days - 7))
    n_com_link = min(round(0.6 * n_com), len(eligible))
    n_com_old = n_com - n_com_link
    com_link = rng.choice(eligible, size=n_com_link, replace=False)
    room = n_days - 1 - dec.day[com_link]
    lag = np.minimum(7 + np.floor(rng.exponential(40.0, n_com_link)).astype(np.int64), room)
    p_com = np.where(traits.quiet, 0.0, traits.weight)
    old_auth = rng.choice(len(traits.weight), size=n_com_old, p=p_com / p_com.sum())
    return _Complied(
        auth=np.concatenate([dec.auth[com_link], old_auth]),
        day=np.concatenate([dec.day[com_link] + lag, rng.integers(0, n_days, n_com_old)]),
        ref=np.concatenate([dec.ref[com_link], _refs(prev, dec.spare_numbers[:n_com_old], rng)]),
    )


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
