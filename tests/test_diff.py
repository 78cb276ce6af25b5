"""`dashboard diff`: what a change would publish, in words a manager can approve; exit 3 when something
would change, 0 when nothing."""

from __future__ import annotations

import subprocess

from conftest import ROOT, git, run_dashboard
from test_signoff import APRIL, project

NOVEMBER = {"SOURCE_DATE_EPOCH": "1795564800"}     # 25 November 2026, as the example is built


def test_an_add_a_revision_and_a_signoff_on_the_example_are_exactly_what_diff_lists(tmp_path):
    copy = tmp_path / "example"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(copy)], check=True)

    def run(*args):
        return run_dashboard(*args, cwd=copy, env=NOVEMBER)

    assert run("diff", "--against", "HEAD").returncode == 0
    assert run("add", "missed-bins", "2026-10", "41").returncode == 0
    assert run("add", "homelessness-prevented", "2026-07", "26", "--revise", "--reason",
               "Late cases recorded.").returncode == 0
    assert run("signoff", "missed-bins", "--period", "2026-10", "--by", "B. Jones", "--role",
               "the Waste Services Manager").returncode == 0
    listed = run("diff", "--against", "HEAD")
    assert listed.returncode == 3, listed.stderr
    assert listed.stdout.splitlines() == [
        "Revised: Households helped to avoid becoming homeless, July 2026: 25 households to 26 households. "
        "Reason: Late cases recorded.",
        "New figure: Missed bin collections, October 2026: 41 per 100,000 collections.",
        "Signed off: Missed bin collections, October 2026, by B. Jones (the Waste Services Manager) on 2026-11-25."]
    assert "Since HEAD, 3 change(s) to publish:" in listed.stderr


def test_commentary_measures_and_the_default_revision(tmp_path):
    root = project(tmp_path)
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "published")
    git(root, "checkout", "-q", "-b", "update")

    def diff(*args):
        return run_dashboard("diff", *args, cwd=root, env=APRIL)

    nothing = diff()                                    # against main: the branch's merge-base with it
    assert nothing.returncode == 0 and nothing.stdout == ""
    notes = root / "content/commentary"
    (notes / "homes-2024-04-02.md").write_text((notes / "homes-2024-04-02.md").read_text() + "More.\n")
    (notes / "repairs-2024-04-03.md").unlink()
    (notes / "calls-2024-04-05.md").write_text("Measure: calls\nAuthor: Contact Centre Manager\nDate: 2024-04-05\n\n"
                                               "Calls fell.\n")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "notes")                 # committed on the branch: still not published
    changed = diff()
    assert changed.returncode == 3
    assert changed.stdout.splitlines() == [
        "Removed commentary: repairs-2024-04-03.md.",
        "New commentary: Calls, by Contact Centre Manager (2024-04-05).",
        "Changed commentary: Homes, by Head of Housing (2024-04-02)."]
    assert diff("--against", "HEAD").returncode == 0
    assert diff("--against", "no-such-ref").returncode == 2
