"""Timing and peak memory of one stage, in the process that runs it."""

from __future__ import annotations

import gc
import re
import resource
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class Sample:
    """One stage's seconds over the repeats and the highest peak RSS (MB) seen in any of them."""

    seconds: list[float] = field(default_factory=list)
    peak_mb: float = 0.0

    def add(self, seconds: float, peak_mb: float) -> None:
        self.seconds.append(seconds)
        self.peak_mb = max(self.peak_mb, peak_mb)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds) if self.seconds else float("nan")


def _status_kb(name: str) -> int:
    found = re.search(rf"^{name}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    return int(found.group(1)) if found else 0


def reset_peak() -> bool:
    """Linux resets VmHWM to the current RSS on '5' > clear_refs: a peak per stage, not per process."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def peak_mb() -> float:
    """VmHWM since the last reset; ru_maxrss (the process's peak) where /proc is missing."""
    kb = _status_kb("VmHWM") if _STATUS.exists() else 0
    return (kb or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss) / 1024


def process_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """Wall seconds of the block, appended to the yielded list when the block ends."""
    out: list[float] = []
    start = time.perf_counter()
    try:
        yield out
    finally:
        out.append(time.perf_counter() - start)


def measure(sample: Sample, work: Callable[[], T]) -> T:
    """Run `work` once from a collected heap and a reset peak, recording its seconds and peak RSS."""
    gc.collect()
    reset_peak()
    with stopwatch() as took:
        result = work()
    sample.add(took[0], peak_mb())
    return result
