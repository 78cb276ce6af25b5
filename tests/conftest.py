"""Shared fixtures.

`site` builds the example site once per test session (per xdist worker in the "site"
group) into a temporary folder; tests only read it. Unit tests make tiny data packages
in tmp_path with `make_package`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis.configuration import set_hypothesis_home_dir

from generator.analysis.spc import SPCSettings
from generator.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"   # real files, with PROVENANCE.md
# A fixed "now" so that dates on pages do not depend on the day the tests run.
EPOCH = "1795564800"  # 2026-11-25 00:00 UTC: just after the example data's latest figures

# Files the test processes keep for the session (audit logs, Hypothesis's caches): never in the repository.
if "DASHBOARD_TEST_SCRATCH" not in os.environ:         # made once, by the first test process
    os.environ["DASHBOARD_TEST_SCRATCH"] = tempfile.mkdtemp(prefix="dashboard-tests-")
SCRATCH = Path(os.environ["DASHBOARD_TEST_SCRATCH"])
set_hypothesis_home_dir(str(SCRATCH / "hypothesis"))


# --- Nothing beside the repository is ever read (tests/audit/sitecustomize.py) -----------------

AUDIT = ROOT / "tests" / "audit"
AUDIT_LOG = SCRATCH / f"audit-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.log"
# This process, and every process it starts (sitecustomize on PYTHONPATH), refuses such reads.
os.environ.update({"DASHBOARD_AUDIT_ROOT": str(ROOT), "DASHBOARD_AUDIT_LOG": str(AUDIT_LOG),
                   "PYTHONPATH": os.pathsep.join(dict.fromkeys(filter(None, [str(AUDIT),
                                                                             os.environ.get("PYTHONPATH")])))})


def _audit():
    """The hook's module: already imported at start-up in processes started with PYTHONPATH set (xdist's
    workers), else loaded and installed here."""
    module = sys.modules.get("sitecustomize")
    if module is not None and Path(getattr(module, "__file__", "")) == AUDIT / "sitecustomize.py":
        return module
    spec = importlib.util.spec_from_file_location("dashboard_audit", AUDIT / "sitecustomize.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.install(str(ROOT))
    return module


audit = _audit()


@pytest.fixture(autouse=True)
def _nothing_read_beside_the_repository():
    """Fail the test when it, or a command it ran, opened a file beside the repository (even if the
    code caught the error)."""
    before = AUDIT_LOG.stat().st_size if AUDIT_LOG.exists() else 0
    yield
    after = AUDIT_LOG.stat().st_size if AUDIT_LOG.exists() else 0
    if after > before:
        with open(AUDIT_LOG, "rb") as fh:
            fh.seek(before)
            pytest.fail("Files beside the repository were opened:\n" + fh.read().decode("utf-8", "replace"))


# --- Nothing new is left inside the repository ---------------------------------------------------

LEFT_BY_TOOLS = {".pytest_cache", "__pycache__"}          # pytest's and Python's own caches
NOT_OURS = {".git", ".venv", "node_modules"}              # installed by `make test` before the tests


def _git_status() -> set[str]:
    """`git status --ignored`: untracked and ignored entries, as paths."""
    out = subprocess.run(["git", "-C", str(ROOT), "status", "--ignored", "--porcelain"],
                         capture_output=True, text=True, check=False).stdout
    return {line[3:] for line in out.splitlines() if line[:2] in ("!!", "??")}


def _written_since(started: float, root: Path = ROOT) -> list[str]:
    """Files inside the repository created or changed since `started` (tools' caches aside)."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d not in LEFT_BY_TOOLS | NOT_OURS]
        found += [os.path.relpath(os.path.join(folder, f), root) for f in files
                  if os.stat(os.path.join(folder, f)).st_mtime > started]
    return sorted(found)


def _is_worker(session) -> bool:
    return hasattr(session.config, "workerinput")


def pytest_sessionstart(session):
    if not _is_worker(session):
        session.config.stash[_BEFORE] = (_git_status(), time.time())


def pytest_sessionfinish(session, exitstatus):
    """After the whole run, `git status --ignored` shows nothing new but pytest's and Python's caches,
    and no file inside the repository was written."""
    if _is_worker(session) or _BEFORE not in session.config.stash:
        return
    status, started = session.config.stash[_BEFORE]
    new = [p for p in sorted(_git_status() - status) if not LEFT_BY_TOOLS & set(p.rstrip("/").split("/"))]
    new += [p for p in _written_since(started) if p not in new]
    if new:
        print("\nThe tests left files inside the repository:\n  " + "\n  ".join(new), file=sys.stderr)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[tuple]()


def run_dashboard(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the `dashboard` command as a user would, capturing its output."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=600)


def spc_settings(**overrides) -> SPCSettings:
    """The capability-chart rules as the default settings give them, with `overrides` (min_points=3)."""
    s = Settings()
    return dataclasses.replace(SPCSettings(s.spc_min_points, s.spc_shift_run, s.spc_trend_run), **overrides)


def settings_for(data: Path, commentary: Path | None = None, **values) -> Settings:
    """The settings a command would have with these folders (and any DASHBOARD_* values, by field name), but
    with no build cache: a test shares nothing with another, and writes nothing inside the repository."""
    content = commentary.parent if commentary else data / ".no-content"
    return Settings(data_path=str(data.resolve()), content=content,
                    commentary_path=commentary.name if commentary else "commentary", **{"cache_path": "", **values})


def example_settings(folder: Path) -> Path:
    """The example's own settings, with the chart cache in `folder`: tests share no state with each
    other or with `make html`, and write nothing inside the repository."""
    path = folder / "example-settings.py"
    path.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
                    f"DASHBOARD_ROOT = {str(ROOT)!r}\nPATH = {str(ROOT / 'content')!r}\n"
                    f"DASHBOARD_CACHE_PATH = {str(folder / 'cache')!r}\n")
    return path


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The example site, built once from the repository's data/ and content/."""
    folder = tmp_path_factory.mktemp("site")
    result = run_dashboard("build", "--settings", str(example_settings(folder)), "--output", str(folder / "output"))
    assert result.returncode == 0, result.stdout + result.stderr
    return folder / "output"


def make_project(tmp_path: Path) -> Path:
    """A copy of the project's settings and content pages, to build with its own data/ (and the theme
    the tool ships: a project needs no copy of it)."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages")
    return project


def commit_file(path: Path, text: str, when: str) -> str:
    """Write a file, committing it in its folder's own repository (made if need be); the short hash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not (path.parent / ".git").exists():
        git(path.parent, "init", "-q")
    path.write_text(text, encoding="utf-8")
    git(path.parent, "add", "-A")
    git(path.parent, "commit", "-qm", "data", when=when)
    return git(path.parent, "rev-parse", "--short=12", "HEAD")


def published_measures(site: Path) -> list[str]:
    """The ids of the measures a built site publishes, from the A to Z's twin (a folder under measures/
    may also be an old address that redirects)."""
    return [m["id"] for m in json.loads((site / "measures/index.json").read_text())["measures"]]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path: compare two to prove nothing changed."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def committed_project(tmp_path: Path, tables: dict[str, str]) -> Path:
    """make_project with the registers and a package of `tables` (each measure's CSV text, by id), committed
    to git (a build reads the data's history)."""
    project = make_project(tmp_path)
    make_registers(project / "data")
    make_measure_package(project / "data", tables)
    git(project, "init", "-q")
    git(project, "add", "-A")
    git(project, "commit", "-qm", "data")
    return project


def up_to_date_measures(*ids: str) -> dict[str, str]:
    """Monthly measures up to October 2026, EPOCH's month: none is overdue the day after EPOCH either."""
    months = "".join(f"2026-{m:02d},{m}\n" for m in range(1, 11))
    return {mid: "period,value\n" + months for mid in ids}


def git(repo: Path, *args: str, when: str = "2025-01-15T10:00:00+00:00") -> str:
    """Run git in repo as a fixed author at a fixed time, ignoring the machine's git config."""
    env = {**os.environ, "GIT_AUTHOR_NAME": "Officer", "GIT_AUTHOR_EMAIL": "officer@example.org",
           "GIT_COMMITTER_NAME": "Officer", "GIT_COMMITTER_EMAIL": "officer@example.org",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    result = subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True, env=env)
    return result.stdout.strip()


MEASURE_FIELDS = [
    {"name": "period", "type": "string", "constraints": {"required": True}},
    {"name": "value", "type": "number"},
]


def make_registers(root: Path, purposes=("somewhere-to-live",), services=("housing",), localities=("abbey",)):
    """An organisation package declaring purposes, services and localities."""
    pkg = root / "organisation"
    pkg.mkdir(parents=True, exist_ok=True)
    (pkg / "purposes.csv").write_text("id,title\n" + "".join(f"{p},{p.title()}\n" for p in purposes))
    (pkg / "services.csv").write_text("id,title\n" + "".join(f"{s},{s.title()}\n" for s in services))
    (pkg / "localities.csv").write_text("id,name\n" + "".join(f"{x},{x.title()}\n" for x in localities))
    resources = [{"name": n, "path": f"{n}.csv", "schema": {
        "fields": [{"name": "id", "type": "string"}, {"name": "title" if n != "localities" else "name", "type": "string"}],
        "primaryKey": ["id"]}} for n in ("purposes", "services", "localities")]
    (pkg / "datapackage.json").write_text(json.dumps({"name": "organisation", "resources": resources}))
    return pkg


def dashboard_property(**overrides) -> dict:
    prop = {"kind": "strategic", "purposes": ["somewhere-to-live"], "service": "housing", "localities": [],
            "unit": "households", "polarity": "higher-is-better", "frequency": "monthly",
            "owner": "Head of Housing", "source": "Case management system"}
    prop.update(overrides)
    return {k: v for k, v in prop.items() if v is not None}


def make_measure_package(root: Path, measures: dict[str, str], props: dict[str, dict] | None = None,
                         name: str = "measures", extra_resources: list | None = None) -> Path:
    """A measures package: measures maps id -> CSV text; props overrides dashboard properties."""
    pkg = root / name
    pkg.mkdir(parents=True, exist_ok=True)
    resources = []
    for mid, text in measures.items():
        (pkg / f"{mid}.csv").write_text(text)
        resources.append({"name": mid, "path": f"{mid}.csv", "title": mid.replace("-", " ").capitalize(),
                          "schema": {"fields": MEASURE_FIELDS, "missingValues": ["", "[x]", "[c]", "[z]"]},
                          "dashboard": (props or {}).get(mid, dashboard_property())})
    resources.extend(extra_resources or [])
    (pkg / "datapackage.json").write_text(json.dumps({"name": name, "resources": resources}, indent=1))
    return pkg


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A valid minimal data folder: registers plus one monthly measure."""
    root = tmp_path / "data"
    make_registers(root)
    make_measure_package(root, {"homes": "period,value\n2024-01,5\n2024-02,7\n2024-03,6\n"})
    return root


# --- Browser fixtures (used by tests marked `browser`) ---------------------------------------

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


@pytest.fixture(scope="session")
def served_site(site):
    """Serve the built site over http on 127.0.0.1 (ephemeral port); yields the base URL, no trailing slash."""
    with serve(site) as url:
        yield url


@contextlib.contextmanager
def serve(folder: Path):
    """Serve a built site over http on 127.0.0.1 (ephemeral port); the base URL, no trailing slash."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="served_site", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the session, driven by Playwright."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is in the test extra")
    playwright = sync_api.sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


# --- Accessibility and HTML checks, for any built site ------------------------------------------

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def open_page(browser, url: str, **options):
    """A page in a new browser context (`options`: viewport, java_script_enabled...), loaded, with the errors
    its console and scripts report; close the context when done."""
    context = browser.new_context(**options)
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page, problems


def axe_run(browser, url: str, before=None) -> dict:
    """axe-core's result for one page (WCAG 2.x A and AA rules); `before(page)` runs first (open a table)."""
    if not AXE.exists():
        pytest.skip(f"{AXE} is missing: run `npm ci` to install axe-core")
    # bypass_csp: the site's CSP (script-src 'self') would otherwise refuse the injected axe.
    context = browser.new_context(bypass_csp=True)
    try:
        page = context.new_page()
        response = page.goto(url)
        assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"
        if before:
            before(page)
        page.add_script_tag(path=str(AXE))
        return page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})",
                             AXE_TAGS)
    finally:
        context.close()


