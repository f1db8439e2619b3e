"""The reference website's files, as a release stages them: keys under site/, released to public/site/."""

from __future__ import annotations

from pathlib import Path

from annual_review.years import BusinessYear
from templates import WEBSITE_DIR

SITE = "site/"


def public_key(year: BusinessYear, key: str) -> str:
    """Where a staged file is released, relative to public/: the site is shared by every year."""
    return key if key.startswith(SITE) else f"{year.label}/{key}"


def site_files(root: Path = WEBSITE_DIR) -> dict[str, bytes]:
    """Every file of the site (static: no server code), keyed as staged: site/index.html, ..."""
    return {
        SITE + path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
