"""The command line: a user's mistake exits non-zero with one clear line, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from datetime import datetime
from pathlib import Path

import pytest

from annual_review.store.local import LocalStore
from annual_review.years import LONDON, BusinessYear
from tests.helpers.commands import cli
from tests.helpers.exports import write_exports

CLI = [sys.executable, "-m", "flows.cli"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["run", "--year", "2019-2020", "--input", "in"],
            "business year '2019-2020' is not of the form YYYY-YY",
        ),
        (["run", "--year", "2019-21", "--input", "in"], "the second part must be the year after 2019"),
        (["run", "--year", "9999-00", "--input", "in"], "business year '9999-00' is out of range"),
        (["release", "--year", "9999-00", "--store", "."], "business year '9999-00' is out of range"),
        (["run", "--year", "1900-01", "--input", "in"], "business year '1900-01' is out of range"),
        (
            ["run", "--year", "2019-20", "--input", "in", "--peer-method", "median"],
            "--peer-method must be mean",
        ),
        (["run", "--year", "2019-20", "--input", "in", "--formats", "docx"], "--formats takes html, pdf"),
        (["generate", "--year", "2019-20", "--out", "x", "--format", "ods"], "--format must be csv or xlsx"),
        (  # raised inside the generator, caught once in main()
            ["generate", "--year", "2019-20", "--out", "x", "--scale", "2000", "--format", "xlsx"],
            "more than an XLSX sheet holds",
        ),
    ],
)
def test_bad_argument_is_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    result = cli(*args, cwd=tmp_path)
    assert result.returncode == 1
    lines = result.errors
    assert len(lines) == 1 and message in lines[0], result.stderr


def test_missing_column_exits_naming_it(tmp_path: Path) -> None:
    folder = write_exports(tmp_path / "in")
    text = (folder / "received.csv").read_text().replace("category,", "kind,")
    (folder / "received.csv").write_text(text)
    result = cli("run", "--year", "2019-20", "--input", "in", "--store", "store", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.errors
    assert len(lines) == 1 and lines[0].endswith("received.csv: missing required column category"), (
        result.stderr
    )
    assert list(LocalStore(tmp_path / "store").list("")) == []  # nothing staged, no lease left


def test_release_before_its_time_is_refused(tmp_path: Path) -> None:
    """The year running now, by the real clock: its release (29 July after it ends) is always months away."""
    running = BusinessYear.containing(datetime.now(LONDON).date())
    result = cli("release", "--year", running.label, "--store", "store", cwd=tmp_path)
    assert result.returncode == 1
    lines = result.errors
    assert len(lines) == 1 and f"{running.end_year}-07-29" in lines[0], result.stderr
    assert not (tmp_path / "store" / "public").exists()


@pytest.mark.slow
def test_demo_releases_two_years_the_second_compared_with_the_first(tmp_path: Path) -> None:
    result = cli("demo", "--scale", "0.01", "--formats", "html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    public = tmp_path / "var" / "store" / "public"
    releases = json.loads((public / "releases.json").read_bytes())
    assert (sorted(releases["years"]), releases["latest"]) == (["2023-24", "2024-25"], "2024-25")
    index = json.loads((public / "2024-25" / "json" / "index.json").read_bytes())
    assert index["previous_release"]["manifest_sha256"] == releases["years"]["2023-24"]["manifest_sha256"]
    assert "previous year 2023-24: as released at" in result.stdout
    letter = next((public / "2024-25" / "letters").glob("*.html")).read_text()
    assert "Complaints dealt with" in letter and "upheld decisions per 100,000 residents." in letter
    command = next(line.split() for line in result.stdout.splitlines() if "annual-review preview" in line)
    assert command[:3] == ["annual-review", "preview", "--store"]  # under make demo: .venv/bin/annual-review
    assert "http://127.0.0.1:8000/site/index.html" in result.stdout
    with (
        subprocess.Popen(  # the command as printed (on a free port), serving what the demo released
            [*CLI, *command[1:], "--port", "0"], cwd=tmp_path, stdout=subprocess.PIPE, text=True
        ) as server
    ):
        try:
            assert server.stdout is not None
            url = server.stdout.readline().split(" on ")[1].split()[0]
            with urllib.request.urlopen(url + "releases.json", timeout=10) as response:
                assert json.loads(response.read()) == releases
            with urllib.request.urlopen(url + "site/index.html", timeout=10) as response:
                assert response.status == 200
        finally:
            server.terminate()


def test_run_starts_prefects_api_before_loading_pandas_or_prefect(tmp_path: Path) -> None:
    """Prefect's API takes about 6 s to start (5 s of it importing the server); the command imports pandas
    and Prefect meanwhile, on the other core. Checking --allow-empty once imported pandas first (1.5 s)."""
    script = (
        "import sys\n"
        "import flows.cli as cli\n"
        "def started():\n"
        "    print(sorted(m for m in ('pandas', 'pyarrow', 'prefect') if m in sys.modules))\n"
        "    raise SystemExit(0)\n"
        "cli.start_local_api = started\n"
        "sys.argv = ['annual-review', 'run', '--year', '2019-20', '--input', 'in',\n"
        "            '--allow-empty', 'compliance']\n"
        "cli.main()\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert (result.returncode, result.stdout) == (0, "[]\n"), result.stderr


def test_a_run_prints_no_link_to_a_ui_that_is_not_there(tmp_path: Path) -> None:
    """The command's own temporary API serves no UI: its "View at http://127.0.0.1:<port>/runs/…" 404ed."""
    write_exports(tmp_path / "in")
    args = ("run", "--year", "2019-20", "--input", "in", "--store", "store", "--formats", "none")
    result = cli(*args, cwd=tmp_path, PREFECT_LOGGING_LEVEL="INFO")
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Beginning flow run" in result.stdout + result.stderr  # the run's INFO lines are shown...
    assert "View at" not in result.stdout + result.stderr  # ...but no link
