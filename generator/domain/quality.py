"""Data quality: the council's own tests of a measure's data (DASHBOARD_QUALITY_TESTS, such as the six
a strategy names: relevant, well defined, timely, reliable, verifiable, accurate), and a measure's
assessment against them (`dashboard.assessment`): for each test a rating and its evidence, with who
assessed it and when. Timeliness is also measured from the history: the share of figures first
published by their due date. The free-text `dashboard.quality` notes stay beside all this.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

RATINGS = {"meets": "Meets the test", "partly": "Partly meets the test", "not-yet": "Does not meet it yet"}
SHORT = {"meets": "Meets", "partly": "Partly", "not-yet": "Not yet"}      # in a table of every measure
REVIEW_DAYS = 365           # an assessment without its own review date is due for review a year on
_ID = r"[a-z0-9]+(-[a-z0-9]+)*"


@dataclass(frozen=True)
class QualityTest:
    id: str              # "timely"
    name: str            # "Timely"
    asks: str            # the question it asks of a measure's data


def quality_tests(declared: Mapping[str, Any]) -> dict[str, QualityTest]:
    """The declared tests, in order; ValueError saying which and what is wrong."""
    out = {}
    for test_id, spec in declared.items():
        if not isinstance(test_id, str) or not re.fullmatch(_ID, test_id):
            raise ValueError(f"the quality test id {test_id!r} must be lower-case letters, digits and hyphens")
        if not isinstance(spec, Mapping) or not all(isinstance(spec.get(k), str) and spec[k].strip()
                                                    for k in ("name", "asks")):
            raise ValueError(f"'{test_id}' must be a dict with its name and what it asks, as text")
        unknown = sorted(set(spec) - {"name", "asks"})
        if unknown:
            raise ValueError(f"'{test_id}' has unknown key(s) {', '.join(unknown)}; the keys are asks and name")
        out[test_id] = QualityTest(test_id, spec["name"].strip(), spec["asks"].strip())
    return out


@dataclass(frozen=True)
class Rating:
    test: str            # a QualityTest id
    rating: str          # a RATINGS key
    evidence: str

    @property
    def words(self) -> str:
        return RATINGS[self.rating]

    @property
    def short(self) -> str:
        return SHORT[self.rating]


@dataclass(frozen=True)
class Assessment:
    by: str
    date: date
    ratings: tuple[Rating, ...]
    review_by: date

    def due_for_review(self, today: date) -> bool:
        return today >= self.review_by


def assessment_of(prop: Mapping[str, Any] | None) -> Assessment | None:
    """A measure's `dashboard.assessment`, already checked against the profile's JSON Schema."""
    if not prop:
        return None
    day = date.fromisoformat(prop["date"])
    review = date.fromisoformat(prop["review_by"]) if prop.get("review_by") else day + timedelta(days=REVIEW_DAYS)
    return Assessment(prop["by"], day, tuple(Rating(test, r["rating"], r.get("evidence", ""))
                                             for test, r in prop["ratings"].items()), review)


@dataclass(frozen=True)
class Punctuality:
    """How many of a measure's figures were first published by their due date, of those whose first
    publication the history shows (figures already there when its history starts are not counted)."""

    on_time: int
    counted: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.counted if self.counted else None
