"""What the three implementations must agree on, and the check that they do."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from annual_review.tables import RATES
from transforms.vocab import DECIDED_BY_DECISION, RECEIVED_BY_CATEGORY

COUNTS: tuple[str, ...] = (
    "complaints_received",
    *RECEIVED_BY_CATEGORY,
    "decisions_made",
    *DECIDED_BY_DECISION,
    "investigations",
    "upheld",
    "compliance_outcomes",
    "complied",
    "satisfactory_remedies",
)
TOLERANCE = 1e-12


class Disagreement(AssertionError):
    """Two implementations computed different figures from the same CSVs: a timing means nothing."""


@dataclass(frozen=True)
class Figures:
    """Accepted/rejected rows per file, authority_year counts and rates, and the mean peer averages."""

    files: dict[str, tuple[int, int]]
    authority_year: pd.DataFrame  # index authority_code; authority_type, COUNTS, RATES
    peers: pd.DataFrame  # index authority_type; RATES


def normalise(
    files: dict[str, tuple[int, int]], authority_year: pd.DataFrame, peers: pd.DataFrame
) -> Figures:
    """One shape for every implementation: plain int64 counts, float64 rates (NaN for null), sorted."""
    year = authority_year.set_index("authority_code").sort_index()
    year = pd.DataFrame(
        {
            "authority_type": year["authority_type"].astype("str"),
            **{c: year[c].astype("int64") for c in COUNTS},
            **{r: year[r].astype("float64") for r in RATES},
        }
    )
    peer = peers.set_index("authority_type").sort_index()
    peer = pd.DataFrame({r: peer[r].astype("float64") for r in RATES})
    return Figures(dict(sorted(files.items())), year, peer)


def _rates_differ(a: pd.Series, b: pd.Series) -> list[str]:
    x, y = a.to_numpy(dtype="float64"), b.to_numpy(dtype="float64")
    both_null = np.isnan(x) & np.isnan(y)
    close = np.abs(x - y) <= TOLERANCE
    bad = ~(both_null | close)
    return [f"{key}: {p!r} vs {q!r}" for key, p, q in zip(a.index[bad], x[bad], y[bad], strict=True)]


def differences(name: str, ours: Figures, theirs: Figures) -> list[str]:
    """Every way `theirs` differs from `ours`, as lines a reader can act on."""
    found: list[str] = []
    if ours.files != theirs.files:
        found.append(f"{name}: accepted/rejected per file {theirs.files} vs {ours.files}")
    a, b = ours.authority_year, theirs.authority_year
    if not a.index.equals(b.index):
        only = sorted(set(a.index) ^ set(b.index))
        found.append(f"{name}: authorities differ ({len(a)} vs {len(b)}), e.g. {only[:5]}")
        return found
    if not a["authority_type"].equals(b["authority_type"]):
        found.append(f"{name}: authority types differ")
    for column in COUNTS:
        wrong = a.index[a[column].to_numpy() != b[column].to_numpy()]
        if len(wrong):
            found.append(f"{name}: {column} differs for {len(wrong)} authorities, e.g. {list(wrong[:3])}")
    for rate in RATES:
        found += [f"{name}: {rate} {line}" for line in _rates_differ(a[rate], b[rate])[:3]]
    if not ours.peers.index.equals(theirs.peers.index):
        found.append(f"{name}: peer groups {list(theirs.peers.index)} vs {list(ours.peers.index)}")
    else:
        for rate in RATES:
            found += [
                f"{name}: peer {rate} {line}" for line in _rates_differ(ours.peers[rate], theirs.peers[rate])
            ]
    return found


def check_agree(reference: Figures, others: dict[str, Figures]) -> None:
    """Fail loudly unless every implementation matches the pipeline's figures."""
    found = [line for name, figures in others.items() for line in differences(name, reference, figures)]
    if found:
        raise Disagreement("figures disagree with the pipeline's:\n  " + "\n  ".join(found))


def rows_total(figures: Figures) -> int:
    return sum(a + r for a, r in figures.files.values())


def finite(value: float) -> bool:
    return not math.isnan(value)
