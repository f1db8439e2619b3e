"""A run killed with SIGKILL while its PDF letters render leaves no PDF worker behind: they ran on for
minutes (6.5 min later, still there), holding the CPUs, because the pool's own shutdown never ran."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import psutil
import pytest

from annual_review.synthetic import generate_exports
from annual_review.years import BusinessYear
from tests.helpers.commands import start


def pdf_workers(command: psutil.Process) -> list[psutil.Process]:
    return [
        child
        for child in command.children(recursive=True)
        if any("multiprocessing" in part for part in child.cmdline())
    ]


@pytest.mark.slow
def test_a_killed_run_takes_its_pdf_workers_with_it(api_url: str, tmp_path: Path) -> None:
    generate_exports(BusinessYear(2019), tmp_path / "in", scale=0.02)
    args = ("run", "--year", "2019-20", "--input", "in", "--store", "store", "--formats", "pdf")
    process = start(*args, cwd=tmp_path, PREFECT_API_URL=api_url, ANNUAL_REVIEW_WORKERS="2")
    workers: list[psutil.Process] = []
    try:
        command = psutil.Process(process.pid)
        deadline = time.monotonic() + 180
        while not (workers := pdf_workers(command)):
            assert process.poll() is None, process.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "the PDF workers never started"
            time.sleep(0.2)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        gone, alive = psutil.wait_procs(workers, timeout=15)
        assert not alive, [p.cmdline() for p in alive]
        assert len(gone) == len(workers) >= 2  # two workers (and the resource tracker)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for worker in workers:  # left behind (the failure this test is about): they hold its pipes open
            if worker.is_running():
                worker.kill()
        process.communicate()
