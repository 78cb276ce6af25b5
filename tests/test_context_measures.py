"""Context measures: statistics the council watches but does not produce. No service or owner, the
producer as the source, neutral unless told, and listed as wider data beside the purposes they inform,
never as a service's performance."""

from __future__ import annotations

import json
import os

from conftest import dashboard_property, make_measure_package, make_project, make_registers, run_dashboard, \
    settings_for
from generator.domain.vocabulary import Kind, Polarity
from generator.ingest.pipeline import load

CONTEXT = {"kind": "context", "purposes": ["somewhere-to-live"], "unit": "%", "frequency": "monthly",
           "source": "Office for National Statistics", "release": {"lag_days": 60}}
TABLE = "period,value\n2024-01,3.1\n2024-02,3.4\n"


def test_a_context_measure_needs_no_service_owner_or_polarity(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    make_measure_package(root, {"claimants": TABLE}, {"claimants": CONTEXT})
    loaded = load(settings_for(root))
    assert loaded.report.errors == []
    m = loaded.site.measures["claimants"]
    assert (m.kind, m.service, m.owner, m.polarity) == (Kind.CONTEXT, "", "", Polarity.NEUTRAL)


def test_other_kinds_still_need_their_service_and_owner(tmp_path):
    root = tmp_path / "data"
    make_registers(root)
    make_measure_package(root, {"homes": TABLE}, {"homes": dashboard_property(service=None, owner=None)})
    report = load(settings_for(root)).report
    assert sorted((os.path.basename(p.path), p.field, p.type) for p in report.errors) == [
        ("datapackage.json", "dashboard", "dashboard-property"), ("datapackage.json", "dashboard", "dashboard-property")]


def test_wider_data_is_listed_apart_and_never_as_a_services_performance(tmp_path):
    project = make_project(tmp_path)
    root = project / "data"
    make_registers(root)
    make_measure_package(root, {"claimants": TABLE, "homes": TABLE},
                         {"claimants": CONTEXT, "homes": dashboard_property(unit="%")})
    env = {"SOURCE_DATE_EPOCH": "1711929600"}     # 2024-04-01
    result = run_dashboard("build", "--output", "out", cwd=project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    out = project / "out"
    purpose = (out / "purposes/somewhere-to-live/index.html").read_text()
    performance, wider = purpose.split("<h2>Wider data</h2>")
    assert "measures/homes/" in performance and "measures/claimants/" not in performance
    assert "measures/claimants/" in wider.split("</main>")[0]
    assert "claimants" not in (out / "services/housing/index.html").read_text()
    page = (out / "measures/claimants/index.html").read_text()
    assert "<dt>Owner</dt>" not in page and "<dt>Service</dt>" not in page
    assert "<dt>Produced by</dt>" in page and "Office for National Statistics" in page
    assert "not a measure of the council’s performance" in page
    twin = json.loads((out / "measures/claimants/claimants.json").read_text())
    assert (twin["kind"], twin["service"], twin["owner"]) == ("context", "", "")
