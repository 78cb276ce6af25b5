"""Updates and revisions: the release calendar, feeds, revisions from git, JSON twins and DCAT."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from datetime import date, datetime, timezone
from pathlib import Path

import icalendar
import pytest

from conftest import ROOT, git, make_measure_package, make_project, make_registers, published_measures, run_dashboard, \
    settings_for
from generator.analysis import releases
from generator.publish.calendar import ics
from generator.urls import Urls
from generator.ingest.build import build_site
from generator.ingest.read import read_sources
from generator.settings import Settings

site_group = pytest.mark.xdist_group("site")
ATOM = "{http://www.w3.org/2005/Atom}"


def _measures(tmp_path: Path, tables: dict[str, str], frequency: str = "monthly"):
    root = tmp_path / "data"
    make_registers(root)
    props = {mid: {"kind": "operational", "purposes": [], "service": "housing", "unit": "cases",
                   "polarity": "neutral", "frequency": frequency, "owner": "O", "source": "S"} for mid in tables}
    make_measure_package(root, tables, props)
    return list(build_site(read_sources(root, Settings().max_file_mb), [], dict(Settings().license)).measures.values())


# --- release calendar -------------------------------------------------------------------------

@pytest.mark.parametrize("today, overdue_days", [
    (date(2024, 4, 30), 0),     # March's figure is due 30 days after April ends: 30 May
    (date(2024, 5, 30), 0),     # due today: not late yet
    (date(2024, 5, 31), 1),     # the day after: overdue
    (date(2024, 7, 29), 60),
])
def test_overdue_is_counted_from_the_due_date(tmp_path, today, overdue_days):
    [m] = _measures(tmp_path, {"homes": "period,value\n2024-02,5\n2024-03,6\n"})
    r = releases.release_for(m, today, 30)
    assert (r.period, r.due, r.overdue_days, r.overdue) == ("2024-04", date(2024, 5, 30), overdue_days,
                                                            overdue_days > 0)


def test_quarterly_and_financial_year_measures_are_due_after_their_next_period(tmp_path):
    [q] = _measures(tmp_path / "q", {"q": "period,value\n2024/25-Q1,5\n"}, "quarterly")
    [y] = _measures(tmp_path / "y", {"y": "period,value\n2023/24,5\n"}, "annual")
    assert releases.release_for(q, date(2024, 9, 1), 30).due == date(2024, 10, 30)   # Q2 ends 30 September
    assert releases.release_for(y, date(2024, 9, 1), 30).due == date(2025, 4, 30)    # 2024/25 ends 31 March


def test_irregular_measures_are_never_due(tmp_path):
    [m] = _measures(tmp_path, {"survey": "period,value\n2024-03-01/2024-04-30,5\n"}, "irregular")
    r = releases.release_for(m, date(2030, 1, 1), 30)
    assert (r.due, r.overdue) == (None, False)


def test_schedule_puts_the_most_overdue_first_then_the_soonest_due(tmp_path):
    measures = _measures(tmp_path, {"late": "period,value\n2024-01,1\n", "later": "period,value\n2023-12,1\n",
                                    "soon": "period,value\n2024-05,1\n", "sooner": "period,value\n2024-04,1\n"})
    order = [r.measure.id for r in releases.schedule(measures, date(2024, 5, 1), 30)]
    assert order == ["later", "late", "sooner", "soon"]


def test_ics_is_valid_icalendar_with_one_all_day_event_per_release(tmp_path):
    measures = _measures(tmp_path, {"a": "period,value\n2024-01,1\n", "b": "period,value\n2024-02,1\n"})
    now = datetime(2024, 3, 1, tzinfo=timezone.utc)
    schedule = releases.schedule(measures, now.date(), 30)
    urls = Urls("https://dash.example.gov.uk", "{slug}/", "theme")
    data = ics(schedule, "Example Council", urls, now)
    assert data == ics(schedule, "Example Council", urls, now)  # reproducible
    cal = icalendar.Calendar.from_ical(data)
    events = [e for e in cal.walk("VEVENT")]
    assert [(str(e["UID"]), e.decoded("DTSTART")) for e in events] == [
        ("a.2024-02@dash.example.gov.uk", date(2024, 3, 30)), ("b.2024-03@dash.example.gov.uk", date(2024, 4, 30))]
    assert all(e.decoded("DTSTAMP") == now for e in events)
    assert data.count(b"\r\n") > 10 and all(len(line) <= 75 for line in data.split(b"\r\n"))


def test_a_calendar_is_kept_in_the_cache_until_an_event_changes(tmp_path, monkeypatch):
    from generator.publish import calendar
    measures = _measures(tmp_path, {"a": "period,value\n2024-01,1\n", "b": "period,value\n2024-02,1\n"})
    now = datetime(2024, 3, 1, tzinfo=timezone.utc)
    urls = Urls("https://dash.example.gov.uk", "{slug}/", "theme")
    schedule = releases.schedule(measures, now.date(), 30)
    made = ics(schedule, "Example Council", urls, now, tmp_path / "cache")
    assert made == ics(schedule, "Example Council", urls, now)

    def never(*args):
        raise AssertionError("the calendar was made again")
    with monkeypatch.context() as m:
        m.setattr(calendar, "_calendar", never)
        assert ics(schedule, "Example Council", urls, now, tmp_path / "cache") == made
    measures[0].title = "Renamed"
    renamed = ics(releases.schedule(measures, now.date(), 30), "Example Council", urls, now, tmp_path / "cache")
    assert b"Due: Renamed" in renamed and renamed != made


def test_a_calendar_is_kept_across_builds_at_different_times(tmp_path, monkeypatch):
    """A council's CI builds without SOURCE_DATE_EPOCH: each build's time is its calendar's DTSTAMP, which
    must not make the calendar again (nor leave the last one unused, to be pruned)."""
    from generator.publish import calendar
    measures = _measures(tmp_path, {"a": "period,value\n2024-01,1\n", "b": "period,value\n2024-02,1\n"})
    urls = Urls("https://dash.example.gov.uk:8443/council/", "{slug}/", "theme")
    schedule = releases.schedule(measures, date(2024, 3, 1), 30)
    morning = datetime(2024, 3, 1, 9, 15, 30, 250, tzinfo=timezone.utc)
    first = ics(schedule, "Example Council", urls, morning, tmp_path / "cache")
    made = []
    real = calendar._calendar
    monkeypatch.setattr(calendar, "_calendar", lambda *args: made.append(args) or real(*args))
    for when in (datetime(2024, 3, 1, 17, 45, tzinfo=timezone.utc), morning):
        kept = ics(schedule, "Example Council", urls, when, tmp_path / "cache")
        assert kept == real("Example Council Dashboard: release calendar", when.replace(microsecond=0),
                            [calendar._event(r, "dash.example.gov.uk", urls, when) for r in schedule])
        assert all(e.decoded("DTSTAMP") == when.replace(microsecond=0)
                   for e in icalendar.Calendar.from_ical(kept).walk("VEVENT"))
    assert made == [] and kept == first
    assert len(list((tmp_path / "cache" / "calendar").iterdir())) == 1


def test_overdue_measure_is_a_warning_and_fails_strict_validation(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    make_measure_package(root, {"homes": "period,value\n2024-01,5\n"}, {"homes": {
        "kind": "operational", "purposes": [], "service": "housing", "unit": "households",
        "polarity": "neutral", "frequency": "monthly", "owner": "O", "source": "S"}})
    epoch = {"SOURCE_DATE_EPOCH": str(int(datetime(2024, 4, 1, tzinfo=timezone.utc).timestamp()))}
    ok = run_dashboard("validate", str(root), cwd=tmp_path, env=epoch)
    assert ok.returncode == 0
    assert "data/measures/homes.csv: [warning:overdue] The figure for February 2024 was due by 2024-03-30" in ok.stdout
    strict = run_dashboard("validate", str(root), "--strict", cwd=tmp_path, env=epoch)
    assert strict.returncode == 1 and "data/measures/homes.csv: [overdue]" in strict.stdout


# --- revisions: a git repository whose data changes ---------------------------------------------

def _project(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    make_registers(project / "data")
    make_measure_package(project / "data", {"homes": "period,value,note\n2024-02,5,\n2024-03,6,\n2024-04,7,\n"},
                         {"homes": {"kind": "operational", "purposes": [], "service": "housing",
                                    "unit": "households", "polarity": "neutral", "frequency": "monthly",
                                    "owner": "O", "source": "S"}})
    descriptor = json.loads((project / "data/measures/datapackage.json").read_text())
    descriptor["resources"][0]["schema"]["fields"].append({"name": "note", "type": "string"})
    (project / "data/measures/datapackage.json").write_text(json.dumps(descriptor))
    git(project, "init", "-q")
    git(project, "add", ".")
    git(project, "commit", "-qm", "first publication", when="2024-05-02T09:00:00+00:00")
    return project


EPOCH_JUNE = {"SOURCE_DATE_EPOCH": str(int(datetime(2024, 6, 1, tzinfo=timezone.utc).timestamp()))}


def test_changed_past_value_without_reason_warns_and_fails_strict(tmp_path):
    project = _project(tmp_path)
    (project / "data/measures/homes.csv").write_text("period,value,note\n2024-02,5,\n2024-03,9,\n2024-04,7,\n")
    git(project, "commit", "-qam", "fix March", when="2024-05-20T09:00:00+00:00")
    ok = run_dashboard("validate", "data", cwd=project, env=EPOCH_JUNE)
    assert ok.returncode == 0
    assert ("data/measures/homes.csv:3:value: [warning:unexplained-revision] The figure for 2024-03 changed "
            "from 6 to 9 (commit") in ok.stdout
    strict = run_dashboard("validate", "data", "--strict", cwd=project, env=EPOCH_JUNE)
    assert strict.returncode == 1 and "homes.csv:3:value: [unexplained-revision]" in strict.stdout


def test_uncommitted_change_is_caught_before_it_is_published(tmp_path):
    project = _project(tmp_path)
    (project / "data/measures/homes.csv").write_text("period,value,note\n2024-02,4,\n2024-03,6,\n2024-04,7,\n")
    result = run_dashboard("validate", "data", "--strict", cwd=project, env=EPOCH_JUNE)
    assert result.returncode == 1
    assert "homes.csv:2:value: [unexplained-revision] The figure for 2024-02 changed from 5 to 4 (not yet committed)" \
        in result.stdout


def test_revision_with_reason_is_shown_on_the_page_and_in_the_json(tmp_path):
    project = _project(tmp_path)
    (project / "data/measures/homes.csv").write_text(
        "period,value,note\n2024-02,5,\n2024-03,9,Three late cases added\n2024-04,7,\n")
    git(project, "commit", "-qam", "fix March", when="2024-05-20T09:00:00+00:00")
    assert run_dashboard("validate", "data", "--strict", cwd=project, env=EPOCH_JUNE).returncode == 0
    built = run_dashboard("build", "--output", "output", cwd=project, env=EPOCH_JUNE)
    assert built.returncode == 0, built.stdout + built.stderr
    page = (project / "output/measures/homes/index.html").read_text(encoding="utf-8")
    assert ("<strong>March 2024</strong>: revised from 6 households to 9 households on "
            '<time datetime="2024-05-20">20 May 2024</time>. Reason: Three late cases added') in page
    assert "<strong>Revised:</strong> the figure for March 2024 was revised on 20 May 2024" in page
    data = json.loads((project / "output/measures/homes/homes.json").read_text())
    [revision] = data["revisions"]
    assert {k: revision[k] for k in ("period", "old", "new", "reason", "date")} == {
        "period": "2024-03", "old": "6", "new": "9", "reason": "Three late cases added", "date": "2024-05-20"}
    feed = ET.parse(project / "output/feeds/all.atom.xml").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert "homes: figure for 2024-03 revised" in " | ".join(titles).replace("Homes", "homes")


def test_a_reason_written_later_explains_an_earlier_revision(tmp_path):
    project = _project(tmp_path)
    (project / "data/measures/homes.csv").write_text("period,value,note\n2024-02,5,\n2024-03,9,\n2024-04,7,\n")
    git(project, "commit", "-qam", "fix March", when="2024-05-20T09:00:00+00:00")
    (project / "data/measures/homes.csv").write_text(
        "period,value,note\n2024-02,5,\n2024-03,9,Late cases\n2024-04,7,\n")
    git(project, "commit", "-qam", "explain March", when="2024-05-21T09:00:00+00:00")
    assert run_dashboard("validate", "data", "--strict", cwd=project, env=EPOCH_JUNE).returncode == 0


# --- the example site ---------------------------------------------------------------------------

@site_group
def test_calendar_page_and_ics_list_every_scheduled_measure(site):
    page = (site / "calendar/index.html").read_text(encoding="utf-8")
    for mid in published_measures(site):
        assert f'href="../measures/{mid}/"' in page, mid
    cal = icalendar.Calendar.from_ical((site / "calendar/calendar.ics").read_bytes())
    data = json.loads((site / "calendar/index.json").read_text())
    scheduled = [r for r in data["releases"] if r["due"]]
    assert len(list(cal.walk("VEVENT"))) == len(scheduled) >= 30
    assert "Every measure is up to date" in page      # the example's latest figures are on time


@site_group
def test_a_feed_per_purpose_holds_only_that_purposes_updates(site):
    """A measure's updates go to its purposes' feeds; a report goes to the feed of each purpose it has a
    section on a measure of."""
    purposes = json.loads((site / "index.json").read_text())["purposes"]
    reported = set()
    for purpose in purposes:
        feed = ET.parse(site / f"feeds/{purpose['id']}.atom.xml").getroot()
        mine = {m["id"] for m in json.loads((site / f"purposes/{purpose['id']}/index.json").read_text())["measures"]}
        entries = [(e.find(f"{ATOM}category").get("term"),
                    e.find(f"{ATOM}link").get("href").split("#")[0].rstrip("/").rsplit("/", 1)[-1])
                   for e in feed.findall(f"{ATOM}entry")]
        assert entries, purpose["id"]
        for kind, slug in entries:
            if kind == "report":
                shown = {m["measure"] for m in json.loads((site / f"reports/{slug}/index.json").read_text())["measures"]}
                assert shown & mine, (purpose["id"], slug)
                reported.add(slug)
            else:
                assert slug in mine, (purpose["id"], kind, slug)
    assert reported == {p.name for p in (site / "reports").iterdir() if (p / "briefings").is_dir()}
    everything = ET.parse(site / "feeds/all.atom.xml").getroot()
    kinds = {c.get("term") for e in everything.findall(f"{ATOM}entry") for c in e.findall(f"{ATOM}category")}
    assert {"figure", "commentary", "revision"} <= kinds


@site_group
def test_the_reports_feed_has_every_report_newest_first(site):
    feed = ET.parse(site / "reports/feed.atom.xml").getroot()
    entries = feed.findall(f"{ATOM}entry")
    listed = [r["slug"] for r in json.loads((site / "reports/index.json").read_text())["reports"]]
    assert [e.find(f"{ATOM}link").get("href").rstrip("/").rsplit("/", 1)[-1] for e in entries] == listed
    assert {c.get("term") for e in entries for c in e.findall(f"{ATOM}category")} == {"report"}
    assert entries[0].find(f"{ATOM}title").text == "Quarterly performance report to Overview and Scrutiny, 1 October 2026"
    assert "with the figures as they stood on 1 October 2026" in entries[0].find(f"{ATOM}summary").text


@site_group
def test_example_revisions_are_on_their_pages(site):
    from generator.ingest.history import is_shallow
    if is_shallow(ROOT):
        pytest.skip("a shallow clone lacks the commit that holds the example's first publication")
    page = (site / "measures/homelessness-prevented/index.html").read_text(encoding="utf-8")
    assert "<strong>July 2026</strong>: revised from 23 households to 25 households" in page
    assert "Reason: Two cases closed in July were recorded after the figure was first published." in page


@site_group
def test_every_html_page_has_a_json_twin_linked_from_its_head(site):
    for html in site.rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        start = text.index('<link rel="alternate" type="application/json"')
        href = text[start:text.index(">", start)].split('href="')[1].split('"')[0]
        twin = html.parent / href
        assert twin.is_file(), (html, href)
        json.loads(twin.read_text(encoding="utf-8"))


@site_group
def test_dcat_catalogue_describes_every_package_and_measure_with_working_downloads(site):
    catalog = json.loads((site / "data/catalog.jsonld").read_text())
    assert catalog["@type"] == "dcat:Catalog"
    public = catalog["foaf:homepage"]["@id"].removesuffix("/data/")
    ids = {d["dct:identifier"] for d in catalog["dcat:dataset"]}
    packages = {p.name for p in (site / "data").iterdir() if p.is_dir()}
    measures = set(published_measures(site))
    assert packages | measures <= ids
    for dataset in catalog["dcat:dataset"]:
        assert dataset["dct:title"] and dataset["dct:license"]["@id"].startswith("https://")
        for dist in dataset["dcat:distribution"]:
            assert (site / dist["dcat:downloadURL"]["@id"].removeprefix(public + "/")).is_file(), dist
    head = (site / "data/index.html").read_text(encoding="utf-8")
    assert 'type="application/ld+json"' in head and "catalog.jsonld" in head


def test_an_irregular_measure_is_never_overdue_anywhere(tmp_path):
    from generator.domain.timeliness import next_due
    [m] = _measures(tmp_path, {"survey": "period,value\n2024-03-01/2024-04-30,5\n"}, "irregular")
    assert next_due(m, 30) is None


def test_ics_calls_an_overdue_release_overdue(tmp_path):
    [m] = _measures(tmp_path, {"a": "period,value\n2024-01,1\n"})
    now = datetime(2024, 6, 1, tzinfo=timezone.utc)
    urls = Urls("https://x.org", "{slug}/", "theme")
    cal = icalendar.Calendar.from_ical(ics(releases.schedule([m], now.date(), 30), "C", urls, now))
    [event] = cal.walk("VEVENT")
    assert str(event["SUMMARY"]).startswith("Overdue: ")


def test_feeds_escape_text_and_stay_reproducible_when_empty():
    from generator.analysis.updates import Update
    from generator.publish.feeds import atom
    now = datetime(2024, 6, 1, tzinfo=timezone.utc)
    urls = Urls("https://x.org", "{slug}/", "theme")
    empty = atom([], "Empty", urls, "feeds/e.atom.xml", 10, now)
    assert "<updated>2024-06-01T00:00:00+00:00</updated>" in empty
    text = atom([Update("revision", date(2024, 5, 2), "T", "Reason: <b> & co", measure="a", fragment="r",
                        links_to_fragment=True)], "F", urls, "feeds/f.atom.xml", 10, now)
    assert "Reason: &amp;lt;b&amp;gt; &amp;amp; co" in text    # escaped HTML, inside XML
    assert '<link href="https://x.org/measures/a/#r"' in text and "<id>https://x.org/measures/a/#r</id>" in text


def test_a_shallow_clone_warns_that_older_revisions_cannot_be_seen(tmp_path):
    project = _project(tmp_path)
    (project / "data/measures/homes.csv").write_text("period,value,note\n2024-02,5,\n2024-03,9,Late\n2024-04,7,\n")
    git(project, "commit", "-qam", "fix March", when="2024-05-20T09:00:00+00:00")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{project}", str(clone)], check=True)
    result = run_dashboard("validate", "data", cwd=clone, env=EPOCH_JUNE)
    assert result.returncode == 0 and "data: [warning:shallow-history]" in result.stdout


def test_a_note_already_on_the_row_does_not_explain_a_revision(tmp_path):
    project = _project(tmp_path)
    (project / "data/measures/homes.csv").write_text("period,value,note\n2024-02,5,\n2024-03,6,Abbey ward included\n"
                                                      "2024-04,7,\n")
    git(project, "commit", "-qam", "a note", when="2024-05-10T09:00:00+00:00")
    (project / "data/measures/homes.csv").write_text("period,value,note\n2024-02,5,\n2024-03,99,Abbey ward included\n"
                                                      "2024-04,7,\n")
    git(project, "commit", "-qam", "change March", when="2024-05-20T09:00:00+00:00")
    result = run_dashboard("validate", "data", "--strict", cwd=project, env=EPOCH_JUNE)
    assert result.returncode == 1 and "homes.csv:3:value: [unexplained-revision]" in result.stdout


def test_a_commit_between_two_loads_in_one_process_is_seen(tmp_path, monkeypatch):
    """The plugin's second load is answered from memory only while nothing it reads changed: a commit
    changes revisions and dates although no file in the work tree changes."""
    from generator.ingest.pipeline import load
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH_JUNE["SOURCE_DATE_EPOCH"])
    project = _project(tmp_path)
    (project / "data/measures/homes.csv").write_text("period,value,note\n2024-02,4,\n2024-03,6,\n2024-04,7,\n")
    settings = settings_for(project / "data")
    before = load(settings).site.measures["homes"].revisions
    git(project, "commit", "-qam", "fix February", when="2024-05-20T09:00:00+00:00")
    after = load(settings).site.measures["homes"].revisions
    assert [(r.period, r.commit) for r in before] == [("2024-02", None)]          # not yet committed
    assert [(r.period, r.when.isoformat()) for r in after] == [("2024-02", "2024-05-20")]
    assert after[0].commit == git(project, "rev-parse", "--short=12", "HEAD")


# --- release timing per measure ------------------------------------------------------------------

def _timed(tmp_path: Path, release: dict, table: str = "period,value\n2024-01,5\n"):
    root = tmp_path / "data"
    make_registers(root)
    make_measure_package(root, {"rate": table}, {"rate": {
        "kind": "context", "unit": "%", "frequency": "monthly", "source": "Office for National Statistics",
        "release": release}})
    return root


def test_a_measure_may_have_its_own_lag_or_an_announced_release_date(tmp_path):
    [lagged] = build_site(read_sources(_timed(tmp_path / "a", {"lag_days": 120}), 50), [],
                          dict(Settings().license)).measures.values()
    assert releases.release_for(lagged, date(2024, 6, 1), 30).due == date(2024, 6, 28)   # 29 February + 120 days
    [announced] = build_site(read_sources(_timed(tmp_path / "b", {"next": "2024-03-19"}), 50), [],
                             dict(Settings().license)).measures.values()
    r = releases.release_for(announced, date(2024, 3, 25), 30)
    assert (r.due, r.overdue_days, r.period) == (date(2024, 3, 19), 6, "2024-02")


def test_a_known_delay_holds_off_overdue_until_its_expected_date_then_names_its_reason(tmp_path):
    delay = {"reason": "The producer postponed its release", "expected": "2024-05-01"}
    data = _timed(tmp_path, {"lag_days": 30, "delay": delay})
    waiting = {"SOURCE_DATE_EPOCH": str(int(datetime(2024, 4, 20, tzinfo=timezone.utc).timestamp()))}
    held = run_dashboard("validate", str(data), "--strict", cwd=tmp_path, env=waiting)
    assert held.returncode == 0 and "overdue" not in held.stdout, held.stdout
    late = {"SOURCE_DATE_EPOCH": str(int(datetime(2024, 5, 2, tzinfo=timezone.utc).timestamp()))}
    result = run_dashboard("validate", str(data), "--strict", cwd=tmp_path, env=late)
    assert result.returncode == 1
    [line] = [x for x in result.stdout.splitlines() if "[overdue]" in x]
    assert "was due by 2024-03-30 (33 days ago)" in line and "The producer postponed its release" in line
    assert "dashboard.release" in line and "commentary" not in line


def test_the_page_and_calendar_say_delayed_with_the_reason(tmp_path):
    project = make_project(tmp_path)
    _timed(project, {"lag_days": 30, "delay": {"reason": "Survey fieldwork was suspended.",
                                                "expected": "2024-05-01"}})
    env = {"SOURCE_DATE_EPOCH": str(int(datetime(2024, 4, 20, tzinfo=timezone.utc).timestamp()))}
    result = run_dashboard("build", "--output", "out", "--strict", cwd=project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    page = (project / "out/measures/rate/index.html").read_text()
    assert "<strong>Delayed:</strong>" in page and "Survey fieldwork was suspended." in page
    assert "Overdue" not in page
    calendar = (project / "out/calendar/index.html").read_text()
    assert "Delayed: expected by" in calendar
    twin = json.loads((project / "out/measures/rate/rate.json").read_text())
    assert twin["delay"] == {"reason": "Survey fieldwork was suspended.", "expected": "2024-05-01", "active": True}


def test_release_dates_must_be_real_days(tmp_path):
    data = _timed(tmp_path, {"next": "2024-02-30"})
    from generator.ingest.pipeline import load
    report = load(settings_for(data)).report
    assert [(p.field, p.type) for p in report.errors] == [("dashboard.release.next", "dashboard-property")]


def test_a_delay_is_over_once_its_expected_date_has_passed_and_an_announced_date_once_data_came(tmp_path):
    from dataclasses import replace as _replace
    from generator.domain.timeliness import due
    delay = {"reason": "Postponed by the producer", "expected": "2024-04-15"}
    [m] = build_site(read_sources(_timed(tmp_path / "a", {"lag_days": 30, "delay": delay}), 50), [],
                     dict(Settings().license)).measures.values()
    assert due(m, date(2024, 4, 15), 30).delayed and not due(m, date(2024, 4, 16), 30).delayed
    [n] = build_site(read_sources(_timed(tmp_path / "b", {"next": "2024-03-19"}), 50), [],
                     dict(Settings().license)).measures.values()
    assert due(n, date(2024, 3, 25), 30).date == date(2024, 3, 19)
    after = _replace(n, updated=date(2024, 3, 20))        # the data changed after the announced date
    assert due(after, date(2024, 3, 25), 30).date == date(2024, 3, 30)   # February's lag, not the old date
