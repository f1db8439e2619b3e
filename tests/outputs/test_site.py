"""The site's files: all shippable, all local, and the charting library the lock file says it is."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from annual_review import steps
from annual_review.outputs.site import site_files
from annual_review.publish.documents import check_relative_key
from annual_review.publish.media import content_type_for
from annual_review.steps import digests
from templates import WEBSITE_DIR
from transforms.vocab import DECISION_GROUP_MEANINGS

PAGES = ("index.html", "council.html", "common.js", "index.js", "council.js", "site.css")
OWN = tuple(f"site/{name}" for name in PAGES)


def test_every_file_is_staged_under_site_with_a_content_type() -> None:
    files = site_files()
    assert set(OWN) <= set(files)
    for key in files:
        check_relative_key(key)
        content_type_for(key)


def test_the_pages_load_only_files_of_the_site() -> None:
    files = site_files()
    for page in ("site/index.html", "site/council.html"):
        html = files[page].decode()
        for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
            if ref.startswith("data:") or ref.endswith(".html") or ref == "#main":
                continue
            assert f"site/{ref}" in files, (page, ref)
    for key in OWN:
        assert "http" not in files[key].decode(), key  # every URL relative: the store, under any prefix


def test_the_vendored_library_is_the_locked_one() -> None:
    lock = json.loads((WEBSITE_DIR / "vendor" / "package-lock.json").read_text())["packages"]
    plot = (WEBSITE_DIR / "vendor" / "plot.umd.min.js").read_text().splitlines()[0]
    d3 = (WEBSITE_DIR / "vendor" / "d3.min.js").read_text().splitlines()[0]
    assert plot.startswith(f"// @observablehq/plot v{lock['node_modules/@observablehq/plot']['version']} ")
    assert d3.startswith(f"// https://d3js.org v{lock['node_modules/d3']['version']} ")


def test_editing_the_website_does_not_re_render_the_letters(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The letters' cache key (steps.letter_sources_digest) over a copy of templates/: the site not in it."""
    templates = tmp_path / "templates"
    (templates / "website").mkdir(parents=True)
    (templates / "letter.html.j2").write_text("letter")
    monkeypatch.setattr(digests, "TEMPLATES_DIR", templates)
    monkeypatch.setattr(digests, "WEBSITE_DIR", templates / "website")
    before = steps.letter_sources_digest(None)
    (templates / "website" / "site.css").write_text("body {}")
    assert steps.letter_sources_digest(None) == before
    (templates / "letter.html.j2").write_text("letter, edited")
    assert steps.letter_sources_digest(None) != before


def test_the_site_says_what_each_outcome_group_covers_in_the_letters_words() -> None:
    """The site once read "brought too early, to the wrong body, or incomplete"; the letter, otherwise."""
    script = site_files()["site/council.js"].decode()
    block = re.search(r"const GROUP_MEANING = \{[^\n]*\n(.*?)\n\};", script, re.DOTALL)
    assert block is not None
    meanings = dict(re.findall(r'^\s*"([^"]+)": "([^"]+)",$', block.group(1), re.MULTILINE))
    assert meanings == DECISION_GROUP_MEANINGS
