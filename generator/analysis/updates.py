"""What changed, newest first: the Atom feeds (all and per purpose) are made from these.

Three kinds of update: a measure's latest figure (dated when its file last changed in
git, else when its period ended), officer commentary (dated by its author) and a dataset
added to the catalogue (dated by its first commit). Revisions join in when detected.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from ..domain.model import Site
from .summary import Summary


@dataclass(frozen=True)
class Update:
    kind: str                   # figure | commentary | dataset | revision
    when: date
    title: str
    text: str
    path: str                   # site-relative page, such as "measures/missed-bins/"
    uid: str                    # stable across builds
    purposes: tuple[str, ...] = ()


def collect(site: Site, summaries: dict[str, Summary]) -> list[Update]:
    updates: list[Update] = []
    for m in site.measures.values():
        s = summaries[m.id]
        if s.latest is not None:
            updates.append(Update("figure", m.updated or s.latest.period.end,
                                  f"{m.title}: figure for {s.latest.period.name}", " ".join(s.sentences),
                                  f"measures/{m.id}/", f"measures/{m.id}/#{s.latest.period.text}", tuple(m.purposes)))
        for c in m.commentary:
            updates.append(Update("commentary", c.date, f"{m.title}: commentary by {c.author}",
                                  f"{c.author}{', ' + c.role if c.role else ''} commented on {m.title}.",
                                  f"measures/{m.id}/", f"measures/{m.id}/#{c.anchor}",
                                  tuple(m.purposes)))
        for r in m.revisions:
            updates.append(Update("revision", r.when, f"{m.title}: figure for {r.period} revised",
                                  f"The figure for {r.period} was revised from {r.old} to {r.new or 'withdrawn'}."
                                  + (f" Reason: {r.reason}" if r.reason else ""),
                                  f"measures/{m.id}/#{r.anchor}", f"measures/{m.id}/#{r.anchor}",
                                  tuple(m.purposes)))
    for d in site.datasets.values():
        if d.added is not None:
            updates.append(Update("dataset", d.added, f"New dataset: {d.title}",
                                  f"The dataset {d.title} was added to the open data catalogue.",
                                  f"data/{d.name}/", f"data/{d.name}/"))
    updates.sort(key=lambda u: (u.when, u.kind, u.uid), reverse=True)
    return updates


