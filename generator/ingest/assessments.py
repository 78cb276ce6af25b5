"""Data-quality assessments checked against the council's tests (DASHBOARD_QUALITY_TESTS): a rating of a
test the settings do not declare is a mistake (a misspelt id would otherwise vanish from the page)."""

from __future__ import annotations

import difflib

from ..domain.model import Site
from ..domain.quality import QualityTest
from ..problems import UNKNOWN_QUALITY_TEST, Problem


def assessment_problems(site: Site, tests: dict[str, QualityTest]) -> list[Problem]:
    """Without declared tests the feature is off (no page shows an assessment), so there is nothing to
    check them against: data moved to a project without the tests still loads."""
    out = []
    if not tests:
        return out
    for m in site.measures.values():
        if m.assessment is None:
            continue
        where = str(site.datasets[m.package].directory / "datapackage.json")
        for r in m.assessment.ratings:
            if r.test not in tests:
                close = difflib.get_close_matches(r.test, list(tests), n=1)
                out.append(UNKNOWN_QUALITY_TEST(where, None, f"dashboard.assessment.ratings.{r.test}",
                                                f"Measure '{m.id}' is rated against '{r.test}', which is not one of "
                                                f"DASHBOARD_QUALITY_TESTS ({', '.join(tests) or 'none declared'})."
                                                + (f" Did you mean '{close[0]}'?" if close else "")))
    return out
