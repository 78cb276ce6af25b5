#!/usr/bin/env python3
"""Write the example spending and budget package for the Redditch Dashboard.

Run from anywhere:  python data/make_example_finance.py

This script writes every CSV file and the ``datapackage.json`` in ``data/spending/``:
six quarters of payments over £500 (April 2024 to September 2025), one quarter of
purchase card transactions, and each service's net revenue budget and outturn. It uses
the Python standard library only and a fixed random seed, so running it again gives
byte-identical files.

THE FIGURES ARE ILLUSTRATIVE. Every payment, supplier, budget and outturn is invented
sample data, generated to demonstrate the tool. None of it is Redditch Borough Council's
real spending. Supplier names are made up, apart from four public bodies. The columns are
the canonical Local Government Transparency Code fields defined in generator/domain/spending.py.
"""

from __future__ import annotations

import math
import random
import sys
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
# Appended (not prepended) so nothing in these folders can shadow the standard library.
sys.path += [str(HERE), str(HERE.parent / "generator" / "domain")]
from make_example_data import OGL, PUBLISHER, VERSION, fy, write_csv, write_json
from spending import BUDGET_COLUMNS, SPENDING_COLUMNS, table_schema
from disclosure import REDACTED

SEED = "redditch-example-finance-2026"
BODY = "Redditch Borough Council"
QUARTERS = [(2024, 1), (2024, 2), (2024, 3), (2024, 4), (2025, 1), (2025, 2)]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
BANK_HOLIDAYS = {date(2024, 4, 1), date(2024, 5, 6), date(2024, 5, 27), date(2024, 8, 26), date(2024, 12, 25),
                 date(2024, 12, 26), date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21),
                 date(2025, 5, 5), date(2025, 5, 26), date(2025, 8, 25)}

# Net revenue budget for 2025/26 (pounds); earlier years are a little lower.
BUDGET_2025 = {
    "housing-options": 780_000, "housing-property-services": 2_200_000, "strategic-housing": 420_000,
    "planning": 690_000, "economic-development": 380_000, "revenues": 720_000, "benefits": 610_000,
    "community-services": 540_000, "leisure-and-culture": 1_550_000, "environmental-services": 3_050_000,
    "community-safety": 260_000, "customer-services": 820_000, "human-resources": 450_000,
    "finance": 1_020_000, "policy": 310_000,
}

