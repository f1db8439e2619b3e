"""Website JSON: valid against the shipped JSON Schemas, and the same figures the letters print."""

import json
from importlib import resources

import jsonschema
import pytest

from annual_review.outputs.website import website_json
from annual_review.years import BusinessYear
from transforms.figures import authority_figures
from transforms.peers import peer_averages, with_peer_averages

from ..transforms.test_figures import AUTHORITIES, COMPLIANCE, DECISIONS, FIRE, RECEIVED, A, C

FIGURES = authority_figures(AUTHORITIES, RECEIVED, DECISIONS, COMPLIANCE)
AVERAGES = peer_averages(FIGURES, "mean")
FILES = website_json(
    with_peer_averages(FIGURES, AVERAGES, "mean"), AVERAGES, BusinessYear.parse("2019-20"), "mean"
)


def schema(name: str) -> dict:
    return json.loads((resources.files("annual_review") / "schemas" / f"{name}.schema.json").read_text())


def load(key: str) -> dict:
    return json.loads(FILES[key])


@pytest.mark.parametrize(
    ("key", "schema_name"),
    [
        ("json/index.json", "index"),
        ("json/peer_averages.json", "peer_averages"),
        *[(f"json/authorities/{code}.json", "authority") for code in AUTHORITIES["authority_code"]],
    ],
)
def test_valid_against_schema(key: str, schema_name: str) -> None:
    validator = jsonschema.Draft202012Validator(
        schema(schema_name), format_checker=jsonschema.FormatChecker()
    )
    validator.validate(load(key))


def test_schema_catches_a_wrong_document() -> None:
    document = load("json/index.json")
    document["authorities"][0]["uphold_rate"]["percent"] = "64%"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema("index"))


def test_rate_carries_unrounded_and_displayed() -> None:
    northampton = load(f"json/authorities/{A}.json")["authority"]
    assert northampton["uphold_rate"] == {
        "rate": 7 / 11,
        "percent": 64,
        "numerator": 7,
        "denominator": 11,
        "peer_average": {"rate": pytest.approx((7 / 11 + 1 / 4) / 2), "percent": 44},
    }
    assert northampton["letter"] == {"html": f"letters/{A}.html", "pdf": f"letters/{A}.pdf"}


def test_nulls_and_no_peer_group() -> None:
    assert load(f"json/authorities/{C}.json")["authority"]["uphold_rate"]["rate"] is None
    assert load(f"json/authorities/{FIRE}.json")["authority"]["uphold_rate"]["peer_average"] is None


def test_index_lists_every_authority_of_the_year() -> None:
    index = load("json/index.json")
    assert [a["authority_code"] for a in index["authorities"]] == AUTHORITIES["authority_code"].tolist()
    assert (index["year"], index["peer_method"]) == ("2019-20", "mean")


def test_no_letter_links_when_no_letters_were_rendered() -> None:
    files = website_json(
        with_peer_averages(FIGURES, AVERAGES, "mean"), AVERAGES, BusinessYear.parse("2019-20"), "mean", ()
    )
    index = json.loads(files["json/index.json"])
    assert all(a["letter"] is None for a in index["authorities"])
    jsonschema.validate(index, schema("index"))
