"""The `annual-review` command: generate, run, release, demo, and the store's readers (preview, share,
bucket-setup). Errors a user can fix are one line."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from annual_review.errors import PipelineError
from annual_review.layout import staging_prefix
from flows.console import err, fail, letters_bar, out, print_release, print_summary, print_where_to_look
from flows.runtime.prefect_env import configure_prefect, start_local_api

if TYPE_CHECKING:
    from annual_review.settings import Settings
    from annual_review.store import Store
    from annual_review.years import BusinessYear
    from flows.prepare import RunSummary

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False)

YearOpt = Annotated[str, typer.Option("--year", help="business year, e.g. 2019-20")]
StoreOpt = Annotated[
    str | None, typer.Option("--store", help="local folder or s3://bucket/prefix [default: var/store]")
]


def _fail(message: str) -> typer.Exit:
    fail(message)
    return typer.Exit(1)


def _settings() -> Settings:
    """The settings, checked first: a mistake is one line before Prefect starts. (The flow checks
    them again, as deployments start there, and probes the store: the first thing its run does.)"""
    from annual_review.settings import load_settings

    return load_settings()


def _year(label: str) -> BusinessYear:
    """The one place a year typed on the command line is checked; a flow is handed its label (as
    deployments and the UI start flows with text) and parses it again."""
    from annual_review.years import BusinessYear

    try:
        return BusinessYear.parse(label)
    except ValueError as error:
        raise _fail(str(error)) from None


@app.command()
def generate(
    year: YearOpt,
    out_dir: Annotated[Path, typer.Option("--out", help="folder to write the exports to")],
    scale: Annotated[float, typer.Option(min=0.001, help="1.0 ≈ 17,000 decisions")] = 1.0,
    seed: int = 0,
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx")] = "csv",
    messy: Annotated[float, typer.Option(min=0, max=1, help="share of invalid rows to inject")] = 0.0,
    population: Annotated[
        bool, typer.Option(help="write the optional population export (residents per authority)")
    ] = True,
) -> None:
    """Write synthetic exports for a year (deterministic for a seed)."""
    from annual_review.synthetic import generate_exports

    if fmt not in ("csv", "xlsx"):
        raise _fail(f"--format must be csv or xlsx, not {fmt!r}")
    counts = generate_exports(
        _year(year), out_dir, scale=scale, seed=seed, fmt=fmt, messy=messy, population=population
    )
    out.print(f"wrote {', '.join(f'{n} {k}' for k, n in counts.items())} rows to {out_dir}")


def _run(
    year: BusinessYear,
    input_dir: Path,
    store: str | None,
    peer_method: str | None,
    formats: list[str],
    allow_empty: tuple[str, ...] = (),
    break_lease: bool = False,
) -> RunSummary:
    configure_prefect()
    api_ready = start_local_api()
    from flows.prepare import prepare_year
    from flows.progress import watching

    _ready(api_ready)
    with letters_bar() as bar, watching(bar):
        state = prepare_year(
            year=year.label,
            input_dir=str(input_dir),
            store=store,
            peer_method=peer_method,
            formats=formats,
            allow_empty=list(allow_empty),
            break_lease=break_lease,
            return_state=True,
        )
    summary: RunSummary = _outcome(state)
    return summary


def _ready(api_ready: Callable[[], None]) -> None:
    """Wait for Prefect's API; then end as Crashed what a killed command left Running, and say so."""
    from flows.runtime.orphans import crash_orphaned_runs, crashed_note

    api_ready()
    for run in crash_orphaned_runs():
        err.print(f"note: {crashed_note(run)}", highlight=False, soft_wrap=True)


def _outcome(state: Any) -> Any:
    """A flow's result; a user's error becomes one line and exit 1, a bug keeps its traceback."""
    from prefect.exceptions import FailedRun

    try:
        result = state.result()
    except FailedRun:
        # Our flows end as Failed (not crashed) only for a user's error; the message says it all.
        raise _fail(state.message or "the flow run failed") from None
    return result


