"""Finance pages: every total reconciles with the published CSVs; personal data never published."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import EPOCH, ROOT, make_project, make_registers, run_dashboard, settings_for
from generator.analysis.finance import supplier_slug
from generator.domain.figures import money
from generator.domain.spending import SPENDING_COLUMNS, BUDGET_COLUMNS, table_schema

site_group = pytest.mark.xdist_group("site")


def _published_payments(site: Path) -> list[dict]:
    """Every spending row as a reader downloads it: the CSVs under /data/spending/."""
    descriptor = json.loads((site / "data/spending/datapackage.json").read_text())
    rows = []
    for resource in descriptor["resources"]:
        if resource.get("finance") == "spending":
            with open(site / "data/spending" / resource["path"], encoding="utf-8", newline="") as fh:
                rows += list(csv.DictReader(fh))
    return rows


def _twin(site: Path, url: str) -> dict:
    return json.loads((site / url / "index.json").read_text())


def _sums(rows, key) -> dict[str, Decimal]:
    out = defaultdict(Decimal)
    for r in rows:
        out[key(r)] += Decimal(r["amount"])
    return dict(out)


@site_group
def test_every_total_on_the_finance_pages_is_the_sum_of_the_published_csv(site):
    rows = _published_payments(site)
    assert len(rows) > 2000
    overview = _twin(site, "finance")
    assert Decimal(overview["total"]) == sum(Decimal(r["amount"]) for r in rows)
    assert overview["payments"] == len(rows)
    checks = {
        "finance": ("months", lambda r: r["transaction_date"][:7]),
        "finance/months": ("groups", lambda r: r["transaction_date"][:7]),
        "finance/services": ("groups", lambda r: r["service"] or "not-stated"),
        "finance/categories": ("groups", lambda r: r["expenditure_category"] or "Not stated"),
        "finance/suppliers": ("suppliers", lambda r: "individuals" if r["individual"] == "true"
                              else r["supplier_id"] or r["supplier_name"]),
    }
    for url, (field, key) in checks.items():
        expected = _sums(rows, key)
        shown = {g["key"]: Decimal(g["total"]) for g in _twin(site, url)[field]}
        assert shown == expected, url
    # A supplier's own page adds up to its line in the A to Z, payment by payment.
    supplier = next(g for g in _twin(site, "finance/suppliers")["suppliers"] if g.get("url"))
    page = json.loads((site / supplier["url"].split("/", 3)[3] / "index.json").read_text())
    assert sum(Decimal(p["amount"]) for p in page["payments_list"]) == Decimal(supplier["total"])


@site_group
def test_the_html_shows_the_same_totals_as_the_twins(site):
    html = (site / "finance/services/index.html").read_text(encoding="utf-8")
    for g in _twin(site, "finance/services")["groups"]:
        assert money(Decimal(g["total"])) in html, g


@site_group
def test_budgets_by_purpose_add_up_the_services_that_serve_it(site):
    budgets = _twin(site, "finance/budgets")["years"]
    for year, data in budgets.items():
        assert sum(Decimal(s["budget"]) for s in data["services"]) == sum(Decimal(p["budget"]) for p in data["purposes"])
    per = _twin(site, "finance/budgets")["cost_per_resident"]
    assert per["basis"] == "outturn" and per["population"] > 80000
    assert Decimal(per["per_resident"]) == (Decimal(per["total"]) / per["population"]).quantize(Decimal("0.01"))


@site_group
def test_finance_data_is_in_the_catalogue_with_every_download(site):
    for name in ("datapackage.json", "spending.json", "spending.xlsx", "budgets.csv"):
        assert (site / "data/spending" / name).is_file(), name
    assert "spending/" in (site / "data/index.html").read_text(encoding="utf-8")
    assert "Oxford" not in (site / "data/spending/spending.json").read_text(encoding="utf-8")


# --- personal data, in a tiny site of its own -----------------------------------------------

def _spending_project(tmp_path: Path) -> Path:
    project = make_project(tmp_path)
    make_registers(project / "data", services=("housing", "finance"))
    pkg = project / "data/spending"
    pkg.mkdir(parents=True)
    names = [c.name for c in SPENDING_COLUMNS]
    rows = [
        {"transaction_date": "2025-04-02", "transaction_number": "T1", "service": "housing", "supplier_id": "S1",
         "supplier_name": "Acme Ltd", "amount": "1200.50", "individual": "false", "expenditure_category": "Repairs"},
        {"transaction_date": "2025-04-03", "transaction_number": "T2", "service": "housing", "supplier_id": "P-777",
         "supplier_name": "Jane Q Public", "amount": "640.00", "individual": "true", "expenditure_category": "Grants"},
        {"transaction_date": "2025-05-03", "transaction_number": "T3", "service": "finance", "supplier_id": "S1",
         "supplier_name": "ACME LIMITED", "amount": "-200.50", "individual": "false", "expenditure_category": "Refund"},
    ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, names, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    (pkg / "q1.csv").write_text(buffer.getvalue())
    (pkg / "budgets.csv").write_text("year,service,budget,outturn\r\n2024/25,housing,1000,1100\r\n"
                                     "2024/25,finance,500,450\r\n")
    (pkg / "datapackage.json").write_text(json.dumps({"name": "spending", "resources": [
        {"name": "spending-2025-26-q1", "path": "q1.csv", "finance": "spending", "schema": table_schema(SPENDING_COLUMNS)},
        {"name": "budgets", "path": "budgets.csv", "finance": "budget", "schema": table_schema(BUDGET_COLUMNS)}]}))
    return project


def _every_text(folder: Path) -> str:
    """Every byte of the site as text, including inside workbooks and zips."""
    parts = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        if path.suffix in (".xlsx", ".zip"):
            with zipfile.ZipFile(path) as z:
                parts += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        else:
            parts.append(path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def test_payments_to_individuals_are_never_published_by_name(tmp_path):
    project = _spending_project(tmp_path)
    result = run_dashboard("build", "--output", "output", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    everything = _every_text(project / "output")
    assert "Jane Q Public" not in everything and "P-777" not in everything
    assert "Redacted personal data" in (project / "output/data/spending/q1.csv").read_text()
    db = sqlite3.connect(project / "output/data/all.sqlite")
    assert db.execute('SELECT supplier_name, supplier_id FROM "spending-2025-26-q1" WHERE individual = 1').fetchall() == [
        ("Redacted personal data", None)]
    suppliers = _twin(project / "output", "finance/suppliers")["suppliers"]
    # One supplier under one id, named as most recently written; individuals together, unnamed.
    assert [(s["label"], s["total"]) for s in suppliers] == [("ACME LIMITED", "1000.00"),
                                                             ("Payments to individuals (names withheld)", "640.00")]
    page = project / "output/finance/suppliers" / supplier_slug("S1") / "index.html"
    assert "Acme Ltd" in page.read_text(encoding="utf-8")      # the other name under the id is shown


def test_a_budget_for_an_unknown_service_is_a_problem(tmp_path):
    project = _spending_project(tmp_path)
    (project / "data/spending/budgets.csv").write_text("year,service,budget,outturn\r\n2024/25,housng,1000,1100\r\n")
    result = run_dashboard("validate", "data", cwd=project)
    assert result.returncode == 1
    assert "data/spending/budgets.csv:2:service: [unknown-service] No service is called 'housng'." in result.stdout


def _many_suppliers(tmp_path: Path) -> Path:
    """130 suppliers under A paid once, one under B paid 150 times, one day after another, and one under Z
    paid twice."""
    project = _spending_project(tmp_path)
    names = [c.name for c in SPENDING_COLUMNS]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, names, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows({"transaction_date": "2025-04-02", "transaction_number": f"T{i}", "service": "housing",
                      "supplier_id": f"S{i:03}", "supplier_name": f"Alpha {i:03} Ltd", "amount": "600",
                      "individual": "false"} for i in range(130))
    writer.writerows({"transaction_date": (date(2025, 4, 1) + timedelta(days=i)).isoformat(),
                      "transaction_number": f"B{i:03}", "service": "housing", "supplier_id": "BIG",
                      "supplier_name": "Beta Big Ltd", "amount": "700", "individual": "false"} for i in range(150))
    writer.writerows({"transaction_date": "2025-06-01", "transaction_number": f"Z{i}", "service": "housing",
                      "supplier_id": "Z", "supplier_name": "Zulu Ltd", "amount": "900", "individual": "false"}
                     for i in range(2))
    (project / "data/spending/q1.csv").write_text(buffer.getvalue())
    return project


def test_a_long_letter_of_suppliers_continues_on_further_pages(tmp_path):
    project = _many_suppliers(tmp_path)
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    first = _twin(project / "output", "finance/suppliers/letter-a")
    second = _twin(project / "output", "finance/suppliers/letter-a/2")
    assert len(first["groups"]) == 100 and len(second["groups"]) == 30
    assert first["pages"] == second["pages"] and len(first["pages"]) == 2
    html = (project / "output/finance/suppliers/letter-a/2/index.html").read_text(encoding="utf-8")
    assert 'rel="prev"' in html and "page 2 of 2" in html
    # A supplier's payments continue on further pages too, newest first, each page with the supplier's totals.
    big = f"finance/suppliers/{supplier_slug('BIG')}"
    pages = [_twin(project / "output", big), _twin(project / "output", big + "/2")]
    assert [len(p["payments_list"]) for p in pages] == [100, 50]
    assert [p["payments"] for p in pages] == [150, 150] and pages[0]["pages"] == pages[1]["pages"]
    dates = [row["date"] for p in pages for row in p["payments_list"]]
    assert dates == sorted(dates, reverse=True) and dates[0] == "2025-08-28" and dates[-1] == "2025-04-01"
    html = (project / "output" / big / "2/index.html").read_text(encoding="utf-8")
    assert "Beta Big Ltd: payments, page 2 of 2" in html and 'rel="prev"' in html
    # Search finds a supplier once, on its first page (the others repeat its heading and totals).
    assert "data-pagefind-body" not in html
    assert "data-pagefind-body" in (project / "output" / big / "index.html").read_text(encoding="utf-8")


def test_each_suppliers_pages_read_its_own_payments_and_let_them_go(tmp_path, monkeypatch):
    """Half a million payments, unpickled whole for the first supplier's page, held 200 MiB while the workers
    drew the charts: a supplier's pages read its own, let go once they are written. (The kept Finance holds
    the largest payments besides, for their page.)"""
    import gc
    from generator import cli
    from generator.analysis.finance import LARGEST
    from generator.domain.spending import Payment
    from generator.site.views import finance as views
    project = _many_suppliers(tmp_path)
    monkeypatch.chdir(project)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    alive: list[tuple[str, int, int]] = []      # (supplier, its payments, payments held as its page is made)
    made = views._supplier_page

    def counting(g, *args):
        gc.collect()
        alive.append((g.key, g.count, sum(isinstance(o, Payment) for o in gc.get_objects())))
        return made(g, *args)
    monkeypatch.setattr(views, "_supplier_page", counting)
    assert cli.main(["build", "--output", "out"]) == 0
    assert [key for key, *_ in alive[-4:]] == ["S129", "BIG", "BIG", "Z"]
    assert len(alive) == 130 + 2 + 1
    assert [(key, held) for key, count, held in alive if held > LARGEST + count] == []


def test_letters_fold_accents_and_ignore_leading_punctuation():
    from generator.domain.alphabet import letter
    assert [letter(n) for n in ["Éclair Ltd", "'Quoted' Co", "(Bracketed) plc", "3M UK", "acme"]] == [
        "E", "Q", "B", "0-9", "A"]


def test_two_suppliers_with_one_name_are_told_apart(tmp_path):
    from datetime import date
    from generator.analysis.finance import Finance, suppliers
    from generator.domain.spending import Payment
    pay = lambda key: Payment(date(2025, 4, 1), "housing", "X", key, "SSE Contracting Ltd", Decimal("600"),  # noqa: E731
                              "T", "Revenue", False, "spending/q1", 2)
    groups = suppliers(Finance([pay("20000249"), pay("20012137")], [], [], [], None))
    assert [g.label for g in groups] == ["SSE Contracting Ltd (supplier 20000249)", "SSE Contracting Ltd (supplier 20012137)"]


def test_an_individual_flag_written_as_text_is_a_problem(tmp_path):
    project = _spending_project(tmp_path)
    descriptor = json.loads((project / "data/spending/datapackage.json").read_text())
    for f in descriptor["resources"][0]["schema"]["fields"]:
        if f["name"] == "individual":
            f["type"] = "string"
    (project / "data/spending/datapackage.json").write_text(json.dumps(descriptor))
    result = run_dashboard("validate", "data", cwd=project)
    assert result.returncode == 1 and "datapackage.json:individual: [finance-schema]" in result.stdout


def test_personal_data_rules_apply_when_building_too(tmp_path):
    project = _spending_project(tmp_path)
    (project / "pelicanconf.py").write_text((project / "pelicanconf.py").read_text()
                                            + '\nDASHBOARD_PERSONAL_DATA_RULES = {"expenditure_category": ["refund"]}\n')
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    everything = _every_text(project / "output")
    assert "ACME LIMITED" not in everything          # its only payment is a refund: redacted by the rule
    assert "Acme Ltd" in everything                  # the same supplier's other payment is not


def test_a_population_column_of_text_is_a_dataset_not_the_areas_population(tmp_path):
    """Only a numeric `population` column (with `period` and no `locality`) is the area's population."""
    from conftest import make_registers, settings_for
    from generator.ingest.pipeline import load
    data = tmp_path / "data"
    make_registers(data)
    for name, kind, rows in (("area-words", "string", "2021,about eighty thousand\n"),   # read first
                             ("people", "integer", "2020,84000\n2021,85000\n")):
        pkg = data / name
        pkg.mkdir()
        (pkg / "t.csv").write_text("period,population\n" + rows)
        (pkg / "datapackage.json").write_text(json.dumps({"name": name, "resources": [{"name": f"{name}-t", "path": "t.csv",
            "schema": {"fields": [{"name": "period", "type": "string"}, {"name": "population", "type": kind}]}}]}))
    loaded = load(settings_for(data))
    assert loaded.report.ok
    assert (loaded.site.population.period, loaded.site.population.people, loaded.site.population.dataset) == (
        "2021", 85000, "people")


