"""A whole run's peak memory is its own, not the benchmark's that started it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BIG_PARENT = """
import os, sys
from pathlib import Path
from bench.wholerun import measured

ballast = bytearray(400 * 2**20)  # the benchmark after making the scale-100 exports in-process
ballast[:: 4096] = b"x" * len(ballast[:: 4096])  # touched, so resident
del ballast
run = measured([sys.executable, "-c", "pass"], Path.cwd(), dict(os.environ), Path(sys.argv[1]))
print(run["peak_mb"], run["returncode"])
"""


def test_a_small_command_measured_from_a_big_process_reports_its_own_small_peak(tmp_path: Path) -> None:
    """Measured with wait4 straight from such a parent, `python -c pass` peaked at the parent's 400 MB."""
    done = subprocess.run(
        [sys.executable, "-c", BIG_PARENT, str(tmp_path / "run.log")],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    peak_mb, returncode = done.stdout.split()
    assert float(peak_mb) < 100 and returncode == "0"
