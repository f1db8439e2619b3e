"""Synthetic exports at each scale, generated once and kept under bench/.cache/ between runs."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

from annual_review import synthetic
from annual_review.synthetic import generate_exports
from annual_review.years import BusinessYear

CACHE = Path(__file__).resolve().parent / ".cache"
YEAR = BusinessYear.parse("2019-20")
SEED = 0
MESSY = 0.002  # bad rows of every kind, under the 0.5 % that stops a run


def _stamp(scale: float) -> dict[str, object]:
    """What the exports depend on: a change to the generator makes them again."""
    package = Path(synthetic.__file__).parent
    source = b"".join(path.read_bytes() for path in sorted(package.glob("*.py")))
    return {
        "year": YEAR.label,
        "scale": scale,
        "seed": SEED,
        "messy": MESSY,
        "generator": hashlib.sha256(source).hexdigest(),
    }


def exports(scale: float) -> Path:
    """The folder of CSV exports at `scale`, generating it when missing or stale."""
    folder = CACHE / "exports" / f"{YEAR.label}-scale{scale:g}"
    stamp = folder / "stamp.json"
    wanted = _stamp(scale)
    if stamp.is_file() and json.loads(stamp.read_text()) == wanted:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    tmp = folder.with_name(folder.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    generate_exports(YEAR, tmp, scale=scale, seed=SEED, fmt="csv", messy=MESSY)
    (tmp / "stamp.json").write_text(json.dumps(wanted, indent=1) + "\n")
    tmp.rename(folder)
    return folder