def _kept_pages(project: Path) -> dict[str, int]:
    """The pages kept in the project's build cache, with their inodes (a page rendered again is a new file)."""
    return {p.name: p.stat().st_ino for p in (project / ".cache/charts/pages").glob("*.pickle")}


def test_pages_of_unchanged_finance_tables_come_from_the_cache_showing_the_day_they_are_built(tmp_path):
    """Supplier pages and a long table's pages declare what they are made from: a build on the next day
    writes them from the cache, with that day in their footer, byte for byte what a build without a cache
    writes; a change to what they are made from renders them again."""
    project = _spending_project(tmp_path)
    with open(project / "pelicanconf.py", "a") as fh:
        fh.write("\nDASHBOARD_PREVIEW_ROWS = 1\n")          # the payments table has pages of its rows
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    kept = _kept_pages(project)
    assert len(kept) >= 4, "no page was kept: is every value in the site-wide context one kept_pages can hash?"

    next_day = {"SOURCE_DATE_EPOCH": str(int(EPOCH) + 86400)}
    built = run_dashboard("build", "--output", "next", cwd=project, env=next_day)
    assert built.returncode == 0, built.stderr
    assert _kept_pages(project) == kept                                  # not one rendered again
    pages = [p for p in (project / "next").rglob("index.html") if "/suppliers/" in p.as_posix() or "/rows/" in p.as_posix()]
    assert pages and all("Built on 26 November 2026." in p.read_text() for p in pages)
    (project / "cold.py").write_text("import sys\nsys.path.insert(0, '.')\nfrom pelicanconf import *  # noqa\n"
                                     "DASHBOARD_CACHE_PATH = ''\n")
    assert run_dashboard("build", "--settings", "cold.py", "--output", "cold", cwd=project, env=next_day).returncode == 0
    assert [p for p in pages if p.read_bytes() != (project / "cold" / p.relative_to(project / "next")).read_bytes()] == []

    services = project / "data/organisation/services.csv"
    services.write_text(services.read_text().replace("housing,Housing", "housing,Homes and housing"))
    assert run_dashboard("build", "--output", "output", cwd=project).returncode == 0
    again = _kept_pages(project)
    assert set(again) - set(kept) and set(again) & set(kept)      # the suppliers' pages made again, the tables' not
    assert "Homes and housing" in next((project / "output/finance/suppliers").glob("s1-*/index.html")).read_text()


