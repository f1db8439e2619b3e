"""The benchmark's tables and the issue's targets with pass/miss, as Markdown for docs/performance.md."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

BEGIN, END = "<!-- bench:begin -->", "<!-- bench:end -->"
GB = 1024.0

ROWS = (  # (stage key, label)
    ("extract", "extract + validate (4 exports, incl. their Parquet)"),
    ("transform", "transform (figures, peer averages)"),
    ("write", "Parquet + JSON write"),
    ("pipeline", "= pipeline extract + transform"),
    ("duckdb", "baseline: DuckDB SQL (validation + figures)"),
    ("pandas", "baseline: plain pandas script"),
    ("html", "HTML letters"),
    ("pdf_2", "PDF letters, 2 threads"),
    ("pdf_1", "PDF letters, 1 thread"),
    ("pdf_cpu_2020", "CPU s a PDF letter, 2020 edition (1 thread)"),
    ("pdf_cpu_2024", "CPU s a PDF letter, 2024 edition (1 thread)"),
    ("stage", "stage to store (data, JSON, HTML)"),
    ("stage_pdf", "stage to store (… and PDFs)"),
)


@dataclass(frozen=True)
class Target:
    name: str
    measured: str
    ok: bool | None  # None: not measured in this run


def _stage(results: dict[float, dict[str, Any]], scale: float, key: str) -> dict[str, Any] | None:
    found: dict[str, Any] | None = results.get(scale, {}).get("stages", {}).get(key)
    return found


def pipeline_seconds(result: dict[str, Any]) -> list[float]:
    """Extract + transform per repeat (the same repeat's two stages added)."""
    stages = result["stages"]
    return [a + b for a, b in zip(stages["extract"]["seconds"], stages["transform"]["seconds"], strict=True)]


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    n = len(ordered)
    return (
        float("nan") if not n else (ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2)
    )


def with_pipeline(results: dict[float, dict[str, Any]]) -> None:
    """Add the 'pipeline' row: extract + transform, the part the baselines also do."""
    for result in results.values():
        seconds = pipeline_seconds(result)
        peak = max(result["stages"]["extract"]["peak_mb"], result["stages"]["transform"]["peak_mb"])
        result["stages"]["pipeline"] = {"seconds": seconds, "median": _median(seconds), "peak_mb": peak}


def stage_table(results: dict[float, dict[str, Any]]) -> str:
    scales = sorted(results)
    head = "| stage | " + " | ".join(f"scale {s:g}: s | peak MB" for s in scales) + " |"
    rule = "|---|" + "---:|---:|" * len(scales)
    lines = [head, rule]
    for key, label in ROWS:
        cells = []
        for s in scales:
            found = _stage(results, s, key)
            cells += [f"{found['median']:.2f}", f"{found['peak_mb']:.0f}"] if found else ["–", "–"]
        if any(c != "–" for c in cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    rows = [f"{sum(a + r for a, r in results[s]['files'].values()):,}" for s in scales]
    lines.append("| input rows (4 CSVs) | " + " | ".join(f"{r} | " for r in rows) + " |")
    return "\n".join(lines)


def runs_table(runs: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| whole `annual-review run` (CLI, subprocess) | median s | runs (s) | peak RSS MB |",
        "|---|---:|---|---:|",
    ]
    for label, sample in runs.items():
        seconds = sample["seconds"]
        each = ", ".join(f"{x:.1f}" for x in seconds)
        lines.append(f"| {label} | {_median(seconds):.1f} | {each} | {sample['peak_mb']:.0f} |")
    return "\n".join(lines)


def _run_target(runs: dict[str, dict[str, Any]], label: str, name: str, limit: float) -> Target:
    sample = runs.get(label)
    if not sample:
        return Target(name, "not measured", None)
    took = _median(sample["seconds"])
    return Target(name, f"{took:.1f} s", took <= limit)


def targets(results: dict[float, dict[str, Any]], runs: dict[str, dict[str, Any]]) -> list[Target]:
    """The targets of issue 17, judged on this run's medians."""
    out: list[Target] = []
    for edition in ("2020", "2024"):
        name = f"PDF letters, {edition} edition: ≤ 50 ms of CPU a letter (HTML included)"
        cpu = _stage(results, 1.0, f"pdf_cpu_{edition}")
        if cpu:
            out.append(Target(name, f"{1000 * cpu['median']:.0f} ms", cpu["median"] <= 0.050))
        else:
            out.append(Target(name, "not measured", None))
    two = _stage(results, 1.0, "pdf_2")
    name = "scale-1 PDF step ≤ 10 s of wall time, 2 threads"
    out.append(
        Target(name, f"{two['median']:.1f} s", two["median"] <= 10.0) if two else Target(name, "–", None)
    )
    big = results.get(100.0)
    ratio_name, peak_name = "extract+transform at scale 100 ≤ 1.2 × DuckDB", "peak RSS at scale 100 < 1 GB"
    if big:
        ours, duck = (big["stages"][k]["median"] for k in ("pipeline", "duckdb"))
        out.append(Target(ratio_name, f"{ours:.2f} s = {ours / duck:.2f} × {duck:.2f} s", ours <= 1.2 * duck))
        stage_peak = max(v["peak_mb"] for k, v in big["stages"].items() if k not in ("duckdb", "pandas"))
        run_peak = runs.get("scale 100, no letters", {}).get("peak_mb", 0.0)
        peak = max(stage_peak, run_peak)
        measured = f"{peak / GB:.2f} GB (stages {stage_peak / GB:.2f}, whole run {run_peak / GB:.2f})"
        out.append(Target(peak_name, measured, peak < GB))
    else:
        out += [
            Target(ratio_name, "not measured (--quick)", None),
            Target(peak_name, "not measured (--quick)", None),
        ]
    out.append(
        _run_target(
            runs,
            "scale 1, HTML, against a running Prefect server",
            "whole scale-1 HTML run against a running Prefect server ≤ 4 s",
            4.0,
        )
    )
    return out


def targets_table(found: list[Target]) -> str:
    verdict = {True: "**pass**", False: "**miss**", None: "–"}
    lines = ["| target (issue 17) | measured | |", "|---|---|---|"]
    lines += [f"| {t.name} | {t.measured} | {verdict[t.ok]} |" for t in found]
    return "\n".join(lines)


def machine_table(machine: dict[str, str], loads: dict[str, str], settings: str) -> str:
    lines = ["| | |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in machine.items()]
    lines += [f"| load average (1/5/15 min) {when} | {v} |" for when, v in loads.items()]
    lines.append(f"| settings | {settings} |")
    return "\n".join(lines)


def section(machine: str, stages: str, runs: str, goals: str, when: str) -> str:
    return f"""{BEGIN}
_Written by `make bench` ({when}). Medians of the repeats; peak RSS is the highest VmHWM of the
process during the stage (reset before each stage), and for whole runs the largest process of the run's
own tree (ru_maxrss through a fresh launcher, `bench/peak.py`)._

### Targets

{goals}

### Stages (seconds, peak RSS)

{stages}

### Whole runs

{runs}

### Machine

{machine}
{END}"""


def write(path: Path, body: str) -> None:
    """Replace the generated section of `path`, keeping what people wrote around it."""
    text = path.read_text() if path.exists() else ""
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + body + text[text.index(END) + len(END) :]
    else:
        text = (text or "# Performance\n\n") + body + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