# category: (code, supplier pool, typical amount, purposes)
CATEGORIES = {
    "Repairs and maintenance": ("R1101", "building", 3800, [
        "Responsive repairs, council homes", "Void property works", "Damp and mould remedial works",
        "Door entry system repairs", "Gas servicing, council homes", "Roof repairs, sheltered housing"]),
    "Utilities": ("R1201", "utilities", 7000, ["Electricity supply", "Gas supply", "Water and sewerage charges"]),
    "Cleaning and hygiene": ("R1301", "cleaning", 2600, ["Contract cleaning", "Washroom services",
                                                         "Deep clean, communal areas"]),
    "Vehicle fuel": ("T2101", "fuel", 9500, ["Diesel, refuse fleet", "Fuel cards, service vans"]),
    "Vehicle repairs and parts": ("T2102", "fleet", 3600, ["Refuse vehicle tyres", "Fleet servicing and MOT",
                                                           "Hydraulic repairs, refuse vehicle"]),
    "Vehicle hire": ("T2103", "fleet", 7500, ["Short-term hire, refuse vehicle", "Sweeper hire"]),
    "Waste disposal": ("S3105", "waste", 26000, ["Dry recycling processing", "Garden waste composting",
                                                 "Bulky waste disposal"]),
    "Agency staff": ("E0105", "agency", 6500, ["Agency HGV drivers", "Agency loaders", "Interim officer cover",
                                               "Agency customer advisers"]),
    "Professional fees": ("S3301", "professional", 6000, ["Legal advice", "Valuation services", "External audit fees",
                                                          "Consultancy support", "Occupational health service"]),
    "Grants to voluntary organisations": ("S3501", "voluntary", 7000, [
        "Community grant", "Service level agreement, advice services", "Youth activities grant"]),
    "IT software licences": ("S3401", "it", 9000, ["Annual software licence", "System support and maintenance",
                                                   "Cloud hosting"]),
    "Temporary accommodation": ("S3601", "accommodation", 2400, ["Bed and breakfast accommodation",
                                                                 "Emergency accommodation, family"]),
    "Insurance": ("S3701", "insurance", 45000, ["Property insurance premium", "Liability insurance premium"]),
    "Equipment and materials": ("S3201", "equipment", 4200, ["Wheeled bins", "Grounds maintenance materials",
                                                             "Play equipment", "Community alarm units"]),
    "Printing and postage": ("S3202", "print", 3800, ["Annual bills printing", "Bulk postage", "Printing of leaflets"]),
    "Training": ("E0201", "training", 2200, ["Staff training course", "Professional qualification fees"]),
    "Recruitment advertising": ("E0202", "print", 1800, ["Job advertising"]),
    "Performers and events": ("S3801", "events", 5500, ["Theatre production fees", "Event staging and sound",
                                                        "Town centre event"]),
    "Security services": ("S3802", "security", 3500, ["CCTV maintenance", "Event security", "Key holding"]),
    "Court costs": ("S3903", "courts", 4500, ["Liability order court fees"]),
    "Bank charges": ("S3904", "professional", 3800, ["Card payment processing charges"]),
    "Subscriptions": ("S3403", "training", 2200, ["Professional body subscription"]),
    "Payments to other public bodies": ("S3905", "council", 28000, ["Shared service recharge",
                                                                    "Contribution to joint scheme"]),
}

# service: {category: weight} for revenue spending.
MIX = {
    "environmental-services": {"Vehicle fuel": 3, "Vehicle repairs and parts": 3, "Vehicle hire": 1,
                               "Waste disposal": 3, "Agency staff": 4, "Equipment and materials": 2,
                               "Utilities": 1, "Professional fees": 0.5},
    "housing-property-services": {"Repairs and maintenance": 8, "Agency staff": 1, "Equipment and materials": 1,
                                  "Professional fees": 1, "Utilities": 1, "Cleaning and hygiene": 1},
    "leisure-and-culture": {"Utilities": 3, "Performers and events": 3, "Repairs and maintenance": 2,
                            "Equipment and materials": 2, "Cleaning and hygiene": 1, "Security services": 1,
                            "Grants to voluntary organisations": 1},
    "housing-options": {"Temporary accommodation": 6, "Professional fees": 1, "Grants to voluntary organisations": 1},
    "strategic-housing": {"Professional fees": 2, "Grants to voluntary organisations": 1},
    "planning": {"Professional fees": 4, "Agency staff": 2, "Printing and postage": 1},
    "economic-development": {"Grants to voluntary organisations": 2, "Professional fees": 2, "Performers and events": 1},
    "revenues": {"Printing and postage": 3, "IT software licences": 2, "Court costs": 2, "Professional fees": 1},
    "benefits": {"IT software licences": 2, "Printing and postage": 2, "Agency staff": 1},
    "community-services": {"Equipment and materials": 2, "IT software licences": 1,
                           "Grants to voluntary organisations": 2, "Agency staff": 1},
    "community-safety": {"Grants to voluntary organisations": 2, "Security services": 2, "Professional fees": 1},
    "customer-services": {"IT software licences": 2, "Agency staff": 2, "Printing and postage": 1},
    "human-resources": {"Training": 2, "Recruitment advertising": 1, "Professional fees": 3},
    "finance": {"Insurance": 2, "Professional fees": 2, "Bank charges": 1, "IT software licences": 1,
                "Payments to other public bodies": 1},
    "policy": {"Professional fees": 1, "IT software licences": 1, "Printing and postage": 1, "Subscriptions": 1},
}

