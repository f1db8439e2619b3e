"""The reference council's letter as text against a golden file, and the golden file against its sources.

Where each part of golden/E07000154-2019-20.txt comes from (none of it from the code's own say-so):
- lines 1-42, the letter up to the signatory and its three statistics panels: the real letter the ombudsman
  sent Northampton Borough Council on 22 July 2020 (reference/annual-review-letter-2020.txt, a copy of
  ../shared/reference/'s, kept here so that a fresh clone runs this test), word for word; the reference only
  breaks one paragraph at a page break and describes its signature image;
- lines 43-66, the appendix: not in the reference letter. Its counts are the hand-built fixture row
  (rows.RECEIVED, rows.DECIDED; the totals are their sums), its upheld and not upheld decisions agree with the
  reference panels (7 upheld of 11 detailed investigations), and its closing note restates the definition
  in ../shared/reference/domain-facts.md ("Detailed investigations = Upheld + Not upheld").
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from annual_review.letters import LetterContent
from transforms.vocab import CATEGORIES, DECISIONS

from .rows import DECIDED, RECEIVED, northampton, render
from .text import html_to_text

GOLDEN = Path(__file__).parent / "golden" / "E07000154-2019-20.txt"
REFERENCE = Path(__file__).parent / "reference" / "annual-review-letter-2020.txt"
SIGNATORY_LAST_LINE = "Chair, Commission for Local Administration in England"
APPENDIX = "Appendix: complaints and enquiries received and decisions made"


@pytest.fixture(scope="module")
def letter_text(content: LetterContent) -> str:
    return html_to_text(render(northampton(), content))


@pytest.fixture(scope="module")
def golden() -> list[str]:
    return GOLDEN.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def reference() -> list[str]:
    """The reference letter's lines as a reader sees them: no Markdown bold or links, no blanks."""
    text = re.sub(r"\[([^\]]+)\]\(#\)", r"\1", REFERENCE.read_text(encoding="utf-8"))
    cleaned = (line.replace("**", "").replace("\u00a0", " ").strip() for line in text.splitlines())
    return [line for line in cleaned if line and not line.startswith("A handwritten signature")]


def test_letter_text_matches_golden_file(letter_text: str) -> None:
    """UPDATE_GOLDEN=1 rewrites the golden file and fails: review the diff, then run the tests again."""
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.write_text(letter_text, encoding="utf-8")
        pytest.fail(f"rewrote {GOLDEN.name}: review `git diff` on it, then run again without UPDATE_GOLDEN")
    assert letter_text == GOLDEN.read_text(encoding="utf-8")


def _words(lines: list[str]) -> str:
    return " ".join(" ".join(lines).split())


@pytest.mark.parametrize("source", ["golden file", "rendered letter"])
def test_body_is_the_reference_letter_word_for_word(
    source: str, golden: list[str], letter_text: str, reference: list[str]
) -> None:
    """Everything up to the signatory; the reference breaks one paragraph at a page break, hence words."""
    ours = golden if source == "golden file" else letter_text.splitlines()
    ours = ours[: ours.index(SIGNATORY_LAST_LINE) + 1]
    assert _words(ours) == _words(reference[: reference.index(SIGNATORY_LAST_LINE) + 1])


@pytest.mark.parametrize("source", ["golden file", "rendered letter"])
def test_panels_are_the_reference_letter_line_for_line(
    source: str, golden: list[str], letter_text: str, reference: list[str]
) -> None:
    ours = golden if source == "golden file" else letter_text.splitlines()
    panels = ours[ours.index(SIGNATORY_LAST_LINE) + 1 : ours.index(APPENDIX)]
    assert panels == reference[reference.index(SIGNATORY_LAST_LINE) + 1 :]


def _table(lines: list[str], header: str) -> list[tuple[str, int]]:
    """The rows of one appendix table, 'label | count', from its header line to its Total."""
    start = lines.index(header) + 1
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("Total | "))
    return [(label, int(count)) for label, count in (line.split(" | ") for line in lines[start : end + 1])]


def test_golden_appendix_holds_the_fixture_rows_counts(golden: list[str]) -> None:
    appendix = golden[golden.index(APPENDIX) :]
    assert appendix[1] == "Northampton Borough Council, 1 April 2019 to 31 March 2020"
    received = [*zip(CATEGORIES, RECEIVED.values(), strict=True), ("Total", sum(RECEIVED.values()))]
    decided = [*zip(DECISIONS, DECIDED.values(), strict=True), ("Total", sum(DECIDED.values()))]
    assert _table(appendix, "Category | Received") == received
    assert _table(appendix, "Decision | Decisions") == decided
    assert appendix[-1].startswith("Detailed investigations are the decisions upheld and not upheld.")


def test_golden_appendix_agrees_with_the_reference_panels(golden: list[str], reference: list[str]) -> None:
    """7 upheld decisions of 11 detailed investigations, as the reference letter's first panel says."""
    decided = dict(_table(golden[golden.index(APPENDIX) :], "Decision | Decisions"))
    panel = reference[reference.index("Complaints upheld", reference.index(SIGNATORY_LAST_LINE)) :]
    upheld = int(panel[panel.index("upheld decisions") - 1])
    investigations = int(re.findall(r"a total of (\d+) detailed investigations", " ".join(panel))[0])
    assert (decided["Upheld"], decided["Upheld"] + decided["Not upheld"]) == (upheld, investigations)
