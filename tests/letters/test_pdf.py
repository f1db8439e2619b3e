"""PDF letters: A4, the panel sentences in the text layer, the same bytes in any run or thread."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from annual_review.letters import render_letters
from annual_review.letters.pdf import render_pdfs

from .rows import LETTER_DATE, RELEASE_DATE, YEAR, frame, northampton

PANEL_SENTENCES = [
    "64% of complaints we investigated were upheld.",
    "This compares to an average of 45% in similar authorities.",
    "7 upheld decisions",
    "Statistics are based on a total of 11 detailed investigations for the period between"
    " 1 April 2019 to 31 March 2020",
    "In 100% of cases we were satisfied the authority had successfully implemented our recommendations.",
    "This compares to an average of 99% in similar authorities.",
    "Statistics are based on a total of 5 compliance outcomes for the period between"
    " 1 April 2019 to 31 March 2020",
    "In 14% of upheld cases we found the authority had provided a satisfactory remedy before the"
    " complaint reached the Ombudsman.",
    "This compares to an average of 20% in similar authorities.",
    "1 satisfactory remedy decision",
    "Annual Review letter 2020",
    "Dear Mr Candler",
]
A4_POINTS = (595.28, 841.89)


POOL_PROGRESS: list[tuple[int, int]] = []


@pytest.fixture(scope="module")
def pdfs() -> tuple[dict[str, bytes], dict[str, bytes]]:
    """The same two letters rendered in this thread and again across two PDF threads."""
    authority_year = frame(
        northampton(),
        northampton(authority_code="E06000043", authority_name="Brighton & Hove City Council"),
    )
    kwargs = {"letter_date": LETTER_DATE, "release_date": RELEASE_DATE, "formats": ("pdf",)}
    here = render_letters(authority_year, YEAR, workers=1, **kwargs)  # type: ignore[arg-type]
    pool = render_letters(
        authority_year,
        YEAR,
        workers=2,
        progress=lambda done, total: POOL_PROGRESS.append((done, total)),
        **kwargs,  # type: ignore[arg-type]
    )
    return here, pool


def test_pdfs_are_byte_identical_across_runs_and_threads(
    pdfs: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    here, pool = pdfs
    assert list(here) == ["letters/E06000043.pdf", "letters/E07000154.pdf"]
    assert here == pool


def test_the_pool_reports_progress_here_as_its_chunks_come_back(
    pdfs: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    assert POOL_PROGRESS == [(1, 2), (2, 2)]  # two letters in two chunks, one per thread


def test_progress_comes_per_chunk_not_per_letter(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nine letters in one process: four chunks (CHUNKS_PER_WORKER), four reports, the last 9 of 9."""
    # the chunking, not WeasyPrint
    monkeypatch.setattr("annual_review.letters.pdf.html_to_pdf", lambda html: html.encode())
    heard: list[tuple[int, int]] = []
    htmls = {f"letters/E0{i}.pdf": f"<p>{i}</p>" for i in range(9)}
    out = render_pdfs(htmls, LETTER_DATE, workers=1, progress=lambda *seen: heard.append(seen))
    assert out == {key: html.encode() for key, html in sorted(htmls.items())}
    assert heard == [(3, 9), (5, 9), (7, 9), (9, 9)]


def test_one_worker_per_cpu_this_process_may_use() -> None:
    """`taskset`, a container's cpuset: os.cpu_count() counts the machine's CPUs, not those we may use."""
    pinned = (
        "import os; from annual_review.letters.pdf import worker_count; "
        "os.sched_setaffinity(0, {min(os.sched_getaffinity(0))}); print(worker_count(0))"
    )
    done = subprocess.run([sys.executable, "-c", pinned], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "1"


def poppler(tool: str, *args: str, pdf: bytes, folder: Path) -> str:
    """Run a poppler tool on PDF bytes, or skip the test where poppler-utils is not installed."""
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} not installed (apt-get install poppler-utils)")
    path = folder / "letter.pdf"
    path.write_bytes(pdf)
    to_stdout = ["-"] if tool == "pdftotext" else []
    done = subprocess.run([tool, *args, str(path), *to_stdout], capture_output=True, check=True, text=True)
    return done.stdout


def test_every_page_is_a4(pdfs: tuple[dict[str, bytes], dict[str, bytes]], tmp_path: Path) -> None:
    pdf = pdfs[0]["letters/E07000154.pdf"]
    info = poppler("pdfinfo", "-f", "1", "-l", "99", pdf=pdf, folder=tmp_path)
    sizes = re.findall(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)
    assert len(sizes) == 4
    for width, height in sizes:
        assert (round(float(width), 2), round(float(height), 2)) == A4_POINTS


def test_pdf_text_layer_carries_the_panel_sentences(
    pdfs: tuple[dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> None:
    pdf = pdfs[0]["letters/E07000154.pdf"]
    words = " ".join(poppler("pdftotext", "-enc", "UTF-8", pdf=pdf, folder=tmp_path).split())
    for sentence in PANEL_SENTENCES:
        assert sentence in words
    assert "Page 1 of 4" in words


def test_pdf_text_layer_has_names_unescaped(
    pdfs: tuple[dict[str, bytes], dict[str, bytes]], tmp_path: Path
) -> None:
    pdf = pdfs[0]["letters/E06000043.pdf"]
    words = " ".join(poppler("pdftotext", "-enc", "UTF-8", pdf=pdf, folder=tmp_path).split())
    assert "Northampton" not in words
    assert "Dear Mr Candler Annual Review letter 2020" in words
    assert "Brighton & Hove City Council" in words