# Capital payments each quarter: (service, category, code, pool, rows, typical amount, purposes)
CAPITAL = [
    ("housing-property-services", "Planned maintenance", "C4101", "building", (5, 9), 55000, [
        "Boiler replacement, council homes", "Kitchen and bathroom replacements",
        "Window and door replacement", "Roof renewal programme"]),
    ("strategic-housing", "Disabled facilities grants", "C4103", "building", (3, 6), 9000, [
        "Disabled facilities grant, stairlift", "Disabled facilities grant, level access shower"]),
    ("customer-services", "IT hardware", "C4102", "it", (1, 3), 15000, ["Laptop refresh", "Network switches"]),
    ("strategic-housing", "Property acquisitions", "C4104", "hmrc", (0, 1), 12000, [
        "Stamp duty land tax, temporary accommodation purchase"]),
]

# Payments to private individuals: (service, category, code, capital?, purpose, low, high)
INDIVIDUAL = [
    ("benefits", "Benefit overpayment refunds", "S3602", False, "Housing benefit overpayment refund", 500, 2400),
    ("strategic-housing", "Disabled facilities grants", "C4103", True, "Disabled facilities grant", 1500, 28000),
    ("housing-property-services", "Compensation payments", "S3906", False, "Compensation, delayed repair", 500, 3000),
    ("policy", "Compensation payments", "S3906", False, "Complaint remedy payment", 500, 1500),
    ("housing-options", "Homelessness prevention", "S3603", False, "Rent deposit and rent in advance", 500, 2000),
    ("revenues", "Council tax refunds", "S3604", False, "Council tax overpayment refund", 500, 3200),
]

# Invented supplier names: a made-up first word and a trade ending, per pool.
WORDS = ("Ashcombe Bellbrook Brindwell Calloway Carrow Dunmere Elstow Fairholm Farrowdale Glenbury "
         "Greythorn Harlowe Hollin Kestle Larkmead Linford Marlowe Merriden Northcote Oakhurst Pellow "
         "Quillan Ravensworth Redbrook Rushmere Saxby Selwood Stanway Tamberly Umberleigh Vellacott "
         "Wendover Whitacre Yarnfield Abbotsley Brackenfield Copperbeech Dovedale Emberton Foxhollow").split()
POOLS = {  # pool: (suppliers, trade endings)
    "building": (14, ["Building Services Ltd", "Roofing Ltd", "Property Maintenance Ltd", "Heating Ltd",
                      "Electrical Contractors Ltd", "Construction Ltd", "Joinery Ltd", "Damp Solutions Ltd"]),
    "utilities": (5, ["Energy Supply Ltd", "Power Ltd", "Water Retail Ltd"]),
    "cleaning": (4, ["Cleaning Services Ltd", "Hygiene Ltd"]),
    "fuel": (2, ["Fuels Ltd", "Oil and Fuel Distribution Ltd"]),
    "fleet": (6, ["Commercial Vehicles Ltd", "Tyres Ltd", "Fleet Hire Ltd", "Truck Centre Ltd"]),
    "waste": (5, ["Recycling Ltd", "Waste Management Ltd", "Composting Ltd"]),
    "agency": (7, ["Recruitment Ltd", "Staffing Solutions Ltd", "Interim Ltd", "Driver Agency Ltd"]),
    "professional": (10, ["and Partners LLP", "Solicitors LLP", "Chartered Surveyors", "Consulting Ltd",
                          "Audit LLP", "Payments Ltd", "Occupational Health Ltd"]),
    "voluntary": (10, ["Community Trust", "Youth Project", "Advice Centre", "Befriending Scheme",
                       "Arts Collective", "Carers Network", "Sports Foundation"]),
    "it": (8, ["Software Ltd", "Systems Ltd", "Digital Ltd", "Data Services Ltd"]),
    "accommodation": (5, ["Guest House", "Lodge", "Court Hotel"]),
    "insurance": (2, ["Mutual Insurance Ltd", "Underwriting Ltd"]),
    "equipment": (10, ["Supplies Ltd", "Playgrounds Ltd", "Containers Ltd", "Horticulture Ltd", "Telecare Ltd"]),
    "print": (4, ["Print Ltd", "Mailing Ltd", "Media Ltd"]),
    "training": (5, ["Training Ltd", "Learning Ltd", "Institute"]),
    "events": (6, ["Productions Ltd", "Staging Ltd", "Events Ltd", "Theatre Company"]),
    "security": (3, ["Security Ltd", "CCTV Ltd"]),
}
PUBLIC = {"council": ["Worcestershire County Council", "Bromsgrove District Council"],
          "hmrc": ["HM Revenue and Customs"], "courts": ["HM Courts and Tribunals Service"]}

