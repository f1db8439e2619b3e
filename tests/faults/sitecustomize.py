"""Faults for the command's tests, injected into a real `python -m flows.cli` process, never the product.

Python imports `sitecustomize` at start-up from sys.path: a test puts this folder first on
PYTHONPATH and names one fault in TEST_FAULT (tests/commands.py does both):

- kill:<text>:<n>         SIGKILL this process at its n-th os.replace of an object (not a sidecar)
                          onto a path containing <text>: its temp file is written, not yet renamed
- pause:<text>:<folder>   before writing a file whose path contains <text>, create <folder>/paused
                          and wait until <folder>/go exists (holds a run at a known point)
- skew:<seconds>          sign S3 requests as if this machine's clock were that many seconds off
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

_FAULT = os.environ.get("TEST_FAULT", "")
_KIND, _, _ARGS = _FAULT.partition(":")

if _KIND == "kill":
    _text, _, _nth = _ARGS.rpartition(":")
    _replace = os.replace
    _seen = [0]

    def _replace_or_die(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if _text in str(dst) and "/.meta/" not in str(dst):
            _seen[0] += 1
            if _seen[0] == int(_nth):
                os.kill(os.getpid(), signal.SIGKILL)
        return _replace(src, dst, *args, **kwargs)

    os.replace = _replace_or_die

elif _KIND == "pause":
    _text, _, _folder = _ARGS.partition(":")
    _write_bytes = Path.write_bytes

    def _write_bytes_after_go(self, data):  # type: ignore[no-untyped-def]
        if _text in str(self) and not (Path(_folder) / "go").exists():
            (Path(_folder) / "paused").touch()
            while not (Path(_folder) / "go").exists():
                time.sleep(0.1)
        return _write_bytes(self, data)

    Path.write_bytes = _write_bytes_after_go  # type: ignore[method-assign]

elif _KIND == "skew":
    from datetime import timedelta

    import botocore.auth

    _now = botocore.auth.get_current_datetime
    botocore.auth.get_current_datetime = lambda: _now() + timedelta(seconds=float(_ARGS))
