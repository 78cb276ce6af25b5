"""Benchmark: what a ward map and a breakdown's small multiples add to a build, each.

    .venv/bin/python bench/places.py [--runs 3]

Loads the example's data and analysis once, then for every map and every small-multiples chart the
example draws, times making its two specs (wide and narrow, with Altair) and drawing both (vl-convert,
one process, no cache: a cold build's cost before the worker pool shares it out). Prints the median per
chart and the SVG sizes, the numbers quoted in issue notes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


from generator.analysis import wards  # noqa: E402
from generator.clock import now  # noqa: E402
from generator.ingest.pipeline import load_or_raise  # noqa: E402
from generator.settings import read as read_settings  # noqa: E402
from generator.site import charts  # noqa: E402
from generator.site.context import BuildContext  # noqa: E402
from generator.site.generator import _ward_map  # noqa: E402
from generator.site.drawing import engine  # noqa: E402

vlc = engine()    # vl-convert as the build draws (its own fonts alone)


def cost(make, runs: int) -> tuple[float, float, int]:
    """Median seconds to make both specs, median seconds to draw both, and the wide SVG's bytes."""
    made, drawn, size = [], [], 0
    for _ in range(runs):
        started = time.perf_counter()
        specs = [make(False), make(True)]
        made.append(time.perf_counter() - started)
        started = time.perf_counter()
        svgs = [vlc.vegalite_to_svg(s) for s in specs]
        drawn.append(time.perf_counter() - started)
        size = len(svgs[0].encode())
    return statistics.median(made), statistics.median(drawn), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    settings = read_settings(ROOT / "pelicanconf.py")     # the example's: its data refers to its settings
    site = load_or_raise(settings).site
    ctx = BuildContext.analyse(settings, site, now(), "bench")
    boundaries = site.boundaries
    jobs = {}
    for m_id, figures in ctx.by_ward.items():
        jobs[f"map: {m_id}"] = _ward_map(boundaries, figures, None)
    for f in ctx.profiles:
        jobs[f"map: profile {f.id}"] = _ward_map(boundaries, f, None)
    loc = next(iter(wards.mapped(site.localities)))
    jobs[f"map: place {loc.id}"] = lambda narrow: charts.locator_map(boundaries, {},
                                                                     loc.gss_code, loc.name, narrow)
    for m in site.measures.values():
        for b in ctx.breakdowns[m.id]:
            parts = [(p.label, p.observations) for p in b.parts]
            jobs[f"breakdown: {m.id} by {b.id}"] = lambda narrow, m=m, parts=parts: charts.small_multiples(
                m, parts, m.title, narrow)
    vlc.vegalite_to_svg(next(iter(jobs.values()))(False))      # the engine's start-up is not a chart's cost
    results = {name: cost(make, runs) for name, make in jobs.items()}
    print(f"{'chart (wide and narrow)':58} {'specs ms':>9} {'draw ms':>8} {'SVG KB':>7}")
    for name, (made, drawn, size) in results.items():
        print(f"{name:58} {made * 1000:9.0f} {drawn * 1000:8.0f} {size / 1024:7.1f}")
    for kind in ("map", "breakdown"):
        mine = [r for n, r in results.items() if n.startswith(kind)]
        total = [made + drawn for made, drawn, _ in mine]
        print(f"{kind}: {len(mine)} charts, median {statistics.median(total) * 1000:.0f} ms each "
              f"(specs and drawing, wide and narrow, one process), {sum(total):.1f} s in all")


if __name__ == "__main__":
    main()
