"""Benchmark: build the example site cold (no chart cache) and warm, and weigh a measure page.

    .venv/bin/python bench/build_example.py [--runs 3]

Prints build times (median of runs), the number of pages, and the gzipped size of a typical
measure page (HTML + CSS + chart SVG), the numbers quoted in issue notes.
"""

from __future__ import annotations

import argparse
import gzip
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def build(output: Path, cache: Path) -> float:
    settings = output.parent / "bench_settings.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *\n"
                        f"PATH = {str(ROOT / 'content')!r}\n"
                        f"DASHBOARD_ROOT = {str(ROOT)!r}\nDASHBOARD_CACHE_PATH = {str(cache)!r}\n")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator.cli", "build", "--settings", str(settings),
                    "--output", str(output)], check=True, cwd=ROOT, capture_output=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        cold, warm = [], []
        for i in range(runs):
            cache = tmp / f"cache-{i}"
            cold.append(build(tmp / "output", cache))
            warm.append(build(tmp / "output", cache))
        out = tmp / "output"
        pages = sorted(out.rglob("*.html"))
        measure = "benefit-new-claim-time"
        parts = [out / f"measures/{measure}/index.html", out / "theme/css/site.css",
                 out / f"measures/{measure}/{measure}.svg"]
        raw = sum(p.stat().st_size for p in parts)
        gz = sum(len(gzip.compress(p.read_bytes(), 9)) for p in parts)
        files = sum(1 for p in out.rglob("*") if p.is_file())
        print(f"cold build (charts drawn): median {statistics.median(cold):.2f} s over {runs} runs {[round(t, 2) for t in cold]}")
        print(f"warm build (charts cached): median {statistics.median(warm):.2f} s {[round(t, 2) for t in warm]}")
        print(f"pages: {len(pages)} HTML, {files} files in all")
        print(f"measure page {measure}: {raw / 1024:.1f} KB raw, {gz / 1024:.1f} KB gzipped (HTML + CSS + SVG)")
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
