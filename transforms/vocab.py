"""The closed vocabularies of the case system, and the column-name slugs derived from them."""

from __future__ import annotations

import difflib
import re
from typing import Literal, get_args

CATEGORIES: tuple[str, ...] = (
    "Adult care services",
    "Benefits and tax",
    "Corporate and other services",
    "Education and children's services",
    "Environmental services and public protection",
    "Highways and transport",
    "Housing",
    "Planning and development",
    "Other",
)

DECISIONS: tuple[str, ...] = (
    "Upheld",
    "Not upheld",
    "Closed after initial enquiries",
    "Advice given",
    "Incomplete/invalid",
    "Referred back for local resolution",
)
UPHELD = "Upheld"
NOT_UPHELD = "Not upheld"

# The outcome groups of today's council pages (contract section 7): every decision in exactly one.
DECISION_GROUPS: dict[str, tuple[str, ...]] = {
    "Not for us": ("Incomplete/invalid", "Advice given", "Referred back for local resolution"),
    "Assessed and closed": ("Closed after initial enquiries",),
    "Investigated": (UPHELD, NOT_UPHELD),
}
# What each group covers, in the readers' words: the one definition the letter's note and the site's
# "What it covers" column both print (tests/outputs/test_site.py holds council.js to these strings).
DECISION_GROUP_MEANINGS: dict[str, str] = {
    "Not for us": (
        "complaints referred back because the authority had not had the chance to deal with them first,"
        " incomplete or invalid complaints, and enquiries where we gave advice."
    ),
    "Assessed and closed": (
        "complaints we closed after initial enquiries, for example because the law did not allow us to"
        " investigate or an investigation would not have been a good use of public funds."
    ),
    "Investigated": "complaints we investigated in detail, whether we upheld them or not.",
}

OUTCOMES: tuple[str, ...] = ("Complied", "Complied late", "Not complied")
COMPLIED_OUTCOMES: tuple[str, ...] = ("Complied", "Complied late")

PEER_TYPES: tuple[str, ...] = (
    "County Council",
    "District Council",
    "Metropolitan Borough",
    "Unitary Council",
    "London Borough",
)

# A type this close to a peer type's spelling is taken for a slip, not a type of its own.
NEAR_MISS_RATIO = 0.88


def _words(value: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z]+", value.casefold()))


def near_peer_type(value: str) -> str | None:
    """The peer type a non-peer `value` is most likely a slip for ('Metropolitan Borough Council',
    'Distrct Council', 'District'), or None: an unrelated type ('Fire and rescue authority') is valid.

    A near miss holds all the words of a peer type and more, only some of its words, or nearly its
    spelling; when several peer types qualify, the closest spelling is named.
    """
    words = _words(value)
    if not words or any(words == _words(peer) for peer in PEER_TYPES):
        return None
    folded = " ".join(re.findall(r"[a-z]+", value.casefold()))

    def ratio(peer: str) -> float:
        return difflib.SequenceMatcher(None, folded, peer.casefold()).ratio()

    near = [
        peer
        for peer in PEER_TYPES
        if _words(peer) < words or words < _words(peer) or ratio(peer) >= NEAR_MISS_RATIO
    ]
    return max(near, key=ratio) if near else None


PeerMethod = Literal["mean", "pooled"]
PEER_METHODS: tuple[str, ...] = get_args(PeerMethod)

AUTHORITY_CODE_PATTERN = r"^[A-Z][0-9]{8}$"
YEAR_PATTERN = r"^[0-9]{4}-[0-9]{2}$"


def slug(value: str) -> str:
    """A column-name fragment: 'Education and children's services' -> 'education_and_childrens_services'."""
    return re.sub(r"[^a-z0-9]+", "_", value.lower().replace("'", "")).strip("_")


RECEIVED_BY_CATEGORY: tuple[str, ...] = tuple(f"received_{slug(c)}" for c in CATEGORIES)
DECIDED_BY_DECISION: tuple[str, ...] = tuple(f"decided_{slug(d)}" for d in DECISIONS)
DECIDED_BY_GROUP: tuple[str, ...] = tuple(slug(g) for g in DECISION_GROUPS)
