"""Processes that must not outlive the one that started them (the command's temporary Prefect API)."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def exit_with_parent(parent: int) -> None:
    """SIGTERM this process when `parent` exits (Linux: the kernel sends it; elsewhere: a watching thread).

    A `kill -9` of the parent runs none of its clean-up: without this its children run on, for minutes."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)  # the C library this interpreter runs on
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    else:
        threading.Thread(target=_watch, args=(parent,), name="watch-parent", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the signal was arranged: nobody would send it
        sys.exit(0)


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os.kill(os.getpid(), signal.SIGTERM)
