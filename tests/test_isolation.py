"""The tests stand alone: nothing beside the repository is read, nothing inside it is written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import AUDIT_LOG, ROOT, audit

BESIDE = ROOT.parent / "a-folder-beside-the-repository" / "data.csv"   # refused whether or not it exists


@pytest.fixture
def forget_refusals():
    """These tests make the audit hook refuse on purpose: keep their refusals out of the log."""
    before = AUDIT_LOG.stat().st_size if AUDIT_LOG.exists() else 0
    yield
    if AUDIT_LOG.exists():
        with open(AUDIT_LOG, "r+b") as fh:
            fh.truncate(before)


def test_the_audit_hook_refuses_a_read_beside_the_repository(forget_refusals):
    with pytest.raises(audit.OutsideRepository):
        open(BESIDE, encoding="utf-8")
    with pytest.raises(audit.OutsideRepository):
        open(ROOT / ".." / ROOT.parent.name / "another-folder" / "x.csv", "rb")     # however the path is written
    assert str(BESIDE.resolve()) in AUDIT_LOG.read_text(encoding="utf-8")


def test_commands_the_tests_start_refuse_it_too(forget_refusals):
    result = subprocess.run([sys.executable, "-c", f"open({str(BESIDE)!r})"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "OutsideRepository" in result.stderr


def test_files_inside_the_repository_and_in_tmp_are_readable(tmp_path):
    (tmp_path / "x.txt").write_text("ok")
    assert (tmp_path / "x.txt").read_text() == "ok"
    assert (ROOT / "pyproject.toml").read_text().startswith("[build-system]")



def test_the_end_of_run_check_sees_a_file_written_inside_the_repository(tmp_path):
    """conftest's check after the whole run (nothing new inside the repository) can fail: shown on a copy."""
    import time

    from conftest import LEFT_BY_TOOLS, _written_since
    started = time.time() - 1
    (tmp_path / "generator").mkdir()
    (tmp_path / "generator" / "stray.txt").write_text("left by a test")
    cache = tmp_path / "generator" / next(iter(LEFT_BY_TOOLS))
    cache.mkdir()
    (cache / "ignored.pyc").write_text("")
    assert _written_since(started, tmp_path) == ["generator/stray.txt"]
