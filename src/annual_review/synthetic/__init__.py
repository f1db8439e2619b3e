"""Synthetic case exports at realistic volume: run, test and time the pipeline without real data."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from annual_review.errors import PipelineError
from annual_review.synthetic.cases import case_frames
from annual_review.synthetic.columns import COLUMNS, DATE_COLUMN
from annual_review.synthetic.messy import MESSY_KINDS, spoil
from annual_review.synthetic.registry import build_authorities, build_population, valid_in
from annual_review.synthetic.xlsx import write_xlsx
from annual_review.years import BusinessYear

__all__ = [
    "COLUMNS",
    "DATE_COLUMN",
    "EXCEL_MAX_DATA_ROWS",
    "MESSY_KINDS",
    "TARGET_ROWS",
    "build_authorities",
    "build_population",
    "generate_exports",
    "valid_in",
]

TARGET_ROWS = {"received": 17_019, "decisions": 16_950, "compliance": 1_500}
EXCEL_MAX_DATA_ROWS = 1_048_575  # 1,048,576 rows a sheet, one of them the header


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
    cases = case_frames(valid_in(registry, year), year, sizes, seed)
    frames = {
        name: spoil(frame, name, year, messy, np.random.default_rng([seed, 9, i]))
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
            write_xlsx(ordered, out / f"{name}.xlsx", name)
    return {name: len(frame) for name, frame in frames.items()}
