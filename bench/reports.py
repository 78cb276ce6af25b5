"""Benchmark: what each report to councillors adds to a build, and what each of its PDFs costs.

    .venv/bin/python bench/reports.py [--runs 3]

Loads the example once, then for each of its reports times, one process, no cache:
- making its snapshot (what `dashboard new report` does: every measure cut back to the date and analysed);
- its charts: both specs (wide and narrow, Altair) and both drawings (vl-convert) of every measure it shows;
- its PDF, rendered from the page a build wrote (the example is built once into a temporary folder);
- each of its briefings printed, as a reader's browser or WeasyPrint would: pages and time.
Prints a table of medians: the numbers quoted in issue notes.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pypdf import PdfReader  # noqa: E402

from generator.analysis.snapshot import snapshot  # noqa: E402
from generator.analysis.spc import SPCSettings  # noqa: E402
from generator.ingest.pipeline import load_or_raise  # noqa: E402
from generator.publish.pdf import SiteFiles, render_pdf  # noqa: E402
from generator.settings import read as read_settings  # noqa: E402
from generator.site import charts  # noqa: E402
from generator.site.generator import snapshot_chart_args  # noqa: E402
from generator.site.views.reports import shown  # noqa: E402
from generator.site.drawing import engine  # noqa: E402

vlc = engine()    # vl-convert as the build draws (its own fonts alone)


def median_time(job, runs: int) -> tuple[float, object]:
    took, result = [], None
    for _ in range(runs):
        started = time.perf_counter()
        result = job()
        took.append(time.perf_counter() - started)
    return statistics.median(took), result


def build(out: Path) -> None:
    """The example as `make html` builds it (its chart cache as it stands: only the pages are needed here)."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1795564800")}
    done = subprocess.run([sys.executable, "-m", "generator.cli", "build", "--output", str(out)], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(done.stdout + done.stderr)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    settings = read_settings(ROOT / "pelicanconf.py")
    site = load_or_raise(settings).site
    spc = SPCSettings(settings.spc_min_points, settings.spc_shift_run, settings.spc_trend_run)
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "site"
        build(out)
        files = SiteFiles(out, settings.public_url)
        vlc.vegalite_to_svg(charts.capability_chart(*snapshot_chart_args(
            next(iter(site.reports[0].snapshot["measures"].values()))), False))   # the engine's start-up
        print(f"{'report':34} {'measures':>8} {'snapshot s':>10} {'charts s':>8} {'PDF s':>6} {'pages':>5} "
              f"{'PDF KB':>7} {'briefings':>9} {'each s':>6} {'pages':>5}")
        for r in sorted(site.reports, key=lambda r: r.as_at):
            made, _ = median_time(lambda: snapshot(site, r.as_at, spc, settings.publication_lag_days), runs)
            mids = [mid for _, mid in shown(r, site.purposes)]

            def draw_all(r=r, mids=mids):
                for mid in mids:
                    args = snapshot_chart_args(r.snapshot["measures"][mid])
                    for narrow in (False, True):
                        vlc.vegalite_to_svg(charts.capability_chart(*args, narrow))
            drawn, _ = median_time(draw_all, runs)
            page = out / settings.urls().html(settings.urls().report(r.slug))
            printed, pdf = median_time(lambda: render_pdf(page, files), runs)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)
            briefed = sorted(page.parent.glob("briefings/*/index.html"))
            each = [median_time(lambda b=b: render_pdf(b, files), runs) for b in briefed]
            most = max(len(PdfReader(io.BytesIO(data)).pages) for _, data in each)
            print(f"{r.slug:34} {len(mids):8} {made:10.2f} {drawn:8.2f} {printed:6.2f} {pages:5} "
                  f"{len(pdf) / 1024:7.0f} {len(briefed):9} {statistics.median(t for t, _ in each):6.2f} {most:5}")


if __name__ == "__main__":
    main()
