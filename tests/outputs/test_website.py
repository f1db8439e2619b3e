"""Website JSON: valid against the shipped JSON Schemas, and the same figures the letters print."""

from __future__ import annotations

import json

import pytest

from annual_review.outputs.json_schemas import check_website_json
from transforms.figures import authority_figures

from ..transforms import per_100k_frames as per_100k
from ..transforms.frames import AUTHORITIES, COMPLIANCE, DECISIONS, FIRE, RECEIVED, A, C
from .documents import FIGURES, FILES, PER_100K, RELEASE, documents

# last year as released: the same authorities, their figures a little different (fewer decisions of B)
RELEASED = authority_figures(
    AUTHORITIES.assign(year="2018-19"), RECEIVED, DECISIONS.iloc[:-5], COMPLIANCE
).iloc[:-1]  # and LONDON not in it


def load(files: dict[str, bytes], key: str) -> dict:
    return json.loads(files[key])


@pytest.mark.parametrize(
    "files",
    [
        pytest.param(FILES, id="no-population-no-previous"),
        pytest.param(documents(PER_100K), id="population"),
        pytest.param(documents(FIGURES, RELEASED), id="previous-year"),
        pytest.param(documents(FIGURES, formats=()), id="no-letters"),
    ],
)
def test_every_document_is_valid_against_its_schema(files: dict[str, bytes]) -> None:
    assert {"json/index.json", "json/peer_averages.json"} < set(files)
    check_website_json(files)  # every json/ file through its schema; raises on the first breach


def test_rate_carries_unrounded_and_displayed() -> None:
    northampton = load(FILES, f"json/authorities/{A}.json")["authority"]
    assert northampton["uphold_rate"] == {
        "rate": 7 / 11,
        "percent": 64,
        "numerator": 7,
        "denominator": 11,
        "peer_average": {"rate": pytest.approx((7 / 11 + 1 / 4) / 2), "percent": 44},
    }
    assert northampton["letter"] == {"html": f"letters/{A}.html", "pdf": f"letters/{A}.pdf"}


def test_nulls_and_no_peer_group() -> None:
    assert load(FILES, f"json/authorities/{C}.json")["authority"]["uphold_rate"]["rate"] is None
    assert load(FILES, f"json/authorities/{FIRE}.json")["authority"]["uphold_rate"]["peer_average"] is None


def test_index_lists_every_authority_of_the_year() -> None:
    index = load(FILES, "json/index.json")
    assert [a["authority_code"] for a in index["authorities"]] == AUTHORITIES["authority_code"].tolist()
    assert (index["year"], index["peer_method"]) == ("2019-20", "mean")


def test_no_letter_links_when_no_letters_were_rendered() -> None:
    index = load(documents(FIGURES, formats=()), "json/index.json")
    assert all(a["letter"] is None for a in index["authorities"])


def test_upheld_per_100k_as_the_contract_shows_it() -> None:
    """17 upheld over 350,000 residents beside the district average (mean of 4.857…, 0.0 and 4.85)."""
    authority = load(documents(PER_100K), f"json/authorities/{per_100k.A}.json")["authority"]
    assert authority["upheld_per_100k"] == {
        "rate": pytest.approx(4.857142857142857),
        "display": "4.9",
        "upheld": 17,
        "residents": 350_000,
        "source": "ONS mid-2022",
        "peer_average": {"rate": pytest.approx((17e5 / 350_000 + 4.85) / 3), "display": "3.2"},
    }


def test_upheld_per_100k_null_without_a_population_and_no_average_without_a_peer_group() -> None:
    files = documents(PER_100K)
    assert load(files, f"json/authorities/{per_100k.C}.json")["authority"]["upheld_per_100k"] is None
    fire = load(files, f"json/authorities/{per_100k.FIRE}.json")["authority"]["upheld_per_100k"]
    assert (fire["display"], fire["peer_average"]) == ("0.3", None)
    assert all(a["upheld_per_100k"] is None for a in load(FILES, "json/index.json")["authorities"])


def test_peer_averages_carry_the_per_100k_average_and_its_parts() -> None:
    groups = {g["authority_type"]: g for g in load(documents(PER_100K), "json/peer_averages.json")["groups"]}
    assert groups["District Council"]["upheld_per_100k"] == {
        "rate": pytest.approx(3.2357142857142858),
        "display": "3.2",
        "authorities_with_population": 3,
        "upheld": 114,
        "residents": 2_450_000,
    }
    assert groups["London Borough"]["upheld_per_100k"]["rate"] is None


def test_decisions_by_group_add_up_to_decisions_made() -> None:
    for authority in load(FILES, "json/index.json")["authorities"]:
        assert sum(authority["decisions_by_group"].values()) == authority["decisions_made"]
    northampton = load(FILES, f"json/authorities/{A}.json")["authority"]["decisions_by_group"]
    assert northampton == {"Not for us": 2, "Assessed and closed": 3, "Investigated": 11}


def test_previous_year_as_released() -> None:
    files = documents(FIGURES, RELEASED)
    index = load(files, "json/index.json")
    assert index["previous_release"] == RELEASE
    by_code = {a["authority_code"]: a["previous_year"] for a in index["authorities"]}
    assert by_code[A] == {
        "year": "2018-19",
        "uphold_rate": {"rate": 7 / 11, "percent": 64},
        "compliance_rate": {"rate": 1.0, "percent": 100},
        "satisfactory_remedy_rate": {"rate": 1 / 7, "percent": 14},
        "upheld_per_100k": None,
        "decisions_made": 16,
        "decisions_by_group": {"Not for us": 2, "Assessed and closed": 3, "Investigated": 11},
    }
    assert by_code["E09000001"] is None  # the London borough was not in last year's release
    assert all(
        previous is None
        for previous in (a["previous_year"] for a in load(FILES, "json/index.json")["authorities"])
    )
    assert load(FILES, "json/index.json")["previous_release"] is None
