"""A folder store's files take the mode a new file gets by the umask, so a web server can read public/."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from annual_review.atomic import write_atomic
from annual_review.store.local import LocalStore
from tests.helpers.commands import Command
from tests.helpers.exports import write_exports


@pytest.fixture
def umask_022() -> Iterator[None]:
    """The usual umask, for this process and the commands it starts (it is inherited)."""
    before = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(before)


def modes(folder: Path) -> dict[str, int]:
    return {p.relative_to(folder).as_posix(): stat.S_IMODE(p.stat().st_mode) for p in folder.rglob("*")}


@pytest.mark.slow
@pytest.mark.usefixtures("umask_022")
def test_run_and_release_leave_public_readable_by_others(tmp_path: Path, command: Command) -> None:
    write_exports(tmp_path / "in")
    for args in (("run", "--input", "in", "--formats", "html"), ("release",)):
        done = command(*args, "--year", "2019-20", "--store", "store", cwd=tmp_path)
        assert done.returncode == 0, done.stderr[-3000:]
    store = tmp_path / "store"
    public = modes(store / "public")
    assert "releases.json" in public and "2019-20/letters/E07000154.html" in public
    files = {key: mode for key, mode in public.items() if (store / "public" / key).is_file()}
    folders = {key: mode for key, mode in public.items() if key not in files}
    assert set(files.values()) == {0o644}, files  # as `touch` makes them: a web server can read them
    assert set(folders.values()) == {0o755}, folders
    # Staging is never public: on a folder that is the folder's permissions (others get nothing),
    # while its files are normal files, so the team's group can still run and release each other's years.
    assert stat.S_IMODE((store / "staging").stat().st_mode) == 0o750
    staged = [p for p in (store / "staging").rglob("*") if p.is_file()]
    assert staged and {stat.S_IMODE(p.stat().st_mode) for p in staged} == {0o644}


@pytest.mark.usefixtures("umask_022")
def test_a_staging_folder_made_before_is_closed_to_others_on_the_next_staged_write(tmp_path: Path) -> None:
    (tmp_path / "staging").mkdir(mode=0o755)  # as main's store made it, its files then 0600
    store = LocalStore(tmp_path)
    store.put("public/a.json", b"{}", content_type="application/json")
    assert stat.S_IMODE((tmp_path / "staging").stat().st_mode) == 0o755  # only a staged write looks
    store.put("staging/2019-20/a.json", b"{}", content_type="application/json")
    assert stat.S_IMODE((tmp_path / "staging").stat().st_mode) == 0o750
    assert stat.S_IMODE((tmp_path / "staging" / "2019-20" / "a.json").stat().st_mode) == 0o644


@pytest.mark.usefixtures("umask_022")
def test_a_private_file_is_its_owners_alone(tmp_path: Path) -> None:
    write_atomic(tmp_path / "links.csv", b"a,b\r\n", private=True)
    write_atomic(tmp_path / "public.csv", b"a,b\r\n")
    assert stat.S_IMODE((tmp_path / "links.csv").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "public.csv").stat().st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["links.csv", "public.csv"]  # no temp file left
