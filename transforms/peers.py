"""Peer averages: how similar authorities did, by the five peer-group types only."""

from __future__ import annotations

import pandas as pd

from transforms.display import one_decimal_half_up, percent_half_up
from transforms.figures import RATE_PARTS, ratio
from transforms.population import PER_100K_PARTS, per_100k
from transforms.vocab import PEER_METHODS


def peer_averages(figures: pd.DataFrame, method: str) -> pd.DataFrame:
    """Per type: 'mean' of the authorities' non-null rates, or 'pooled' sums of counts."""
    if method not in PEER_METHODS:
        raise ValueError(f"peer-average method must be 'mean' or 'pooled', not {method!r}")
    peers = figures[figures["peer_group"]]
    grouped = peers.groupby(["year", "authority_type"], sort=True)
    table = grouped.size().rename("authorities").to_frame()
    for rate, (numerator, denominator) in RATE_PARTS.items():
        sums = grouped[[numerator, denominator]].sum()
        table[f"{rate}_numerator"] = sums[numerator]
        table[f"{rate}_denominator"] = sums[denominator]
        table[f"{rate}_authorities"] = grouped[rate].count()
        if method == "mean":
            table[rate] = grouped[rate].mean()
        else:
            table[rate] = ratio(sums[numerator], sums[denominator])
        table[f"{rate}_pct"] = percent_half_up(table[rate])
    return (
        pd.concat([table, _per_100k_averages(peers, method)], axis=1).reset_index().assign(peer_method=method)
    )


def _per_100k_averages(peers: pd.DataFrame, method: str) -> pd.DataFrame:
    """Over the type's authorities with a population only: 'mean' of their figures (0 upheld counts as
    0.0), or 'pooled' sum of their counts over sum of their residents; null when none has one."""
    counted = peers["residents"].notna()
    counts = list(dict.fromkeys(PER_100K_PARTS.values()))
    parts = peers.assign(
        **{count: peers[count].where(counted, 0) for count in counts},
        residents=peers["residents"].fillna(0).astype("int64"),
    ).groupby(["year", "authority_type"], sort=True)
    sums = parts[[*counts, "residents"]].sum()
    columns: dict[str, pd.Series] = {}
    for figure, count in PER_100K_PARTS.items():
        pooled = method == "pooled"
        average = per_100k(sums[count], sums["residents"]) if pooled else parts[figure].mean()
        columns |= {
            f"{figure}_authorities": parts[figure].count(),
            f"{figure}_numerator": sums[count],
            f"{figure}_denominator": sums["residents"],
            figure: average,
            f"{figure}_display": one_decimal_half_up(average),
        }
    return pd.DataFrame(columns)


def with_peer_averages(figures: pd.DataFrame, averages: pd.DataFrame, method: str) -> pd.DataFrame:
    """Each authority's figures beside its type's averages (null for types with no peer group)."""
    shown = [c for rate in RATE_PARTS for c in (rate, f"{rate}_pct")]
    shown += [c for figure in PER_100K_PARTS for c in (figure, f"{figure}_display")]
    beside = averages[["year", "authority_type"]].assign(**{f"peer_{c}": averages[c] for c in shown})
    merged = figures.merge(beside, on=["year", "authority_type"], how="left", validate="many_to_one")
    return merged.assign(peer_method=method)
