"""The website JSON of a year as build_tables makes it, from the hand-counted transform frames."""

from __future__ import annotations

import pandas as pd

from annual_review.outputs.website import website_json
from annual_review.years import BusinessYear
from transforms.figures import authority_figures
from transforms.peers import peer_averages, with_peer_averages
from transforms.previous import with_previous_year

from ..transforms import per_100k_frames as per_100k
from ..transforms.frames import AUTHORITIES, COMPLIANCE, DECISIONS, RECEIVED

YEAR = BusinessYear.parse("2019-20")
RELEASE = {
    "year": "2018-19",
    "manifest": "2018-19/manifest.json",
    "manifest_sha256": "a" * 64,
    "released_at": "2019-07-29T08:30:00Z",
}


def documents(
    figures: pd.DataFrame, released: pd.DataFrame | None = None, formats: tuple[str, ...] = ("html", "pdf")
) -> dict[str, bytes]:
    """The website JSON of a year as build_tables makes it, the previous year released or not."""
    averages = peer_averages(figures, "mean")
    authority_year = with_previous_year(with_peer_averages(figures, averages, "mean"), released, "2018-19")
    previous = {"year": "2018-19", "release": RELEASE if released is not None else None}
    return website_json(authority_year, averages, YEAR, "mean", formats, previous)


FIGURES = authority_figures(AUTHORITIES, RECEIVED, DECISIONS, COMPLIANCE)
FILES = documents(FIGURES)
PER_100K = per_100k.figures()
