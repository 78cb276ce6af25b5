"""Find what matters to me: the A to Z narrowed by service, ward, kind and verdict, at stable addresses,
without JavaScript; every list has the same columns and icons as the A to Z."""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.xdist_group("site")


def twin(site, path: str) -> dict:
    return json.loads((site / path / "index.json").read_text(encoding="utf-8"))


def listed(site, path: str) -> set[str]:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    table = html[html.index("<table"):html.index("</table>")]
    return set(re.findall(r'href="(?:\.\./)*measures/([a-z0-9-]+)/"', table))


def test_every_list_is_linked_from_the_a_to_z_and_lists_what_its_twin_lists(site):
    everything = {m["id"]: m for m in twin(site, "measures")["measures"]}
    index = (site / "measures/index.html").read_text(encoding="utf-8")
    lists = sorted(p.parent.relative_to(site).as_posix() for p in (site / "measures/by").rglob("index.html"))
    assert len(lists) >= 20
    for path in lists:
        assert f'href="../{path}/"' in index, path
        data = twin(site, path)
        ids = {m["id"] for m in data["measures"]}
        assert ids and ids == listed(site, path) and ids <= set(everything)


@pytest.mark.parametrize("path, rule", [
    ("measures/by/kind/operational", lambda m: m["kind"] == "operational"),
    ("measures/by/service/environmental-services", lambda m: m["service"] == "environmental-services"),
    ("measures/by/verdict/concern", lambda m: m["variation"] == "special-cause-concern"),
    ("measures/by/ward/abbey", lambda m: m["id"] in {"anti-social-behaviour", "fly-tipping-incidents", "missed-bins",
                                                      "recycling-rate", "street-cleanliness"}),
])
def test_a_list_holds_exactly_the_measures_of_its_facet(site, path, rule):
    everything = twin(site, "measures")["measures"]
    assert {m["id"] for m in twin(site, path)["measures"]} == {m["id"] for m in everything if rule(m)}
