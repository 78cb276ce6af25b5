"""Benchmark at scale (`make bench`): a synthetic council with N measures, built and rebuilt as CI would.

    .venv/bin/python bench/scale.py [--measures 1000] [--keep FOLDER] [--out bench/results/NAME.json]

Makes, in a temporary folder, a copy of the example (its registers, wider data, spending, commentary and
reports, so every kind of page is built) with synthetic measures added up to N: monthly for ten years;
40 % with a target, 20 % with an annotation, 10 % with 12 ward rows a period, 10 % ranked among a group of
16 comparator areas; one commentary file each. M spending rows (default 200,000) are added to the
example's, in quarterly files of 25,000 before its own. All in one git commit. Then it measures, in one run:

- a cold build (no chart cache), a rebuild with nothing changed, a rebuild after one measure's CSV
  changed, and after one commentary file changed (each of these two `--repeats` times, another change each
  time: the median is reported, and every time kept);
- `dashboard validate`, cold (nothing remembered between processes, so every run is cold) and again;
- peak memory of each, workers included, sampled: the total resident memory (RSS), and the total
  proportional (PSS), which counts once a page that several processes share;
- the output's size, and the gzipped weight of a measure page (HTML, CSS, chart) and of the home page;
- the reference floor: every published chart spec drawn to SVG one after another by vl-convert, in one
  process, as the build draws them (and again with the machine's fonts, as the floor was first measured);
- growth: a cold build of a second council with twice the measures (the same spending), against the first
  cold build; and memory at size: a cold build of 2N measures with `--large-spending` more payments (default
  500,000, the issue's target size). `--quick` leaves these two out.

It prints a table and writes the figures as JSON (kept in bench/results/ per release, so a regression
shows).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1795564800"                 # 25 November 2026, as the example is built
MONTHS = [f"{y}-{m:02}" for y in range(2016, 2027) for m in range(1, 13)][9:129]    # 2016-10 to 2026-09


OWN = "E07000236"                    # the example's own area
GROUP = "bench-neighbours"
NEIGHBOURS = [(f"E0700{9900 + n}", f"Neighbour {n}") for n in range(1, 17)]
SPENDING_FILE_ROWS = 25_000


def make_council(folder: Path, measures: int, spending_rows: int = 0, seed: int = 1) -> int:
    """The example plus synthetic measures up to `measures` in all and `spending_rows` more payments, in one
    git commit; how many measures were added."""
    for name in ("data", "content", "pelicanconf.py", "publishconf.py"):
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, folder / name)
    _add_comparators(folder / "data/organisation")
    _add_spending(folder / "data/spending", spending_rows, random.Random(seed))
    existing = len(json.loads((ROOT / "data/measures/datapackage.json").read_text())["resources"])
    added = max(0, measures - existing)
    rng = random.Random(seed)
    wards = [line.split(",") for line in (ROOT / "data/organisation/localities.csv").read_text().splitlines()[1:]]
    package = folder / "data/synthetic"
    package.mkdir()
    notes = folder / "content/commentary"
    resources = []
    for n in range(added):
        mid = f"synthetic-{n + 1:04}"
        by_ward, compared = n % 10 == 0, n % 10 == 5
        level = rng.uniform(20, 80)
        areas = by_ward or compared
        rows = ["period,area_code,area_name,value,status,note" if areas else "period,value,status,note"]
        for period in MONTHS:
            level = max(1.0, level + rng.gauss(0, 2))
            own = f"{OWN},Redditch" if compared else ","
            rows.append(f"{period},{own},{level:.1f},," if areas else f"{period},{level:.1f},,")
        if by_ward:
            for _, name, code, _ in wards:
                rows += [f"{period},{code},{name},{max(0.5, level + rng.gauss(0, 5)):.1f},," for period in MONTHS]
        if compared:
            for code, name in NEIGHBOURS:
                rows += [f"{period},{code},{name},{max(0.5, level + rng.gauss(0, 8)):.1f},," for period in MONTHS]
        (package / f"{mid}.csv").write_text("\n".join(rows) + "\n")
        dashboard = {"kind": "operational", "purposes": [], "service": "policy", "localities": [],
                     "unit": "cases", "polarity": "lower-is-better", "frequency": "monthly",
                     "owner": "Policy Manager", "source": "Synthetic, for the benchmark"}
        if n % 5 in (0, 2):                              # 40 %
            dashboard["target"] = round(level, 0)
        if n % 5 == 1:                                   # 20 %
            dashboard["annotations"] = [{"period": "2024-04", "label": "New system", "rebase": True,
                                         "description": "A new case system from April 2024."}]
        if areas:                                        # 10 % by ward, 10 % among comparators
            dashboard["area"] = OWN
        if compared:
            dashboard["comparators"] = [GROUP]
        fields = [{"name": "period", "type": "string", "constraints": {"required": True}}]
        if areas:
            fields += [{"name": "area_code", "type": "string"}, {"name": "area_name", "type": "string"}]
        fields += [{"name": "value", "type": "number"},
                   {"name": "status", "type": "string", "constraints": {"enum": ["provisional", "revised"]}},
                   {"name": "note", "type": "string"}]
        resources.append({"name": mid, "path": f"{mid}.csv", "title": f"Synthetic measure {n + 1}",
                          "description": "A synthetic measure for the scale benchmark.", "format": "csv",
                          "schema": {"fields": fields, "missingValues": ["", "[x]", "[c]", "[z]"]},
                          "dashboard": dashboard})
        (notes / f"{mid}-2026-10-05.md").write_text(
            f"Measure: {mid}\nAuthor: Policy Manager\nDate: 2026-10-05\nPeriod: 2026-09\n\n"
            f"September was in line with the months before.\n")
    (package / "datapackage.json").write_text(json.dumps({"name": "synthetic", "title": "Synthetic measures",
                                                          "resources": resources}, indent=1))
    for args in (["init", "-q"], ["add", "-A"], ["-c", "user.name=Bench", "-c", "user.email=bench@example.invalid",
                                                  "commit", "-qm", "A synthetic council"]):
        subprocess.run(["git", *args], cwd=folder, check=True, env={**os.environ, "GIT_AUTHOR_DATE": "2026-11-01T09:00:00",
                                                                    "GIT_COMMITTER_DATE": "2026-11-01T09:00:00"})
    return added


def _add_comparators(organisation: Path) -> None:
    """A group of 16 similar areas in the comparators registers."""
    (organisation / "comparators.csv").write_text(f"id,title,source\n{GROUP},Sixteen neighbours,Synthetic\n")
    (organisation / "comparator_members.csv").write_text(
        "comparator,area_code,area_name\n" + "".join(f"{GROUP},{c},{n}\n" for c, n in NEIGHBOURS))
    descriptor = json.loads((organisation / "datapackage.json").read_text())
    descriptor["resources"] += [
        {"name": name, "path": f"{name}.csv", "schema": {"fields": [{"name": f, "type": "string"} for f in fields]}}
        for name, fields in (("comparators", ("id", "title", "source")),
                             ("comparator_members", ("comparator", "area_code", "area_name")))]
    (organisation / "datapackage.json").write_text(json.dumps(descriptor, indent=1))


def _add_spending(spending: Path, rows: int, rng: random.Random) -> None:
    """`rows` more payments, like the example's, in quarterly files going back from its first quarter."""
    descriptor = json.loads((spending / "datapackage.json").read_text())
    model = next(r for r in descriptor["resources"] if r.get("finance") == "spending")
    files = sorted(spending.glob("spending-*.csv"))
    header = files[0].read_text().splitlines()[0]
    examples = [line for f in files for line in f.read_text().splitlines()[1:]]
    year, quarter, added, number = 2024, 1, [], 0
    while rows > 0:
        quarter, year = (quarter - 1, year) if quarter > 1 else (4, year - 1)
        first = date(year, 3 + 3 * quarter - 2, 1) if quarter < 4 else date(year + 1, 1, 1)
        name = f"spending-{year}-{(year + 1) % 100:02}-q{quarter}"
        lines = [header]
        for _ in range(min(rows, SPENDING_FILE_ROWS)):
            cells = next(csv.reader([rng.choice(examples)]))
            number += 1
            cells[1] = (first + timedelta(days=rng.randrange(90))).isoformat()
            cells[2] = f"BENCH-{number:07}"
            lines.append(_csv_line(cells))
        (spending / f"{name}.csv").write_text("\n".join(lines) + "\n")
        added.append({**model, "name": name, "path": f"{name}.csv",
                      "title": f"Spending, {year}/{(year + 1) % 100:02} Q{quarter}",
                      "description": "Synthetic payments for the scale benchmark."})
        rows -= SPENDING_FILE_ROWS
    descriptor["resources"] = added[::-1] + descriptor["resources"]
    (spending / "datapackage.json").write_text(json.dumps(descriptor, indent=1))


