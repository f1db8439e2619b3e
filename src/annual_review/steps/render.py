"""The render step: the letters of a built year, in each format, as work files."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from annual_review.atomic import write_atomic
from annual_review.settings import Settings
from annual_review.steps.build import Built
from annual_review.steps.digests import digest_of, file_sha256, letter_sources_digest
from annual_review.steps.files import read_table, write_files
from annual_review.years import BusinessYear

if TYPE_CHECKING:
    from annual_review.letters.pdf import Progress  # the letters package imports Jinja2: only when rendering


@dataclass(frozen=True)
class RenderJob:
    """What the letters are made of, built once per run. Plain fields (text, dates), so that the render
    task's cache key is the same in every process; templates and content enter by their digest."""

    authority_year: str
    year: BusinessYear
    formats: tuple[str, ...]
    letter_date: date
    release_date: date
    content_dir: str | None
    content_digest: str


class FolderPdfCache:
    """The PDFs of earlier renders in the year's work folder, one file per pdf_key: after a correction
    only the letters whose HTML changed (the council's, its type's where the average moved) are rendered,
    and a render killed halfway starts again from the chunks it finished."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.reused = 0
        self.rendered = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.pdf"

    def get(self, key: str) -> bytes | None:
        try:
            data = self._path(key).read_bytes()
        except FileNotFoundError:
            return None
        self.reused += 1
        return data

    def put(self, pdfs: Mapping[str, bytes]) -> None:
        for key, data in pdfs.items():
            write_atomic(self._path(key), data)  # whole or not at all: a kill leaves no half PDF
        self.rendered += len(pdfs)


@dataclass(frozen=True)
class Rendered:
    folder: str
    keys: tuple[str, ...]
    pdfs_rendered: int = 0  # the PDFs this render made; the others were unchanged since an earlier one
    pdfs_reused: int = 0

    @property
    def files(self) -> tuple[str, ...]:
        return tuple(str(Path(self.folder) / key) for key in self.keys)

    def describe(self) -> str:
        pdfs = self.pdfs_rendered + self.pdfs_reused
        made = f" (PDF: {self.pdfs_rendered} rendered, {self.pdfs_reused} unchanged)" if pdfs else ""
        return f"{len(self.keys)} letter files{made}"


def render_job(built: Built, year: BusinessYear, formats: tuple[str, ...], settings: Settings) -> RenderJob:
    return RenderJob(
        authority_year=built.authority_year,
        year=year,
        formats=formats,
        letter_date=settings.letter_date(year),
        release_date=settings.release_time(year).date(),
        content_dir=str(settings.content_dir) if settings.content_dir else None,
        content_digest=letter_sources_digest(settings.content_dir),
    )


def render_letter_files(
    job: RenderJob, workers: int, work: Path, progress: Progress | None = None
) -> Rendered:
    """One letter per authority with cases, in each format, under `work`; `progress` hears of the PDFs."""
    from annual_review.letters import render_letters

    cache = FolderPdfCache(work / "letters" / "pdf")
    files = render_letters(
        read_table(job.authority_year),
        job.year,
        letter_date=job.letter_date,
        release_date=job.release_date,
        formats=job.formats,
        content_dir=Path(job.content_dir) if job.content_dir else None,
        workers=workers,
        progress=progress,
        pdf_cache=cache,
    )
    digest = digest_of(
        file_sha256(Path(job.authority_year)),
        job.formats,
        job.letter_date,
        job.release_date,
        job.content_digest,
    )
    folder = write_files(work / "letters" / digest[:16], files)
    return Rendered(str(folder), tuple(sorted(files)), cache.rendered, cache.reused)
