"""What the command prints: the run's tables, the release, and a progress bar for the PDF letters."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from annual_review import layout

if TYPE_CHECKING:
    from annual_review.years import BusinessYear
    from flows.prepare import RunSummary
    from flows.report import PopulationReport

out = Console()
err = Console(stderr=True)

# The peer figures the command shows, as the run's report holds them (flows/report.py, the UI's table)
PEER_COLUMNS = {
    "uphold": "uphold rate",
    "compliance": "compliance rate",
    "satisfactory remedy": "satisfactory remedy rate",
    "upheld per 100k": "upheld per 100,000 residents",
}


def fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)


@contextmanager
def letters_bar() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on a terminal while the PDF letters render (nothing when output goes to a file)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeRemainingColumn

    columns = (TextColumn("PDF letters"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    bar = Progress(*columns, console=err, disable=not err.is_terminal)
    task: list[TaskID] = []

    def advance(done: int, total: int) -> None:
        if not task:  # shown from the first chunk on, so it does not sit empty under the other steps' logs
            bar.start()
            task.append(bar.add_task("letters", total=total))
        bar.update(task[0], completed=done)
        if done == total:
            bar.stop()

    try:
        yield advance
    finally:
        bar.stop()


def print_release(result: dict[str, Any], where: str) -> None:
    verb = {"unchanged": "already released, nothing changed"}.get(result["status"], result["status"])
    out.print(
        f"[bold]{result['year']}[/]: {verb} at {result['released_at']}: {result['files']} files, "
        f"{result['bytes'] / 1e6:.1f} MB, {result['written']} written; "
        f"readers see it through {where}/{layout.RELEASES_KEY}"
    )


def print_summary(summary: RunSummary) -> None:
    table = Table(title=f"Run report {summary.year}")
    for column in ("file", "rows read", "accepted", "rejected", "blank lines"):
        table.add_column(column, justify="left" if column == "file" else "right")
    for report in summary.files.values():
        counts = (report.rows_read, report.rows_accepted, report.rows_rejected, report.blank_lines)
        table.add_row(report.file, *map(str, counts))
    out.print(table)
    if summary.empty_exports:
        out.print(f"no rows for {summary.year}, as allowed: {', '.join(summary.empty_exports)}")
    _print_headlines(summary)


def _print_headlines(summary: RunSummary) -> None:
    table = Table(title=f"Peer averages {summary.year} ({summary.peer_method})")
    table.add_column("type", justify="left")
    for column in PEER_COLUMNS:
        table.add_column(column, justify="right")
    for row in summary.report.peer_rows:
        table.add_row(str(row["type"]), *(str(row[shown]) for shown in PEER_COLUMNS.values()))
    out.print(table)
    out.print(
        f"{summary.report.authorities} authorities, {summary.report.with_letter} with a letter; "
        f"{summary.letters} letter files; {summary.staged} files staged to {summary.store}"
    )
    print_sources(summary.population, summary.previous_year)


def print_sources(population: PopulationReport, previous: dict[str, Any]) -> None:
    """What the per-100k figures and last year's figures rest on, or why they are null."""
    if population.file is None:
        out.print("population: no population export, so upheld decisions per 100,000 residents are null")
    else:
        missing = population.without_population
        listed = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        out.print(
            f"population: {population.file}; "
            + (
                f"{len(missing)} {'authority' if len(missing) == 1 else 'authorities'} without one: {listed}"
                if missing
                else "every authority has one"
            )
        )
    release = previous["release"]
    out.print(
        f"previous year {previous['year']}: "
        + (
            f"as released at {release['released_at']} (manifest sha256 {release['manifest_sha256'][:12]}…)"
            if release
            else "not released in this store, so no comparison with it"
        )
    )


def print_where_to_look(root: str, year: BusinessYear, formats: list[str], program: str) -> None:
    """The end of the demo: where its outputs are in the store, and how to see the site over it."""
    released = f"{root}/{layout.public_prefix(year)}"
    dataset = PurePosixPath(layout.partition_key("<table>", year)).parent
    kinds = " and ".join(kind.upper() for kind in formats)
    out.print(
        f"\nLook at:\n  {released}{layout.LETTERS}   one {kinds} letter per council\n"
        f"  {released}{layout.WEBSITE_INDEX}   the website's figures\n"
        f"  {root}/{layout.PUBLIC}{dataset}/   all released years as one Parquet dataset\n"
        f"  {root}/{layout.manifest_key(year)}   every file with its sha256\n"
        f"and the reference website over the store:\n  {program} preview --store {root}\n"
        f"  then open http://127.0.0.1:8000/{layout.SITE}index.html (Ctrl-C stops it)",
        soft_wrap=True,  # paths and commands stay whole, to be copied
    )
