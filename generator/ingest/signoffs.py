"""Sign-offs checked against the data: each row of the register either still holds (the figure and the
commentary it confirmed are unchanged) and is attached to its measure, or it has lapsed, which is said.
With DASHBOARD_REQUIRE_SIGNOFF, the latest period of every strategic measure must have one that holds."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from .. import cache
from ..domain.model import Measure, Site
from ..domain.signoffs import Figures, figures, holds
from ..domain.vocabulary import Kind
from ..problems import NOT_SIGNED_OFF, SIGNOFF_LAPSED, SIGNOFF_UNKNOWN, Problem


def signoff_problems(site: Site, required: bool, cache_dir: Path | None = None) -> list[Problem]:
    """Each sign-off attached to its measure or said to have lapsed; with `required`, each strategic measure's
    latest figure without one. What is checked of a measure's rows is kept in `cache_dir` by its rows_key."""
    periods: dict[str, set[str]] = defaultdict(set)
    for s in site.signoffs:
        periods[s.measure].add(s.period)
    found = {m.id: _figures(m, sorted(periods[m.id]), cache_dir) for m in site.measures.values()
             if m.id in periods or (required and m.kind is Kind.STRATEGIC)}
    out = []
    for s in site.signoffs:
        m = site.measures.get(s.measure)
        if m is None or found[m.id].hashes[s.period] is None or s.date is None:
            what = (f"no measure '{s.measure}'" if m is None else
                    f"{s.measure} has no figure for '{s.period}'" if s.date is not None else
                    f"its date '{s.date}' is not written YYYY-MM-DD")
            out.append(SIGNOFF_UNKNOWN(s.source, s.row, "measure", f"This sign-off cannot be checked: {what}."))
        elif holds(s, found[m.id], m):
            m.signoffs.append(s)
        else:
            out.append(SIGNOFF_LAPSED(s.source, s.row, "period", f"{m.title} ({m.id}), {m.period(s.period).label}: "
                                      f"the figure or its commentary changed after {s.by} signed it off on "
                                      f"{s.date.isoformat()}; ask them to check it again (`dashboard signoff`)."))
    for m in site.measures.values():
        m.signoffs.sort(key=lambda s: s.date)
        latest = found[m.id].latest if m.id in found else None
        if required and m.kind is Kind.STRATEGIC and latest is not None and \
                not any(s.period == latest for s in m.signoffs):
            out.append(NOT_SIGNED_OFF(str(m.source_path), None, None,
                                      f"{m.title}: the figure for {m.period(latest).label} has not been signed off; "
                                      f"its manager confirms it with `dashboard signoff {m.id} --period "
                                      f"{latest} --by NAME --role ROLE`."))
    return out


def _figures(m: Measure, periods: list[str], cache_dir: Path | None) -> Figures:
    """figures(), kept by the measure's rows_key (a hash of its rows and of every module of the generator) and
    the periods: a rebuild then reads the rows of none but the measures that changed."""
    return cache.kept_result(cache_dir, "signoffs", ["signed figures", m.rows_key, periods] if m.rows_key else None,
                             lambda: figures(m, periods))
