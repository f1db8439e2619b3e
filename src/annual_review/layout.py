"""The one map of the store: every key the pipeline writes or reads is spelled here, and nowhere else.

    staging/<year>/...                              the release candidate; never public
    staging/<year>/candidate.json                   written last: every staged file with its sha256
    staging/<year>/access-log.jsonl                 who was given early links (`share`); never released
    public/<year>/...                               a released year's files, at their staged keys
    public/<year>/manifest.json                     every file of the release
    public/<year>/manifests/<released_at>.json      the manifests a correction replaced
    public/data/<table>/year=<year>/part-0.parquet  all released years as one dataset
    public/site/...                                 the reference website: the latest year's
    public/releases.json                            the released years and the latest; moved last
    leases/<year>.json                              the run that holds the year (and the store probe)

A staged file's key is relative to its year's folder: data/<table>.parquet, json/..., letters/<code>.<fmt>,
site/... (tests/test_layout.py fails on a key spelled outside this module).
"""

from __future__ import annotations

from annual_review.years import BusinessYear

STAGING = "staging/"
PUBLIC = "public/"
LEASES = "leases/"

CANDIDATE = "candidate.json"
MANIFEST = "manifest.json"
MANIFESTS = "manifests/"
RELEASES = "releases.json"  # relative to public/, as readers (and the preview) ask for it
RELEASES_KEY = PUBLIC + RELEASES

# The letters' formats, in the order they are rendered and listed: letters/<code>.html and .pdf
LETTER_FORMATS: tuple[str, ...] = ("html", "pdf")

DATA = "data/"
JSON = "json/"
LETTERS = "letters/"
SITE = "site/"
WEBSITE_INDEX = JSON + "index.json"
PEER_AVERAGES_JSON = JSON + "peer_averages.json"
AUTHORITIES_JSON = JSON + "authorities/"


def staging_prefix(year: BusinessYear) -> str:
    return f"{STAGING}{year.label}/"


def candidate_key(year: BusinessYear) -> str:
    return staging_prefix(year) + CANDIDATE


def access_log_key(year: BusinessYear) -> str:
    """Who was given pre-release access (`share`): kept across restaging, never released."""
    return staging_prefix(year) + "access-log.jsonl"


def table_key(table: str) -> str:
    """Where a table sits in the staged candidate."""
    return f"{DATA}{table}.parquet"


def letter_key(authority_code: str, fmt: str) -> str:
    """Where a letter goes under the year's prefix in the store."""
    return f"{LETTERS}{authority_code}.{fmt}"


def authority_json_key(authority_code: str) -> str:
    return f"{AUTHORITIES_JSON}{authority_code}.json"


def public_key(year: BusinessYear, key: str) -> str:
    """Where a staged file is released, relative to public/: the site is shared by every year."""
    return key if key.startswith(SITE) else f"{year.label}/{key}"


def public_prefix(year: BusinessYear) -> str:
    """The released year's folder (the site and the dataset sit beside it)."""
    return f"{PUBLIC}{year.label}/"


def manifest_key(year: BusinessYear) -> str:
    return public_prefix(year) + MANIFEST


def archive_key(year: BusinessYear, released_at: str) -> str:
    """A replaced manifest, named by its release time fit for an object name: 20200729T083000Z.json."""
    stamp = released_at.replace("-", "").replace(":", "")
    return f"{public_prefix(year)}{MANIFESTS}{stamp}.json"


def partition_key(table: str, year: BusinessYear) -> str:
    """Where a year's part sits in the all-years dataset, relative to public/."""
    return f"{DATA}{table}/year={year.label}/part-0.parquet"


def lease_key(year: BusinessYear) -> str:
    return f"{LEASES}{year.label}.json"
