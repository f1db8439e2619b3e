"""The render step renders again only the letters whose HTML changed: after a one-row correction of a
council, its letter and those of its type (whose average moved), not the year's."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from annual_review import steps
from tests.helpers.exports import DAVENTRY, FIRE, NORTHAMPTON, write_exports

from .test_extract import YEAR, extract_all


def render(exports: Path, work: Path) -> steps.Rendered:
    built = steps.build_tables(YEAR, "mean", ("pdf",), extract_all(exports, work), work)
    job = steps.RenderJob(
        built.authority_year, YEAR, ("pdf",), date(2020, 7, 22), date(2020, 7, 29), None, "content"
    )
    return steps.render_letter_files(job, workers=1, work=work)


def pdfs(rendered: steps.Rendered) -> dict[str, bytes]:
    return {Path(key).stem: (Path(rendered.folder) / key).read_bytes() for key in rendered.keys}


def test_a_correction_re_renders_the_council_and_its_type_only(tmp_path: Path) -> None:
    exports, work = write_exports(tmp_path / "in"), tmp_path / "work"
    first = render(exports, work)
    assert (first.pdfs_rendered, first.pdfs_reused) == (3, 0)
    assert set(pdfs(first)) == {NORTHAMPTON, DAVENTRY, FIRE}

    unchanged = render(exports, work)
    assert (unchanged.pdfs_rendered, unchanged.pdfs_reused) == (0, 3)
    assert pdfs(unchanged) == pdfs(first)

    decisions = exports / "decisions.csv"  # one of Daventry's decisions corrected: Not upheld → Upheld
    text = decisions.read_text()
    assert text.count(f"{DAVENTRY},Planning and development,12/01/2020,Not upheld") == 1
    decisions.write_text(text.replace("12/01/2020,Not upheld", "12/01/2020,Upheld"))
    corrected = render(exports, work)
    # Daventry's figures and the District Council average changed (Northampton's letter quotes it)
    assert (corrected.pdfs_rendered, corrected.pdfs_reused) == (2, 1)
    before, after = pdfs(first), pdfs(corrected)
    assert after[FIRE] == before[FIRE]
    assert after[DAVENTRY] != before[DAVENTRY] and after[NORTHAMPTON] != before[NORTHAMPTON]


def test_a_render_killed_halfway_resumes_from_the_letters_it_finished(tmp_path: Path) -> None:
    """Each chunk of PDFs is kept as it completes: here, a cache holding two letters of three."""
    exports, work = write_exports(tmp_path / "in"), tmp_path / "work"
    render(exports, work)
    cached = sorted((work / "letters" / "pdf").rglob("*.pdf"))
    assert len(cached) == 3
    cached[0].unlink()  # as if the process died before its last chunk
    resumed = render(exports, work)
    assert (resumed.pdfs_rendered, resumed.pdfs_reused) == (1, 2)
