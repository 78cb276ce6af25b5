"""Boundaries: the shapes of a council's wards, read from a GeoJSON or TopoJSON file in a data package.

Boundaries are data, like everything else: a council supplies its own file as a resource whose
`format` is `geojson` or `topojson`, with a `boundaries` object saying which feature property holds the
area code (and which the name), what the shapes are ("ward boundaries as drawn in" a year) and the attribution its
licence requires (Ordnance Survey's, say), which every map shows. A TopoJSON file is decoded here to
GeoJSON, so the maps and the centroids that place their labels have one kind of shape to read.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

POLYGONS = ("Polygon", "MultiPolygon")
# Coordinates kept to 5 decimal places of a degree: about a metre, far finer than a map on a screen shows,
# and it halves the size of every map's spec.
PRECISION = 5


class BoundaryError(ValueError):
    """A boundary file that cannot be used, with what to do (the checks report it against the file)."""


@dataclass(frozen=True)
class Shape:
    code: str                  # the area's GSS code, as the localities register has it
    name: str
    geometry: dict             # a GeoJSON Polygon or MultiPolygon, longitude and latitude


@dataclass(frozen=True)
class Boundaries:
    title: str                 # what the shapes are, which every map says: "ward boundaries, <year>"
    attribution: str           # what every map drawn from them must say
    shapes: dict[str, Shape]   # by area code
    dataset: str               # the package they come from (the catalogue links to it)

    def features(self, properties: dict[str, dict] | None = None) -> list[dict]:
        """GeoJSON features, each with its code and name, and the `properties` given for its code."""
        props = properties or {}
        return [{"type": "Feature", "geometry": s.geometry,
                 "properties": {"code": s.code, "name": s.name, **props.get(s.code, {})}}
                for s in self.shapes.values()]


    def aspect(self) -> float:
        """Height over width of the shapes on a Mercator map (which the maps use: true to shape at a
        ward's scale)."""
        points = [p for s in self.shapes.values() for p in _points(s.geometry["coordinates"])]
        xs = [math.radians(x) for x, _ in points]
        ys = [math.log(math.tan(math.pi / 4 + math.radians(y) / 2)) for _, y in points]
        return (max(ys) - min(ys)) / ((max(xs) - min(xs)) or 1)


def _points(coordinates) -> list:
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [coordinates]
    return [p for c in coordinates for p in _points(c)]


def read_boundaries(path: Path, declared: dict, dataset: str) -> Boundaries:
    """The shapes in a GeoJSON FeatureCollection or a TopoJSON Topology, by the declared code property."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryError(f"The file cannot be read as JSON ({exc}); save it as UTF-8 GeoJSON or TopoJSON.") from None
    code_key, name_key = declared.get("code"), declared.get("name")
    if not isinstance(code_key, str) or not code_key:
        raise BoundaryError("Say which feature property holds each area's GSS code: "
                            '"boundaries": {"code": "WD13CD", ...} on the resource.')
    shapes = {}
    for number, feature in enumerate(_features(doc), start=1):
        props = feature.get("properties") or {}
        geometry = feature.get("geometry") or {}
        code = props.get(code_key)
        if not isinstance(code, str) or not code:
            raise BoundaryError(f"Feature {number} has no '{code_key}' property (the area code the resource's "
                                "`boundaries.code` names).")
        if geometry.get("type") not in POLYGONS:
            raise BoundaryError(f"Feature {number} ({code}) is a {geometry.get('type') or 'shape of no type'}; "
                                "a boundary must be a Polygon or MultiPolygon.")
        name = props.get(name_key) if isinstance(name_key, str) else None
        shapes[code] = Shape(code, str(name or code), {"type": geometry["type"],
                                                       "coordinates": _rounded(geometry["coordinates"])})
    if not shapes:
        raise BoundaryError("The file has no shapes.")
    return Boundaries(str(declared.get("title") or "Boundaries"), str(declared.get("attribution") or ""),
                      shapes, dataset)


def _features(doc) -> list[dict]:
    if not isinstance(doc, dict):
        raise BoundaryError("The file must hold a GeoJSON FeatureCollection or a TopoJSON Topology.")
    if doc.get("type") == "FeatureCollection" and isinstance(doc.get("features"), list):
        return [f for f in doc["features"] if isinstance(f, dict)]
    if doc.get("type") == "Topology" and isinstance(doc.get("objects"), dict) and doc["objects"]:
        return _topology_features(doc)
    raise BoundaryError("The file must hold a GeoJSON FeatureCollection or a TopoJSON Topology.")


def _topology_features(topo: dict) -> list[dict]:
    """TopoJSON's shared arcs stitched back into GeoJSON polygons: every object's geometries, in order.

    An arc is a list of points, delta-encoded when the topology is quantized (`transform`); a ring lists
    arc indexes, a negative one (~i) meaning arc i backwards; consecutive arcs share their end point."""
    transform = topo.get("transform")
    arcs = [_decode_arc(arc, transform) for arc in topo.get("arcs", [])]

    def ring(indexes: list[int]) -> list[list[float]]:
        points: list[list[float]] = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc[1:] if points else arc)
        return points

    out = []
    for obj in topo["objects"].values():
        members = obj.get("geometries", []) if obj.get("type") == "GeometryCollection" else [obj]
        for g in members:
            if g.get("type") == "Polygon":
                geometry = {"type": "Polygon", "coordinates": [ring(r) for r in g["arcs"]]}
            elif g.get("type") == "MultiPolygon":
                geometry = {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in g["arcs"]]}
            else:
                geometry = {"type": g.get("type")}
            out.append({"type": "Feature", "properties": g.get("properties") or {}, "geometry": geometry})
    return out


def _decode_arc(arc: list, transform: dict | None) -> list[list[float]]:
    if not transform:
        return [list(map(float, p[:2])) for p in arc]
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    out = []
    for dx, dy, *_ in arc:
        x, y = x + dx, y + dy
        out.append([x * sx + tx, y * sy + ty])
    return out


def _rounded(coordinates):
    if coordinates and isinstance(coordinates[0], (int, float)):
        return [round(float(c), PRECISION) for c in coordinates[:2]]
    return [_rounded(c) for c in coordinates]


def centroid(geometry: dict) -> tuple[float, float]:
    """Where a shape's label goes: the area-weighted centroid of its largest polygon's outer ring
    (longitude, latitude; planar, which is close enough across a ward)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    outer = max((p[0] for p in polygons), key=lambda r: abs(_ring_area(r)))
    area = _ring_area(outer)
    if not area:
        return outer[0][0], outer[0][1]
    cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(outer, outer[1:] + outer[:1]):
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cx / (6 * area), cy / (6 * area)


def _ring_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1])) / 2
