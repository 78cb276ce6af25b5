"""Shared fixtures.

`site` builds the example site once per test session (per xdist worker in the "site"
group) into a temporary folder; tests only read it. Unit tests make tiny data packages
in tmp_path with `make_package`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
# A fixed "now" so that dates on pages do not depend on the day the tests run.
EPOCH = "1795564800"  # 2026-11-25 00:00 UTC: just after the example data's latest figures


def run_dashboard(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the `dashboard` command as a user would, capturing its output."""
    full_env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.run([sys.executable, "-m", "generator.cli", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The example site, built once from the repository's data/ and content/."""
    out = tmp_path_factory.mktemp("site") / "output"
    result = run_dashboard("build", "--output", str(out))
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def make_project(tmp_path: Path) -> Path:
    """A copy of the project's settings, content pages and theme, to build with its own data/."""
    project = tmp_path / "project"
    project.mkdir()
    for name in ("pelicanconf.py", "publishconf.py"):
        shutil.copy(ROOT / name, project / name)
    shutil.copytree(ROOT / "theme", project / "theme")
    shutil.copytree(ROOT / "content" / "pages", project / "content" / "pages")
    return project


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under folder, by relative path: compare two to prove nothing changed."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


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
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class QuietHandler(SimpleHTTPRequestHandler):
        def log_message(self, format, *args):  # noqa: A002 - signature from the stdlib
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
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
