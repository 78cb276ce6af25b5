"""Revisions of published values come from git history: old value, new value, reason, date."""

import subprocess
from datetime import date
from pathlib import Path

from conftest import commit_file, git
from generator.ingest.revisions import Tracked, compare, find_revisions

TODAY = date(2025, 6, 1)
HEADER = "period,value,note\n"


commit = commit_file


def flat(path: Path, suppress_below: int | None = None) -> list[tuple]:
    result = find_revisions([Tracked("m", path, suppress_below)], TODAY)
    return [(r.period, r.old, r.new, r.reason, r.when.isoformat()) for r in result["m"]]


def two_versions(tmp_path: Path, before: str, after: str, suppress_below: int | None = None):
    path = tmp_path / "repo" / "m.csv"
    commit(path, HEADER + before, "2025-01-15T10:00:00+00:00")
    commit(path, HEADER + after, "2025-02-20T10:00:00+00:00")
    return flat(path, suppress_below)


def test_revision_with_reason_and_commit(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, HEADER + "2024-01,10,\n2024-02,20,\n", "2025-01-15T10:00:00+00:00")
    sha = commit(path, HEADER + "2024-01,11, late returns \n2024-02,20,\n", "2025-02-20T10:00:00+00:00")
    [revision] = find_revisions([Tracked("m", path)], TODAY)["m"]
    assert (revision.period, revision.old, revision.new, revision.reason) == ("2024-01", "10", "11", "late returns")
    assert revision.when == date(2025, 2, 20)
    assert revision.commit == sha and len(sha) == 12


def test_revision_without_reason(tmp_path):
    assert two_versions(tmp_path, "2024-01,10,\n", "2024-01,9,\n") == [
        ("2024-01", "10", "9", None, "2025-02-20")]


def test_note_column_absent_gives_no_reason(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, "period,value\n2024-01,10\n", "2025-01-15T10:00:00+00:00")
    commit(path, "period,value\n2024-01,12\n", "2025-02-20T10:00:00+00:00")
    assert flat(path) == [("2024-01", "10", "12", None, "2025-02-20")]


def test_same_number_written_differently_is_not_a_revision(tmp_path):
    assert two_versions(tmp_path, "2024-01,5,\n", "2024-01,5.0,reformatted\n") == []


def test_filling_in_a_missing_value_is_not_a_revision(tmp_path):
    assert two_versions(tmp_path, "2024-01,[x],\n", "2024-01,7,now available\n") == []


def test_value_becoming_a_symbol_is_a_revision(tmp_path):
    assert two_versions(tmp_path, "2024-01,7,\n", "2024-01,[x],source withdrawn\n") == [
        ("2024-01", "7", "[x]", "source withdrawn", "2025-02-20")]


def test_removed_row_is_a_revision(tmp_path):
    assert two_versions(tmp_path, "2024-01,7,\n2024-02,8,\n", "2024-02,8,\n") == [
        ("2024-01", "7", "", None, "2025-02-20")]


def test_new_period_is_not_a_revision(tmp_path):
    assert two_versions(tmp_path, "2024-01,7,\n", "2024-01,7,\n2024-02,8,first release\n") == []


def test_uncommitted_edit_is_dated_today(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, HEADER + "2024/25-Q1,40,\n", "2025-01-15T10:00:00+00:00")
    path.write_text(HEADER + "2024/25-Q1,41,corrected\n", encoding="utf-8")
    [revision] = find_revisions([Tracked("m", path)], TODAY)["m"]
    assert (revision.old, revision.new, revision.reason) == ("40", "41", "corrected")
    assert revision.when == TODAY and revision.commit is None


def test_two_revisions_of_one_period_each_with_its_reason(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, HEADER + "2024-01,10,\n", "2025-01-15T10:00:00+00:00")
    commit(path, HEADER + "2024-01,11,late returns\n", "2025-02-20T10:00:00+00:00")
    commit(path, HEADER + "2024-01,12,audit\n", "2025-03-25T10:00:00+00:00")
    assert flat(path) == [("2024-01", "10", "11", "late returns", "2025-02-20"),
                          ("2024-01", "11", "12", "audit", "2025-03-25")]


