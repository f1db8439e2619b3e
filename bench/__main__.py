"""make bench: stages at scales 1, 10, 100, whole runs, baselines; prints and writes docs/performance.md."""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import machine, report
from bench.data import exports
from bench.wholerun import running_server, warm_up, whole_run

ROOT = Path(__file__).resolve().parent.parent


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="scales 1 and 10 only (no scale-100 run)")
    parser.add_argument("--repeat", type=int, default=3, help="repeats of each stage and baseline (median)")
    parser.add_argument("--pdf-repeat", type=int, default=2, help="repeats of the PDF stages (0: skip)")
    parser.add_argument("--run-repeat", type=int, default=3, help="repeats of the whole HTML run")
    parser.add_argument("--pdf-run-repeat", type=int, default=1, help="repeats of the whole run with PDFs")
    parser.add_argument("--no-runs", action="store_true", help="skip the whole `annual-review run`s")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "performance.md")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / ".cache" / "latest.json")
    return parser.parse_args()


def _scale(scale: float, repeat: int, pdf_repeat: int) -> dict[str, Any]:
    """One scale in a fresh process, so that its peak RSS is its own."""
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out = Path(tmp) / "result.json"
        command = [
            sys.executable,
            "-m",
            "bench.scale",
            "--scale",
            str(scale),
            "--repeat",
            str(repeat),
            "--pdf-repeat",
            str(pdf_repeat),
            "--out",
            str(out),
        ]
        subprocess.run(command, cwd=ROOT, check=True)
        result: dict[str, Any] = json.loads(out.read_text())
    return result


def main() -> None:
    args = _arguments()
    scales = (1.0, 10.0) if args.quick else (1.0, 10.0, 100.0)
    loads = {"at start": machine.load()}
    for scale in scales:
        exports(scale)  # generated once, then cached
    results: dict[float, dict[str, Any]] = {}
    for scale in scales:
        print(f"scale {scale:g}: stages and baselines, {args.repeat} repeats ...", flush=True)
        results[scale] = _scale(scale, args.repeat, args.pdf_repeat if scale == 1.0 else 0)
    report.with_pipeline(results)
    runs: dict[str, dict[str, Any]] = {}
    if not args.no_runs:
        warm_up()
        plan = [("scale 1, HTML", 1.0, "html", args.run_repeat)]
        if args.pdf_run_repeat:
            plan.append(("scale 1, HTML + PDF", 1.0, "html,pdf", args.pdf_run_repeat))
        if not args.quick:
            plan.append(("scale 100, no letters", 100.0, "none", 1))
        for label, scale, formats, repeat in plan:
            print(f"whole run: {label}, {repeat} × ...", flush=True)
            runs[label] = asdict(whole_run(scale, formats, repeat))
        label = "scale 1, HTML, against a running Prefect server"
        print(f"whole run: {label}, {args.run_repeat} × ...", flush=True)
        with running_server() as api_url:
            whole_run(1.0, "html", 1, api_url)  # the server's own first-run work (its database warm)
            runs[label] = asdict(whole_run(1.0, "html", args.run_repeat, api_url))
    loads["at end"] = machine.load()
    settings = (
        f"repeat {args.repeat}, PDF repeat {args.pdf_repeat}, run repeat {args.run_repeat}, "
        f"PDF run repeat {args.pdf_run_repeat}{', quick' if args.quick else ''}"
    )
    body = report.section(
        report.machine_table(machine.describe(), loads, settings),
        report.stage_table(results),
        report.runs_table(runs) if runs else "(skipped: --no-runs)",
        report.targets_table(report.targets(results, runs)),
        datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    )
    print(body)
    report.write(args.out, body)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"results": results, "runs": runs, "loads": loads}, indent=1) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