def test_the_finance_data_is_kept_by_its_tables_services_and_population(tmp_path, monkeypatch):
    """Reading hundreds of thousands of payments takes seconds: an unchanged set of finance tables is read once,
    and a change to a table, or to a service's title the groups are labelled with, reads them again."""
    from generator.analysis import finance
    from generator.ingest.pipeline import forget, load
    from generator.site import context
    project = _spending_project(tmp_path)
    read = []
    monkeypatch.setattr(context, "read_finance", lambda site: read.append(1) or finance.read_finance(site))

    def kept():
        forget()
        settings = settings_for(project / "data", cache_path=str(tmp_path / "cache"))
        site = load(settings, keep=True).site
        return context.kept_finance(site, settings.cache_dir), finance.read_finance(site)

    first, fresh = kept()
    assert read == [1] and first == fresh and first.total == Decimal("1640.00")
    again, fresh = kept()
    assert read == [1] and again == fresh                          # from the cache
    # With every grouping the pages read, made before it was kept: none is made again.
    site = load(settings_for(project / "data", cache_path=str(tmp_path / "cache")), keep=True).site
    groupings = [(finance.by_month, ()), (finance.by_service, (site,)), (finance.by_category, ()),
                 (finance.suppliers, ()), (finance.largest, (50,))]
    made = [group(fresh, *args) for group, args in groupings]
    monkeypatch.setattr(finance, "by", lambda *args: pytest.fail("grouped again"))
    monkeypatch.setattr(finance, "sorted", lambda *args, **kw: pytest.fail("sorted again"), raising=False)
    assert [group(again, *args) for group, args in groupings] == made and made[3] and made[4]
    monkeypatch.undo()
    monkeypatch.setattr(context, "read_finance", lambda site: read.append(1) or finance.read_finance(site))
    services = project / "data/organisation/services.csv"
    services.write_text(services.read_text().replace("housing,Housing", "housing,Homes and housing"))
    kept()
    q1 = project / "data/spending/q1.csv"
    q1.write_text(q1.read_text().replace("1200.50", "1300.50"))
    changed, fresh = kept()
    assert read == [1, 1, 1] and changed == fresh and changed.total == Decimal("1740.00")