def _formats(value: str) -> list[str]:
    from annual_review.parameters import check_letter_formats

    return list(check_letter_formats(value.split(","), "--formats"))


@app.command()
def run(
    year: YearOpt,
    input_dir: Annotated[Path, typer.Option("--input", help="folder holding the year's exports")],
    store: StoreOpt = None,
    peer_method: Annotated[
        str | None, typer.Option(help="mean or pooled [default: ANNUAL_REVIEW_PEER_METHOD, else mean]")
    ] = None,
    formats: Annotated[
        str, typer.Option(help="letters to render: html,pdf | html | pdf | none")
    ] = "html,pdf",
    allow_empty: Annotated[
        list[str] | None,
        typer.Option(help="an export that may have no rows for the year, e.g. compliance (repeatable)"),
    ] = None,
    break_lease: Annotated[
        bool, typer.Option(help="take over the store's lease of another run of the year that is dead")
    ] = False,
) -> None:
    """Extract, validate, transform, render and stage a year (staging/<year>/ only)."""
    from annual_review.parameters import check_peer_method

    if peer_method is not None:
        check_peer_method(peer_method, "--peer-method")
    business_year, letter_formats = _year(year), _formats(formats)
    from annual_review.extract.specs import check_may_be_empty

    allowed = check_may_be_empty(name for value in allow_empty or () for name in value.split(","))
    _settings()
    summary = _run(business_year, input_dir, store, peer_method, letter_formats, allowed, break_lease)
    print_summary(summary)


@app.command()
def release(
    year: YearOpt,
    store: StoreOpt = None,
    correction: Annotated[bool, typer.Option(help="re-release a changed candidate")] = False,
) -> None:
    """Publish the staged year to public/ once its release time has come."""
    business_year = _year(year)
    settings = _settings()
    configure_prefect()
    api_ready = start_local_api()
    from flows.release import release_flow

    _ready(api_ready)
    result = _outcome(
        release_flow(year=business_year.label, store=store, correction=correction, return_state=True)
    )
    print_release(result, store or settings.store)


# Two consecutive recent years: the second's letters (2024 edition) compare with the first as released.
DEMO_YEARS = ("2023-24", "2024-25")


@app.command()
def demo(
    year: Annotated[
        str | None, typer.Option(help="one business year to make up [default: 2023-24, then 2024-25]")
    ] = None,
    scale: Annotated[float, typer.Option(min=0.001)] = 1.0,
    store: StoreOpt = None,
    formats: Annotated[str, typer.Option(help="letters to render")] = "html,pdf",
) -> None:
    """Make synthetic exports, run each year and release it into the local store."""
    years = [_year(label) for label in ((year,) if year else DEMO_YEARS)]
    letter_formats = _formats(formats)
    where = store or _settings().store
    for business_year in years:
        summary = _demo_year(business_year, scale, store, letter_formats, where)
    root = Path(summary.store).resolve() if "://" not in summary.store else summary.store
    print_where_to_look(str(root), years[-1], letter_formats, _program())


def _program() -> str:
    """This command as typed again from here: `.venv/bin/annual-review` after `make demo`."""
    invoked = Path(sys.argv[0])
    if invoked.name != "annual-review":
        return "annual-review"  # python -m flows.cli
    relative = os.path.relpath(invoked)
    return relative if not relative.startswith("..") else str(invoked)


def _demo_year(
    year: BusinessYear, scale: float, store: str | None, formats: list[str], where: str
) -> RunSummary:
    """Generate, run and release one year of the demo (its release time is long past)."""
    from annual_review.synthetic import generate_exports

    label = year.label
    input_dir = _settings().exports_dir / label  # where a Quick run of the prepare deployment looks
    counts = generate_exports(year, input_dir, scale=scale, seed=0, messy=0.001)
    out.print(f"[bold]{label} 1. generated[/] synthetic exports in {input_dir}: {counts}")
    out.print(f"[bold]{label} 2. running[/] extract → validate → transform → letters → stage (Prefect flow)")
    summary = _run(year, input_dir, store, None, formats)
    from flows.release import release_flow  # Prefect is imported only once _run has started its API

    print_summary(summary)
    out.print(
        f"[bold]{label} 3. staged[/] the release candidate under {summary.store}/{staging_prefix(year)}"
    )
    result = _outcome(release_flow(year=label, store=store, correction=False, return_state=True))
    out.print(f"[bold]{label} 4. released[/] (the demo year's release time has passed):")
    print_release(result, where)
    return summary


