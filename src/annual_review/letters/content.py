"""Per-year letter content (narrative, ombudsman, signature), editable without touching Python."""

from __future__ import annotations

import base64
import logging
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from annual_review.errors import PipelineError
from annual_review.years import BusinessYear
from templates import CONTENT_DIR, EDITIONS

log = logging.getLogger(__name__)

DEFAULT_FOLDER = "default"
# The ombudsman's letters added the per-100k figure and the outcome groups from the 2023-24 year.
FIRST_2024_EDITION_YEAR = BusinessYear(2023)
_IMAGE_TYPES = {".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg"}


class LetterContentError(PipelineError):
    """A content file is missing, malformed, or its narrative does not render."""


@dataclass(frozen=True)
class LetterContent:
    """What a year's letters say beyond the figures; `source` names the folder for errors."""

    source: str
    edition: str
    ombudsman_name: str
    ombudsman_titles: tuple[str, ...]
    delivery: str
    sign_off: str
    signature_src: str
    signature_alt: str
    narrative: str


def shipped_content_dir() -> Path:
    """The content folder shipped beside the templates."""
    return CONTENT_DIR


def _text(table: dict[str, Any], key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str):
        raise LetterContentError(f"{where}: '{key}' must be text")
    return value


def _section(data: dict[str, Any], name: str, where: str) -> dict[str, Any]:
    table = data.get(name)
    if not isinstance(table, dict):
        raise LetterContentError(f"{where}: missing section [{name}]")
    return table


def _inside(folder: Path, name: str, where: str, what: str) -> Path:
    """A file the content names, only from its own folder: no `..`, absolute path or link out of it."""
    path = (folder / name).resolve()
    if not path.is_relative_to(folder.resolve()):
        raise LetterContentError(f"{where}: {what} {name!r} must be a file inside {folder}")
    return path


def _signature_src(folder: Path, image: str, where: str) -> str:
    """Embed the signature as a data URI so each HTML letter stands alone in the store."""
    if not image:
        return ""
    kind = _IMAGE_TYPES.get(Path(image).suffix.lower())
    picture = _inside(folder, image, where, "signature image")
    if kind is None or not picture.is_file():
        raise LetterContentError(f"{where}: signature image {image!r} is no SVG/PNG/JPG here")
    return f"data:{kind};base64,{base64.b64encode(picture.read_bytes()).decode('ascii')}"


def default_edition(year: BusinessYear) -> str:
    """The 2020 edition up to 2022-23, the 2024 edition from 2023-24 (when letter.toml names none)."""
    return "2024" if year >= FIRST_2024_EDITION_YEAR else "2020"


def _edition(data: dict[str, Any], year: BusinessYear, where: str) -> str:
    edition = str(data.get("edition", default_edition(year)))  # edition = 2024 or "2024"
    if edition not in EDITIONS:
        raise LetterContentError(
            f"{where}: edition must be one of {', '.join(map(repr, EDITIONS))}, not {edition!r}"
        )
    return edition


def read_content(folder: Path, source: str, year: BusinessYear) -> LetterContent:
    """Parse one content folder: letter.toml plus the narrative file it names."""
    where = f"{source}/letter.toml"
    toml = folder / "letter.toml"
    if not toml.is_file():
        raise LetterContentError(f"{where}: file not found")
    try:
        data = tomllib.loads(toml.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise LetterContentError(f"{where}: {error}") from error
    ombudsman = _section(data, "ombudsman", where)
    letter = _section(data, "letter", where)
    signature = _section(data, "signature", where)
    titles = ombudsman.get("titles")
    if not isinstance(titles, list) or not all(isinstance(t, str) for t in titles):
        raise LetterContentError(f"{where}: [ombudsman] titles must be a list of text lines")
    narrative_name = _text(data, "narrative", where)
    narrative = _inside(folder, narrative_name, where, "narrative file")
    if not narrative.is_file():
        raise LetterContentError(f"{where}: narrative file {narrative_name!r} not found")
    return LetterContent(
        source=source,
        edition=_edition(data, year, where),
        ombudsman_name=_text(ombudsman, "name", where),
        ombudsman_titles=tuple(titles),
        delivery=_text(letter, "delivery", where),
        sign_off=_text(letter, "sign_off", where),
        signature_src=_signature_src(folder, _text(signature, "image", where), where),
        signature_alt=_text(signature, "alt", where),
        narrative=narrative.read_text(encoding="utf-8"),
    )


def load_content(year: BusinessYear, content_dir: Path | None = None) -> LetterContent:
    """The year's own folder when there is one, else `default/`; logs which, since editors ask."""
    root: Path = shipped_content_dir() if content_dir is None else content_dir
    folder = root / year.label
    name = year.label
    if not folder.is_dir():
        folder, name = root / DEFAULT_FOLDER, DEFAULT_FOLDER
        if not folder.is_dir():
            raise LetterContentError(f"letter content: no {year.label}/ or default/ in {root}")
    content = read_content(folder, f"{root}/{name}", year)
    log.info("letters for %s use content folder %s (%s), %s edition", year.label, name, root, content.edition)
    return content
