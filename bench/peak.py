"""`python bench/peak.py OUT COMMAND...`: run COMMAND, write its wall seconds, peak RSS and exit code to OUT.

Linux carries a process's high-water RSS across fork and exec, so a child's ru_maxrss is at least its
parent's peak: measured straight from the benchmark (which may have made the scale-100 exports in-process,
1.7 GB), every later run read ≈1.7 GB. This launcher starts small and fresh, so what wait4 reports of its
child is the command's own peak: its largest process, waited-for children (Prefect's API, PDF workers)
included.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path


def main() -> None:
    out, command = Path(sys.argv[1]), sys.argv[2:]
    start = time.perf_counter()
    child = subprocess.Popen(command)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    result = {
        "seconds": seconds,
        "peak_mb": usage.ru_maxrss / 1024,
        "returncode": os.waitstatus_to_exitcode(status),
    }
    out.write_text(json.dumps(result))


if __name__ == "__main__":
    main()
