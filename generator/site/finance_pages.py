"""The /finance/ pages: spending by month, service, category and supplier, the largest
payments, and budget against outturn per service and per strategic purpose.

Called from the Dashboard generator's generate_output with its page writer; every page
has a JSON twin whose totals a test reconciles with the published spending CSVs.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

from . import charts
from ..analysis import finance
from ..analysis.finance import Finance, Group
from ..domain.figures import money
from ..domain.spending import Payment
from ..publish.files import write_json, write_text

LARGEST = 50
CHART_CATEGORIES = 15      # a chart of every category would be too long to read; the table has them all
CRUMBS = [("Home", ""), ("Finance", "finance/")]


def _group_json(g: Group, public: str) -> dict:
    out = {"key": g.key, "label": g.label, "payments": g.count, "total": str(g.total)}
    if g.slug:
        out["url"] = f"{public}/finance/suppliers/{g.slug}/"
    return out


def _payment_json(p: Payment, site) -> dict:
    service = site.services.get(p.service)
    return {"date": p.date.isoformat(), "service": service.title if service else p.service, "category": p.category,
            "supplier": p.supplier_name, "amount": str(p.amount), "transaction": p.transaction,
            "capital_or_revenue": p.capital_or_revenue, "source": p.resource, "line": p.row}


def write(gen, writer, data: Finance) -> None:
    site, public = gen.site, gen.context["PUBLIC_URL"]
    months = finance.by_month(data)
    services = finance.by_service(data, site)
    categories = finance.by_category(data)
    suppliers = finance.suppliers(data)
    drawn = _charts(gen, {
        "spending-by-month": charts.bar_chart([{"label": g.label[:3] + " " + g.key[2:4], "value": float(g.total)}
                                               for g in months], "Spending (£)", "Spending over £500 by month"),
        "spending-by-service": charts.hbar_chart([{"label": g.label, "value": float(g.total)} for g in services],
                                                 "Spending (£)", "Spending over £500 by service"),
        "spending-by-category": charts.hbar_chart([{"label": g.label, "value": float(g.total)}
                                                   for g in categories[:CHART_CATEGORIES]],
                                                  "Spending (£)", f"The {CHART_CATEGORIES} largest categories"),
    } if data.payments else {})
    years = finance.budget_years(data)
    per_resident = _per_resident(data)
    card_total = sum((p.amount for p in data.card), Decimal(0))
    purposes = {y: finance.purpose_budgets(data, site, y) for y in years}
    totals = {"total": str(data.total), "payments": len(data.payments),
              "from": data.first.isoformat() if data.first else None, "to": data.last.isoformat() if data.last else None}
    gen._page(writer, "finance/", "finance", finance=data, months=months, services=services[:10],
              categories=categories[:10], supplier_count=sum(1 for s in suppliers if s.slug),
              largest=finance.largest(data, 5), years=years, per_resident=per_resident,
              card=finance.by(data.card, lambda p: p.category), card_total=card_total,
              month_chart=drawn.get("spending-by-month"), breadcrumbs=[("Home", "")],
              finance_datasets=[site.datasets[n] for n in sorted({s.split("/")[0] for s in data.sources})],
              twin={**totals, "sources": data.sources, "months": [_group_json(g, public) for g in months],
                    "card": {"payments": len(data.card), "total": str(card_total)},
                    "cost_per_resident": per_resident})
    for url, title, groups, what, chart in (
            ("finance/months/", "Spending by month", months, "Month", "spending-by-month"),
            ("finance/services/", "Spending by service", services, "Service", "spending-by-service"),
            ("finance/categories/", "Spending by category", categories, "Category", "spending-by-category")):
        gen._page(writer, url, "finance_groups", title=title, groups=groups, what=what, finance=data,
                  chart=drawn.get(chart), breadcrumbs=CRUMBS,
                  twin={**totals, "groups": [_group_json(g, public) for g in groups]})
    _suppliers(gen, writer, data, suppliers, totals)
    largest = finance.largest(data, LARGEST)
    gen._page(writer, "finance/largest/", "finance_payments", title=f"The {LARGEST} largest payments",
              payments=largest, finance=data, breadcrumbs=CRUMBS,
              twin={"payments": [_payment_json(p, site) for p in largest]})
    gen._page(writer, "finance/budgets/", "finance_budgets", finance=data, years=years,
              lines={y: [b for b in data.budgets if b.year == y] for y in years},
              purposes=purposes, per_resident=per_resident,
              breadcrumbs=CRUMBS,
              twin={"years": {y: {"services": [{"service": b.service, "budget": str(b.budget),
                                                "outturn": None if b.outturn is None else str(b.outturn)}
                                               for b in data.budgets if b.year == y],
                                  "purposes": [{"purpose": r["purpose"].id if r["purpose"] else None,
                                                "budget": str(r["budget"]),
                                                "outturn": str(r["outturn"]) if r["closed"] else None}
                                               for r in purposes[y]]}
                              for y in years},
                    "cost_per_resident": per_resident})


def _suppliers(gen, writer, data: Finance, suppliers: list[Group], totals: dict) -> None:
    """An A to Z of suppliers a letter per page, and a page per supplier (never per individual)."""
    site, public = gen.site, gen.context["PUBLIC_URL"]
    letters: dict[str, list[Group]] = {}
    for g in suppliers:
        letters.setdefault("individuals" if not g.slug else finance.letter(g.label), []).append(g)
    named = sorted(k for k in letters if k != "individuals")
    gen._page(writer, "finance/suppliers/", "finance_suppliers", letters=named, groups=letters, finance=data,
              individuals=(letters.get("individuals") or [None])[0], breadcrumbs=CRUMBS,
              twin={**totals, "letters": {k: f"{public}/finance/suppliers/letter-{k.lower()}/" for k in named},
                    "suppliers": [_group_json(g, public) for g in suppliers]})
    size = gen.config.table_page_rows
    for key in named:
        # A council pays thousands of suppliers: a long letter continues on further pages.
        chunks = [letters[key][i:i + size] for i in range(0, len(letters[key]), size)]
        base = f"finance/suppliers/letter-{key.lower()}/"
        pages = [base if i == 0 else f"{base}{i + 1}/" for i in range(len(chunks))]
        for number, (url, chunk) in enumerate(zip(pages, chunks), start=1):
            gen._page(writer, url, "finance_groups", title=f"Suppliers: {key}"
                      + (f", page {number} of {len(pages)}" if len(pages) > 1 else ""),
                      groups=chunk, what="Supplier", finance=data, letters=named, letter=key, page_urls=pages,
                      number=number, breadcrumbs=CRUMBS + [("Suppliers", "finance/suppliers/")],
                      twin={"groups": [_group_json(g, public) for g in chunk],
                            "pages": [f"{public}/{p}index.json" for p in pages]})
    for g in (g for g in suppliers if g.slug):
        gen._page(writer, f"finance/suppliers/{g.slug}/", "finance_supplier", supplier=g, finance=data,
                  payments=sorted(g.payments, key=lambda p: (p.date, p.transaction)),
                  breadcrumbs=CRUMBS + [("Suppliers", "finance/suppliers/"),
                                        (f"Suppliers: {finance.letter(g.label)}",
                                         f"finance/suppliers/letter-{finance.letter(g.label).lower()}/")],
                  twin={**_group_json(g, public), "names": sorted(g.names),
                        "payments_list": [_payment_json(p, site) for p in sorted(g.payments, key=lambda p: (p.date, p.transaction))]})


def _charts(gen, specs: dict[str, dict]) -> dict[str, dict]:
    """Draw the finance charts (or take them from the cache) into /finance/: name -> src, size, caption."""
    svgs = charts.draw_all(specs, gen.cache_dir(), gen.config.chart_workers)
    out = Path(gen.output_path)
    drawn = {}
    for name, svg in svgs.items():
        write_text(out, f"finance/{name}.svg", svg)
        write_json(out, f"finance/{name}.vl.json", specs[name])
        size = re.search(r'width="(\d+)" height="(\d+)"', svg)
        drawn[name] = {"src": f"finance/{name}.svg", "width": size[1] if size else 640,
                       "height": size[2] if size else 240, "description": specs[name].get("description", "")}
    return drawn


def _per_resident(data: Finance) -> dict | None:
    """Net revenue cost per resident: the latest year with an outturn, else the latest budget."""
    if not data.population or not data.budgets:
        return None
    period, people = data.population.period, data.population.people
    closed = [y for y in finance.budget_years(data) if all(b.outturn is not None for b in data.budgets if b.year == y)]
    year = closed[0] if closed else finance.budget_years(data)[0]
    lines = [b for b in data.budgets if b.year == year]
    basis = "outturn" if closed else "budget"
    total = sum(((b.outturn if closed else b.budget) for b in lines), Decimal(0))
    each = (total / people).quantize(Decimal("0.01"))
    return {"year": year, "basis": basis, "total": str(total), "total_shown": money(total),
            "population": people, "population_period": period,
            "per_resident": str(each), "shown": money(each)}
