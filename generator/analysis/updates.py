"""What changed, newest first: the Atom feeds (all and per purpose) are made from these.

The kinds of update: a measure's latest figure (dated when its file last changed in
git, else when its period ended), officer commentary (dated by its author), a revision (dated
when it was detected), a dataset added to the catalogue (dated by its first commit) and a
report to councillors (dated by the day its figures stand at).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


from ..domain.model import Site
from ..domain.periods import day_label
from .summary import Summary


@dataclass(frozen=True)
class Update:
    kind: str                   # figure | commentary | dataset | revision | report
    when: date
    title: str
    text: str
    measure: str | None = None  # the measure's page it is on, or
    dataset: str | None = None  # the dataset's, or
    report: str | None = None   # the report's
    fragment: str | None = None  # where on the page: its id is stable across builds
    links_to_fragment: bool = False   # a revision is read in place; a figure or comment on the page
    purposes: tuple[str, ...] = ()

    @property
    def order(self) -> str:
        """Updates of one kind on one day come in the order of their addresses."""
        return f"{self.measure or self.dataset or self.report}/" + (f"#{self.fragment}" if self.fragment else "")


def collect(site: Site, summaries: dict[str, Summary]) -> list[Update]:
    updates: list[Update] = []
    for m in site.measures.values():
        s = summaries[m.id]
        purposes = tuple(m.purposes)
        if s.latest is not None:
            updates.append(Update("figure", m.updated or s.latest.period.end,
                                  f"{m.title}: figure for {s.latest.period.name}", " ".join(s.sentences),
                                  measure=m.id, fragment=s.latest.period.text, purposes=purposes))
        for c in m.commentary:
            updates.append(Update("commentary", c.date, f"{m.title}: commentary by {c.author}",
                                  f"{c.author}{', ' + c.role if c.role else ''} commented on {m.title}.",
                                  measure=m.id, fragment=c.anchor, purposes=purposes))
        for r in m.revisions:
            updates.append(Update("revision", r.when, f"{m.title}: figure for {r.period} revised",
                                  f"The figure for {r.period} was revised from {r.old} to {r.new or 'withdrawn'}."
                                  + (f" Reason: {r.reason}" if r.reason else ""),
                                  measure=m.id, fragment=r.anchor, links_to_fragment=True, purposes=purposes))
    for d in site.datasets.values():
        if d.added is not None:
            updates.append(Update("dataset", d.added, f"New dataset: {d.title}",
                                  f"The dataset {d.title} was added to the open data catalogue.", dataset=d.name))
    for r in site.reports:
        shown = [site.measures[m] for m in (*r.focus, *r.type.standard) if m in site.measures]
        purposes = tuple(site.purposes) if r.type.every_strategic else \
            tuple(dict.fromkeys(p for m in shown for p in m.purposes))
        updates.append(Update("report", r.as_at, r.title,
                              f"A report to the {r.meeting or r.type.meeting}, with the figures as they stood "
                              f"on {day_label(r.as_at)}.", report=r.slug, purposes=purposes))
    updates.sort(key=lambda u: (u.when, u.kind, u.order), reverse=True)
    return updates
