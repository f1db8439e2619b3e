"""The PDF letter of every variant: the HTML letter's words and nothing else, tagged for screen readers,
fonts embedded, and no page less than half used but the last (poppler reads the PDFs)."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from annual_review.letters import LetterContent, letter_context, load_content, render_letter_html
from annual_review.letters.pdf import html_to_pdf
from annual_review.letters.typeset import TypesetError, typeset

from .editions import LAST_YEAR, POPULATION, RECENT, RECENT_DATES, recent
from .rows import LETTER_DATE, NO_INVESTIGATIONS, NO_PEER, RELEASE_DATE, YEAR, frame, northampton
from .text import html_to_text

FIRE = {**NO_PEER, "authority_code": "E31000040", "authority_name": "Royal Berkshire Fire & Rescue Authority"}
# the decisions' groups follow the decisions: none investigated
NO_INVESTIGATIONS_GROUPED = {
    **NO_INVESTIGATIONS,
    "investigated": 0,
    "upheld_per_100k": 0.0,
    "upheld_per_100k_display": "0.0",
}
NO_COMPLIANCE = {
    "compliance_outcomes": 0,
    "complied": 0,
    "compliance_rate": None,
    "compliance_rate_pct": None,
}
# Typst's markup and code characters in a name: they must print as written, never be read
AWKWARD_NAME = 'St. #Mary\'s * _Vale_ $1 // @x <y> [z] \\ "Q" Council'

# variant → (2019-20 row overrides or a 2024-25 one, the pages its PDF has)
VARIANTS: dict[str, tuple[str, dict[str, Any], int]] = {
    "reference-2020-edition": ("2019-20", {}, 4),
    "full-2024-edition": ("2024-25", {**POPULATION, **LAST_YEAR}, 4),
    "no-investigations": ("2024-25", {**POPULATION, **LAST_YEAR, **NO_INVESTIGATIONS_GROUPED}, 3),
    "no-compliance-outcomes": ("2024-25", {**POPULATION, **LAST_YEAR, **NO_COMPLIANCE}, 4),
    "no-population": ("2024-25", LAST_YEAR, 4),
    "fire-authority-no-peer-group": ("2024-25", {**LAST_YEAR, **FIRE}, 3),  # one bar a chart
    "new-this-year": ("2024-25", {**POPULATION, "previous_year": "2023-24"}, 4),
    "awkward-name-2020-edition": ("2019-20", {"authority_name": AWKWARD_NAME}, 4),
}


def variant_html(name: str) -> str:
    year_label, overrides, _ = VARIANTS[name]
    if year_label == "2019-20":
        row = frame(northampton(**overrides)).to_dict("records")[0]
        return render_letter_html(letter_context(row, YEAR, LETTER_DATE, RELEASE_DATE, load_content(YEAR)))
    content: LetterContent = load_content(RECENT)
    return render_letter_html(letter_context(recent(**overrides), RECENT, *RECENT_DATES, content))


@pytest.fixture(scope="module")
def letters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path]]:
    """Each variant's HTML and its PDF on disk, rendered once."""
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils not installed (apt-get install poppler-utils)")
    folder = tmp_path_factory.mktemp("pdf-variants")
    out = {}
    for name in VARIANTS:
        html = variant_html(name)
        path = folder / f"{name}.pdf"
        path.write_bytes(html_to_pdf(html))
        out[name] = (html, path)
    return out


def poppler(*command: str) -> str:
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def words(text: str) -> str:
    return " ".join(text.split())


def html_reading(html: str) -> str:
    """What the PDF's text layer should say: the HTML letter's text, with each chart's labels (drawn as
    text in the PDF, hidden from the HTML's text as the chart's own) where the chart stands."""

    def labels(match: re.Match[str]) -> str:
        return "<p>" + " ".join(re.findall(r"<text\b[^>]*>([^<]*)</text>", match.group(0))) + "</p>"

    text = html_to_text(re.sub(r"<svg\b.*?</svg>", labels, html, flags=re.DOTALL))
    text = re.sub(r"^- ", "\u2022 ", text, flags=re.MULTILINE)  # a list item's bullet, as drawn
    return words(text.replace(" | ", " "))  # html_to_text's mark between table cells