@app.command()
def preview(
    store: StoreOpt = None,
    year: Annotated[
        str | None, typer.Option(help="also show this year's staged candidate, as if released")
    ] = None,
    port: Annotated[int, typer.Option(min=0, max=65535, help="on 127.0.0.1")] = 8000,
) -> None:
    """Serve the reference site over the store, read-only (a server: no Prefect flow)."""
    from annual_review.access.preview import PublicView, make_server, site_url

    where = _open_store(store, _settings())
    view = PublicView(where, _year(year) if year else None)
    try:
        server = make_server(view, port)
    except OSError as error:
        raise _fail(f"cannot listen on 127.0.0.1:{port} ({error.strerror}); choose another --port") from None
    shown = f"; {year} as staged, beside the released years" if year else ""
    out.print(
        f"Previewing {where.url}{shown} on {site_url(server)} (Ctrl-C stops)", highlight=False, soft_wrap=True
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


@app.command()
def share(
    year: YearOpt,
    csv_path: Annotated[Path, typer.Option("--csv", help="the mail-merge CSV to write (not in the store)")],
    store: StoreOpt = None,
    until: Annotated[
        str | None, typer.Option(help="expire earlier, e.g. 2020-07-28T17:00 (London unless an offset)")
    ] = None,
    shared_by: Annotated[
        str | None, typer.Option("--by", help="who hands the links out [default: this login]")
    ] = None,
) -> None:
    """Private links to each council's staged letter, until the release; recorded in the store."""
    import getpass

    from annual_review.access.share import share_letters
    from annual_review.clock import current_clock

    business_year = _year(year)
    settings = _settings()
    shared = share_letters(
        _open_store(store, settings),
        business_year,
        release_time=settings.release_time(business_year),
        clock=current_clock(),
        csv_path=csv_path,
        shared_by=shared_by or getpass.getuser(),
        until=_when(until) if until else None,
    )
    out.print(
        f"{shared.links} links for {shared.authorities} authorities, expiring by "
        f"{shared.expires_at:%Y-%m-%d %H:%M %Z}, written to {shared.csv}; "
        f"access recorded in {shared.access_log}",
        highlight=False,
        soft_wrap=True,
    )


@app.command("bucket-setup")
def bucket_setup(
    origin: Annotated[list[str], typer.Option(help="the website's origin, e.g. https://www.example.org")],
    store: StoreOpt = None,
) -> None:
    """Let browsers from the origin GET the bucket (CORS), and anyone read public/ (never staging/)."""
    from annual_review.access.bucket import open_to_browsers

    resource = open_to_browsers(_open_store(store, _settings()), origin)
    out.print(
        f"CORS GET allowed from {', '.join(origin)}; public read on {resource} only",
        highlight=False,
        soft_wrap=True,
    )


def _open_store(url: str | None, settings: Settings) -> Store:
    from annual_review.store import open_store

    url = url or settings.store
    if "://" not in url and not Path(url).is_dir():
        raise _fail(f"there is no store at {url}")
    return open_store(url, endpoint_url=settings.s3_endpoint_url)


def _when(text: str) -> datetime:
    from annual_review.years import LONDON

    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise _fail(f"--until {text!r} is not a time like 2020-07-28T17:00") from None
    return when if when.tzinfo else when.replace(tzinfo=LONDON)


def main() -> None:
    """The one place a user's error outside a flow run (e.g. generating exports) becomes one line."""
    try:
        app()
    except PipelineError as error:
        _fail(str(error))
        sys.exit(1)


if __name__ == "__main__":
    main()
