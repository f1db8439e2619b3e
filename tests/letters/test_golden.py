"""The letter for the reference council, as text: against a golden file and the original."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from annual_review.letters import LetterContent

from .rows import northampton, render
from .text import html_to_text

GOLDEN = Path(__file__).parent / "golden" / "E07000154-2019-20.txt"
REFERENCE = Path(__file__).parents[3] / "shared" / "reference" / "annual-review-letter-2020.txt"
SIGNATORY_LAST_LINE = "Chair, Commission for Local Administration in England"


@pytest.fixture(scope="module")
def letter_text(content: LetterContent) -> str:
    return html_to_text(render(northampton(), content))


@pytest.fixture(scope="module")
def reference() -> str:
    if not REFERENCE.is_file():
        pytest.skip(f"reference letter not found at {REFERENCE}")
    return REFERENCE.read_text(encoding="utf-8")


def test_letter_text_matches_golden_file(letter_text: str) -> None:
    """UPDATE_GOLDEN=1 rewrites the golden file after a deliberate change; then review the diff."""
    if os.environ.get("UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(letter_text, encoding="utf-8")
    assert letter_text == GOLDEN.read_text(encoding="utf-8")


def _lines(text: str) -> list[str]:
    """Reference lines as a reader sees them: no Markdown bold, no odd spaces, no blanks."""
    cleaned = (line.replace("**", "").replace("\u00a0", " ").strip() for line in text.splitlines())
    return [line for line in cleaned if line]


def _words(text: str) -> str:
    return " ".join(re.sub(r"\[([^\]]+)\]\(#\)", r"\1", text).split())


def test_panels_match_the_reference_letter_line_for_line(letter_text: str, reference: str) -> None:
    ours = letter_text.splitlines()
    theirs = _lines(reference)
    panels_from = theirs.index(SIGNATORY_LAST_LINE) + 1
    start = ours.index(SIGNATORY_LAST_LINE) + 1
    end = ours.index("Appendix: complaints and enquiries received and decisions made")
    assert ours[start:end] == theirs[panels_from:]


def test_letter_body_matches_the_reference_letter_word_for_word(letter_text: str, reference: str) -> None:
    """Everything up to the signatory; the reference's signature image description is not text."""
    theirs = [line for line in _lines(reference) if not line.startswith("A handwritten signature")]
    theirs = theirs[: theirs.index(SIGNATORY_LAST_LINE) + 1]
    ours = letter_text.splitlines()
    ours = ours[: ours.index(SIGNATORY_LAST_LINE) + 1]
    assert _words("\n".join(ours)) == _words("\n".join(theirs))
