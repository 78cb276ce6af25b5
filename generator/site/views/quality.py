"""Data quality: every measure's assessment against the council's tests (DASHBOARD_QUALITY_TESTS), with
those due for review first, and how often each measure's figures came by their due date. A measure's own
page shows its assessment in words (views/measures.py reads `Quality` from here)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ...domain.model import Measure
from ...domain.quality import Assessment, Punctuality, QualityTest
from ...domain.timeliness import punctuality
from ..context import BuildContext
from ..pages import Page


@dataclass(frozen=True)
class Quality:
    """A measure's data quality as its pages show it."""

    measure: Measure
    assessment: Assessment | None
    tests: list[QualityTest]          # the council's, in order
    punctual: Punctuality
    due_for_review: bool

    def rating(self, test_id: str):
        return next((r for r in self.assessment.ratings if r.test == test_id), None) if self.assessment else None

    def to_twin(self, twin) -> dict:
        a, p = self.assessment, self.punctual
        return {"measure": self.measure.id, "title": self.measure.title,
                "url": twin.url(twin.urls.measure(self.measure.id)),
                "assessment": None if a is None else {
                    "by": a.by, "date": a.date.isoformat(), "review_by": a.review_by.isoformat(),
                    "due_for_review": self.due_for_review,
                    "ratings": [{"test": r.test, "rating": r.rating, "evidence": r.evidence} for r in a.ratings]},
                "published_on_time": {"on_time": p.on_time, "counted": p.counted}}


def quality(ctx: BuildContext, m: Measure) -> Quality:
    today = ctx.now.date()
    a = m.assessment if ctx.settings.quality else None      # no tests declared: nothing to rate against
    return Quality(m, a, list(ctx.settings.quality.values()), punctuality(m, ctx.settings.publication_lag_days),
                   a is not None and a.due_for_review(today))


def pages(ctx: BuildContext) -> Iterator[Page]:
    rows = [quality(ctx, m) for m in ctx.site.measures.values() if m.kind.value != "context"]
    yield Page(ctx.urls.data_quality(), "quality",
               {"tests": list(ctx.settings.quality.values()),
                "due": [q for q in rows if q.due_for_review],
                "assessed": [q for q in rows if q.assessment is not None],
                "unassessed": [q for q in rows if q.assessment is None]},
               {"breadcrumbs": ctx.crumbs()})
