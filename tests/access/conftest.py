"""A store as the pipeline leaves it (two released years, one staged), the preview over it, and Chromium."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from annual_review.access.preview import PublicView, make_server, site_url
from annual_review.store.local import LocalStore
from annual_review.synthetic import generate_exports
from annual_review.years import BusinessYear
from tests.helpers.s3_server import s3_credentials, seaweed  # noqa: F401

# The last year of the 2020 edition and the first of the 2024 edition, both released; the next staged.
RELEASED = ("2022-23", "2023-24")
STAGED = "2024-25"
ARTIFACTS = Path(
    os.environ.get("ANNUAL_REVIEW_TEST_ARTIFACTS", Path(__file__).parents[2] / "var" / "test-artifacts")
)


@pytest.fixture(scope="session")
def pipeline_store(tmp_path_factory: pytest.TempPathFactory, prefect_api: None) -> Path:
    """The real flows on small synthetic exports: PDFs for the first year only (they cost ~0.2 s each)."""
    from flows.prepare import prepare_year
    from flows.release import release_flow

    root = tmp_path_factory.mktemp("pipeline")
    store = root / "store"
    plan = [(RELEASED[0], 0.004, ["html", "pdf"]), (RELEASED[1], 0.01, ["html"]), (STAGED, 0.01, ["html"])]
    with pytest.MonkeyPatch.context() as env:
        env.setenv("ANNUAL_REVIEW_WORK_DIR", str(root / "work"))
        for label, scale, formats in plan:
            exports = root / "exports" / label
            generate_exports(BusinessYear.parse(label), exports, scale=scale, seed=1, messy=0.0)
            state = prepare_year(
                year=label, input_dir=str(exports), store=str(store), formats=formats, return_state=True
            )
            assert state.is_completed(), state.message
            if label in RELEASED:
                released = release_flow(year=label, store=str(store), correction=False, return_state=True)
                assert released.is_completed(), released.message
    return store


@dataclass(frozen=True)
class Preview:
    url: str
    store: Path


def serve(view: PublicView) -> Iterator[str]:
    """The preview on a free port in a thread; yields its URL once."""
    server = make_server(view, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site_url(server)
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def preview(pipeline_store: Path) -> Iterator[Preview]:
    """The released years, as the public will see them."""
    for url in serve(PublicView(LocalStore(pipeline_store))):
        yield Preview(url, pipeline_store)


@pytest.fixture(scope="session")
def staged_preview(pipeline_store: Path) -> Iterator[Preview]:
    """The released years and, as if released, the staged one."""
    for url in serve(PublicView(LocalStore(pipeline_store), BusinessYear.parse(STAGED))):
        yield Preview(url, pipeline_store)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = ARTIFACTS / "site"
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots of the site: {folder}")
    return folder