@pytest.mark.parametrize("name", VARIANTS)
def test_the_pdf_says_the_html_letters_words_and_nothing_else(
    name: str, letters: dict[str, tuple[str, Path]]
) -> None:
    html, pdf = letters[name]
    pages = VARIANTS[name][2]
    text = poppler("pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-")
    footers = re.findall(r"^Page (\d+) of (\d+)$", text, flags=re.MULTILINE)
    assert footers == [(str(page), str(pages)) for page in range(1, pages + 1)]
    body = re.sub(r"^Page \d+ of \d+$", "", text, flags=re.MULTILINE)
    assert words(body) == html_reading(html)


@pytest.mark.parametrize("name", VARIANTS)
def test_no_page_is_less_than_half_used_but_the_last(name: str, letters: dict[str, tuple[str, Path]]) -> None:
    _, pdf = letters[name]
    bbox = poppler("pdftotext", "-bbox", str(pdf), "-")
    used = []
    for page in re.findall(r"<page width=\"[\d.]+\" height=\"([\d.]+)\">(.*?)</page>", bbox, flags=re.DOTALL):
        height, content = float(page[0]), page[1]
        bottoms = [float(y) for y, word in re.findall(r'yMax="([\d.]+)">([^<]*)</word>', content)]
        body = [y for y in bottoms if y < height - 22 / 25.4 * 72]  # above the footer's margin
        used.append(max(body) / height)
    assert len(used) == VARIANTS[name][2]
    assert all(share >= 0.5 for share in used[:-1]), [f"{share:.0%}" for share in used]


def test_the_pdf_is_tagged_for_screen_readers(letters: dict[str, tuple[str, Path]]) -> None:
    """PDF/UA-1: marked, a structure tree with the letter's headings, lists and tables in reading order,
    each chart a figure with its text alternative, the document's language and title."""
    pdf = letters["full-2024-edition"][1]
    info = poppler("pdfinfo", str(pdf))
    assert re.search(r"^Tagged: +yes$", info, flags=re.MULTILINE)
    assert re.search(
        r"^Title: +Annual Review letter 2025: West Northamptonshire Council$", info, re.MULTILINE
    )
    structure = poppler("pdfinfo", "-struct-text", str(pdf))
    headings = re.findall(r"^ *(H[12]) \"([^\"]+)\"", structure, flags=re.MULTILINE)
    assert headings[0] == ("H1", "Annual Review letter 2025")
    h2 = [text for tag, text in headings if tag == "H2"]
    assert h2[-5:] == [
        "Complaints upheld",
        "Compliance with Ombudsman recommendations",
        "Satisfactory remedies provided by the authority",
        "Complaints dealt with",
        "Appendix: complaints and enquiries received and decisions made",
    ]
    assert structure.count("Figure") == 4  # the four charts
    assert structure.count("Table (block)") == 3 and "THead" in structure and "TH " in structure
    assert "LI (block)" in structure
    raw = pdf.read_bytes()
    alts = re.findall(rb"/Alt ?\(([^)]*)\)", raw)
    assert (
        b"Complaints upheld: chart West Northamptonshire Council: 64%. Average of similar authorities: 45%."
        in alts
    )
    assert len(alts) == 4
    assert re.search(rb"/Lang ?\(en-GB\)", raw)
    assert "en-GB" in poppler("pdfinfo", "-meta", str(pdf))


def test_fonts_are_embedded(letters: dict[str, tuple[str, Path]]) -> None:
    fonts = poppler("pdffonts", str(letters["full-2024-edition"][1])).splitlines()[2:]
    assert fonts, "no fonts listed"
    for line in fonts:
        name, *_, emb, sub, _uni, _obj, _gen = line.split()
        assert (emb, sub) == ("yes", "yes"), line
        assert "DejaVuSans" in name


def test_a_name_full_of_typst_characters_prints_as_written(letters: dict[str, tuple[str, Path]]) -> None:
    _, pdf = letters["awkward-name-2020-edition"]
    text = words(poppler("pdftotext", "-raw", "-enc", "UTF-8", str(pdf), "-"))
    assert words(AWKWARD_NAME) in text
    assert f"Statistics for {AWKWARD_NAME}" not in text  # the section's label is for the HTML only


def test_an_element_the_pdf_does_not_know_stops_the_letter() -> None:
    """A template change that adds an element the PDF would drop is an error naming it, not a gap."""
    html = (
        variant_html("reference-2020-edition")
        .replace("<h1>", "<figure><h1>")
        .replace("</h1>", "</h1></figure>")
    )
    with pytest.raises(TypesetError, match="<figure"):
        typeset(html)