def test_a_kept_finance_reads_no_payment_until_one_is_asked_for(monkeypatch):
    """Unpickling 200,000 payments took a rebuild 1.5 s: a kept Finance holds them as bytes, and its count,
    totals, groupings and largest payments are read without them; a supplier's payments unpickle its own
    alone, each time they are asked for."""
    import pickle
    from types import SimpleNamespace
    from generator.analysis import finance
    from generator.domain.spending import Payment
    pay = lambda day, key, amount: Payment(date(2025, 4, day), "housing", "Repairs", key, f"Supplier {key}",  # noqa: E731
                                           Decimal(amount), f"T{day}", "Revenue", False, "spending/q1", day + 1)
    made = finance.Finance([pay(1, "S1", "100"), pay(2, "S2", "300"), pay(3, "S1", "50")], [], [], ["spending/q1"], None)
    kept = pickle.dumps(finance.worked_out(made, SimpleNamespace(services={})), protocol=pickle.HIGHEST_PROTOCOL)
    unpickled = []
    loads = pickle.loads
    monkeypatch.setattr(pickle, "loads", lambda data: unpickled.append(1) or loads(data))
    again = loads(kept)
    assert (len(again.payments), bool(again.payments), again.total) == (3, True, Decimal("450"))
    assert [(g.key, g.count, g.total) for g in finance.suppliers(again)] == [("S1", 2, Decimal("150")),
                                                                              ("S2", 1, Decimal("300"))]
    assert [p.amount for p in finance.largest(again, 2)] == [Decimal("300"), Decimal("100")]
    assert [g.total for g in finance.by_month(again)] == [Decimal("450")]
    assert unpickled == []
    assert [p.transaction for p in again.payments.of_supplier("S1")] == ["T1", "T3"] and unpickled == [1]
    # Each supplier's, read for its pages, is not held: asked again, unpickled again (the others never).
    assert again.payments.of_supplier("S1") == made.payments.of_supplier("S1") and unpickled == [1, 1]
    assert again.payments.of_supplier("nobody") == [] and unpickled == [1, 1]
    assert again == made and list(again.payments) == list(made.payments)
    with pytest.raises(ValueError):
        finance.largest(again, finance.LARGEST + 1)


