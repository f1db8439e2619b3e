"""Settings and store mistakes stop a command first, in one line: settings before Prefect starts,
the store (a probe write) as the first thing the flow does, before any work."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers.commands import Command, Outcome, cli
from tests.helpers.exports import write_exports

RUN = ("run", "--year", "2019-20", "--input", "in", "--store", "store", "--formats", "none")
RELEASE = ("release", "--year", "2019-20", "--store", "store")
NO_AWS: dict[str, str | None] = {  # nothing of this machine's AWS set-up, no instance metadata to ask
    "AWS_ACCESS_KEY_ID": None,
    "AWS_SECRET_ACCESS_KEY": None,
    "AWS_SESSION_TOKEN": None,
    "AWS_PROFILE": None,
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    "AWS_EC2_METADATA_DISABLED": "true",
}


def before_prefect(tmp_path: Path, *args: str, **env: str | None) -> Outcome:
    """The command in a fresh Prefect home: its temporary API server would log to api.log there."""
    write_exports(tmp_path / "in")
    home = tmp_path / "prefect-home"
    result = cli(*args, cwd=tmp_path, PREFECT_HOME=str(home), **env)
    assert not (home / "api.log").exists(), "the command started Prefect before it failed"
    return result


def before_any_work(command: Command, tmp_path: Path, *args: str, **env: str | None) -> Outcome:
    """The command, whose flow probes the store first: nothing is read or computed before it fails."""
    write_exports(tmp_path / "in")
    result = command(*args, cwd=tmp_path, **env)
    assert not (tmp_path / "var" / "work").exists(), "the run did work before it failed"
    return result


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            RUN,
            {"ANNUAL_REVIEW_MAX_REJECT_RATE": "5"},
            "settings: ANNUAL_REVIEW_MAX_REJECT_RATE: Input should be less than or equal to 1 (got '5')",
        ),
        (
            RELEASE,
            {"ANNUAL_REVIEW_RELEASE_TIMES": '{"2019-20": "2020-07-29T09:30:00"}'},
            "settings: ANNUAL_REVIEW_RELEASE_TIMES: the release time of 2019-20 needs a timezone",
        ),
        (
            RUN,
            {"ANNUAL_REVIEW_LETTER_DATES": '{"2019-2020": "2020-07-22"}'},
            "settings: ANNUAL_REVIEW_LETTER_DATES: key business year '2019-2020' is not of the form YYYY-YY, "
            "e.g. 2019-20",
        ),
        (
            RUN,
            {"ANNUAL_REVIEW_PEER_METHOD": "median"},
            "settings: ANNUAL_REVIEW_PEER_METHOD: Input should be 'mean' or 'pooled' (got 'median')",
        ),
        (
            RELEASE,
            {"ANNUAL_REVIEW_RELEASE_TIMES": "{2019-20: tomorrow}"},
            "settings: ANNUAL_REVIEW_RELEASE_TIMES is not valid JSON",
        ),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(
    tmp_path: Path, args: tuple[str, ...], env: dict[str, str | None], message: str
) -> None:
    assert before_prefect(tmp_path, *args, **env).error.startswith(message)


def test_a_store_that_is_a_file(command: Command, tmp_path: Path) -> None:
    (tmp_path / "store").write_text("not a folder")
    result = before_any_work(command, tmp_path, *RUN)
    assert result.error == f"store {tmp_path / 'store'} is a file, not a folder"


def test_a_store_that_cannot_be_written(command: Command, tmp_path: Path) -> None:
    if os.geteuid() == 0:  # root writes through permissions: a read-only kernel folder it cannot
        store = Path("/sys/fs")
    else:
        store = tmp_path / "read-only"
        store.mkdir()
        store.chmod(0o555)
    result = before_any_work(command, tmp_path, *RUN[:-3], str(store), "--formats", "none")
    assert result.error.startswith(f"store {store} cannot be written: ")


def test_a_work_folder_that_is_a_file(command: Command, tmp_path: Path) -> None:
    """Found by the flow before it reads an export: still one line."""
    write_exports(tmp_path / "in")
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "work").write_text("not a folder")
    result = command(*RUN, cwd=tmp_path)
    folder = Path("var/work/2019-20")
    problem = "cannot be used: Not a directory; check ANNUAL_REVIEW_WORK_DIR"
    assert result.error == f"work folder {folder} {problem}"


KEYS = {"AWS_ACCESS_KEY_ID": "key", "AWS_SECRET_ACCESS_KEY": "secret"}


@pytest.mark.parametrize(
    ("name", "env", "problem"),
    [
        ("run", {}, "no usable AWS credentials (Unable to locate credentials)"),
        ("run", {"AWS_PROFILE": "nope"}, "The config profile (nope) could not be found"),
        (  # port 9 (discard): nothing listens there
            "release",
            {**KEYS, "AWS_ENDPOINT_URL": "http://127.0.0.1:9"},
            "cannot reach the S3 endpoint (Could not connect to the endpoint URL",
        ),
    ],
)
def test_an_s3_store_that_cannot_be_used(
    command: Command, tmp_path: Path, name: str, env: dict[str, str], problem: str
) -> None:
    args = RUN[:-2] if name == "run" else RELEASE
    store = "s3://bucket/annual-review"
    result = before_any_work(command, tmp_path, *args[:-1], store, **{**NO_AWS, **env})
    assert result.error.startswith(f"store {store}: {problem}")


@pytest.mark.parametrize(
    ("option", "method"),
    [((), "pooled"), (("--peer-method", "mean"), "mean")],
)
def test_the_peer_method_setting_is_the_run_s_default(
    command: Command, tmp_path: Path, option: tuple[str, ...], method: str
) -> None:
    """`run` read --peer-method's own default ("mean") before the setting, so the setting did nothing."""
    write_exports(tmp_path / "in")
    result = command(*RUN, *option, cwd=tmp_path, ANNUAL_REVIEW_PEER_METHOD="pooled")
    assert result.returncode == 0, result.stderr[-3000:]
    candidate = json.loads((tmp_path / "store" / "staging" / "2019-20" / "candidate.json").read_bytes())
    assert candidate["peer_method"] == method
    assert f"Peer averages 2019-20 ({method})" in result.stdout