def test_suppressed_values_never_leak(tmp_path):
    assert two_versions(tmp_path, "2024-01,3,\n", "2024-01,4,\n", suppress_below=5) == []


def test_suppressed_old_value_is_shown_as_c(tmp_path):
    assert two_versions(tmp_path, "2024-01,3,\n", "2024-01,12,recount\n", suppress_below=5) == [
        ("2024-01", "[c]", "12", "recount", "2025-02-20")]


def test_committer_date_is_taken_in_utc(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, HEADER + "2024-01,10,\n", "2025-01-15T10:00:00+00:00")
    commit(path, HEADER + "2024-01,11,\n", "2025-02-20T22:30:00-05:00")
    assert flat(path) == [("2024-01", "10", "11", None, "2025-02-21")]


def test_outside_git_every_id_has_no_revisions(tmp_path):
    (tmp_path / "m.csv").write_text(HEADER + "2024-01,10,\n", encoding="utf-8")
    tracked = [Tracked("m", tmp_path / "m.csv"), Tracked("gone", tmp_path / "missing" / "x.csv")]
    assert find_revisions(tracked, TODAY) == {"m": [], "gone": []}


def test_without_git_every_id_has_no_revisions(tmp_path, monkeypatch):
    path = tmp_path / "repo" / "m.csv"
    commit(path, HEADER + "2024-01,10,\n", "2025-01-15T10:00:00+00:00")
    commit(path, HEADER + "2024-01,11,\n", "2025-02-20T10:00:00+00:00")
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))
    assert find_revisions([Tracked("m", path)], TODAY) == {"m": []}


def test_paths_with_spaces_and_several_files_in_one_repository(tmp_path):
    repo = tmp_path / "my repo"
    first, second = repo / "data sets" / "a b.csv", repo / "data sets" / "c[1].csv"
    first.parent.mkdir(parents=True)
    git(repo, "init", "-q")
    first.write_text(HEADER + "2024-01,1,\n", encoding="utf-8")
    second.write_text(HEADER + "2024-01,2,\n", encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "first", when="2025-01-15T10:00:00+00:00")
    first.write_text(HEADER + "2024-01,10,typo\n", encoding="utf-8")
    git(repo, "commit", "-qam", "second", when="2025-02-20T10:00:00+00:00")
    second.write_text(HEADER + "2024-01,20,typo too\n", encoding="utf-8")
    result = find_revisions([Tracked("a", first), Tracked("c", second)], TODAY)
    assert [(r.old, r.new, r.reason, r.when) for r in result["a"]] == [("1", "10", "typo", date(2025, 2, 20))]
    assert [(r.old, r.new, r.reason, r.when) for r in result["c"]] == [("2", "20", "typo too", TODAY)]


def test_merged_branch_is_dated_by_the_merge(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, HEADER + "2024-01,10,\n", "2025-01-15T10:00:00+00:00")
    repo = path.parent
    main = git(repo, "rev-parse", "--abbrev-ref", "HEAD")
    git(repo, "checkout", "-qb", "fix")
    commit(path, HEADER + "2024-01,11,late returns\n", "2025-02-20T10:00:00+00:00")
    git(repo, "checkout", "-q", main)
    git(repo, "merge", "-q", "--no-ff", "-m", "merge", "fix", when="2025-03-01T10:00:00+00:00")
    assert flat(path) == [("2024-01", "10", "11", "late returns", "2025-03-01")]


def test_bom_bad_bytes_and_unusable_versions(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, "\ufeffperiod,value,note\n2024-01,10,\n", "2025-01-15T10:00:00+00:00")
    commit(path, "date,amount\n2024-01,99\n", "2025-02-20T10:00:00+00:00")   # not a measure table
    path.write_bytes(b"\xef\xbb\xbfperiod,value,note\n2024-01,12,caf\xe9\n,13,no period\n")
    assert flat(path) == [("2024-01", "10", "12", "caf\ufffd", TODAY.isoformat())]


