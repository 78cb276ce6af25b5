"""The CI workflow the Policy Team republishes with: the parts that must not drift."""

from __future__ import annotations

from conftest import ROOT

WORKFLOW = ROOT / ".github/workflows/publish.yml"


def test_workflow_tests_in_debian_with_full_history_and_publishes_strictly():
    text = WORKFLOW.read_text()
    assert "container: python:3.11-bookworm" in text        # Debian's chromium, not Ubuntu's snap stub
    assert "fetch-depth: 0" in text                          # revisions need the whole history
    assert "dashboard validate data --strict" in text and "make publish" in text and "make test" in text
    assert "actions/upload-artifact" in text                 # a preview of every pull request
    assert "actions/deploy-pages" in text and "refs/heads/main" in text
    assert "timeout-minutes: 40" in text


def test_the_build_cache_is_restored_and_saved_between_runs_in_both_workflows():
    """A republish from a clean checkout draws only what changed: the cache (DASHBOARD_CACHE_PATH's folder) is
    restored from the latest run and saved under a key of its own, since every entry is keyed by its inputs."""
    from generator.settings import Settings
    folder = Settings().cache_path.split("/")[0]
    for workflow in (WORKFLOW, ROOT / "generator/scaffold/dot-github/workflows/publish.yml"):
        text = workflow.read_text().replace("$${{", "${{")
        assert "uses: actions/cache@v4" in text, workflow
        assert f"path: {folder}\n" in text and "key: dashboard-build-${{ github.run_id }}" in text
        assert "restore-keys: dashboard-build-\n" in text
        assert text.index("actions/cache@v4") < text.index("run: make ")   # restored before anything builds
