"""digest_of names the work folders and keys the cache: only data that hashes the same in every process."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from annual_review.steps import digest_of


def test_a_date_hashes_as_its_iso_text() -> None:
    """So the digests of the work folders written before stay the same."""
    assert digest_of("2019-20", date(2020, 7, 22)) == digest_of("2019-20", "2020-07-22")


@pytest.mark.parametrize("value", [object(), Path("var/work"), {1, 2}, b"bytes"])
def test_anything_else_that_is_not_json_is_refused(value: object) -> None:
    """str() of an object holds its address (a new digest every run); of a set, an order that varies."""
    with pytest.raises(TypeError, match="digest_of takes plain data"):
        digest_of("2019-20", value)
