"""The JSON Schemas are checked in the run: a document that breaks one stops it, naming file and place."""

from __future__ import annotations

import json

import jsonschema
import pytest

from annual_review.outputs.json_schemas import (
    WEBSITE_SCHEMAS,
    WebsiteJsonError,
    check_website_json,
    load_schema,
)

from ..transforms import per_100k_frames as per_100k
from .documents import FILES, documents


@pytest.mark.parametrize("name", WEBSITE_SCHEMAS)
def test_each_schema_is_a_valid_2020_12_schema(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(load_schema(name))


def broken(key: str, change: object) -> dict[str, bytes]:
    files = dict(FILES)
    document = json.loads(files[key])
    change(document)  # type: ignore[operator]
    files[key] = json.dumps(document).encode()
    return files


@pytest.mark.parametrize(
    ("key", "change", "message"),
    [
        (
            "json/index.json",
            lambda d: d["authorities"][0]["uphold_rate"].update(percent="64%"),
            r"json/index\.json breaks index\.schema\.json at "
            r"\$\.authorities\[0\]\.uphold_rate\.percent: '64%'",
        ),
        (
            "json/authorities/E07000154.json",
            lambda d: d["authority"]["decisions_by_group"].pop("Not for us"),
            r"E07000154\.json breaks authority\.schema\.json at \$\.authority\.decisions_by_group: "
            r"'Not for us' is a required property",
        ),
        (
            "json/authorities/E07000154.json",
            lambda d: d["authority"].update(upheld_per_100k={"rate": 4.9, "display": 4.9}),
            r"at \$\.authority\.upheld_per_100k",
        ),
        (
            "json/peer_averages.json",
            lambda d: d["groups"][0].pop("upheld_per_100k"),
            r"peer_averages\.schema\.json at \$\.groups\[0\]: 'upheld_per_100k' is a required property",
        ),
        (
            "json/index.json",
            lambda d: d.update(period={"from": "1 April", "to": "2020-03-31"}),
            "is not a 'date'",
        ),
    ],
)
def test_a_broken_document_is_named_with_the_place_and_the_rule(
    key: str, change: object, message: str
) -> None:
    with pytest.raises(WebsiteJsonError, match=message):
        check_website_json(broken(key, change))


def test_the_per_100k_display_must_be_one_decimal() -> None:
    files = documents(per_100k.figures())
    key = f"json/authorities/{per_100k.A}.json"
    document = json.loads(files[key])
    document["authority"]["upheld_per_100k"]["display"] = "4.86"
    with pytest.raises(WebsiteJsonError, match="does not match"):
        check_website_json({**files, key: json.dumps(document).encode()})


def test_a_json_file_without_a_schema_is_refused() -> None:
    with pytest.raises(WebsiteJsonError, match="no schema"):
        check_website_json({**FILES, "json/extra.json": b"{}"})
