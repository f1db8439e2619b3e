"""Fixtures for the letter tests."""

from __future__ import annotations

import pytest

from annual_review.letters import LetterContent, load_content

from .rows import YEAR


@pytest.fixture(scope="session")
def content() -> LetterContent:
    """The shipped 2019-20 content, loaded once."""
    return load_content(YEAR)
