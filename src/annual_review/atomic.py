"""A file written whole or not at all (a temp file beside it, then a rename), named for its writer.

The temp file is `.tmp-<host>.<pid>.<random>`: a writer killed mid-write leaves one behind, and
`writer_of` says whose it was, for the local store to judge whether that writer is gone.
"""

from __future__ import annotations

import os
import socket
import tempfile
from pathlib import Path

from annual_review.errors import naming_full_disk

TMP_PREFIX = ".tmp-"


def _writer_tag() -> str:
    return f"{socket.gethostname()}.{os.getpid()}."


def writer_of(name: str) -> tuple[str, str]:
    """The host and pid (as written, maybe not digits) a temp file's name gives."""
    host, _, pid = name.removeprefix(TMP_PREFIX).rpartition(".")[0].rpartition(".")
    return host, pid


def write_atomic(path: Path, data: bytes) -> None:
    with naming_full_disk(path):
        _write_atomic(path, data)


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=TMP_PREFIX + _writer_tag())
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
