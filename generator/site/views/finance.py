"""The /finance/ pages: spending by month, service, category and supplier, the largest payments, and
budget against outturn per service and per purpose. Every total is a plain sum of the
published rows, and a test reconciles the twins' totals with the published spending CSVs."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from ...analysis import finance
from ...analysis.finance import LARGEST, BudgetLine, Finance, Group
from ...domain.alphabet import letter
from ...domain.figures import money
from ...domain.spending import Payment
from .. import charts
from ..context import BuildContext, finance_inputs
from ..pages import Link, Page, in_pages, paged_urls

CHART_CATEGORIES = 15      # a chart of every category would be too long to read; the table has them all


def chart_specs(data: Finance, site, narrow: bool = False) -> dict[str, dict]:
    """The finance charts (drawn with every other chart, before the pages), wide or for a phone."""
    if not data.payments:
        return {}
    months, services, categories = finance.by_month(data), finance.by_service(data, site), finance.by_category(data)
    return {
        "spending-by-month": charts.bar_chart([{"label": g.label[:3] + " " + g.key[2:4], "value": float(g.total)}
                                               for g in months], "Spending (£)", "Spending over £500 by month",
                                              narrow),
        "spending-by-service": charts.hbar_chart([{"label": g.label, "value": float(g.total)} for g in services],
                                                 "Spending (£)", "Spending over £500 by service", narrow),
        "spending-by-category": charts.hbar_chart([{"label": g.label, "value": float(g.total)}
                                                   for g in categories[:CHART_CATEGORIES]],
                                                  "Spending (£)", f"The {CHART_CATEGORIES} largest categories", narrow)}


@dataclass(frozen=True)
class SupplierView:
    """One page of a supplier's payments, newest first: the supplier's totals, and links to every page."""

    supplier: Group
    payments: list[Payment]
    number: int = 1
    page_urls: tuple[str, ...] = ()

    def to_twin(self, twin) -> dict:
        return {**twin.encode(self.supplier), "names": sorted(self.supplier.names),
                "payments_list": twin.encode(self.payments),
                "pages": [twin.encode(Link(twin.urls.twin(p))) for p in self.page_urls]}


@dataclass(frozen=True)
class BudgetsView:
    years: list[str]
    lines: dict[str, list[BudgetLine]]
    purposes: dict[str, list[dict]]
    cost_per_resident: dict | None

    def to_twin(self, twin) -> dict:
        return {"years": {y: {"services": [{"service": b.service, "budget": str(b.budget),
                                            "outturn": None if b.outturn is None else str(b.outturn)}
                                           for b in self.lines[y]],
                              "purposes": [{"purpose": r["purpose"].id if r["purpose"] else None,
                                            "budget": str(r["budget"]),
                                            "outturn": str(r["outturn"]) if r["closed"] else None}
                                           for r in self.purposes[y]]}
                          for y in self.years},
                "cost_per_resident": self.cost_per_resident}


def per_resident(data: Finance) -> dict | None:
    """Net revenue cost per resident: the latest year with an outturn, else the latest budget."""
    if not data.population or not data.budgets:
        return None
    years = finance.budget_years(data)
    closed = [y for y in years if all(b.outturn is not None for b in data.budgets if b.year == y)]
    year = closed[0] if closed else years[0]
    total = sum(((b.outturn if closed else b.budget) for b in data.budgets if b.year == year), Decimal(0))
    each = (total / data.population.people).quantize(Decimal("0.01"))
    return {"year": year, "basis": "outturn" if closed else "budget", "total": str(total), "total_shown": money(total),
            "population": data.population.people, "population_period": data.population.period,
            "per_resident": str(each), "shown": money(each)}


def _totals(data: Finance) -> dict:
    return {"total": data.total, "payments": len(data.payments), "from": data.first, "to": data.last}


def _shown(ctx: BuildContext) -> dict:
    """What every finance page's layout has: the finance data, its breadcrumbs, the services' titles."""
    return {"finance": ctx.finance, "breadcrumbs": ctx.crumbs(("Finance", ctx.urls.finance())),
            "service_titles": {s.id: s.title for s in ctx.site.services.values()}}


def pages(ctx: BuildContext) -> Iterator[Page]:
    """The finance pages but the suppliers' (pages_without_charts)."""
    data = ctx.finance
    if data is None:
        return
    site, urls = ctx.site, ctx.urls
    months, services = finance.by_month(data), finance.by_service(data, site)
    categories, suppliers = finance.by_category(data), finance.suppliers(data)
    years, cost = finance.budget_years(data), per_resident(data)
    totals, shown = _totals(data), _shown(ctx)
    yield Page(urls.finance(), "finance", {
        **totals, "sources": data.sources, "months": months, "services": services[:10],
        "categories": categories[:10], "suppliers": sum(1 for s in suppliers if s.slug),
        "largest": finance.largest(data, 5),
        "card": {"payments": len(data.card), "total": sum((p.amount for p in data.card), Decimal(0)),
                 "by_category": finance.by(data.card, lambda p: p.category)},
        "cost_per_resident": cost, "years": years},
        {"finance": data, "month_chart": ctx.finance_charts.get("spending-by-month"), "breadcrumbs": ctx.crumbs(),
         "finance_datasets": [site.datasets[n] for n in sorted({s.split("/")[0] for s in data.sources})]})
    for section, title, groups, what, chart in (
            ("months", "Spending by month", months, "Month", "spending-by-month"),
            ("services", "Spending by service", services, "Service", "spending-by-service"),
            ("categories", "Spending by category", categories, "Category", "spending-by-category")):
        yield Page(urls.finance(section), "finance_groups", {**totals, "groups": groups},
                   {**shown, "title": title, "what": what, "chart": ctx.finance_charts.get(chart)})
    yield Page(urls.finance("largest"), "finance_payments", {"payments": finance.largest(data, LARGEST)},
               {**shown, "title": f"The {LARGEST} largest payments"})
    yield Page(urls.finance("budgets"), "finance_budgets",
               BudgetsView(years, {y: [b for b in data.budgets if b.year == y] for y in years},
                           {y: finance.purpose_budgets(data, site, y) for y in years}, cost), shown)