# Purchase cards: (merchant, merchant category, expenditure category, code, purpose)
MERCHANTS = [
    ("Paperpoint Office Supplies", "Office supplies", "Stationery", "S3203", "Stationery"),
    ("Deskwise Online", "Office supplies", "Stationery", "S3203", "Printer toner"),
    ("Station Ticket Office", "Travel", "Travel and subsistence", "E0301", "Rail fare, meeting"),
    ("Larkmead Taxis", "Travel", "Travel and subsistence", "E0301", "Taxi, out-of-hours call"),
    ("Northcote Car Park", "Travel", "Travel and subsistence", "E0301", "Parking, site visit"),
    ("Planning Law Digest", "Subscriptions", "Subscriptions", "S3403", "Online journal subscription"),
    ("Civic Data Weekly", "Subscriptions", "Subscriptions", "S3403", "Newsletter subscription"),
    ("Greenbean Cafe", "Catering", "Catering", "S3204", "Refreshments, community meeting"),
    ("Parcel Desk Couriers", "Postage", "Printing and postage", "S3202", "Recorded delivery"),
    ("First Aid Skills Centre", "Training", "Training", "E0201", "First aid course"),
    ("Toolshed Hardware", "Equipment", "Equipment and materials", "S3201", "Small tools"),
    ("Cableworks Electronics", "Equipment", "Equipment and materials", "S3201", "Cables and adaptors"),
]


def make_suppliers(rng: random.Random) -> dict[str, list[tuple[str, str]]]:
    """Pool -> [(supplier id, name)]: ids are stable because the seed is fixed."""
    pools = {pool: [f"{w} {rng.choice(ends)}" for w in rng.sample(WORDS, n)] for pool, (n, ends) in POOLS.items()}
    pools.update({pool: list(names) for pool, names in PUBLIC.items()})
    numbers = sorted(rng.sample(range(10, 2000), sum(len(v) for v in pools.values())))
    out, i = {}, 0
    for pool, names in pools.items():
        out[pool] = [(f"SUP-{numbers[i + k]:05d}", name) for k, name in enumerate(names)]
        i += len(names)
    return out


def quarter_days(year: int, q: int) -> list[date]:
    """Working days in financial quarter q of the year starting April `year`."""
    start = date(year + (q == 4), 3 * q + 1 if q < 4 else 1, 1)
    days, d = [], start
    while d.month in range(start.month, start.month + 3) and d.year == start.year:
        if d.weekday() < 5 and d not in BANK_HOLIDAYS:
            days.append(d)
        d += timedelta(days=1)
    return days


def quarter_label(year: int, q: int) -> str:
    first = (3 * q) % 12  # index of the first month: April is 3
    return f"{MONTHS[first]} to {MONTHS[first + 2]} {year + (q == 4)}"


def pounds(rng: random.Random, typical: float, sigma: float = 0.9) -> float:
    """A long-tailed amount over £500, capped at £450,000."""
    return min(max(typical * math.exp(sigma * rng.gauss(0, 1)), 500 + 300 * rng.random()),
               350_000 + 100_000 * rng.random())


