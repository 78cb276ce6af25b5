"""`dashboard signoff`: a manager confirms a period's figure and its commentary.

The record goes into the `signoffs` register beside the other registers (added to their package the
first time), with the hashes of what was confirmed (domain/signoffs.py), so a later change to either is
seen and the sign-off lapses. Written into a copy of the package and checked whole, like every import.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

from .domain.model import Site
from .domain.signoffs import COLUMNS, REGISTER, SignOff, commentary_hash, figure_hash, figure_of
from .domain.vocabulary import Role
from .errors import ConfigError, ImportFailed
from .importers.staging import staged
from .problems import NOT_NEXT_PERIOD, UNKNOWN_MEASURE
from .publish.files import json_text

RESOURCE = {
    "name": REGISTER, "path": f"{REGISTER}.csv", "title": "Sign-offs: managers' confirmation of figures and commentary",
    "description": "Each row records that a manager confirmed a measure's figure for a period, and the commentary on "
                   "it, as accurate and appropriate. The hashes are SHA-256 of what they confirmed: a later change "
                   "to the figure or the commentary makes the sign-off lapse.",
    "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
    "schema": {"fields": [{"name": "measure", "type": "string"}, {"name": "period", "type": "string"},
                          {"name": "by", "type": "string", "title": "Signed off by"},
                          {"name": "role", "type": "string"}, {"name": "date", "type": "date"},
                          {"name": "figure_sha256", "type": "string"},
                          {"name": "commentary_sha256", "type": "string"}],
               "primaryKey": ["measure", "period", "date", "by"]},
}


def registers_folder(site: Site) -> Path:
    """The package that holds the registers (purposes, services...): the sign-offs go beside them."""
    folder = next((d.directory for d in site.datasets.values()
                   if any(r.role is Role.REGISTER for r in d.resources)), None)
    if folder is None:
        raise ConfigError("No package holds the registers (purposes, services, localities): the sign-offs go "
                          "beside them.")
    return folder


def sign_off(site: Site, measure_id: str, period: str, by: str, role: str, today: date) -> tuple[SignOff, Path]:
    """Record the sign-off; ConfigError for a sign-off by nobody, ImportFailed for a measure or period the
    data does not have."""
    if not by.strip() or not role.strip():
        raise ConfigError("A sign-off needs who gave it (--by NAME) and their role (--role ROLE).")
    m = site.measures.get(measure_id)
    if m is None:
        raise ImportFailed([UNKNOWN_MEASURE("dashboard signoff", None, "measure", f"No measure '{measure_id}'.")])
    o = figure_of(m, period.strip())
    if o is None:
        latest = f" (its latest is {m.latest.period.text})" if m.latest else ""
        raise ImportFailed([NOT_NEXT_PERIOD(str(m.source_path), None, "period",
                                            f"{m.id} has no figure for '{period}' to sign off{latest}.")])
    made = SignOff(m.id, o.period.text, by.strip(), role.strip(), today, figure_hash(o),
                   commentary_hash(m.commentary, o.period.text))
    folder = registers_folder(site)
    _append(folder, made)
    return made, folder / f"{REGISTER}.csv"


def _append(folder: Path, s: SignOff) -> None:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    resources = descriptor.setdefault("resources", [])
    resource = next((r for r in resources if r.get("name") == REGISTER), None)
    path = folder / (resource or RESOURCE)["path"]
    text = path.read_bytes().decode("utf-8") if path.is_file() else ""
    newline = "\r\n" if "\r\n" in text else "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=newline)
    header = next(csv.reader(text.splitlines()[:1]), list(COLUMNS)) if text else list(COLUMNS)
    if not text:
        writer.writerow(header)
    elif not text.endswith(("\n", "\r")):
        buffer.write(newline)
    cells = dict(zip(COLUMNS, (s.measure, s.period, s.by, s.role, s.date.isoformat(), s.figure_sha256,
                               s.commentary_sha256)))
    writer.writerow([cells.get(h.lstrip("\ufeff"), "") for h in header])     # in the register's own order
    with staged(folder) as stage:
        (stage / path.relative_to(folder)).write_text(text + buffer.getvalue(), encoding="utf-8", newline="")
        if resource is None:
            resources.append(RESOURCE)
            (stage / "datapackage.json").write_text(json_text(descriptor), encoding="utf-8")