def test_file_without_value_column_has_no_revisions(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, "period,amount\n2024-01,10\n", "2025-01-15T10:00:00+00:00")
    commit(path, "period,amount\n2024-01,11\n", "2025-02-20T10:00:00+00:00")
    assert flat(path) == []


def test_compare_rules():
    old = {"a": ("10", ""), "b": ("5", ""), "c": ("[x]", ""), "d": ("3", ""), "e": ("2", ""),
           "f": ("8", "")}
    new = {"a": ("11", " why "), "b": ("5.00", ""), "c": ("4", ""), "d": ("4", ""), "e": ("[c]", ""),
           "g": ("1", "new")}
    assert compare(old, new, None) == [("a", "10", "11", "why", ""), ("d", "3", "4", None, ""),
                                      ("f", "8", "", None, "")]
    assert compare(old, new, 5) == [("a", "10", "11", "why", ""), ("f", "8", "", None, "")]


def test_compare_suppression_shows_c_not_the_small_value():
    assert compare({"p": ("3", "")}, {"p": ("12", "")}, 5) == [("p", "[c]", "12", None, "")]
    assert compare({"p": ("3", "")}, {}, 5) == [("p", "[c]", "", None, "")]
    # Now confidential: the value it replaced must not reappear as the old side of a revision.
    assert compare({"p": ("12", "")}, {"p": ("3", "n")}, 5) == []
    assert compare({"p": ("0", "")}, {"p": ("1", "")}, 5) == []
    assert compare({"p": ("3", "")}, {"p": ("[c]", "withheld to protect privacy")}, None) == []


def test_a_note_that_was_already_there_is_not_a_reason():
    assert compare({"p": ("10", "Includes Abbey ward")}, {"p": ("99", "Includes Abbey ward")}, None) == [
        ("p", "10", "99", None, "Includes Abbey ward")]
    assert compare({"p": ("10", "Includes Abbey ward")}, {"p": ("99", "Late cases added")}, None) == [
        ("p", "10", "99", "Late cases added", "Includes Abbey ward")]


def test_a_semicolon_separated_file_is_read_with_its_delimiter(tmp_path):
    path = tmp_path / "repo" / "m.csv"
    commit(path, "period;value;note\n2024-01;10;\n", "2025-01-15T10:00:00+00:00")
    commit(path, "period;value;note\n2024-01;11;Late\n", "2025-02-20T10:00:00+00:00")
    found = find_revisions([Tracked("m", path, delimiter=";")], date(2025, 3, 1))["m"]
    assert [(r.period, r.old, r.new, r.reason) for r in found] == [("2024-01", "10", "11", "Late")]


def test_one_log_and_one_cat_file_for_many_files(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    paths = [repo / f"m{i}.csv" for i in range(3)]
    for version in ("1", "2"):
        for path in paths:
            commit(path, HEADER + f"2024-01,{version},\n", f"2025-0{version}-15T10:00:00+00:00")
    calls = []
    run = subprocess.run
    monkeypatch.setattr(subprocess, "run", lambda command, **kw: calls.append(command[4]) or run(command, **kw))
    result = find_revisions([Tracked(f"m{i}", path) for i, path in enumerate(paths)], TODAY)
    assert all(len(revisions) == 1 for revisions in result.values())
    assert calls == ["rev-parse", "log", "cat-file"]


def test_shallow_clone_reports_what_it_holds(tmp_path):
    path = tmp_path / "origin" / "m.csv"
    commit(path, HEADER + "2024-01,10,\n", "2025-01-15T10:00:00+00:00")
    commit(path, HEADER + "2024-01,11,late returns\n", "2025-02-20T10:00:00+00:00")
    commit(path, HEADER + "2024-01,12,audit\n", "2025-03-25T10:00:00+00:00")
    git(tmp_path, "clone", "-q", "--depth", "2", f"file://{path.parent}", "clone")
    assert flat(tmp_path / "clone" / "m.csv") == [("2024-01", "11", "12", "audit", "2025-03-25")]
