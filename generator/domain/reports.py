"""Report types: the council's regular reports to councillors, declared once in its settings
(DASHBOARD_REPORT_TYPES), such as a bi-monthly report to its Executive and a quarterly one to Overview &
Scrutiny. Each says which meeting it goes to, how often, the standard measures every report of the type
carries, and whether it covers every strategic measure. The words are the council's; nothing here names
a committee.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from .vocabulary import Frequency

SNAPSHOT_VERSION = 1      # a report's snapshot's layout (analysis/snapshot.py makes it, ingest/reports.py reads it)
_KEYS = {"title", "meeting", "frequency", "standard", "every_strategic", "description"}
_ID = r"[a-z0-9]+(-[a-z0-9]+)*"


@dataclass(frozen=True)
class ReportType:
    id: str                        # "executive": names its reports' files and addresses
    title: str                     # "Performance report to the Executive"
    meeting: str                   # "Executive Committee"
    frequency: Frequency           # how often it is written: its reports are listed by it
    standard: tuple[str, ...]      # the measures every report of this type carries, in order
    every_strategic: bool          # it covers every strategic measure, by purpose, focus first
    description: str = ""          # what it is for (Markdown), on the reports page


def report_types(declared: Mapping[str, Any]) -> dict[str, ReportType]:
    """The declared types, in order; ValueError saying which and what is wrong."""
    out = {}
    for type_id, spec in declared.items():
        if not isinstance(type_id, str) or not re.fullmatch(_ID, type_id):
            raise ValueError(f"the report type id {type_id!r} must be lower-case letters, digits and hyphens")
        if not isinstance(spec, Mapping):
            raise ValueError(f"'{type_id}' must be a dict with title, meeting and frequency")
        unknown = sorted(set(spec) - _KEYS)
        if unknown:
            raise ValueError(f"'{type_id}' has unknown key(s) {', '.join(unknown)}; "
                             f"the keys are {', '.join(sorted(_KEYS))}")
        for key in ("title", "meeting", "frequency"):
            if not isinstance(spec.get(key), str) or not spec[key].strip():
                raise ValueError(f"'{type_id}' needs its {key} as text")
        if spec["frequency"] not in {f.value for f in Frequency}:
            raise ValueError(f"'{type_id}': frequency {spec['frequency']!r} is not one of "
                             + ", ".join(f.value for f in Frequency))
        standard = spec.get("standard", [])
        if not isinstance(standard, (list, tuple)) or not all(isinstance(m, str) for m in standard):
            raise ValueError(f"'{type_id}': standard must be a list of measure ids")
        if not isinstance(spec.get("every_strategic", False), bool):
            raise ValueError(f"'{type_id}': every_strategic must be True or False")
        out[type_id] = ReportType(type_id, spec["title"].strip(), spec["meeting"].strip(),
                                  Frequency(spec["frequency"]), tuple(standard),
                                  spec.get("every_strategic", False), str(spec.get("description", "")))
    return out


@dataclass(frozen=True)
class Report:
    slug: str                      # the file's name without .md: names its address
    type: ReportType
    title: str
    as_at: date
    meeting: str
    focus: tuple[str, ...]         # measure ids CMT chose, in order
    author: str
    html: str                      # the narrative, sanitized
    snapshot: dict                 # every measure as it stood on as_at (analysis/snapshot.py)
    source: Path


def previous(reports: list[Report], type_id: str, as_at: date) -> Report | None:
    """The latest report of the type dated before `as_at`: the one a new report is compared with."""
    earlier = [r for r in reports if r.type.id == type_id and r.as_at < as_at]
    return max(earlier, key=lambda r: r.as_at, default=None)


def newest_first(reports: list[Report]) -> list[Report]:
    return sorted(reports, key=lambda r: (r.as_at, r.slug), reverse=True)