def row(day, service, category, code, purpose, kind, supplier, amount, individual=False, merchant="", vat=""):
    sid, name = ("", REDACTED) if individual else supplier
    return {"body": BODY, "transaction_date": day, "transaction_number": "", "service": service,
            "expenditure_category": category, "expenditure_code": code, "purpose": purpose,
            "capital_or_revenue": kind, "supplier_id": sid, "supplier_name": name, "merchant_category": merchant,
            "amount": amount, "irrecoverable_vat": vat, "individual": "true" if individual else "false"}


def spending_rows(year: int, q: int, suppliers: dict, budgets: dict, counter: list[int]) -> list[dict]:
    rng = random.Random(f"{SEED}:spending:{year}:{q}")
    days = quarter_days(year, q)
    rows = []
    for service, mix in MIX.items():
        # Payments over £500 in a quarter: a fifth to a quarter or so of the service's annual budget.
        target, spent = budgets[(fy(year), service)][0] * rng.uniform(0.2, 0.27), 0.0
        categories, weights = list(mix), list(mix.values())
        while spent < target:
            category = rng.choices(categories, weights)[0]
            code, pool, typical, purposes = CATEGORIES[category]
            amount = pounds(rng, typical)
            spent += amount
            if rng.random() < 0.01:
                amount = rng.uniform(60, 499)  # some systems publish small items too
            purpose = rng.choice(purposes)
            if rng.random() < 0.01:
                amount, purpose = -amount, f"Credit note: {purpose[0].lower()}{purpose[1:]}"
            vat = f"{amount * 0.2:.2f}" if amount > 0 and rng.random() < 0.02 else ""
            rows.append(row(rng.choice(days), service, category, code, purpose, "Revenue",
                            rng.choice(suppliers[pool]), amount, vat=vat))
    for service, category, code, pool, (lo, hi), typical, purposes in CAPITAL:
        for _ in range(rng.randint(lo, hi)):
            rows.append(row(rng.choice(days), service, category, code, rng.choice(purposes), "Capital",
                            rng.choice(suppliers[pool]), pounds(rng, typical, 1.0)))
    for _ in range(round(len(rows) * rng.uniform(0.025, 0.035))):
        service, category, code, capital, purpose, lo, hi = rng.choice(INDIVIDUAL)
        rows.append(row(rng.choice(days), service, category, code, purpose, "Capital" if capital else "Revenue",
                        None, rng.uniform(lo, hi), individual=True))
    return numbered(rows, rng, f"RBC-{year % 100:02d}-", counter, 6)


def card_rows(year: int, q: int) -> list[dict]:
    rng = random.Random(f"{SEED}:card:{year}:{q}")
    days, services = quarter_days(year, q), list(MIX)
    rows = []
    for _ in range(rng.randint(36, 44)):
        merchant, merchant_category, category, code, purpose = rng.choice(MERCHANTS)
        amount = math.exp(rng.uniform(math.log(5), math.log(450)))
        rows.append(row(rng.choice(days), rng.choice(services), category, code, purpose, "Revenue",
                        ("", merchant), amount, merchant=merchant_category))
    return numbered(rows, rng, f"RBC-PC-{year % 100:02d}-", [0], 4)


def numbered(rows: list[dict], rng: random.Random, prefix: str, counter: list[int], width: int) -> list[dict]:
    """Sort by date, number in date order (with gaps for unpublished payments), format the cells."""
    rows.sort(key=lambda r: (r["transaction_date"], r["service"], r["purpose"], r["amount"]))
    for r in rows:
        counter[0] += rng.randint(1, 25) if width == 6 else 1
        r["transaction_number"] = f"{prefix}{counter[0]:0{width}d}"
        r["transaction_date"] = r["transaction_date"].isoformat()
        r["amount"] = f"{r['amount']:.2f}"
    return rows


def make_budgets() -> dict[tuple[str, str], tuple[int, int | None]]:
    """(year, service) -> (budget, outturn); no outturn for 2025/26, which is not yet closed."""
    rng = random.Random(f"{SEED}:budgets")
    out = {}
    for service, budget in BUDGET_2025.items():
        for year in (2025, 2024, 2023):
            if year < 2025:
                budget = round(budget / rng.uniform(1.02, 1.06))
            outturn = round(budget * rng.uniform(0.92, 1.08)) if year < 2025 else None
            out[(fy(year), service)] = (budget, outturn)
    return dict(sorted(out.items(), key=lambda kv: (kv[0][0], list(BUDGET_2025).index(kv[0][1]))))


