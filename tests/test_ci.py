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
