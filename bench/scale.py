"""One scale in a fresh process: the pipeline's stages and both baselines, interleaved, as JSON.

python -m bench.scale --scale 100 --repeat 3 --pdf-repeat 0 --out result.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

from annual_review import steps
from bench import baseline_duckdb, baseline_pandas, pipeline
from bench.data import YEAR, exports
from bench.figures import Figures, check_agree
from bench.measure import Sample, measure, process_peak_mb, reset_peak
from templates import CONTENT_DIR

STAGES = (
    "extract",
    "transform",
    "write",
    "html",
    "stage",
    "duckdb",
    "pandas",
    "pdf_2",
    "pdf_1",
    "stage_pdf",
    "pdf_cpu_2020",  # CPU seconds a letter (HTML and PDF), one process, each edition
    "pdf_cpu_2024",
)


class Run:
    """Samples of every stage at one scale; the pipeline's last outputs for the PDF stages."""

    def __init__(self, folder: Path, scratch: Path) -> None:
        self.folder = folder
        self.scratch = scratch
        self.samples = {name: Sample() for name in STAGES}
        self.figures: dict[str, Figures] = {}
        self.built: steps.Built | None = None
        self.html: steps.Rendered | None = None
        self.files: dict[str, tuple[int, int]] = {}

    def fresh(self, name: str) -> Path:
        path = self.scratch / name
        shutil.rmtree(path, ignore_errors=True)
        return path

    def pipeline(self) -> None:
        """extract → build (transform, write) → HTML letters → stage, as the flow runs them."""
        work = self.fresh("work")
        s = self.samples
        extracted = measure(s["extract"], lambda: pipeline.extract_all(self.folder, work))
        split: dict[str, float] = {}

        def build() -> steps.Built:
            built, split["transform"], split["write"] = pipeline.build(extracted, work)
            return built

        probe = Sample()
        built = measure(probe, build)
        s["transform"].add(split["transform"], probe.peak_mb)
        s["write"].add(split["write"], probe.peak_mb)
        self.figures["pipeline"] = pipeline.figures(extracted, built)
        html = measure(s["html"], lambda: pipeline.letters(built, ("html",), 0, work))
        measure(s["stage"], lambda: pipeline.stage(built, [html], self.fresh("store")))
        self.built, self.html = built, html

    def duckdb(self) -> None:
        self.figures["duckdb"] = measure(
            self.samples["duckdb"], lambda: baseline_duckdb.run(self.folder, YEAR)
        )

    def pandas(self) -> None:
        self.figures["pandas"] = measure(
            self.samples["pandas"], lambda: baseline_pandas.run(self.folder, YEAR)
        )

    def check(self) -> None:
        """Fail loudly (non-zero exit) when a baseline's figures differ from the pipeline's."""
        reference = self.figures["pipeline"]
        check_agree(reference, {k: v for k, v in self.figures.items() if k != "pipeline"})
        self.files = reference.files

    def pdfs(self, repeat: int) -> None:
        """PDF letters with 2 threads and with 1 (alternating first), each from an empty PDF cache;
        the CPU a letter takes in each edition; then staging them too."""
        assert self.built is not None and self.html is not None
        built = self.built
        rendered = None
        for r in range(repeat):
            for workers in (2, 1) if r % 2 == 0 else (1, 2):
                work = self.fresh("pdf-work")  # else the PDF cache hands back the last repeat's letters
                rendered = measure(
                    self.samples[f"pdf_{workers}"],
                    lambda w=workers, k=work: pipeline.letters(built, ("pdf",), w, k),  # type: ignore[misc]
                )
        assert rendered is not None
        for edition, content in (("2020", None), ("2024", self.content(edition="2024"))):
            for _ in range(repeat):
                work = self.fresh("pdf-cpu")  # not pdf-work: `rendered` is staged from there below
                cpu = time.process_time()
                made = pipeline.letters(built, ("pdf",), 1, work, content)
                self.samples[f"pdf_cpu_{edition}"].add((time.process_time() - cpu) / len(made.keys), 0.0)
        html = self.html
        for _ in range(repeat):
            measure(
                self.samples["stage_pdf"],
                lambda: pipeline.stage(built, [html, rendered], self.fresh("store")),
            )
        self.letters = len(rendered.keys)

    def content(self, edition: str) -> Path:
        """The shipped default content in another edition, as an editor would switch it."""
        folder = self.fresh("content")
        shutil.copytree(CONTENT_DIR / "default", folder / "default")
        toml = folder / "default" / "letter.toml"
        toml.write_text(f'edition = "{edition}"\n' + toml.read_text())
        return folder


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--scale", type=float, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf-repeat", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    folder = exports(args.scale)
    with tempfile.TemporaryDirectory(prefix=f"bench-{args.scale:g}-") as tmp:
        run = Run(folder, Path(tmp))
        order: list[Callable[[], None]] = [run.pipeline, run.duckdb, run.pandas]
        for r in range(args.repeat):
            for step in order[r % 3 :] + order[: r % 3]:  # each goes first once in three
                step()
            run.check()
        if args.pdf_repeat:
            run.pdfs(args.pdf_repeat)
        result: dict[str, Any] = {
            "scale": args.scale,
            "pid": os.getpid(),
            "files": run.files,
            "letters": getattr(run, "letters", None),
            "per_stage_peaks": reset_peak(),
            "process_peak_mb": process_peak_mb(),
            "stages": {k: {**asdict(v), "median": v.median} for k, v in run.samples.items() if v.seconds},
        }
    args.out.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
