"""One settings object: every command reads the same file the same way, and a wrong value is named."""

from __future__ import annotations

import dataclasses

import pytest

from conftest import ROOT, make_measure_package, make_project, make_registers, run_dashboard
from generator import settings as settings_module
from generator.errors import ConfigError
from generator.settings import SETTINGS


def _project_with_a_big_file(tmp_path):
    project = make_project(tmp_path)
    data = project / "data"
    make_registers(data)
    make_measure_package(data, {"homes": "period,value\n2024-01,5\n"})
    big = data / "big"
    big.mkdir()
    (big / "rows.csv").write_text("n,text\n" + "".join(f"{i},{'x' * 60}\n" for i in range(30_000)))   # about 2 MB
    (big / "datapackage.json").write_text('{"name": "big", "resources": [{"name": "rows", "path": "rows.csv"}]}')
    text = (project / "pelicanconf.py").read_text()
    (project / "small.py").write_text(text + "\nDASHBOARD_MAX_FILE_MB = 1\n")
    return project


def test_validate_honours_settings_exactly_as_build(tmp_path):
    project = _project_with_a_big_file(tmp_path)
    line = "data/big/rows.csv: [file-too-large]"
    assert run_dashboard("validate", cwd=project).returncode == 0                 # 100 MB allowed by default
    validate = run_dashboard("validate", "--settings", "small.py", cwd=project)
    build = run_dashboard("build", "--settings", "small.py", cwd=project)
    assert validate.returncode == 1 and line in validate.stdout
    assert build.returncode == 1 and line in build.stdout
    assert [l for l in validate.stdout.splitlines() if "[" in l] == [l for l in build.stdout.splitlines() if "[" in l]


def test_validate_reads_the_publication_lag_from_the_settings(tmp_path):
    project = make_project(tmp_path)
    make_registers(project / "data")
    make_measure_package(project / "data", {"homes": "period,value\n2024-01,5\n"},
                         {"homes": {"kind": "operational", "purposes": [], "service": "housing", "unit": "homes",
                                    "polarity": "neutral", "frequency": "monthly", "owner": "O", "source": "S"}})
    late = run_dashboard("validate", "--strict", cwd=project)
    assert late.returncode == 1 and "[overdue]" in late.stdout
    (project / "patient.py").write_text((project / "pelicanconf.py").read_text()
                                        + "\nDASHBOARD_PUBLICATION_LAG_DAYS = 100000\n")
    assert run_dashboard("validate", "--strict", "--settings", "patient.py", cwd=project).returncode == 0


@pytest.mark.parametrize("line, named", [
    ("DASHBOARD_MAX_FILE_MB = 'big'", "DASHBOARD_MAX_FILE_MB must be a whole number of at least 1, not 'big'"),
    ("DASHBOARD_ILLUSTRATIVE = 'yes'", "DASHBOARD_ILLUSTRATIVE must be True or False"),
    ("DASHBOARD_LICENSE = 'OGL'", "DASHBOARD_LICENSE must be a licence"),
    ("DASHBOARD_PERSONAL_DATA_RULES = {'supplier_name': 'individual'}", "DASHBOARD_PERSONAL_DATA_RULES must be a dict"),
    ("DASHBOARD_FEED_LIMIT = 0", "DASHBOARD_FEED_LIMIT must be a whole number of at least 1, not 0"),
    ("DASHBOARD_PERSONAL_DATA_RULES = {'supplier_name': ['(']}", "DASHBOARD_PERSONAL_DATA_RULES: '(' is not a regular"),
    ("DASHBOARD_COUNCILL = 'Typo'", "unknown setting(s) DASHBOARD_COUNCILL"),
])
@pytest.mark.parametrize("command", ["validate", "build", "import"])
def test_a_wrong_setting_stops_every_command_with_exit_2_naming_it(tmp_path, line, named, command):
    project = make_project(tmp_path)
    make_registers(project / "data")
    (project / "bad.py").write_text((project / "pelicanconf.py").read_text() + f"\n{line}\n")
    (project / "export.csv").write_text("Date,Amount,Supplier\n2024-05-01,600,Acme\n")
    args = {"validate": ["validate"], "build": ["build"],
            "import": ["import", "spending", "export.csv", "--into", "data/spending"]}[command]
    result = run_dashboard(*args, "--settings", "bad.py", cwd=project)
    assert result.returncode == 2 and named in result.stderr, result.stderr
    assert not (project / "data/spending").exists() and not (project / "output").exists()


def test_an_explicit_settings_file_that_does_not_exist_is_a_usage_error(tmp_path):
    for command in (["validate"], ["build"], ["import", "spending", "x.csv", "--into", "d"]):
        result = run_dashboard(*command, "--settings", "nowhere.py", cwd=tmp_path)
        assert result.returncode == 2 and "nowhere.py' does not exist" in result.stderr


def test_the_settings_object_is_frozen_and_typed():
    settings = settings_module.read(ROOT / "pelicanconf.py")
    assert settings.council == "Redditch Borough Council" and settings.root == ROOT
    assert settings.data_dir == ROOT / "data" and settings.commentary_dir == ROOT / "content" / "commentary"
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.council = "Another Council"
    with pytest.raises(TypeError):
        settings.personal_data_rules["supplier_name"] = ("x",)
    assert settings.replace(strict=True).strict and not settings.strict


def test_every_setting_has_a_default_of_its_type():
    for s in SETTINGS:
        assert settings_module._checked(s, s.default, "defaults") == s.default
    with pytest.raises(ConfigError):
        settings_module.from_mapping({"DASHBOARD_CHART_WORKERS": -1})


def test_no_module_keeps_a_default_of_its_own():
    """Settings' defaults live in settings.py only: what carries a setting elsewhere must be given it."""
    import inspect

    from generator.analysis.spc import SPCSettings, analyse
    from generator.ingest.read import read_package, read_sources
    from generator.site.charts import draw_all
    from generator.urls import Urls
    for carrier in (SPCSettings, Urls):
        assert all(f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                   for f in dataclasses.fields(carrier)), carrier
    for function, name in ((analyse, "settings"), (draw_all, "workers"), (read_sources, "max_mb"),
                           (read_package, "max_bytes")):
        assert inspect.signature(function).parameters[name].default is inspect.Parameter.empty, function
    offenders = [f"{path.relative_to(ROOT)}: {word}" for path in (ROOT / "generator").rglob("*.py")
                 if path.name != "settings.py" for word in ("DEFAULTS", "MAX_FILE_MB =", "LAG_DAYS =")
                 if word in path.read_text()]
    assert offenders == []