def _csv_line(cells: list[str]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    return out.getvalue()


class PeakMemory:
    """The largest total memory of a process and its descendants, sampled every 50 ms (Linux): resident
    (RSS, as the issue states the target) and proportional (PSS). RSS counts a page shared by several
    processes once in each (the libraries every spawned worker maps), so the total of RSS can exceed what
    the build takes; PSS shares such a page among them, so its total is what the machine gives the build.

    PSS is dear to read: the kernel walks every page a process maps (4 ms for a process of 136 MB). Read
    every 50 ms, it took the sampler 3.2 s of CPU in the example's 21 s build (500 MB), taken from the two
    cores the build has, and more for a larger build. So it is read at most every half second, and only
    while the total RSS is within a tenth of its peak (PSS never exceeds RSS): 0.5 s, the same peaks.
    `cpu`: the seconds of CPU the sampling took, reported beside each step.

    A child not yet started on its own program (between fork or vfork and exec: its command line still
    its parent's) is not counted: it has no memory of its own, but shows all of its parent's, in RSS and,
    after a vfork, which shares the parent's memory outright, in PSS too. Caught by a sample while the
    build started git or a worker, it counted the build twice."""

    PSS_EVERY = 0.5         # seconds
    PSS_NEAR_PEAK = 0.9

    def __init__(self, pid: int):
        self.pid, self.peak, self.peak_pss, self.cpu, self._done = pid, 0, 0, 0.0, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _tree(self) -> list[int]:
        """The process and its descendants, but children that are still a copy of their parent."""
        out, todo = [], [(self.pid, None)]
        while todo:
            pid, parent = todo.pop()
            command = _command(pid)
            if parent is not None and command == parent:
                continue
            out.append(pid)
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                children = []
            todo += [(int(c), command) for c in children]
        return out

    def _sample(self) -> None:
        pss_read = -self.PSS_EVERY
        while not self._done.wait(0.05):
            tree, rss = self._tree(), 0
            for pid in tree:
                try:
                    rss += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE")
                except (OSError, IndexError, ValueError):
                    pass
            self.peak = max(self.peak, rss)
            if rss >= self.PSS_NEAR_PEAK * self.peak and time.monotonic() - pss_read >= self.PSS_EVERY:
                pss_read = time.monotonic()
                self.peak_pss = max(self.peak_pss, sum(_pss(pid) for pid in tree))
            self.cpu = time.thread_time()

    def stop(self) -> tuple[int, int]:
        self._done.set()
        self._thread.join()
        return self.peak, self.peak_pss


def _command(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def _pss(pid: int) -> int:
    """A process's proportional set size in bytes (0 where the kernel does not say, or it has ended)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def run(folder: Path, *args: str) -> tuple[float, int, int, float]:
    """Seconds and peak memory (bytes: total RSS, then total PSS) of one `dashboard` command in the
    council's folder, and the seconds of CPU measuring its memory took."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    env.pop("CI", None)
    # What the step before wrote (a cold build: 2 GB of site and cache) goes to the disk first, so that this
    # step is not timed while the kernel writes that out.
    os.sync()
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "generator.cli", *args], cwd=folder, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    memory = PeakMemory(process.pid)
    out, err = process.communicate()
    took, (peak, peak_pss) = time.perf_counter() - started, memory.stop()
    if process.returncode not in (0,):
        sys.exit(f"dashboard {' '.join(args)} failed ({process.returncode}):\n{out.decode()}\n{err.decode()}")
    return took, peak, peak_pss, memory.cpu


def sampled(change, command, times: int) -> tuple[tuple, list[tuple]]:
    """`change()`, then `command()` (seconds, peak RSS, peak PSS, sampler CPU): `times` times. The median
    seconds with the highest peaks of any run, and every run. (On this machine one rebuild takes from 15 to
    23 s from one run to the next: one sample says little.)"""
    runs = []
    for _ in range(times):
        change()
        runs.append(command())
    median = sorted(runs)[len(runs) // 2]
    return (median[0], max(r[1] for r in runs), max(r[2] for r in runs), median[3]), runs


def cold_build(base: Path, measures: int, spending_rows: int) -> tuple[float, int, int, float]:
    """One cold build of a council made for it (then removed, as its output is large): seconds, peak memory."""
    folder = base / "council"
    shutil.rmtree(base, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        make_council(folder, measures, spending_rows)
        return run(folder, "build", "--settings", "pelicanconf.py", "--output", "output")
    finally:
        shutil.rmtree(base, ignore_errors=True)


def floor(output: Path) -> tuple[float, float, int]:
    """Every published chart spec drawn one after another in one process, twice: by vl-convert as the build
    draws (its own fonts alone, site/drawing.py), then by vl-convert as it comes (the machine's fonts, as
    the floor was first measured). Seconds each way, and how many. Each in a process of its own: the
    engine's fonts are chosen once a process."""
    specs = sorted(str(p) for p in output.rglob("*.vl.json"))
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    took = []
    for as_built in (True, False):
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as one:
            took.append(one.submit(_draw_one_by_one, specs, as_built).result())
    return took[0], took[1], len(specs)


def _draw_one_by_one(specs: list[str], as_built: bool) -> float:
    sys.path.insert(0, str(ROOT))
    if as_built:
        from generator.site.drawing import engine
        vlc = engine()
    else:
        import vl_convert as vlc
    if specs:
        vlc.vegalite_to_svg(json.loads(Path(specs[0]).read_text()))          # the engine's start-up is not a chart's
    started = time.perf_counter()
    for path in specs:
        vlc.vegalite_to_svg(json.loads(Path(path).read_text()))
    return time.perf_counter() - started


def drawn_charts(output: Path) -> int:
    """How many charts the build drew: every SVG of the site but the theme's. Each chart is drawn twice, wide
    and narrow (for a phone), where the floor draws only the published (wide) specs; maps and reports'
    charts besides."""
    theme = output / "theme"
    return sum(1 for p in output.rglob("*.svg") if theme not in p.parents)


def weight(output: Path, measure: str) -> tuple[int, int]:
    """Gzipped bytes of a measure page (HTML, CSS, its chart) and of the home page (HTML and CSS)."""
    css = output / "theme/css/site.css"

    def gz(paths):
        return sum(len(gzip.compress(p.read_bytes(), 9)) for p in paths if p.is_file())
    page = gz([output / f"measures/{measure}/index.html", css, output / f"measures/{measure}/{measure}.svg"])
    return page, gz([output / "index.html", css])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measures", type=int, default=1000)
    parser.add_argument("--spending", type=int, default=200_000, help="spending rows added to the example's")
    parser.add_argument("--keep", help="build in this folder and keep it (default: a temporary folder)")
    parser.add_argument("--out", help="write the figures as JSON here (default: bench/results/scale-N.json)")
    parser.add_argument("--large-spending", type=int, default=500_000,
                        help="spending rows added to the 2N-measure council that memory is measured at")
    parser.add_argument("--quick", action="store_true", help="leave out the two builds at 2N measures")
    parser.add_argument("--repeats", type=lambda text: max(1, int(text)), default=3,
                        help="times each rebuild after a change is made (its median is reported)")
    args = parser.parse_args()
    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="dashboard-scale-"))
    folder = base / "council"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    try:
        added = make_council(folder, args.measures, args.spending)
        build = ("build", "--settings", "pelicanconf.py", "--output", "output")
        results = {"measures": args.measures, "synthetic": added, "spending_rows_added": args.spending}
        results["validate_cold"] = run(folder, "validate")
        results["validate_again"] = run(folder, "validate")
        results["cold_build"] = run(folder, *build)
        results["nothing_changed"] = run(folder, *build)
        csv = folder / "data/synthetic/synthetic-0002.csv" if added > 1 else folder / "data/measures/missed-bins.csv"
        note = next((folder / "content/commentary").glob("*.md"))
        # Each time another figure of the one measure (the next that starts with a 1), or another sentence.
        for step, change in (("one_csv_changed", lambda: csv.write_text(csv.read_text().replace(",1", ",2", 1))),
                             ("one_commentary_changed",
                              lambda: note.write_text(note.read_text() + "\nOne more sentence.\n"))):
            results[step], results[f"{step}_samples"] = sampled(change, lambda: run(folder, *build), args.repeats)
        output = folder / "output"
        results["output_bytes"] = sum(p.stat().st_size for p in output.rglob("*") if p.is_file())
        results["measure_page_gzip"], results["home_page_gzip"] = weight(output, "benefit-new-claim-time")
        results["floor_seconds"], results["floor_machine_fonts_seconds"], results["floor_charts"] = floor(output)
        results["drawn_charts"] = drawn_charts(output)
        if not args.quick:
            results["doubled_cold_build"] = cold_build(base / "doubled", 2 * args.measures, args.spending)
            results["large_cold_build"] = cold_build(base / "large", 2 * args.measures, args.large_spending)
    finally:
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    print(f"{'step':40} {'seconds':>9} {'peak RSS MB':>12} {'peak PSS MB':>12} {'sampler CPU s':>14}")
    for step in ("validate_cold", "validate_again", "cold_build", "nothing_changed", "one_csv_changed",
                 "one_commentary_changed"):
        took, peak, peak_pss, sampling = results[step]
        print(f"{step:40} {took:9.1f} {peak / 2**20:12.0f} {peak_pss / 2**20:12.0f} {sampling:14.1f}")
    for step in ("one_csv_changed", "one_commentary_changed"):
        print(f"{step}: {', '.join(f'{took:.1f}' for took, *_ in results[f'{step}_samples'])} s (the median above)")
    cold = results["cold_build"][0]
    for step, words in (("doubled_cold_build", f"{2 * args.measures} measures, cold"),
                        ("large_cold_build", f"{2 * args.measures} measures + {args.large_spending:,} payments, cold")):
        if step in results:
            took, peak, peak_pss, sampling = results[step]
            print(f"{words:40} {took:9.1f} {peak / 2**20:12.0f} {peak_pss / 2**20:12.0f} {sampling:14.1f}")
    if "doubled_cold_build" in results:
        print(f"growth: twice the measures took {results['doubled_cold_build'][0] / cold:.2f} x the time")
    print(f"reference floor: {results['floor_charts']} chart specs drawn one after another in "
          f"{results['floor_seconds']:.1f} s as the build draws them ({results['floor_machine_fonts_seconds']:.1f} s "
          f"with the machine's fonts); the cold build is {cold / max(results['floor_seconds'], 1e-9):.2f} x that")
    # The least a cold build could take: every chart it draws, at the floor's rate, shared by the cores.
    least = results["floor_seconds"] / max(results["floor_charts"], 1) * results["drawn_charts"] / (os.cpu_count() or 1)
    print(f"the build draws {results['drawn_charts']} charts (wide and narrow): at the floor's rate, shared by "
          f"{os.cpu_count()} cores, {least:.1f} s, {least / max(results['floor_seconds'], 1e-9):.2f} x the floor, "
          f"with nothing else done")
    print(f"output {results['output_bytes'] / 2**20:.0f} MB; a measure page {results['measure_page_gzip'] / 1024:.1f} KB "
          f"gzipped, the home page {results['home_page_gzip'] / 1024:.1f} KB")
    target = Path(args.out) if args.out else ROOT / "bench/results" / f"scale-{args.measures}-{args.spending}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=1) + "\n")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
