"""The steps' work files: each step writes under a folder of the year's work folder named by a digest."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from annual_review.errors import PipelineError, naming_full_disk


def make_work_folder(folder: Path) -> Path:
    """The year's work folder, made: one line if ANNUAL_REVIEW_WORK_DIR cannot hold it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as error:
        where = f" ({error.filename})" if error.filename and error.filename != str(folder) else ""
        problem = f"{error.strerror or error}{where}"
        raise PipelineError(
            f"work folder {folder} cannot be used: {problem}; check ANNUAL_REVIEW_WORK_DIR"
        ) from None
    return folder.resolve()


def write_files(folder: Path, files: Mapping[str, bytes]) -> Path:
    """Write `files` (relative key → bytes) under `folder`, replacing what an earlier try left."""
    for key, data in files.items():
        path = folder / key
        with naming_full_disk(path):
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
    return folder


def read_files(folder: str, keys: Iterable[str]) -> dict[str, bytes]:
    return {key: (Path(folder) / key).read_bytes() for key in keys}


def read_table(path: str, columns: list[str] | None = None) -> pd.DataFrame:
    frame: pd.DataFrame = pq.read_table(path, columns=columns).to_pandas()
    return frame


def all_present(files: Iterable[str]) -> bool:
    """Whether a cached step's work files are still there (var/work may have been cleaned away)."""
    return all(Path(file).is_file() for file in files)
