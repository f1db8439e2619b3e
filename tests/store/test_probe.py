"""The probe before any work: a store we can write to passes and keeps nothing; any other is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from annual_review.errors import StoreUnusable
from annual_review.store import Store
from annual_review.store.probe import open_checked_store
from annual_review.store.s3 import S3Store
from tests.helpers.s3_server import BUCKET, SeaweedServer


def test_a_usable_store_passes_and_keeps_nothing(store: Store) -> None:
    endpoint = store._client.meta.endpoint_url if isinstance(store, S3Store) else None
    checked = open_checked_store(store.url, endpoint_url=endpoint)
    assert checked.url == store.url
    assert list(store.list("")) == []


def test_a_file_on_the_path_of_the_store(tmp_path: Path) -> None:
    (tmp_path / "var").write_text("x")
    with pytest.raises(StoreUnusable, match=rf"^store {tmp_path}/var/store: {tmp_path}/var is a file"):
        open_checked_store(str(tmp_path / "var" / "store"))
    assert (tmp_path / "var").read_text() == "x"


def test_not_an_s3_url() -> None:
    with pytest.raises(StoreUnusable, match=r"store 's3://': 's3://' is not of the form s3://bucket/prefix"):
        open_checked_store("s3://")


@pytest.mark.s3
@pytest.mark.parametrize(
    ("variable", "value", "code"),
    [
        ("AWS_ACCESS_KEY_ID", "nobody-we-know", "InvalidAccessKeyId"),
        ("AWS_SECRET_ACCESS_KEY", "not-the-secret", "SignatureDoesNotMatch"),
    ],
)
def test_credentials_the_store_does_not_accept(
    seaweed: SeaweedServer,
    s3_credentials: None,
    monkeypatch: pytest.MonkeyPatch,
    variable: str,
    value: str,
    code: str,
) -> None:
    """(A bucket that does not exist cannot be tried here: SeaweedFS creates it on the first put.)"""
    monkeypatch.setenv(variable, value)
    with pytest.raises(StoreUnusable, match=rf"^store s3://{BUCKET}/x refused a test write: {code}: "):
        open_checked_store(f"s3://{BUCKET}/x", endpoint_url=seaweed.endpoint)
