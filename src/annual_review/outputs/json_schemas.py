"""The website JSON, checked against the JSON Schemas shipped for it before anything is staged.

The schemas are the site's contract (contract section 4): a document that breaks one is a bug
here, and must stop the run rather than reach a reader.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Any

import jsonschema
from referencing import Registry, Resource

from annual_review.layout import AUTHORITIES_JSON, JSON

WEBSITE_SCHEMAS = ("index", "authority", "peer_averages")


class WebsiteJsonError(ValueError):
    """A website document breaks its schema: a bug upstream, never a user's input."""


def schema_for(key: str) -> str:
    """Which schema checks a file: json/index.json, json/peer_averages.json, json/authorities/*.json."""
    if key.startswith(AUTHORITIES_JSON):
        return "authority"
    return key.removeprefix(JSON).removesuffix(".json")


def load_schema(name: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        (resources.files("annual_review") / "schemas" / f"{name}.schema.json").read_text(encoding="utf-8")
    )
    return schema


@cache
def validator(name: str) -> jsonschema.Draft202012Validator:
    """One compiled validator per schema; index.json refers to authority.schema.json by its $id."""
    schemas = [load_schema(n) for n in WEBSITE_SCHEMAS]
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema)) for schema in schemas
    )
    return jsonschema.Draft202012Validator(
        load_schema(name), registry=registry, format_checker=jsonschema.FormatChecker()
    )


def check_website_json(files: Mapping[str, bytes]) -> None:
    """Every json/ file against its schema; the first breach names the file, the place and the rule."""
    for key, data in files.items():
        if not key.startswith(JSON):
            continue
        name = schema_for(key)
        if name not in WEBSITE_SCHEMAS:
            raise WebsiteJsonError(f"{key}: no schema in annual_review/schemas/ for it")
        error = jsonschema.exceptions.best_match(validator(name).iter_errors(json.loads(data)))
        if error is not None:
            raise WebsiteJsonError(f"{key} breaks {name}.schema.json at {error.json_path}: {error.message}")