def pages_without_charts(ctx: BuildContext) -> Iterator[Page]:
    """The suppliers' pages: a council pays thousands of suppliers, and these pages show no chart, so they are
    written while the charts are drawn."""
    if ctx.finance is not None:
        yield from supplier_pages(ctx, finance.suppliers(ctx.finance), _totals(ctx.finance), _shown(ctx),
                                  finance_inputs(ctx.site))


def supplier_pages(ctx: BuildContext, suppliers: list[Group], totals: dict, shown: dict,
                   kept_by: str | None = None) -> Iterator[Page]:
    """An A to Z of suppliers a letter per page, and a page per supplier (never per individual). `shown` is
    the layout every finance page has (the finance data, its breadcrumbs, the services' titles); `kept_by`,
    the finance data's inputs (each page is made from those alone)."""
    urls = ctx.urls
    letters: dict[str, list[Group]] = {}
    for g in suppliers:
        letters.setdefault("individuals" if not g.slug else letter(g.label), []).append(g)
    named = sorted(k for k in letters if k != "individuals")
    yield Page(urls.finance("suppliers"), "finance_suppliers",
               {**totals, "letters": {k: Link(urls.supplier_letter(k)) for k in named}, "suppliers": suppliers},
               {**shown, "groups": letters, "individuals": (letters.get("individuals") or [None])[0]})
    size = ctx.settings.table_page_rows
    index = shown["breadcrumbs"] + [("Suppliers", urls.finance("suppliers"))]
    for key in named:
        # A council pays thousands of suppliers: a long letter continues on further pages.
        paths, chunks = in_pages(letters[key], size, lambda n, key=key: urls.supplier_letter(key, n))
        for number, (path, chunk) in enumerate(zip(paths, chunks), start=1):
            yield Page(path, "finance_groups", {"groups": chunk, "pages": [Link(urls.twin(p)) for p in paths]},
                       {**shown, "title": f"Suppliers: {key}"
                        + (f", page {number} of {len(paths)}" if len(paths) > 1 else ""), "what": "Supplier",
                        "letters": named, "letter": key, "page_urls": paths, "number": number, "breadcrumbs": index},
                       inputs=kept_by)
    for g in (g for g in suppliers if g.slug):
        under = letter(g.label)
        layout = {**shown, "breadcrumbs": index + [(f"Suppliers: {under}", urls.supplier_letter(under))]}
        # A large supplier has thousands of payments: they continue on further pages, newest first. Its
        # payments are read only for a page not kept (a rebuild that changed none reads none).
        paths = paged_urls(g.count, size, lambda n, g=g: urls.paged(urls.supplier(g.slug), n))
        newest = functools.cache(functools.partial(_newest_first, ctx.finance, g))
        for number, path in enumerate(paths, start=1):
            yield Page(path, "finance_supplier", None, layout, inputs=kept_by,
                       make=functools.partial(_supplier_page, g, paths, number, size, newest, layout))


def _newest_first(data: Finance, g: Group) -> list[Payment]:
    return sorted(data.payments.of_supplier(g.key), key=lambda p: (p.date, p.transaction), reverse=True)


def _supplier_page(g: Group, paths: tuple[str, ...], number: int, size: int, newest: Callable[[], list[Payment]],
                   layout: dict) -> tuple[SupplierView, dict]:
    """Page `number` of a supplier's payments (`newest()`: all of them, newest first), and its layout."""
    return SupplierView(g, newest()[(number - 1) * size:number * size], number, paths), layout
