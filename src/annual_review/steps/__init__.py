"""The pipeline's steps as plain functions (files in, files out), for the flows to orchestrate.

Each step writes its outputs under a work folder named by a digest of its inputs and returns small
values: handles to its files, digests, counts and what the run reports, so that Prefect can cache a
step and pass its result on cheaply, and nothing above the steps opens their files again.
"""

from annual_review.steps.build import Built, PreviousYear, build_tables, fetch_previous_year
from annual_review.steps.digests import digest_of, file_sha256, letter_sources_digest, tree_digest
from annual_review.steps.extract import (
    REJECTS_SHOWN,
    Extracted,
    check_empty,
    check_reject_rates,
    empty_exports,
    export_sha256,
    extract_export,
    locate_exports,
)
from annual_review.steps.files import all_present, make_work_folder, read_files, read_table, write_files
from annual_review.steps.render import Rendered, RenderJob, render_job, render_letter_files
from annual_review.steps.report import AuthorityRef, BuildReport

__all__ = [
    "REJECTS_SHOWN",
    "AuthorityRef",
    "BuildReport",
    "Built",
    "Extracted",
    "PreviousYear",
    "RenderJob",
    "Rendered",
    "all_present",
    "build_tables",
    "check_empty",
    "check_reject_rates",
    "digest_of",
    "empty_exports",
    "export_sha256",
    "extract_export",
    "fetch_previous_year",
    "file_sha256",
    "letter_sources_digest",
    "locate_exports",
    "make_work_folder",
    "read_files",
    "read_table",
    "render_job",
    "render_letter_files",
    "tree_digest",
    "write_files",
]