def resource(name: str, title: str, description: str, finance: str, schema: dict) -> dict:
    return {"name": name, "path": f"{name}.csv", "title": title, "description": description,
            "format": "csv", "mediatype": "text/csv", "encoding": "utf-8", "finance": finance, "schema": schema}


def main() -> None:
    out = HERE / "spending"
    out.mkdir(exist_ok=True)
    services = [line.split(",")[0] for line in (HERE / "organisation" / "services.csv").read_text().splitlines()[1:]]
    assert sorted(services) == sorted(BUDGET_2025) == sorted(MIX), "every service needs a budget and a mix"
    suppliers = make_suppliers(random.Random(f"{SEED}:suppliers"))
    budgets = make_budgets()
    header = [c.name for c in SPENDING_COLUMNS]
    spend_schema = {**table_schema(SPENDING_COLUMNS), "primaryKey": ["transaction_number"]}
    resources, tables, counters = [], {}, {}
    for year, q in QUARTERS:
        name, when = f"spending-{year}-{(year + 1) % 100:02d}-q{q}", quarter_label(year, q)
        tables[name] = spending_rows(year, q, suppliers, budgets, counters.setdefault(year, [100]))
        resources.append(resource(
            name, f"Spending over £500, {when}",
            f"Every payment over £500 in {fy(year)} Q{q} ({when}), with a few smaller items and credits. "
            f"Payments to private individuals show '{REDACTED}'. Illustrative sample data.",
            "spending", spend_schema))
    name, when = "card-2025-26-q1", quarter_label(2025, 1)
    tables[name] = card_rows(2025, 1)
    resources.append(resource(
        name, f"Purchase card transactions, {when}",
        f"Every purchase card transaction in 2025/26 Q1 ({when}), whatever its value. Illustrative sample data.",
        "card", spend_schema))
    for name, rows in tables.items():
        write_csv(out / f"{name}.csv", header, [[r[h] for h in header] for r in rows])
    write_csv(out / "budgets.csv", [c.name for c in BUDGET_COLUMNS],
              [[year, service, b, "" if o is None else o] for (year, service), (b, o) in budgets.items()])
    resources.append(resource(
        "budgets", "Service budgets and outturn",
        "Each service's net revenue budget for the year and, once the year is closed, its outturn. "
        "Illustrative sample data.", "budget",
        {**table_schema(BUDGET_COLUMNS), "primaryKey": ["year", "service"]}))
    write_json(out / "datapackage.json", {
        "name": "spending",
        "title": "Redditch spending over £500 and budgets (illustrative)",
        "description": (
            "**Illustrative sample data.** These payments and budgets were generated by a script to "
            "demonstrate the Dashboard tool. They are not Redditch Borough Council's real spending or "
            "budgets and must not be quoted as such. Supplier names are invented, apart from a few public "
            "bodies. The columns are the fields of the Local Government Transparency Code 2015: payments "
            "over £500, purchase card transactions, and each service's net revenue budget and outturn."),
        "version": VERSION,
        "licenses": OGL,
        "contributors": PUBLISHER,
        "keywords": ["Redditch", "spending", "payments over £500", "purchase cards", "budgets",
                     "transparency", "illustrative"],
        "dashboard": {"frequency": "quarterly"},
        "resources": resources,
    })
    for name, rows in tables.items():
        print(f"{name}: {len(rows)} rows, £{sum(float(r['amount']) for r in rows):,.2f}")
    print(f"budgets: {len(budgets)} rows, budget £{sum(b for b, _ in budgets.values()):,}, "
          f"outturn £{sum(o or 0 for _, o in budgets.values()):,}")


if __name__ == "__main__":
    main()
