"""What the command prints of a run, from the values the run returns."""

from __future__ import annotations

import io

import pytest
from rich.console import Console

from flows import console
from flows.report import PopulationReport


@pytest.mark.parametrize(
    ("population", "previous", "lines"),
    [
        (
            PopulationReport(None, 3, ("E07000154", "E07000151", "E31000040")),
            {"year": "2018-19", "release": None},
            [
                "population: no population export, so upheld decisions per 100,000 residents are null",
                "previous year 2018-19: not released in this store, so no comparison with it",
            ],
        ),
        (
            PopulationReport("population.xlsx", 3, ("E07000151",)),
            {
                "year": "2018-19",
                "release": {"released_at": "2019-07-29T08:30:00Z", "manifest_sha256": "ab" * 32},
            },
            [
                "population: population.xlsx; 1 authority without one: E07000151",
                "previous year 2018-19: as released at 2019-07-29T08:30:00Z (manifest sha256 abababababab…)",
            ],
        ),
    ],
)
def test_the_run_summary_says_what_the_new_figures_rest_on(
    population: PopulationReport,
    previous: dict[str, object],
    lines: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    printed = Console(file=io.StringIO(), width=200)
    monkeypatch.setattr(console, "out", printed)
    console.print_sources(population, previous)
    assert printed.file.getvalue().splitlines() == lines  # type: ignore[attr-defined]
