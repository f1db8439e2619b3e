"""Peer averages: how similar authorities did, by the five peer-group types only."""

from __future__ import annotations

import pandas as pd

from transforms.display import percent_half_up
from transforms.figures import RATE_PARTS, ratio
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
    return table.reset_index().assign(peer_method=method)


def with_peer_averages(figures: pd.DataFrame, averages: pd.DataFrame, method: str) -> pd.DataFrame:
    """Each authority's figures beside its type's averages (null for types with no peer group)."""
    beside = averages[["year", "authority_type"]].assign(
        **{f"peer_{c}": averages[c] for rate in RATE_PARTS for c in (rate, f"{rate}_pct")}
    )
    merged = figures.merge(beside, on=["year", "authority_type"], how="left", validate="many_to_one")
    return merged.assign(peer_method=method)
