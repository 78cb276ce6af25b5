"""'Last updated' comes from git: the same commit gives the same dates anywhere."""

from datetime import date

from conftest import git
from generator.ingest.history import file_dates


def test_dates_of_last_commit_and_uncommitted_changes(tmp_path):
    repo = tmp_path / "repo"
    data = repo / "data" / "measures"
    data.mkdir(parents=True)
    git(repo, "init", "-q")
    (data / "a.csv").write_text("period,value\n2024-01,1\n")
    (data / "b.csv").write_text("period,value\n2024-01,1\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "first", when="2024-02-10T12:00:00Z")
    (data / "b.csv").write_text("period,value\n2024-01,1\n2024-02,2\n")
    git(repo, "commit", "-qam", "second", when="2024-03-12T12:00:00Z")
    (data / "c.csv").write_text("period,value\n")            # not committed yet
    today = date(2024, 4, 1)
    dates = file_dates(repo / "data", today)
    assert dates.changed[(data / "a.csv").resolve()] == date(2024, 2, 10)
    assert dates.changed[(data / "b.csv").resolve()] == date(2024, 3, 12)
    assert dates.changed[(data / "c.csv").resolve()] == today
    assert dates.added[(data / "b.csv").resolve()] == date(2024, 2, 10)   # first commit, not the last
    assert dates.added[(data / "c.csv").resolve()] == today


def test_outside_git_nothing_is_known(tmp_path):
    (tmp_path / "a.csv").write_text("x\n")
    dates = file_dates(tmp_path, date(2024, 1, 1))
    assert dates.added == {} and dates.changed == {}
