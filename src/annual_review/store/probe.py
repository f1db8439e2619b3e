"""Check a store before any work: a real write, read back and removed, or one line saying what is wrong.

A store that is a file, a folder that cannot be written, S3 without credentials, an unreachable
endpoint or a bucket that does not exist would otherwise show only when the run stages, after
the whole pipeline and its retries. The probe's client gives up after two attempts.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from annual_review.errors import PipelineError, StoreUnusable
from annual_review.layout import LEASES
from annual_review.store import Store, open_store

PROBE_PREFIX = LEASES
PROBE_ATTEMPTS = 2


def open_checked_store(url: str, *, endpoint_url: str | None = None) -> Store:
    """The store at `url`, once a probe object has been written, read back and deleted there."""
    try:
        probe = open_store(url, endpoint_url=endpoint_url, max_attempts=PROBE_ATTEMPTS)
    except ValueError as error:
        raise StoreUnusable(f"store {url!r}: {error}") from None
    except Exception as error:  # boto3 reads its configuration when the client is made
        message = _s3_problem(url, error)
        if message is None:
            raise
        raise StoreUnusable(message) from None
    _write_read_delete(probe)
    return open_store(url, endpoint_url=endpoint_url)


def _write_read_delete(store: Store) -> None:
    key = f"{PROBE_PREFIX}probe-{uuid.uuid4().hex}.txt"
    data = b"a test write by annual-review; safe to delete\n"
    try:
        store.put(key, data, content_type="text/plain", if_none_match=True)
        try:
            if store.get(key) != data:
                raise StoreUnusable(f"store {store.url}: {key} was written but reads back other bytes")
        finally:
            store.delete(key)
    except PipelineError:
        raise
    except OSError as error:
        raise StoreUnusable(_os_problem(store.url, error)) from None
    except Exception as error:
        message = _s3_problem(store.url, error)
        if message is None:
            raise
        raise StoreUnusable(message) from None


def _os_problem(url: str, error: OSError) -> str:
    """'is a file', 'cannot be written: Read-only file system', naming the path that is in the way."""
    if isinstance(error, NotADirectoryError | FileExistsError):
        root = Path(url)
        blocker = next((p for p in (root, *root.parents) if p.exists() and not p.is_dir()), None)
        if blocker == root:
            return f"store {url} is a file, not a folder"
        if blocker is not None:
            return f"store {url}: {blocker} is a file, not a folder"
    where = f" ({error.filename})" if error.filename else ""
    return f"store {url} cannot be written: {error.strerror or error}{where}"


def _s3_problem(url: str, error: Exception) -> str | None:
    """One line for what S3 or boto3 said; None for anything that is not a store's answer."""
    from botocore import exceptions as aws

    if isinstance(error, aws.NoCredentialsError | aws.PartialCredentialsError):
        return (
            f"store {url}: no usable AWS credentials ({error}); set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE"
        )
    if isinstance(error, aws.ProfileNotFound):
        return f"store {url}: {error} (AWS_PROFILE names a profile that ~/.aws/config does not have)"
    if isinstance(error, aws.EndpointConnectionError | aws.ConnectTimeoutError):
        return f"store {url}: cannot reach the S3 endpoint ({error}); check AWS_ENDPOINT_URL and the network"
    if isinstance(error, aws.ClientError):
        code = str(error.response.get("Error", {}).get("Code", "?"))
        said = str(error.response.get("Error", {}).get("Message", "")) or code
        hint = _HINTS.get(code, "")
        return f"store {url} refused a test write: {code}: {said}{hint}"
    if isinstance(error, aws.BotoCoreError):
        endpoint = os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL") or "AWS"
        return f"store {url} ({endpoint}): {error}"
    return None


_HINTS = {
    "NoSuchBucket": " (create the bucket, or fix the store's name)",
    "InvalidAccessKeyId": " (the access key is not known to this endpoint)",
    "SignatureDoesNotMatch": " (the secret key does not match the access key)",
    "AccessDenied": " (these credentials may not write here)",
}
