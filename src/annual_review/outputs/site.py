"""The reference website's files, as a release stages them: keys under site/, released to public/site/."""

from __future__ import annotations

from pathlib import Path

from annual_review.layout import SITE
from templates import WEBSITE_DIR


def site_files(root: Path = WEBSITE_DIR) -> dict[str, bytes]:
    """Every file of the site (static: no server code), keyed as staged: site/index.html, ..."""
    return {
        SITE + path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }
