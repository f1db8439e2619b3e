"""The render step: a year's authority_year rows in, letter files keyed for the store out."""

from __future__ import annotations

import logging
from collections.abc import Collection
from datetime import date
from pathlib import Path
from typing import Any, cast

import pandas as pd
from jinja2 import TemplateError

from annual_review.layout import LETTER_FORMATS, letter_key
from annual_review.letters.content import LetterContent, LetterContentError, load_content
from annual_review.letters.context import letter_context
from annual_review.letters.html import render_letter_html
from annual_review.letters.pdf import PdfCache, Progress, render_pdfs
from annual_review.tables import AUTHORITY_YEAR
from annual_review.years import BusinessYear

log = logging.getLogger(__name__)


def _check(authority_year: pd.DataFrame, year: BusinessYear, formats: Collection[str]) -> None:
    unknown = sorted(set(formats) - set(LETTER_FORMATS))
    if unknown:
        raise ValueError(f"letter formats {unknown} unknown; choose from {list(LETTER_FORMATS)}")
    missing = [name for name in AUTHORITY_YEAR.names if name not in authority_year.columns]
    if missing:
        raise ValueError(f"authority_year lacks columns {missing}")
    other_years = sorted(set(authority_year["year"]) - {year.label})
    if other_years:
        raise ValueError(f"authority_year for {year.label} also holds rows of {other_years}")
    if authority_year["authority_code"].duplicated().any():
        raise ValueError("authority_year has more than one row for an authority")


def render_html_letters(
    authority_year: pd.DataFrame,
    year: BusinessYear,
    letter_date: date,
    release_date: date,
    content: LetterContent,
) -> dict[str, str]:
    """HTML for every authority with a letter due, by authority code (cheap: in-process)."""
    due = authority_year.loc[authority_year["has_letter"].astype(bool)]
    rows = cast("list[dict[str, Any]]", due.sort_values("authority_code").to_dict("records"))
    try:
        return {
            str(row["authority_code"]): render_letter_html(
                letter_context(row, year, letter_date, release_date, content)
            )
            for row in rows
        }
    except TemplateError as error:
        raise LetterContentError(f"letters for {year.label} ({content.source}): {error}") from error


def render_letters(
    authority_year: pd.DataFrame,
    year: BusinessYear,
    *,
    letter_date: date,
    release_date: date,
    formats: Collection[str] = LETTER_FORMATS,
    content_dir: Path | None = None,
    workers: int = 0,
    progress: Progress | None = None,
    pdf_cache: PdfCache | None = None,
) -> dict[str, bytes]:
    """Every letter due as {"letters/<code>.html"|".pdf": bytes}; same inputs, same bytes."""
    _check(authority_year, year, formats)
    content = load_content(year, content_dir)
    htmls = render_html_letters(authority_year, year, letter_date, release_date, content)
    letters: dict[str, bytes] = {}
    if "html" in formats:
        letters.update({letter_key(code, "html"): page.encode() for code, page in htmls.items()})
    if "pdf" in formats:
        pdfs = render_pdfs(htmls, letter_date, workers, progress, pdf_cache)
        letters.update({letter_key(code, "pdf"): pdf for code, pdf in pdfs.items()})
    log.info("rendered %d letters for %s as %s", len(htmls), year.label, sorted(formats))
    return dict(sorted(letters.items()))
