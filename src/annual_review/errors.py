"""Errors a user can act on: the command line prints them as one line and exits non-zero."""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from os import PathLike


class PipelineError(Exception):
    """A bad argument, a bad input or a refused step; the message names what to fix."""


class InputError(PipelineError):
    """An export is missing, unreadable, lacks a column, or has too many rejected rows."""


class ReleaseRefused(PipelineError):
    """A release that must not happen (too early, nothing staged, a changed candidate)."""


class StoreUnusable(PipelineError):
    """The store cannot be reached or written, or refused us: a person must act, a retry cannot help."""


class DiskFull(PipelineError):
    """A write found the disk (or the user's quota) full, or the file system read-only: not transient."""


class Transient(Exception):
    """A state that passes by itself (e.g. a release under way): worth another try."""


# Failures of the file system that a second try cannot mend: a person must move, create or allow something.
_LASTING_OS_ERRORS = (
    FileNotFoundError,
    FileExistsError,
    IsADirectoryError,
    NotADirectoryError,
    PermissionError,
)


# errnos of a file system that stays unwritable until a person frees space or remounts it
_LASTING_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


@contextmanager
def naming_full_disk(path: str | PathLike[str]) -> Iterator[None]:
    """A full disk as one line naming the file being written: the kernel's ENOSPC names no path."""
    try:
        yield
    except OSError as error:
        if error.errno not in _LASTING_ERRNOS:
            raise
        problem = (error.strerror or str(error)).lower()
        hint = "free some space there" if error.errno != errno.EROFS else "mount it writable"
        raise DiskFull(f"{problem}: cannot write {path}; {hint}, then run again") from None


def is_transient(error: BaseException) -> bool:
    """Worth another try: an I/O failure that may pass (a dropped connection, a busy server, EIO).

    Never a user's error, a file's content, missing credentials or a refusal by the store; a
    PipelineError that is also Transient (a release that did not verify) is worth one.
    """
    if isinstance(error, Transient):
        return True
    if isinstance(error, PipelineError):
        return False
    if isinstance(error, OSError):
        return not isinstance(error, _LASTING_OS_ERRORS) and error.errno not in _LASTING_ERRNOS
    from botocore import exceptions as aws

    if isinstance(error, aws.ConnectionError | aws.HTTPClientError | aws.IncompleteReadError):
        return True
    if isinstance(error, aws.FlexibleChecksumError):  # bytes damaged on the way: read them again
        return True
    if isinstance(error, aws.ClientError):
        status = int(error.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        code = str(error.response.get("Error", {}).get("Code", ""))
        return status >= 500 or status == 429 or code in {"RequestTimeout", "SlowDown", "Throttling"}
    return False
