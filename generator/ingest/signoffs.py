"""Sign-offs checked against the data: each row of the register either still holds (the figure and the
commentary it confirmed are unchanged) and is attached to its measure, or it has lapsed, which is said.
With DASHBOARD_REQUIRE_SIGNOFF, the latest period of every strategic measure must have one that holds."""

from __future__ import annotations

from ..domain.model import Site
from ..domain.signoffs import figure_of, holds
from ..domain.vocabulary import Kind
from ..problems import NOT_SIGNED_OFF, SIGNOFF_LAPSED, SIGNOFF_UNKNOWN, Problem


def signoff_problems(site: Site, required: bool) -> list[Problem]:
    out = []
    for s in site.signoffs:
        m = site.measures.get(s.measure)
        if m is None or figure_of(m, s.period) is None or s.date is None:
            what = (f"no measure '{s.measure}'" if m is None else
                    f"{s.measure} has no figure for '{s.period}'" if s.date is not None else
                    f"its date '{s.date}' is not written YYYY-MM-DD")
            out.append(SIGNOFF_UNKNOWN(s.source, s.row, "measure", f"This sign-off cannot be checked: {what}."))
        elif holds(s, m):
            m.signoffs.append(s)
        else:
            out.append(SIGNOFF_LAPSED(s.source, s.row, "period", f"{m.title} ({m.id}), {m.period(s.period).label}: "
                                      f"the figure or its commentary changed after {s.by} signed it off on "
                                      f"{s.date.isoformat()}; ask them to check it again (`dashboard signoff`)."))
    for m in site.measures.values():
        m.signoffs.sort(key=lambda s: s.date)
        if required and m.kind is Kind.STRATEGIC and m.latest is not None and \
                not any(s.period == m.latest.period.text for s in m.signoffs):
            out.append(NOT_SIGNED_OFF(str(m.source_path), None, None,
                                      f"{m.title}: the figure for {m.latest.period.label} has not been signed off; "
                                      f"its manager confirms it with `dashboard signoff {m.id} --period "
                                      f"{m.latest.period.text} --by NAME --role ROLE`."))
    return out
