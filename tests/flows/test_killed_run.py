"""A run killed with SIGKILL while its PDF letters render leaves no process behind. PDF workers once ran
on for minutes after such a kill (6.5 min later, still there), holding the CPUs; the letters now render
in threads of the run's own process, and its temporary Prefect API exits with it."""

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


@pytest.mark.slow
def test_a_run_killed_during_its_pdfs_leaves_no_process_behind(tmp_path: Path) -> None:
    generate_exports(BusinessYear(2019), tmp_path / "in", scale=1.0)
    args = ("run", "--year", "2019-20", "--input", "in", "--store", "store", "--formats", "pdf")
    process = start(*args, cwd=tmp_path, ANNUAL_REVIEW_WORKERS="2")  # its own temporary API, a child
    pdfs = tmp_path / "var" / "work" / "2019-20" / "letters" / "pdf"
    children: list[psutil.Process] = []
    try:
        command = psutil.Process(process.pid)
        deadline = time.monotonic() + 180
        while not (pdfs.is_dir() and any(pdfs.rglob("*.pdf"))):  # the first chunk of PDFs is written
            assert process.poll() is None, process.communicate()[1][-3000:]
            assert time.monotonic() < deadline, "no PDF was rendered"
            time.sleep(0.05)
        children = command.children(recursive=True)
        assert children, "the run has no temporary API process"
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        rendered = len(list(pdfs.rglob("*.pdf")))
        _, alive = psutil.wait_procs(children, timeout=15)
        assert not alive, [p.cmdline() for p in alive]
        assert 0 < rendered < 355, rendered  # killed halfway through the year's letters
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        for child in children:  # left behind (the failure this test is about): they hold its pipes open
            if child.is_running():
                child.kill()
        process.communicate()
