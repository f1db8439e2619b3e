"""Which authority types are taken for a slip of a peer type's spelling."""

from __future__ import annotations

import pytest

from transforms.vocab import near_peer_type


@pytest.mark.parametrize(
    ("value", "nearest"),
    [
        ("Metropolitan Borough Council", "Metropolitan Borough"),
        ("London Borough Council", "London Borough"),
        ("Non-metropolitan District Council", "District Council"),
        ("Distrct Council", "District Council"),
        ("Londn Borough", "London Borough"),
        ("District", "District Council"),
        ("Fire and rescue authority", None),
        ("National park authority", None),
        ("Combined authority", None),
        ("Parish council", None),
        ("City council", None),
        ("Metropolitan County", None),
        ("district council", None),  # a peer type in another case: matched, not a near miss
        ("", None),
    ],
)
def test_a_near_miss_names_the_peer_type_it_misses(value: str, nearest: str | None) -> None:
    assert near_peer_type(value) == nearest
