"""Digests: what names a step's work folder and keys its cache (plain data and file contents only)."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

from templates import TEMPLATES_DIR, WEBSITE_DIR


def digest_of(*parts: object) -> str:
    """sha256 of plain data (JSON types and dates): what names a step's work folder and keys its cache."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=_iso_date).encode()).hexdigest()


def _iso_date(value: object) -> str:
    """Dates as ISO text; anything else is refused: its str() may hold an address or change with a library."""
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"digest_of takes plain data, not {type(value).__name__}: {value!r}")


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            sha.update(chunk)
    return sha.hexdigest()


def tree_digest(root: Path, pattern: str = "*", skip: Path | None = None) -> str:
    """One digest for the files under `root` matching `pattern`: editing any one changes it.

    Python's bytecode caches are not sources: they come and go with the interpreter.
    """
    files = sorted(
        p
        for p in root.rglob(pattern)
        if p.is_file()
        and "__pycache__" not in p.relative_to(root).parts
        and not (skip and p.is_relative_to(skip))
    )
    return digest_of([(p.relative_to(root).as_posix(), file_sha256(p)) for p in files])


def letter_sources_digest(content_dir: Path | None) -> str:
    """Templates and per-year content: an editor's change to either must re-render the letters."""
    letters = tree_digest(TEMPLATES_DIR, skip=WEBSITE_DIR)  # the website is not part of a letter
    return digest_of(letters, tree_digest(content_dir) if content_dir else None)