_PAYMENTS_PROBE = """
import json
import sys
from generator import cli
from generator.analysis import finance

read = []
for name in ("__iter__", "__getitem__", "of_supplier", "suppliers"):
    def reading(self, *args, was=getattr(finance.Payments, name)):
        read.append(1)
        return was(self, *args)
    setattr(finance.Payments, name, reading)
code = cli.main(["build", "--output", sys.argv[1], "--rebuild"])
print(json.dumps({"code": code, "read": len(read)}))
"""


def test_a_rebuild_that_changed_no_payment_reads_none(tmp_path):
    """Every finance page of unchanged finance tables is written from the cache or carried over, so the
    rebuild reads no payment (a county's took seconds to unpickle), and writes the same pages."""
    import os
    import subprocess
    import sys
    project = _spending_project(tmp_path)

    def build(output: str) -> dict:        # the two alike (PYTHONPATH adds the repository's own metadata)
        probe = subprocess.run([sys.executable, "-c", _PAYMENTS_PROBE, output], cwd=project, capture_output=True,
                               text=True, env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)})
        assert probe.returncode == 0, probe.stderr
        return json.loads(probe.stdout.splitlines()[-1])
    assert build("output")["read"] > 0
    assert build("again") == {"code": 0, "read": 0}
    pages = sorted(p.relative_to(project / "output") for p in (project / "output/finance").rglob("index.*"))
    assert len(pages) > 10
    assert [p for p in pages if (project / "output" / p).read_bytes() != (project / "again" / p).read_bytes()] == []


