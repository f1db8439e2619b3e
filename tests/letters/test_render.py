"""render_letters: which letters, which formats, keys, and inputs left alone."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from annual_review.letters import LetterContentError, render_letters

from .rows import LETTER_DATE, RELEASE_DATE, YEAR, frame, northampton


def year_frame() -> pd.DataFrame:
    return frame(
        northampton(),
        northampton(
            authority_code="E06000043",
            authority_name="Brighton & Hove City Council",
            authority_type="Unitary Council",
        ),
        northampton(authority_code="E07000001", has_letter=False),
    )


def test_html_only_for_authorities_with_a_letter_due() -> None:
    authority_year = year_frame()
    before = authority_year.copy()
    letters = render_letters(
        authority_year, YEAR, letter_date=LETTER_DATE, release_date=RELEASE_DATE, formats=["html"]
    )
    assert list(letters) == ["letters/E06000043.html", "letters/E07000154.html"]
    assert "Brighton &amp; Hove City Council" in letters["letters/E06000043.html"].decode("utf-8")
    pd.testing.assert_frame_equal(authority_year, before)


def test_html_is_the_same_bytes_every_time() -> None:
    first = render_letters(
        year_frame(), YEAR, letter_date=LETTER_DATE, release_date=RELEASE_DATE, formats=("html",)
    )
    again = render_letters(
        year_frame(), YEAR, letter_date=LETTER_DATE, release_date=RELEASE_DATE, formats=("html",)
    )
    assert first == again


@pytest.mark.parametrize(
    ("authority_year", "formats", "message"),
    [
        (frame(northampton()), ("html", "docx"), "docx"),
        (frame(northampton()).drop(columns="upheld"), ("html",), "upheld"),
        (frame(northampton(), northampton(year="2020-21")), ("html",), "2020-21"),
        (frame(northampton(), northampton()), ("html",), "more than one row"),
    ],
)
def test_bad_calls_are_refused(authority_year: pd.DataFrame, formats: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_letters(
            authority_year, YEAR, letter_date=LETTER_DATE, release_date=RELEASE_DATE, formats=formats
        )


def test_a_narrative_typo_names_the_content_folder(tmp_path: Path) -> None:
    folder = tmp_path / "default"
    folder.mkdir()
    (folder / "narrative.md").write_text("Published on {{ relase_date }}.")
    (folder / "letter.toml").write_text(
        'narrative = "narrative.md"\n[ombudsman]\nname = "A"\ntitles = ["B"]\n'
        '[letter]\ndelivery = "By email"\nsign_off = "Yours"\n[signature]\nimage = ""\nalt = ""\n'
    )
    with pytest.raises(LetterContentError, match=r"default\).*relase_date"):
        render_letters(
            frame(northampton()),
            YEAR,
            letter_date=LETTER_DATE,
            release_date=RELEASE_DATE,
            formats=("html",),
            content_dir=tmp_path,
        )
