"""`dashboard new measure`: a new measure's table, schema and `dashboard` properties, from flags or, on a
terminal, by asking for what the flags left out. A measure is published with at least one figure, so it
is made with its first (any period the frequency allows, by the rules of `dashboard add`); the result
validates, and the next figures go in with `dashboard add`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .domain.model import Site
from .domain.periods import PeriodError, frequency_mismatch, parse_period
from .entry import NUMBER
from .domain.vocabulary import Frequency, Kind, MISSING_SYMBOLS, Polarity
from .errors import ConfigError
from .importers.staging import staged
from .project import ID_PATTERN
from .publish.files import json_text

HEADINGS = ("period", "value", "status", "note")


@dataclass(frozen=True)
class NewMeasure:
    id: str
    title: str
    description: str
    kind: str
    purposes: tuple[str, ...]
    service: str
    unit: str
    polarity: str
    frequency: str
    owner: str
    source: str
    period: str = ""            # its first figure
    value: str = ""
    target: str = ""


# What each answer must be: the flag, the question a terminal asks, and the choices (if any).
QUESTIONS = {
    "title": ("--title", "Title, in plain words", None),
    "description": ("--description", "What is counted, how and when (the definition)", None),
    "kind": ("--kind", "Kind", [k.value for k in Kind if k is not Kind.CONTEXT]),
    "service": ("--service", "The owning service's id", None),
    "unit": ("--unit", "Unit, plural (households, days, %)", None),
    "polarity": ("--polarity", "Which direction is better", [p.value for p in Polarity]),
    "frequency": ("--frequency", "How often a new figure comes", [f.value for f in Frequency]),
    "owner": ("--owner", "The accountable officer's role", None),
    "source": ("--source", "Where the figures come from (a system, a return)", None),
    "period": ("--period", "The first figure's period (2026-10, 2026/27-Q2, 2026/27)", None),
    "value": ("--value", "The first figure (a plain number, or [x] if it is not available)", None),
}


def check(site: Site, m: NewMeasure) -> None:
    """ConfigError naming the first answer that will not do."""
    if not ID_PATTERN.fullmatch(m.id):
        raise ConfigError(f"The id becomes the measure's web address: lower-case words joined by hyphens "
                          f"(missed-bins), not '{m.id}'.")
    if m.id in site.measures:
        raise ConfigError(f"There is a measure '{m.id}' already ({site.measures[m.id].title}).")
    for name, (flag, _, choices) in QUESTIONS.items():
        value = getattr(m, name)
        if not value.strip():
            raise ConfigError(f"{flag} is needed: {QUESTIONS[name][1].lower()}.")
        if choices and value not in choices:
            raise ConfigError(f"{flag} must be one of {', '.join(choices)}, not '{value}'.")
    if m.service not in site.services:
        raise ConfigError(f"--service: no service '{m.service}'; the register has {', '.join(site.services)}.")
    unknown = [p for p in m.purposes if p not in site.purposes]
    if unknown:
        raise ConfigError(f"--purpose: no purpose '{unknown[0]}'; the register has {', '.join(site.purposes)}.")
    if m.kind == Kind.STRATEGIC and not m.purposes:
        raise ConfigError("A strategic measure serves at least one purpose: give --purpose ID.")
    if m.target and not NUMBER.fullmatch(m.target):
        raise ConfigError(f"--target is a plain number, not '{m.target}'.")
    try:
        wrong = frequency_mismatch(parse_period(m.period), m.frequency)
    except PeriodError as exc:
        raise ConfigError(f"--period: '{m.period}' is not a period the Dashboard reads ({exc}).") from None
    if wrong:
        raise ConfigError(f"--period: {wrong}")
    if not NUMBER.fullmatch(m.value) and m.value not in MISSING_SYMBOLS:
        raise ConfigError(f"--value is a plain number (without separators or units), or one of "
                          f"{', '.join(MISSING_SYMBOLS)}; not '{m.value}'.")


def write(folder: Path, m: NewMeasure) -> Path:
    """Add the measure to the package in `folder` (made if need be); the path of its new table."""
    descriptor_path = folder / "datapackage.json"
    descriptor = (json.loads(descriptor_path.read_text(encoding="utf-8")) if descriptor_path.is_file() else
                  {"name": folder.name, "resources": []})
    dashboard = {"kind": m.kind, "purposes": list(m.purposes), "service": m.service, "localities": [],
                 "unit": m.unit, "polarity": m.polarity, "frequency": m.frequency, "owner": m.owner,
                 "source": m.source}
    if m.target:
        dashboard["target"] = float(m.target) if "." in m.target else int(m.target)
    descriptor.setdefault("resources", []).append({
        "name": m.id, "path": f"{m.id}.csv", "title": m.title, "description": m.description, "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8",
        "schema": {"fields": [
            {"name": "period", "type": "string", "title": "Period", "constraints": {"required": True},
             "description": "The period the value is for, in the Dashboard's period notation."},
            {"name": "value", "type": "number", "title": "Value",
             "description": f"The figure ({m.unit}). A missing value is " + ", ".join(
                 f"{s} ({w})" for s, w in MISSING_SYMBOLS.items()) + "."},
            {"name": "status", "type": "string", "title": "Status", "constraints": {"enum": ["provisional", "revised"]},
             "description": "provisional or revised; empty when the figure is final."},
            {"name": "note", "type": "string", "title": "Note",
             "description": "Why a figure was revised after it was first published."}],
            "missingValues": ["", *MISSING_SYMBOLS], "primaryKey": ["period"]},
        "dashboard": dashboard})
    with staged(folder) as stage:
        (stage / f"{m.id}.csv").write_text(",".join(HEADINGS) + f"\n{m.period},{m.value},,\n", encoding="utf-8",
                                           newline="")
        (stage / "datapackage.json").write_text(json_text(descriptor), encoding="utf-8")
    return folder / f"{m.id}.csv"
