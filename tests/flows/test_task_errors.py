"""A user's mistake raised inside a task is one line, on the command line and in the UI; a bug keeps
its traceback in both.

Prefect's task engine logs a task that fails with no retries left at ERROR with the traceback
(prefect/task_engine.py, `handle_retry`); flows/prefect_env.py drops the traceback for our
PipelineError only.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from prefect import get_client
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.client.schemas.sorting import FlowRunSort

from templates import TEMPLATES_DIR
from tests.helpers.commands import Command
from tests.helpers.exports import write_exports

RUN = ("run", "--year", "2019-20", "--input", "in", "--store", "store", "--formats", "html")


def logs_of_the_last_run() -> list[str]:
    """What the UI shows for the newest prepare-year run: every log line of it, as the API stored them."""
    with get_client(sync_client=True) as client:
        (run,) = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
    return [log.message for log in logs]


def test_a_letter_content_error_in_render_is_one_line_without_a_traceback(
    command: Command, tmp_path: Path
) -> None:
    write_exports(tmp_path / "in")
    content = shutil.copytree(TEMPLATES_DIR / "content", tmp_path / "content")
    (content / "2019-20" / "narrative.md").write_text("Dear {{ authority.nmae }},\n")

    result = command(*RUN, cwd=tmp_path, ANNUAL_REVIEW_CONTENT_DIR=str(content))

    expected = f"letters for 2019-20 ({content / '2019-20'}): 'dict object' has no attribute 'nmae'"
    assert result.error == expected  # one `error:` line, and no traceback anywhere (commands.Outcome)
    assert "Task run failed with exception: LetterContentError" in result.stderr  # Prefect's line stays
    ui = logs_of_the_last_run()
    assert any(expected in line and "Task run failed" in line for line in ui), ui
    assert not any("Traceback" in line for line in ui), ui


def test_an_editor_s_narrative_runs_no_command(command: Command, tmp_path: Path) -> None:
    """Jinja2 outside a sandbox ran `lipsum.__globals__['os'].popen(...)` and staged its output."""
    write_exports(tmp_path / "in")
    content = shutil.copytree(TEMPLATES_DIR / "content", tmp_path / "content")
    marker = tmp_path / "ran"
    payload = f"{{{{ lipsum.__globals__['os'].popen('id; touch {marker}').read() }}}}\n"
    (content / "2019-20" / "narrative.md").write_text(payload)

    result = command(*RUN, cwd=tmp_path, ANNUAL_REVIEW_CONTENT_DIR=str(content))

    assert result.error == f"letters for 2019-20 ({content / '2019-20'}): 'lipsum' is undefined"
    assert not marker.exists()
    assert not (tmp_path / "store" / "staging").exists()


def test_a_bug_in_a_task_keeps_its_traceback(command: Command, tmp_path: Path) -> None:
    write_exports(tmp_path / "in")

    result = command(*RUN, cwd=tmp_path, fault="bug:annual_review.steps:build_tables")

    assert result.returncode == 1
    logged = result.stderr.split("Task run failed with exception: RuntimeError", 1)[1]
    assert logged.splitlines()[1] == "Traceback (most recent call last):", result.stderr[-3000:]
    assert "RuntimeError: injected bug in annual_review.steps.build_tables" in result.stderr
    ui = logs_of_the_last_run()
    assert any("Traceback" in line and "injected bug" in line for line in ui), ui


def test_a_deployment_s_run_gets_the_filter_from_the_flow_s_module() -> None:
    """A served deployment runs each flow in a fresh process that imports the flow, not flows.cli."""
    check = (
        "import logging, flows.prepare; "
        "print([[type(f).__name__ for f in logging.getLogger(n).filters if 'UserError' in type(f).__name__] "
        "for n in ('prefect.task_runs', 'prefect.flow_runs')])"
    )
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == str([["_UserErrorWithoutTraceback"]] * 2)
