"""Measures reported in the periods of published statistics: rolling runs of months, durations to a
day and academic years, from the data package to the page (the grammar itself is in test_periods.py)."""

from __future__ import annotations

import json
import os
from datetime import date

from conftest import dashboard_property, make_measure_package, make_project, make_registers, run_dashboard, \
    settings_for, spc_settings
from generator.analysis import capability
from generator.analysis.releases import release_for
from generator.analysis.summary import summarise
from generator.domain.vocabulary import Years
from generator.ingest.checks import overdue_warnings
from generator.ingest.pipeline import load

# A rate rising a little every quarter: as independent figures it would be a run of signals.
RISING = [f"{70 + i * 0.4:.1f}" for i in range(20)]


def rolling_rows(values: list[str], notation: str = "months") -> str:
    """12-month periods, a new one each quarter: ending June 2019, September 2019, ..."""
    rows = []
    for i, v in enumerate(values):
        end = 2019 * 12 + 5 + 3 * i                       # month index of June 2019, then each quarter
        y, m = divmod(end, 12)
        sy, sm = divmod(end - 11, 12)
        if notation == "months":
            rows.append(f"{sy}-{sm + 1:02d}/{y}-{m + 1:02d},{v}")
        else:
            last = (date(y + (m + 1) // 12, (m + 1) % 12 + 1, 1) - date.resolution).isoformat()
            rows.append(f"P12M/{last},{v}")
    return "period,value\n" + "\n".join(rows) + "\n"


def academic_rows() -> str:
    return "period,value\n" + "".join(f"{y}/{(y + 1) % 100:02d},{60 + 2 * (y - 2018)}\n" for y in range(2018, 2023))


def data(tmp_path, measures: dict[str, str], props: dict[str, dict]):
    root = tmp_path / "data"
    make_registers(root)
    make_measure_package(root, measures, props)
    return root


def problems(root) -> list[list]:
    loaded = load(settings_for(root))
    return [[os.path.relpath(p.path, root), p.row, p.field, p.type, p.message] for p in loaded.report.errors]


def rate(**overrides) -> dict:
    return dashboard_property(**{"unit": "%", "frequency": "quarterly", "polarity": "higher-is-better", **overrides})


# --- academic years ----------------------------------------------------------------------------

def test_an_academic_measure_is_built_with_september_to_august_years(tmp_path):
    root = data(tmp_path, {"pupils": academic_rows()}, {"pupils": dashboard_property(
        frequency="annual", years="academic", unit="%",
        annotations=[{"period": "2020/21", "label": "Schools reopen"}])})
    loaded = load(settings_for(root))
    assert loaded.report.errors == []
    m = loaded.site.measures["pupils"]
    assert m.years is Years.ACADEMIC
    assert [(o.period.start, o.period.end) for o in m.observations][:2] == [
        (date(2018, 9, 1), date(2019, 8, 31)), (date(2019, 9, 1), date(2020, 8, 31))]
    assert m.last_period.label == "academic year 2022/23 (September 2022 to August 2023)"
    # the next figure is for the next academic year, due a lag after its August
    assert (m.next_period.text, m.next_period.end) == ("2023/24", date(2024, 8, 31))
    release = release_for(m, date(2024, 9, 1), 30)
    assert (release.period_name, release.due) == ("academic year 2023/24", date(2024, 9, 30))
    s = summarise(m, date(2024, 1, 1), 30)
    assert s.sentences[:2] == ["The latest figure is 68%, for academic year 2022/23.",
                               "That is 2 percentage points higher than academic year 2021/22 (66%)."]


def test_a_financial_measure_keeps_april_to_march(tmp_path):
    root = data(tmp_path, {"homes": academic_rows()}, {"homes": dashboard_property(frequency="annual")})
    m = load(settings_for(root)).site.measures["homes"]
    assert m.years is Years.FINANCIAL and m.last_period.start == date(2022, 4, 1)


def test_an_academic_year_whose_second_year_does_not_follow_gets_a_hint_naming_september(tmp_path):
    root = data(tmp_path, {"pupils": "period,value\n2021/22,5\n2022/24,6\n"},
                {"pupils": dashboard_property(frequency="annual", years="academic")})
    found = problems(root)
    assert [f[:4] for f in found] == [["measures/pupils.csv", 3, "period", "period-format"]]
    assert "Write 2022/23 for September 2022 to August 2023." in found[0][4]


def test_years_must_be_financial_or_academic(tmp_path):
    root = data(tmp_path, {"pupils": academic_rows()},
                {"pupils": dashboard_property(frequency="annual", years="calendar")})
    found = problems(root)
    assert [f[:4] for f in found] == [["measures/datapackage.json", None, "dashboard.years", "dashboard-property"]]
    assert "'calendar' is not one of financial, academic" in found[0][4]


def test_a_financial_quarter_on_an_academic_measure_is_refused(tmp_path):
    root = data(tmp_path, {"pupils": "period,value\n2022/23-Q1,5\n"},
                {"pupils": dashboard_property(frequency="quarterly", years="academic")})
    found = problems(root)
    assert [f[3] for f in found] == ["period-format"] and "academic" in found[0][4]


# --- rolling periods: validation, the next figure, the summary -----------------------------------

def test_rolling_twelve_month_periods_published_quarterly_are_valid(tmp_path):
    root = data(tmp_path, {"rate": rolling_rows(RISING), "aps": rolling_rows(RISING, "duration")},
                {"rate": rate(), "aps": rate()})
    assert problems(root) == []


def test_a_rolling_period_out_of_step_names_the_one_expected(tmp_path):
    text = rolling_rows(RISING[:3]).replace("2018-10/2019-09", "2018-11/2019-10")
    root = data(tmp_path, {"rate": text}, {"rate": rate()})
    found = problems(root)
    assert [f[:4] for f in found] == [["measures/rate.csv", 3, "period", "period-frequency"]]
    assert "the next figure is for 2018-10/2019-09" in found[0][4]


def test_a_rolling_period_shorter_than_the_step_is_refused(tmp_path):
    root = data(tmp_path, {"rate": "period,value\n2024-01/2024-02,5\n"}, {"rate": rate()})
    found = problems(root)
    assert [f[:4] for f in found] == [["measures/rate.csv", 2, "period", "period-frequency"]]
    assert "must cover at least 3 months" in found[0][4]


def test_the_next_rolling_figure_is_one_frequency_step_later(tmp_path):
    root = data(tmp_path, {"rate": rolling_rows(RISING[:4]), "aps": rolling_rows(RISING[:4], "duration")},
                {"rate": rate(), "aps": rate()})
    site = load(settings_for(root)).site
    rate_m, aps = site.measures["rate"], site.measures["aps"]
    assert rate_m.last_period.text == "2019-04/2020-03"
    assert rate_m.next_period.text == "2019-07/2020-06"           # not 2020-04/2021-03: a quarter on
    assert aps.next_period.text == "P12M/2020-06-30"
    release = release_for(rate_m, date(2020, 8, 1), 30)
    assert (release.period_name, release.due, release.overdue) == ("the 12 months to June 2020",
                                                                   date(2020, 7, 30), True)
    warning = [w.message for w in overdue_warnings(site, date(2020, 8, 1), 30) if "rate.csv" in w.path]
    assert len(warning) == 1 and warning[0].startswith(
        "The figure for the 12 months to June 2020 was due by 2020-07-30 (2 days ago).")
    warning = [w.message for w in overdue_warnings(site, date(2020, 7, 31), 30) if "rate.csv" in w.path]
    assert "was due by 2020-07-30 (1 day ago)." in warning[0]


def test_the_summary_compares_a_rolling_figure_with_the_previous_one_and_a_year_earlier(tmp_path):
    root = data(tmp_path, {"aps": rolling_rows(RISING[:9], "duration")}, {"aps": rate()})
    m = load(settings_for(root)).site.measures["aps"]
    s = summarise(m, date(2021, 7, 1), 30)
    assert s.sentences[:2] == [
        "The latest figure is 73.2%, for the 12 months to 30 June 2021.",
        "That is 0.4 percentage points higher than the 12 months to 31 March 2021 (72.8%) and 1.6 percentage "
        "points higher than a year earlier, in the 12 months to 30 June 2020 (71.6%)."]
    assert s.subtitle == "Percentage, quarterly, 12 months ending 30 June 2019 to 30 June 2021"


# --- rolling periods: no special-cause rule ---------------------------------------------------------

def test_overlapping_periods_get_average_and_range_but_no_special_cause_rule(tmp_path):
    root = data(tmp_path, {"rate": rolling_rows(RISING)}, {"rate": rate(target=70)})
    m = load(settings_for(root)).site.measures["rate"]
    analysis = capability.analyse_measure(m, spc_settings())
    assert analysis.overlapping and analysis.phases and analysis.signals == []
    assert (analysis.variation, analysis.assurance) == ("not-assessed", "not-assessed")
    words = capability.sentences(m, analysis, 15)
    assert words[1] == ("Each figure covers 12 months and shares some of them with the figure before, so neighbouring "
                        "figures are not independent: the usual tests for a sign of real change do not apply, and "
                        "none is looked for.")
    assert "a quarter" not in words[0]          # a figure for 12 months is not a quarter's
    assert not any("special" in w or "sign of real change, and" in w or "ordinary variation" in w for w in words)
    assert capability.outlook(m, analysis) is None
    published = capability.to_json(m, analysis)
    assert (published["signals"], published["variation"], published["reason"]) == \
        ([], "not-assessed", "overlapping-periods")
    assert len(published["phases"]) == 1


def test_the_same_figures_for_back_to_back_periods_do_show_signals(tmp_path):
    """The guard above is the overlap: the same values a year apart are read with every rule."""
    rows = "period,value\n" + "".join(f"{2000 + i}-01/{2000 + i}-12,{v}\n" for i, v in enumerate(RISING))
    root = data(tmp_path, {"rate": rows}, {"rate": rate(frequency="annual")})
    m = load(settings_for(root)).site.measures["rate"]
    analysis = capability.analyse_measure(m, spc_settings())
    assert not analysis.overlapping and analysis.signals
    assert analysis.variation.startswith("special-cause-")


def test_the_page_of_an_overlapping_series_says_why_it_has_no_signals(tmp_path):
    project = make_project(tmp_path)
    root = project / "data"
    make_registers(root)
    make_measure_package(root, {"rate": rolling_rows(RISING), "pupils": academic_rows()},
                         {"rate": rate(), "pupils": dashboard_property(frequency="annual", years="academic")})
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    out = project / "output" / "measures"
    page = (out / "rate" / "index.html").read_text()
    assert "Not assessed: the periods overlap" in page
    assert "so neighbouring figures are not independent" in page
    assert "No signals of real change" not in page and "Signals of real change" not in page
    assert "12 months to December 2023 (January to December 2023)" in page
    twin = json.loads((out / "rate" / "rate.json").read_text())
    assert (twin["spc"]["reason"], twin["spc"]["signals"], twin["years"]) == ("overlapping-periods", [], "financial")
    pupils = (out / "pupils" / "index.html").read_text()
    assert "academic year 2022/23 (September 2022 to August 2023)" in pupils
    data_rows = json.loads((out / "pupils" / "pupils.json").read_text())
    assert (data_rows["years"], data_rows["data"][0]["start"], data_rows["data"][0]["end"]) == \
        ("academic", "2018-09-01", "2019-08-31")