_SCHEDULE_PROBE = """
import json
from generator import cli
from generator.site import generator

drawn, written = [], []
draw = generator.charts.make_and_draw
generator.charts.make_and_draw = lambda *args, **kwargs: (draw(*args, **kwargs), drawn.append(True))[0]
render = generator.DashboardGenerator._render
generator.DashboardGenerator._render = lambda self, *args: (written.append((args[-1].path, bool(drawn))),
                                                            render(self, *args))[1]
book = generator.packages.package_workbook_file
generator.packages.package_workbook_file = lambda *args: (written.append(("<workbook>", bool(drawn))),
                                                          book(*args))[1]
code = cli.main(["build", "--output", "output"])
print(json.dumps({"code": code, "written": written}))
"""


def test_the_suppliers_pages_are_written_while_the_charts_are_drawn_and_the_rest_once_they_are(tmp_path):
    """They show no chart, and a council has thousands: written while the workers draw, the build does not
    wait for them idle, nor for a large workbook a worker is making (the packages' workbooks are written after
    them). Every other page is written once the charts it may show are drawn."""
    import os
    import subprocess
    import sys
    project = _spending_project(tmp_path)
    probe = subprocess.run([sys.executable, "-c", _SCHEDULE_PROBE], cwd=project, capture_output=True, text=True,
                           env={**os.environ, "SOURCE_DATE_EPOCH": EPOCH, "PYTHONPATH": str(ROOT)})
    assert probe.returncode == 0, probe.stderr
    result = json.loads(probe.stdout.splitlines()[-1])
    assert result["code"] == 0
    order = [path for path, _ in result["written"]]
    suppliers = [n for n, path in enumerate(order) if path.startswith("finance/suppliers/")]
    assert "<workbook>" in order and order.index("<workbook>") > max(suppliers)
    written = [(path, after) for path, after in result["written"] if path != "<workbook>"]
    early = [path for path, after_drawing in written if not after_drawing]
    later = [path for path, after_drawing in written if after_drawing]
    assert early and all(p.startswith("finance/suppliers/") for p in early)
    assert later and not any(p.startswith("finance/suppliers/") for p in later)
    assert "finance/" in later and any(p.startswith("measures/") for p in later)