def assert_accessible(browser, site: Path, paths: list[str]) -> None:
    """Serve a built site and check each page with axe-core: it runs rules, and none is violated."""
    with serve(site) as url:
        for path in paths:
            result = axe_run(browser, url + path)
            assert result["passes"] and result["violations"] == [], axe_report(path, result["violations"])


def axe_report(url: str, violations: list[dict]) -> str:
    lines = [f"{url}: {len(violations)} axe violation(s)"]
    for v in violations:
        targets = [" ".join(t) if isinstance(t, list) else str(t)
                   for node in v["nodes"][:3] for t in node["target"]]
        more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
        lines.append(f"- {v['id']} [{v.get('impact')}]: {v['help']} -> {', '.join(targets)}{more}")
    return "\n".join(lines)


def vnu_errors(site: Path, *args: str) -> list[dict]:
    """The Nu Html Checker's errors for files under `site` (one JVM for all of them)."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("java is not installed: the Nu Html Checker (vnu.jar) needs a Java runtime")
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `npm ci` to install vnu-jar")
    # vnu exits non-zero when it finds errors; the report is JSON on stderr.
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *args],
                            capture_output=True, text=True, timeout=600, cwd=site)
    try:
        report = json.loads(result.stderr)
    except json.JSONDecodeError:
        pytest.fail(f"vnu did not produce JSON (exit {result.returncode}):\n{result.stdout}\n{result.stderr[:2000]}")
    return [m for m in report.get("messages", []) if m.get("type") in ("error", "non-document-error")]


def html_pages(site: Path) -> list[str]:
    """Every page of a built site, relative to it: what the Nu Html Checker reads in one JVM."""
    return sorted(str(p.relative_to(site)) for p in site.rglob("*.html"))


def vnu_report(site: Path, errors: list[dict]) -> str:
    lines = [f"{len(errors)} error(s):"]
    for m in errors[:20]:
        url = m.get("url", "")
        name = url.split(str(site), 1)[-1].lstrip("/") if str(site) in url else url
        lines.append(f"{name}:{m.get('lastLine', '?')}: {m.get('message')} [{m.get('extract', '').strip()}]")
    return "\n".join(lines)
