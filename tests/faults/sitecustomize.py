"""Faults for the command's tests, injected into a real `python -m flows.cli` process, never the product.

Python imports `sitecustomize` at start-up from sys.path: a test puts this folder first on
PYTHONPATH and names its faults in TEST_FAULT, separated by ';' (tests/helpers/commands.py does both):

- kill:<text>:<n>         SIGKILL this process at its n-th os.replace of an object (not a sidecar)
                          onto a path containing <text>: its temp file is written, not yet renamed
- pause:<text>:<folder>   before writing a file whose path contains <text>, create <folder>/paused
                          and wait until <folder>/go exists (holds a run at a known point)
- clock:<ISO time>        the pipeline's clock (annual_review.clock) reads that time, fixed
- clock:+<seconds>        the pipeline's clock runs that many seconds fast (or slow, with -)
- skew:<seconds>          sign S3 requests as if this machine's clock were that many seconds off
- enospc:<text>            writing a file whose path contains <text> fails as on a full disk (OSError
                          ENOSPC, no file name, as the kernel reports it), after its temp file is made
- bug:<module>:<name>     <module>.<name> raises RuntimeError: a bug of ours, not a user's mistake
"""

from __future__ import annotations

import os
import signal
import time
from datetime import datetime, timedelta
from pathlib import Path


def _kill(args: str) -> None:
    text, _, nth = args.rpartition(":")
    replace = os.replace
    seen = [0]

    def replace_or_die(src, dst, *rest, **options):  # type: ignore[no-untyped-def]
        if text in str(dst) and "/.meta/" not in str(dst):
            seen[0] += 1
            if seen[0] == int(nth):
                os.kill(os.getpid(), signal.SIGKILL)
        return replace(src, dst, *rest, **options)

    os.replace = replace_or_die


def _pause(args: str) -> None:
    text, _, folder = args.partition(":")
    write_bytes = Path.write_bytes

    def write_bytes_after_go(self, data):  # type: ignore[no-untyped-def]
        if text in str(self) and not (Path(folder) / "go").exists():
            (Path(folder) / "paused").touch()
            while not (Path(folder) / "go").exists():
                time.sleep(0.1)
        return write_bytes(self, data)

    Path.write_bytes = write_bytes_after_go  # type: ignore[method-assign]


def _clock(args: str) -> None:
    import annual_review.clock as clock

    real = clock.system_clock
    if args.startswith(("+", "-")):
        clock.system_clock = lambda: real() + timedelta(seconds=float(args))
    else:
        clock.system_clock = clock.fixed_clock(datetime.fromisoformat(args))


def _skew(args: str) -> None:
    import botocore.auth

    now = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: now() + timedelta(seconds=float(args))


def _enospc(text: str) -> None:
    import errno

    import annual_review.atomic as atomic  # every store and work file is written through its temp files

    create = atomic._create_temp

    def create_on_a_full_disk(folder, mode):  # type: ignore[no-untyped-def]
        fd, path = create(folder, mode)
        if text in str(path):
            os.close(fd)
            path.unlink()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return fd, path

    atomic._create_temp = create_on_a_full_disk


def _bug(args: str) -> None:
    import importlib

    module, _, name = args.partition(":")

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError(f"injected bug in {module}.{name}")

    setattr(importlib.import_module(module), name, broken)


_FAULTS = {"kill": _kill, "pause": _pause, "clock": _clock, "skew": _skew, "enospc": _enospc, "bug": _bug}
for _fault in filter(None, os.environ.get("TEST_FAULT", "").split(";")):
    _kind, _, _args = _fault.partition(":")
    _FAULTS[_kind](_args)
