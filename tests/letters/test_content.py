"""Per-year content: the year's folder or default/, logged; bad content named clearly."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from annual_review.letters import LetterContentError, load_content
from annual_review.letters.content import shipped_content_dir
from annual_review.years import BusinessYear

from .editions import recent, render_recent
from .text import html_to_text


def copy_shipped(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(str(shipped_content_dir()), root)
    return root


def test_the_year_folder_is_used_and_logged(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="annual_review.letters.content"):
        content = load_content(BusinessYear(2019))
    assert content.source.endswith("/2019-20")
    assert "2019-20 use content folder 2019-20" in caplog.text
    assert content.ombudsman_name == "Michael King"
    assert "{{ release_date }}" in content.narrative


def test_default_is_used_for_a_year_without_a_folder(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="annual_review.letters.content"):
        content = load_content(BusinessYear(2030))
    assert content.source.endswith("/default")
    assert "2030-31 use content folder default" in caplog.text


def test_a_content_dir_overrides_the_shipped_one(tmp_path: Path) -> None:
    root = copy_shipped(tmp_path)
    toml = root / "2019-20" / "letter.toml"
    toml.write_text(toml.read_text().replace("Michael King", "Amerdeep Somal"))
    (root / "2019-20" / "signature.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    toml.write_text(toml.read_text().replace('image = ""', 'image = "signature.svg"'))
    content = load_content(BusinessYear(2019), root)
    assert content.ombudsman_name == "Amerdeep Somal"
    assert content.signature_src.startswith("data:image/svg+xml;base64,")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.replace("[letter]", "[leter]"), r"missing section \[letter\]"),
        (
            lambda s: s.replace('narrative = "narrative.md"', 'narrative = "missing.md"'),
            "narrative file 'missing.md' not found",
        ),
        (lambda s: s.replace("titles = [", "titles = 3\nx = ["), "titles must be a list"),
        (lambda s: s + "\n[broken", "letter.toml"),
        (lambda s: s.replace('image = ""', 'image = "nope.gif"'), "signature image 'nope.gif'"),
    ],
)
def test_bad_content_is_named(tmp_path: Path, change: Callable[[str], str], message: str) -> None:
    root = copy_shipped(tmp_path)
    toml = root / "2019-20" / "letter.toml"
    toml.write_text(change(toml.read_text()))
    with pytest.raises(LetterContentError, match=message):
        load_content(BusinessYear(2019), root)


@pytest.mark.parametrize("key", ["image", "narrative"])
@pytest.mark.parametrize("where", ["../secret.svg", "{outside}/secret.svg", "link.svg"])
def test_content_reads_no_file_outside_its_folder(tmp_path: Path, key: str, where: str) -> None:
    """The signature and the narrative come from the content folder only: no `..`, absolute path or link."""
    root = copy_shipped(tmp_path)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "secret.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'><!-- secret --></svg>")
    (root / "2019-20" / "link.svg").symlink_to(outside / "secret.svg")
    (root / "secret.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    name = where.format(outside=outside)
    toml = root / "2019-20" / "letter.toml"
    old = 'image = ""' if key == "image" else 'narrative = "narrative.md"'
    toml.write_text(toml.read_text().replace(old, f'{key} = "{name}"'))
    with pytest.raises(LetterContentError, match=f"'{name}' must be a file inside {root / '2019-20'}"):
        load_content(BusinessYear(2019), root)


def test_no_folder_at_all_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(LetterContentError, match="no 2019-20/ or default/"):
        load_content(BusinessYear(2019), tmp_path)


def test_a_year_without_its_own_folder_is_signed_by_the_office_not_a_person() -> None:
    """The default once signed every later year "Michael King", the 2019-20 signatory."""
    html = render_recent(recent())
    text = html_to_text(html)
    assert "Michael King" not in text
    assert "Yours sincerely,\nLocal Government and Social Care Ombudsman\n" in text
    assert "signature" not in html.split("<body>")[1].replace("signature-block", "")  # no image, no gap
