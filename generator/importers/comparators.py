"""`dashboard import comparators`: a published list of similar areas (CIPFA's nearest neighbours, say)
into the comparator registers, declared once and named by measures in `dashboard.comparators`.

The list is a CSV with an area-code column (and, usually, a name column), headings read as the
statistics importer reads them. The group's rows are added to `comparators` (id, title, source) and
`comparator_members` (comparator, area_code, area_name), replacing any it had before; the council
itself need not be listed. All or nothing, like every import.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import ImportFailed
from ..problems import MISSING_DETAIL, NO_VALUE_COLUMN
from ..publish.files import json_text
from .staging import staged
from .statistics import normalise, read_table

GROUPS, MEMBERS = "comparators", "comparator_members"
CODE = re.compile(r"^[A-Z][0-9]{8}$")


@dataclass(frozen=True)
class Group:
    id: str
    title: str
    source: str
    members: list[tuple[str, str]]       # (area code, area name), in the file's order


def read_group(path: Path, group_id: str, title: str, source: str, roles: dict[str, str]) -> Group:
    header, body = read_table(path)
    at = {roles.get(normalise(h)): i for i, h in enumerate(header) if roles.get(normalise(h))}
    if "area_code" not in at:
        raise ImportFailed([NO_VALUE_COLUMN(str(path), 1, None, "No column holds the areas' GSS codes; the "
                                            "headings are " + ", ".join(f"'{h}'" for h in header) + ".")])
    members, problems = [], []
    for line, cells in body:
        code = cells[at["area_code"]].strip() if at["area_code"] < len(cells) else ""
        name = cells[at["area_name"]].strip() if "area_name" in at and at["area_name"] < len(cells) else ""
        if not CODE.match(code):
            problems.append(MISSING_DETAIL(str(path), line, header[at["area_code"]],
                                           f"'{code}' is not a GSS code (such as E08000009)."))
        elif code in {c for c, _ in members}:
            problems.append(MISSING_DETAIL(str(path), line, header[at["area_code"]], f"{code} is listed twice."))
        else:
            members.append((code, name))
    if problems:
        raise ImportFailed(problems[:50])
    return Group(group_id, title, source, members)


def write_group(folder: Path, group: Group) -> None:
    """Add or replace the group in the registers of the package in `folder` (made if need be)."""
    descriptor_path = folder / "datapackage.json"
    descriptor = (json.loads(descriptor_path.read_text(encoding="utf-8")) if descriptor_path.is_file() else
                  {"name": folder.name, "resources": []})
    resources = {r.get("name"): r for r in descriptor["resources"]}
    groups = _rows(folder, resources.get(GROUPS))
    members = _rows(folder, resources.get(MEMBERS))
    groups = [r for r in groups if r.get("id") != group.id] + [
        {"id": group.id, "title": group.title, "source": group.source}]
    members = [r for r in members if r.get("comparator") != group.id] + [
        {"comparator": group.id, "area_code": code, "area_name": name} for code, name in group.members]
    for name, fields, key in ((GROUPS, ["id", "title", "source"], ["id"]),
                              (MEMBERS, ["comparator", "area_code", "area_name"], ["comparator", "area_code"])):
        if name not in resources:
            descriptor["resources"].append(_resource(name, fields, key))
    with staged(folder) as stage:
        for name, rows, fields in ((GROUPS, groups, ["id", "title", "source"]),
                                   (MEMBERS, members, ["comparator", "area_code", "area_name"])):
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n", extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
            (stage / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8", newline="")
        (stage / "datapackage.json").write_text(json_text(descriptor), encoding="utf-8")


def _rows(folder: Path, resource: dict | None) -> list[dict]:
    if resource is None or not (folder / f"{resource['name']}.csv").is_file():
        return []
    with (folder / f"{resource['name']}.csv").open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _resource(name: str, fields: list[str], key: list[str]) -> dict:
    titles = {GROUPS: "Comparator groups: areas the council compares itself with",
              MEMBERS: "The member areas of each comparator group"}
    schema = {"fields": [{"name": f, "type": "string"} for f in fields], "primaryKey": key}
    if name == MEMBERS:
        schema["foreignKeys"] = [{"fields": "comparator", "reference": {"resource": GROUPS, "fields": "id"}}]
    return {"name": name, "path": f"{name}.csv", "title": titles[name], "format": "csv", "mediatype": "text/csv",
            "encoding": "utf-8", "schema": schema}
