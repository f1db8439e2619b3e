"""Website JSON: the same figures the letters print, unrounded rate beside displayed percentage."""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd

from annual_review.layout import (
    LETTER_FORMATS,
    PEER_AVERAGES_JSON,
    WEBSITE_INDEX,
    authority_json_key,
    letter_key,
)
from annual_review.years import BusinessYear
from transforms.figures import RATE_PARTS
from transforms.population import PER_100K_PARTS
from transforms.vocab import (
    CATEGORIES,
    DECIDED_BY_DECISION,
    DECIDED_BY_GROUP,
    DECISION_GROUPS,
    DECISIONS,
    RECEIVED_BY_CATEGORY,
)

SCHEMA_VERSION = 1


def _plain(value: Any) -> Any:
    """numpy/pandas scalars → JSON values; NaN and NA → null."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def _rate(row: Mapping[Any, Any], rate: str) -> dict[str, Any]:
    numerator, denominator = RATE_PARTS[rate]
    return {
        "rate": _plain(row[rate]),
        "percent": _plain(row[f"{rate}_pct"]),
        "numerator": _plain(row[numerator]),
        "denominator": _plain(row[denominator]),
        "peer_average": {
            "rate": _plain(row[f"peer_{rate}"]),
            "percent": _plain(row[f"peer_{rate}_pct"]),
        }
        if row["peer_group"]
        else None,
    }


def _per_100k(row: Mapping[Any, Any], figure: str, count: str) -> dict[str, Any] | None:
    """A count per 100,000 residents (e.g. upheld) beside the type's average; null without a population."""
    if _plain(row[figure]) is None:
        return None
    return {
        "rate": _plain(row[figure]),
        "display": _plain(row[f"{figure}_display"]),
        count: _plain(row[count]),
        "residents": _plain(row["residents"]),
        "source": _plain(row["population_source"]),
        "peer_average": {
            "rate": _plain(row[f"peer_{figure}"]),
            "display": _plain(row[f"peer_{figure}_display"]),
        }
        if row["peer_group"]
        else None,
    }


def _groups(row: Mapping[Any, Any], prefix: str = "") -> dict[str, Any]:
    return {g: _plain(row[prefix + c]) for g, c in zip(DECISION_GROUPS, DECIDED_BY_GROUP, strict=True)}


def _previous_year(row: Mapping[Any, Any]) -> dict[str, Any] | None:
    """The same authority's figures of the year before, as released; null when that year was not
    released or the authority was not in it."""
    if _plain(row["previous_year"]) is None or _plain(row["previous_decisions_made"]) is None:
        return None
    return {
        "year": row["previous_year"],
        **{
            name: {"rate": _plain(row[f"previous_{name}"]), "percent": _plain(row[f"previous_{name}_pct"])}
            for name in RATE_PARTS
        },
        **{figure: _previous_per_100k(row, figure) for figure in PER_100K_PARTS},
        "decisions_made": _plain(row["previous_decisions_made"]),
        "decisions_by_group": _groups(row, "previous_"),
    }


def _previous_per_100k(row: Mapping[Any, Any], figure: str) -> dict[str, Any] | None:
    rate = _plain(row[f"previous_{figure}"])
    return None if rate is None else {"rate": rate, "display": _plain(row[f"previous_{figure}_display"])}


def authority_record(row: Mapping[Any, Any], formats: tuple[str, ...]) -> dict[str, Any]:
    """One authority's year, as index.json lists it and authorities/<code>.json holds it."""
    code = row["authority_code"]
    return {
        "authority_code": code,
        "authority_name": row["authority_name"],
        "authority_type": row["authority_type"],
        "peer_group": bool(row["peer_group"]),
        "complaints_received": _plain(row["complaints_received"]),
        "received_by_category": {
            c: _plain(row[col]) for c, col in zip(CATEGORIES, RECEIVED_BY_CATEGORY, strict=True)
        },
        "decisions_made": _plain(row["decisions_made"]),
        "decisions_by_outcome": {
            d: _plain(row[col]) for d, col in zip(DECISIONS, DECIDED_BY_DECISION, strict=True)
        },
        "decisions_by_group": _groups(row),
        "investigations": _plain(row["investigations"]),
        "upheld": _plain(row["upheld"]),
        "compliance_outcomes": _plain(row["compliance_outcomes"]),
        "complied": _plain(row["complied"]),
        "satisfactory_remedies": _plain(row["satisfactory_remedies"]),
        **{rate: _rate(row, rate) for rate in RATE_PARTS},
        **{figure: _per_100k(row, figure, count) for figure, count in PER_100K_PARTS.items()},
        "previous_year": _previous_year(row),
        # No link to a letter that this run did not render (--formats none).
        "letter": {f: letter_key(code, f) for f in formats} if row["has_letter"] and formats else None,
    }


def _header(year: BusinessYear, peer_method: str) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "year": year.label,
        "period": {"from": year.first_day.isoformat(), "to": year.last_day.isoformat()},
        "peer_method": peer_method,
    }


def dumps(document: Any) -> bytes:
    """Stable bytes: key order as built, no NaN, UTF-8, newline at the end."""
    return (json.dumps(document, ensure_ascii=False, allow_nan=False, indent=1) + "\n").encode()


def website_json(
    authority_year: pd.DataFrame,
    peer_averages: pd.DataFrame,
    year: BusinessYear,
    peer_method: str,
    letter_formats: tuple[str, ...] = LETTER_FORMATS,
    previous: Mapping[str, Any] | None = None,
) -> dict[str, bytes]:
    """json/index.json, json/authorities/<code>.json and json/peer_averages.json, as bytes.

    `previous` says which release of the year before the previous_year figures were read from.
    """
    records = [authority_record(r, letter_formats) for r in authority_year.to_dict("records")]
    index = {
        **_header(year, peer_method),
        "previous_release": (previous or {}).get("release"),
        "authorities": records,
    }
    files = {
        WEBSITE_INDEX: dumps(index),
        PEER_AVERAGES_JSON: dumps(
            {
                **_header(year, peer_method),
                "groups": [_peer_group(row) for row in peer_averages.to_dict("records")],
            }
        ),
    }
    for record in records:
        document = {**_header(year, peer_method), "authority": record}
        files[authority_json_key(record["authority_code"])] = dumps(document)
    return files


def _peer_group(row: Mapping[Any, Any]) -> dict[str, Any]:
    return {
        "authority_type": row["authority_type"],
        "authorities": _plain(row["authorities"]),
        **{
            rate: {
                "rate": _plain(row[rate]),
                "percent": _plain(row[f"{rate}_pct"]),
                "authorities_with_rate": _plain(row[f"{rate}_authorities"]),
                "numerator": _plain(row[f"{rate}_numerator"]),
                "denominator": _plain(row[f"{rate}_denominator"]),
            }
            for rate in RATE_PARTS
        },
        **{
            figure: {
                "rate": _plain(row[figure]),
                "display": _plain(row[f"{figure}_display"]),
                "authorities_with_population": _plain(row[f"{figure}_authorities"]),
                count: _plain(row[f"{figure}_numerator"]),
                "residents": _plain(row[f"{figure}_denominator"]),
            }
            for figure, count in PER_100K_PARTS.items()
        },
    }
