"""`dashboard status`: the Policy Team's checklist before each report, one row per measure.

For each measure: its owner, its latest period, when the next figure is due and whether it is overdue,
whether the latest period has commentary, whether it is signed off (and by whom), how many revisions
still lack a reason, and when its data-quality assessment is due for review. Aligned and coloured on a terminal, plain when piped, and JSON for scripts (its
schema: generator/profile/status.schema.json, documented in docs/officers.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .domain.model import Measure, Site
from .domain.signoffs import latest_signoff
from .domain.timeliness import due

SCHEMA = "status.schema.json"           # in generator/profile/


@dataclass(frozen=True)
class Row:
    measure: Measure
    next_due: date | None
    overdue_days: int
    commentary: bool                     # on the latest period (or written since it ended)
    signed_off: tuple[str, str, date] | None     # (by, role, date) of a sign-off that holds
    signoff_lapsed: bool                 # one was given for the latest period, and it no longer holds
    unexplained_revisions: int           # revisions with no reason recorded
    quality_review: date | None          # when its data-quality assessment is due for review (None: none)
    review_due: bool                     # and that day has come (Assessment.due_for_review)

    @property
    def latest(self) -> str | None:
        return self.measure.latest.period.text if self.measure.latest else None

    def to_json(self) -> dict:
        m = self.measure
        return {"measure": m.id, "title": m.title, "kind": m.kind.value, "owner": m.owner, "service": m.service,
                "purposes": list(m.purposes), "latest_period": self.latest,
                "next_due": self.next_due.isoformat() if self.next_due else None,
                "overdue": self.overdue_days > 0, "overdue_days": self.overdue_days,
                "commentary_on_latest": self.commentary,
                "signed_off": {"by": self.signed_off[0], "role": self.signed_off[1],
                               "date": self.signed_off[2].isoformat()} if self.signed_off else None,
                "signoff_lapsed": self.signoff_lapsed, "unexplained_revisions": self.unexplained_revisions,
                "quality_review_by": self.quality_review.isoformat() if self.quality_review else None,
                "quality_review_due": self.review_due}


def rows(site: Site, today: date, lag_days: int, owner: str = "", service: str = "", purpose: str = "") -> list[Row]:
    """Every measure the filters keep (owner: any part of the owner's role, ignoring case), A to Z."""
    chosen = [m for m in site.measures.values()
              if (not owner or owner.lower() in m.owner.lower()) and (not service or m.service == service)
              and (not purpose or purpose in m.purposes)]
    return [_row(site, m, today, lag_days) for m in chosen]


def _row(site: Site, m: Measure, today: date, lag_days: int) -> Row:
    timing = due(m, today, lag_days)
    latest = m.latest
    commentary = latest is not None and any(c.period == latest.period.text or c.date > latest.period.end
                                            for c in m.commentary)
    held = latest_signoff(m)
    given = latest is not None and any(s.measure == m.id and s.period == latest.period.text for s in site.signoffs)
    return Row(m, timing.date, timing.overdue_days, commentary,
               (held.by, held.role, held.date) if held else None, given and held is None,
               sum(1 for r in m.revisions if not r.reason), m.assessment.review_by if m.assessment else None,
               m.assessment is not None and m.assessment.due_for_review(today))


def to_json(found: list[Row], today: date) -> dict:
    return {"date": today.isoformat(), "measures": [r.to_json() for r in found]}


def table(found: list[Row], plain: bool):
    """A rich Table, aligned to the terminal and coloured there; `plain` (piped): no box, no wrapping."""
    from rich import box
    from rich.table import Table

    t = Table(header_style="bold", pad_edge=False, box=None if plain else box.SIMPLE_HEAD)
    for heading, justify in (("Measure", "left"), ("Owner", "left"), ("Latest", "left"), ("Next due", "left"),
                             ("Commentary", "left"), ("Signed off", "left"), ("Revisions", "right"),
                             ("Quality review", "left")):
        t.add_column(heading, justify=justify, overflow="fold", no_wrap=plain)
    for r in found:
        due_text = "not scheduled" if r.next_due is None else r.next_due.isoformat()
        if r.overdue_days:
            due_text = f"[red]{due_text} ({r.overdue_days} days overdue)[/red]"
        signed = (f"[green]{r.signed_off[1]}, {r.signed_off[2].isoformat()}[/green]" if r.signed_off else
                  "[red]lapsed: changed since[/red]" if r.signoff_lapsed else "[yellow]no[/yellow]")
        revisions = f"[red]{r.unexplained_revisions} without reason[/red]" if r.unexplained_revisions else "0"
        review = ("not assessed" if r.quality_review is None else
                  f"[red]due since {r.quality_review.isoformat()}[/red]" if r.review_due else
                  f"by {r.quality_review.isoformat()}")
        t.add_row(r.measure.id, r.measure.owner, r.latest or "none", due_text,
                  "yes" if r.commentary else "[yellow]no[/yellow]", signed, revisions, review)
    return t
