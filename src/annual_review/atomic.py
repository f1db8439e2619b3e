"""A file written whole or not at all (a temp file beside it, then a rename), named for its writer.

The temp file is `.tmp-<host>.<pid>.<random>`: a writer killed mid-write leaves one behind, and
`writer_of` says whose it was, for the local store to judge whether that writer is gone.
The file gets the mode the umask gives any new file (0644 under the usual 022), as `open` would make
it, unless it is private (0600): mkstemp's 0600 for everything kept a web server out of public/.
"""

from __future__ import annotations

import os
import secrets
import socket
from pathlib import Path

from annual_review.errors import naming_full_disk

TMP_PREFIX = ".tmp-"


def _writer_tag() -> str:
    return f"{socket.gethostname()}.{os.getpid()}."


def writer_of(name: str) -> tuple[str, str]:
    """The host and pid (as written, maybe not digits) a temp file's name gives."""
    host, _, pid = name.removeprefix(TMP_PREFIX).rpartition(".")[0].rpartition(".")
    return host, pid


def write_atomic(path: Path, data: bytes, *, private: bool = False) -> None:
    """Whole or not at all; readable by its owner only when private, else as the umask says."""
    with naming_full_disk(path):
        _write_atomic(path, data, private)


def _write_atomic(path: Path, data: bytes, private: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temp(path.parent, 0o600 if private else 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _create_temp(folder: Path, mode: int) -> tuple[int, Path]:
    """A new temp file named for its writer, as mkstemp makes one but with `mode` (less the umask)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        tmp = folder / f"{TMP_PREFIX}{_writer_tag()}{secrets.token_hex(4)}"
        try:
            return os.open(tmp, flags, mode), tmp
        except FileExistsError:
            continue
    raise FileExistsError(f"no free temp file name in {folder}")
