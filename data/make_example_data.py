#!/usr/bin/env python3
"""Write the example data packages for the Redditch Dashboard.

Run from anywhere:  python data/make_example_data.py

This script writes every CSV file and every ``datapackage.json`` in
``data/organisation/``, ``data/measures/``, ``data/demographics/`` and
``data/police-recorded-crime/``. It uses
the Python standard library only and a fixed random seed, so running it again
gives byte-identical files.

THE FIGURES ARE ILLUSTRATIVE. Every measure value, target, ward profile,
ward deprivation and recorded crime figure and officer role below is invented
sample data, generated to demonstrate the tool. None of it is Redditch Borough
Council's real performance, nor West Mercia Police's real crime figures.

The only real facts used are:

* the council's seven strategic purposes, from its Corporate Performance
  Strategy (2017);
* the names and GSS codes of the 12 borough wards of 2013 (ONS / Ordnance
  Survey boundary data, Open Government Licence);
* the borough's population in 2015, 2016 and 2017 (ONS mid-year population
  estimates: 84,743, 84,971 and 85,204);
* that West Mercia Police is the borough's police force (the publisher of the
  illustrative partner package).

The patterns in the measures are generated on purpose, because the site reads
measures as capability charts: most series are stable noisy processes (some
with seasonality); a few shift to a new level after a redesign (with a
``rebase`` annotation), one rises steadily (a trend), and one has a single
unusual month (with a plain annotation).
"""

from __future__ import annotations

import json
import math
import random
from pathlib import Path

SEED = "redditch-example-data-2026"
HERE = Path(__file__).resolve().parent

OGL = [{
    "name": "OGL-UK-3.0",
    "title": "Open Government Licence v3.0",
    "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}]
# The council publishes its own packages under the name DASHBOARD_COUNCIL gives it (pelicanconf.py): a package
# another organisation published names that organisation, and the site marks it as partner data.
COUNCIL = "Redditch Borough Council"
PUBLISHER = [{"title": COUNCIL, "role": "publisher"}]
VERSION = "1.0.0"
MISSING = ["", "[x]", "[c]", "[z]"]
BOROUGH_CODE = "E07000236"      # Redditch's GSS code: the area of every measure's headline

# --------------------------------------------------------------------------
# Periods (the Dashboard's period grammar)
# --------------------------------------------------------------------------


def months(start: str, end: str) -> list[str]:
    """Months from start to end inclusive, as 'YYYY-MM'."""
    y, m = map(int, start.split("-"))
    ey, em = map(int, end.split("-"))
    out = []
    while (y, m) <= (ey, em):
        out.append(f"{y:04d}-{m:02d}")
        m += 1
        if m == 13:
            y, m = y + 1, 1
    return out


def fy(y: int) -> str:
    """Financial year starting in April of year y, e.g. 2024 -> '2024/25'."""
    return f"{y:04d}/{(y + 1) % 100:02d}"


def financial_years(first: int, last: int) -> list[str]:
    return [fy(y) for y in range(first, last + 1)]


def financial_quarters(first: tuple[int, int], last: tuple[int, int]) -> list[str]:
    """Financial quarters from (year, q) to (year, q); Q1 is April to June."""
    y, q = first
    out = []
    while (y, q) <= last:
        out.append(f"{fy(y)}-Q{q}")
        q += 1
        if q == 5:
            y, q = y + 1, 1
    return out


def calendar_quarters(first: tuple[int, int], last: tuple[int, int]) -> list[str]:
    y, q = first
    out = []
    while (y, q) <= last:
        out.append(f"{y:04d}-Q{q}")
        q += 1
        if q == 5:
            y, q = y + 1, 1
    return out


def bi_months(start: str, end: str) -> list[str]:
    """Pairs of months 'YYYY-MM/YYYY-MM' from the pair starting at start."""
    ms = months(start, end)
    return [f"{ms[i]}/{ms[i + 1]}" for i in range(0, len(ms) - 1, 2)]


def calendar_months(period: str) -> list[int]:
    """The calendar months (1-12) a period covers, for seasonality."""
    if "/" in period and len(period) == 15:  # bi-month 2024-04/2024-05
        return [int(period[5:7]), int(period[13:15])]
    if "/" in period and "-Q" in period:  # financial quarter 2024/25-Q1
        q = int(period[-1])
        return [[4, 5, 6], [7, 8, 9], [10, 11, 12], [1, 2, 3]][q - 1]
    if "/" in period:  # financial year
        return list(range(1, 13))
    if "-Q" in period:  # calendar quarter
        q = int(period[-1])
        return [3 * q - 2, 3 * q - 1, 3 * q]
    if len(period) == 7:  # month
        return [int(period[5:7])]
    return list(range(1, 13))


# --------------------------------------------------------------------------
# Series generation
# --------------------------------------------------------------------------

# Seasonal factors by calendar month (January first), multiplied into the mean.
SEASONS = {
    # gyms and pools: New Year rush, quiet in August and December
    "leisure": [1.16, 1.10, 1.06, 0.98, 0.98, 0.95, 0.92, 0.84, 1.00, 1.02, 1.00, 0.85],
    # outdoor parks and events: summer peak
    "outdoor": [0.55, 0.60, 0.75, 0.95, 1.15, 1.30, 1.45, 1.50, 1.15, 0.90, 0.70, 0.80],
    # theatre: pantomime in December and January
    "theatre": [1.25, 0.85, 0.95, 0.90, 0.90, 0.85, 0.70, 0.60, 0.85, 1.00, 1.10, 1.90],
    # recycling: garden waste in the growing season
    "garden": [0.86, 0.88, 0.95, 1.04, 1.09, 1.10, 1.10, 1.08, 1.04, 0.99, 0.94, 0.88],
    # anti-social behaviour and fly-tipping: lighter evenings, school holidays
    "summer": [0.85, 0.85, 0.92, 1.00, 1.08, 1.12, 1.18, 1.18, 1.02, 1.00, 0.92, 0.88],
    # winter weather slows collections a little
    "winter": [1.12, 1.08, 1.00, 0.96, 0.95, 0.95, 0.96, 0.97, 0.97, 1.00, 1.02, 1.10],
}


def season_factor(period: str, season: str | None) -> float:
    if not season:
        return 1.0
    table = SEASONS[season]
    ms = calendar_months(period)
    return sum(table[m - 1] for m in ms) / len(ms)


def generate(spec: dict) -> list[dict]:
    """Rows {'period', 'value', ['target'], ['status']} for one measure spec."""
    rng = random.Random(f"{SEED}:{spec['id']}")
    g = spec["gen"]
    periods = spec["periods"]
    decimals = spec.get("decimals", 0)
    shift_at = periods.index(g["shift"][0]) if "shift" in g else None
    rows = []
    for i, period in enumerate(periods):
        mean, sd = g["mean"], g["sd"]
        if shift_at is not None and i >= shift_at:
            mean, sd = g["shift"][1], g["shift"][2]
        mean += g.get("trend", 0.0) * i
        mean *= season_factor(period, g.get("season"))
        # Noise is clipped at 2.5 standard deviations so that the only special causes in the
        # example data are the ones generated on purpose (shifts, the trend, the outlier).
        value = mean + sd * min(max(rng.gauss(0.0, 1.0), -2.5), 2.5)
        if period in g.get("outlier", {}):
            value = g["outlier"][period]
        lo, hi = g.get("range", (0, math.inf))
        value = min(max(value, lo), hi)
        text = f"{value:.{decimals}f}" if decimals else str(int(round(value)))
        if period in spec.get("missing", {}):
            text = spec["missing"][period]
        note = ""
        if period in spec.get("revised", {}):
            change, note = spec["revised"][period]
            value = min(max(float(text) + change, lo), hi)
            text = f"{value:.{decimals}f}" if decimals else str(int(round(value)))
        row = {"period": period, "value": text}
        if "target_column" in spec:
            row["target"] = spec["target_column"](period)
        if spec.get("status_column"):
            status = spec.get("status", {}).get(period, "")
            if spec.get("provisional_latest") and i == len(periods) - 1:
                status = "provisional"
            row["status"] = "revised" if note else status
        if spec.get("revised"):
            row["note"] = note
        rows.append(row)
    return rows


# --------------------------------------------------------------------------
# Registers: purposes, services, localities
# --------------------------------------------------------------------------

PURPOSES = [
    ("somewhere-to-live", "Help me to find somewhere to live in my locality",
     "Everyone in the borough should be able to find a safe, warm and affordable home near the people "
     "and places that matter to them. This covers council homes, homelessness help and new affordable housing.",
     "Portfolio Holder for Housing", "Executive Director of Communities"),
    ("successful-business", "Help me run a successful business",
     "Local businesses need quick decisions, practical advice and a lively town centre. "
     "This covers planning, business support and business rates.",
     "Portfolio Holder for Economic Development and Regeneration", "Executive Director of Place"),
    ("financial-independence", "Help me to be financially independent (including education and skills)",
     "People should get the help they are entitled to quickly, pay what they owe without hardship and "
     "be able to move into work or training.",
     "Portfolio Holder for Finance and Benefits", "Executive Director of Resources"),
    ("independent-living", "Help me to live my life independently (including health and activity)",
     "People should be able to stay safe and well in their own homes and keep active for as long as possible.",
     "Portfolio Holder for Health and Wellbeing", "Executive Director of Communities"),
    ("things-to-do", "Provide good things for me to do, see and visit",
     "The borough's parks, events, theatre and leisure centres should give residents and visitors "
     "good reasons to go out and enjoy the place.",
     "Portfolio Holder for Leisure and Culture", "Executive Director of Place"),
    ("safe-and-looking-good", "Keep my place safe and looking good",
     "Streets should be clean, bins collected when promised and neighbourhoods free from fly-tipping "
     "and anti-social behaviour.",
     "Portfolio Holder for Environmental Services and Community Safety", "Executive Director of Place"),
    ("enabling", "Enable others to work and do what they need to do to meet their purpose",
     "The council's support services help front-line teams serve customers well: answering contacts "
     "properly first time, paying suppliers on time and looking after staff.",
     "Leader of the Council", "Chief Executive"),
]

# The strategic purpose each service mainly serves: the finance pages add up the cost of each
# purpose from its services' budgets.
SERVICE_PURPOSES = {
    'housing-options': 'somewhere-to-live',
    'housing-property-services': 'somewhere-to-live',
    'strategic-housing': 'somewhere-to-live',
    'planning': 'successful-business',
    'economic-development': 'successful-business',
    'revenues': 'financial-independence',
    'benefits': 'financial-independence',
    'community-services': 'independent-living',
    'leisure-and-culture': 'things-to-do',
    'environmental-services': 'safe-and-looking-good',
    'community-safety': 'safe-and-looking-good',
    'customer-services': 'enabling',
    'human-resources': 'enabling',
    'finance': 'enabling',
    'policy': 'enabling',
}

SERVICES = [
    ("housing-options", "Housing Options",
     "Advice and help for people who are homeless or at risk of losing their home, and the council's "
     "temporary accommodation.", "Head of Housing and Communities"),
    ("housing-property-services", "Housing Property Services",
     "Repairs, maintenance and re-letting of the council's own homes.", "Head of Housing Property Services"),
    ("strategic-housing", "Strategic Housing",
     "Planning for new affordable homes with housing associations and developers, and home adaptations "
     "through the Home Improvement Agency.", "Head of Housing and Communities"),
    ("planning", "Planning",
     "Deciding planning applications and planning for the borough's future growth.",
     "Head of Planning and Regeneration"),
    ("economic-development", "Economic Development",
     "Support for new and growing businesses and for the town centre.", "Head of Planning and Regeneration"),
    ("revenues", "Revenues",
     "Billing and collecting council tax and business rates.", "Head of Customer Access and Financial Support"),
    ("benefits", "Benefits",
     "Housing benefit, council tax support and help for people in financial difficulty.",
     "Head of Customer Access and Financial Support"),
    ("community-services", "Community Services",
     "The community alarm service, employment support and other help that keeps people independent.",
     "Head of Community Services"),
    ("leisure-and-culture", "Leisure and Culture",
     "Leisure centres, parks, events and the theatre.", "Head of Leisure and Cultural Services"),
    ("environmental-services", "Environmental Services",
     "Bin collections, recycling, street cleaning and enforcement against fly-tipping.",
     "Head of Environmental Services"),
    ("community-safety", "Community Safety",
     "Working with the police and partners to reduce anti-social behaviour and crime.",
     "Head of Community Services"),
    ("customer-services", "Customer Services",
     "The contact centre and customer service centre: the first point of contact for most customers.",
     "Head of Customer Access and Financial Support"),
    ("human-resources", "Human Resources",
     "Recruitment, staff wellbeing and organisational development.", "Head of Human Resources and Organisational Development"),
    ("finance", "Finance",
     "Accounts payable, budgets and the council's financial management.", "Head of Finance"),
    ("policy", "Policy",
     "The Policy Team: the Dashboard, reports to Members, complaints and information requests.",
     "Head of Transformation and Organisational Development"),
]


def slug(text: str) -> str:
    out = []
    for ch in text.lower().replace("&", "and"):
        out.append(ch if ch.isalnum() else "-")
    return "-".join(part for part in "".join(out).split("-") if part)


def read_wards() -> list[tuple[str, str, str]]:
    """(id, name, GSS code) for the 12 wards of 2013, '&' written as 'and' (facts listed in WARDS_2013)."""
    names = dict(WARDS_2013)
    return [(slug(n), n.replace("&", "and"), code) for code, n in sorted(names.items())]


# The 2013 wards (ONS codes and names, from the ONS boundary file E07000236).
WARDS_2013 = [
    ("E05007868", "Abbey"), ("E05007869", "Astwood Bank and Feckenham"),
    ("E05007870", "Batchley & Brockhill"), ("E05007871", "Central"), ("E05007872", "Church Hill"),
    ("E05007873", "Crabbs Cross"), ("E05007874", "Greenlands"),
    ("E05007875", "Headless Cross and Oakenshaw"), ("E05007876", "Lodge Park"),
    ("E05007877", "Matchborough"), ("E05007878", "West"), ("E05007879", "Winyates"),
]

# --------------------------------------------------------------------------
# Measures
# --------------------------------------------------------------------------

M60 = months("2021-10", "2026-09")      # five years of months
M60O = months("2021-11", "2026-10")     # five years, to October (fast data)
M48 = months("2022-10", "2026-09")      # four years
M36 = months("2023-10", "2026-09")      # three years
Q26 = financial_quarters((2020, 1), (2026, 2))   # 2020/21-Q1 .. 2026/27-Q2
Q22 = financial_quarters((2021, 1), (2026, 2))
CQ = calendar_quarters((2020, 3), (2026, 3))     # 2020-Q3 .. 2026-Q3
FY8 = financial_years(2018, 2025)                # 2018/19 .. 2025/26
FY6 = financial_years(2020, 2025)
BI = bi_months("2022-04", "2026-09")             # 2022-04/2022-05 .. 2026-08/2026-09

VALUE_DESCRIPTIONS = {
    "days": "Average number of days, end to end",
    "%": "Percentage",
}


def measure(id, title, description, *, kind, purposes, service, team, unit, polarity, frequency,
            owner, source, periods, gen, decimals=0, value_description=None, localities=(),
            target=None, suppress_below=None, headline=False, why=None, quality=None,
            annotations=(), missing=None, status=None, provisional_latest=False,
            target_column=None, revised=None, wards=None, formerly=()):
    dashboard = {
        "kind": kind,
        "purposes": list(purposes),
        "service": service,
        "team": team,
        "localities": list(localities),
        "unit": unit,
        "polarity": polarity,
        "frequency": frequency,
        "owner": owner,
        "source": source,
    }
    if target is not None:
        dashboard["target"] = target
    if suppress_below is not None:
        dashboard["suppress_below"] = suppress_below
    if headline:
        dashboard["headline"] = True
    if why:
        dashboard["why"] = why
    if quality:
        dashboard["quality"] = quality
    if annotations:
        dashboard["annotations"] = list(annotations)
    if wards:
        dashboard["area"] = BOROUGH_CODE
    if formerly:
        dashboard["formerly"] = list(formerly)
    return {
        "id": id, "title": title, "description": description, "dashboard": dashboard,
        "periods": periods, "gen": gen, "decimals": decimals,
        "value_description": value_description or VALUE_DESCRIPTIONS.get(unit, f"Number of {unit}"),
        "missing": missing or {}, "status": status or {},
        "status_column": bool(status) or provisional_latest or bool(revised), "provisional_latest": provisional_latest,
        # period -> (change, reason): a figure corrected after it was first published. The
        # corrected value is committed after the original, so git holds both (see revisions.py).
        "revised": revised or {},
        # "count" (shared out so the wards add up to the borough) or "level" (a rate or percentage,
        # spread around the borough's): each ward's figure beside the borough's, all illustrative
        "wards": wards,
        **({"target_column": target_column} if target_column else {}),
    }


TRIAGE = {
    "period": "2025-04",
    "label": "New claims triage trial starts",
    "description": "Benefits officers now check every new claim on the day it arrives and ask for any "
                   "missing evidence in one phone call, instead of by letter. This was the *plan* stage "
                   "of a check-plan-do review; the new way of working became normal in October 2025.",
    "rebase": True,
}
FRONT_OFFICE = {
    "period": "2024-06",
    "label": "Redesigned customer contact starts",
    "description": "Customer advisers now own a customer's query until it is resolved, with direct "
                   "access to the experts in each service, instead of passing it on by email. "
                   "The trial followed a check of 4,000 calls that found over a third were failure demand.",
    "rebase": True,
}

MEASURES = [
    # ---------------------------------------------------------------- somewhere to live
    measure(
        "void-relet-time", "Time to re-let an empty council home",
        "The average number of calendar days from the day a tenant hands back the keys to the day the "
        "new tenant's tenancy starts, for council homes let in the month. Homes taken out of use for "
        "major works or demolition are not counted.",
        kind="strategic", purposes=["somewhere-to-live"], service="housing-property-services",
        team="Voids and Lettings", unit="days", polarity="lower-is-better", frequency="monthly",
        owner="Head of Housing Property Services", source="Housing management system (lettings records)",
        periods=M60, decimals=1, target=28, headline=True,
        gen={"mean": 41.0, "sd": 4.5, "shift": ("2024-10", 24.5, 2.6), "range": (5, 120)},
        why="Every day a home stands empty is a day a family on the housing register waits longer, "
            "and a week of rent the council loses.",
        quality="Counted from the tenancy dates in the housing management system, so the whole journey "
                "is measured, not only the repairs stage. Months with very few lettings swing more.",
        annotations=[{
            "period": "2024-10", "label": "New empty homes process trial starts",
            "description": "One team now does the repairs, cleaning and letting of an empty home together, "
                           "and the new tenant is chosen before the keys come back.",
            "rebase": True}],
    ),
    measure(
        "homelessness-prevented", "Households helped to avoid becoming homeless",
        "The number of households whose homelessness was prevented or relieved in the month: they kept "
        "their home, or moved to a settled home, with the council's help. Households who found a home "
        "without the council's help are not counted.",
        kind="strategic", purposes=["somewhere-to-live"], service="housing-options",
        team="Housing Advice", unit="households", polarity="higher-is-better", frequency="monthly",
        owner="Housing Options Manager", source="Housing options case management system",
        periods=M60, headline=True, gen={"mean": 27, "sd": 5},
        why="Helping a household before it loses its home is better for the family and far cheaper "
            "than temporary accommodation.",
        quality="Cases are counted when the prevention or relief duty is closed with a successful "
                "outcome. The latest month is provisional until cases are checked at month end.",
        status={"2024-02": "revised"}, provisional_latest=True,
        revised={"2026-07": (2, "Two cases closed in July were recorded after the figure was first "
                                "published.")},
    ),
    measure(
        "temporary-accommodation", "Households in temporary accommodation",
        "The number of households living in temporary accommodation arranged by the council on the last "
        "day of the month, including bed and breakfast, hostels and council homes used as temporary homes.",
        kind="strategic", purposes=["somewhere-to-live"], service="housing-options",
        team="Housing Advice", unit="households", polarity="lower-is-better", frequency="monthly",
        owner="Housing Options Manager", source="Housing options case management system",
        periods=M60, gen={"mean": 38, "sd": 3, "trend": 0.55},
        why="Temporary accommodation is a roof, not a settled home: the longer families stay, the "
            "harder it is for children's schooling and for work.",
        quality="A snapshot count on the last day of each month.",
        provisional_latest=True,
    ),
    measure(
        "repair-time", "Time to complete a responsive repair",
        "The average number of calendar days from a tenant reporting a repair to the repair being "
        "finished to the tenant's satisfaction, for repairs finished in the month. Planned works and "
        "emergency repairs made safe within 24 hours are not counted.",
        kind="strategic", purposes=["somewhere-to-live"], service="housing-property-services",
        team="Repairs", unit="days", polarity="lower-is-better", frequency="monthly",
        owner="Head of Housing Property Services", source="Repairs job management system",
        periods=M60, decimals=1, target=10, gen={"mean": 10.3, "sd": 1.1, "range": (3, 40)},
        why="Tenants care about when the job is done properly, not when an order is raised.",
        quality="February 2024 is not available because the repairs system was being replaced. "
                "November 2025 was revised after jobs closed late were added.",
        missing={"2024-02": "[x]"}, status={"2025-11": "revised"},
    ),
    measure(
        "repairs-right-first-time", "Repairs done right first time",
        "The percentage of responsive repairs finished at the first visit, without the tenant having to "
        "call again about the same problem within 30 days.",
        kind="strategic", purposes=["somewhere-to-live"], service="housing-property-services",
        team="Repairs", unit="%", polarity="higher-is-better", frequency="monthly",
        owner="Repairs Manager", source="Repairs job management system",
        periods=M48, decimals=1, target=85, gen={"mean": 90.5, "sd": 1.5, "range": (0, 100)},
        why="A repair that needs a second visit means another day off work for the tenant.",
        quality="Repeat calls are matched to the first job by address and repair type.",
    ),
    measure(
        "affordable-homes-completed", "New affordable homes completed",
        "The number of new homes for social rent, affordable rent or shared ownership finished in the "
        "financial year in the borough, whoever built them. Homes bought back into council ownership "
        "are not counted.",
        kind="strategic", purposes=["somewhere-to-live"], service="strategic-housing",
        team="Housing Strategy and Enabling", unit="homes", polarity="higher-is-better",
        frequency="annual", owner="Housing Strategy Manager",
        source="Completion returns from housing associations and building control records",
        periods=FY8, gen={"mean": 92, "sd": 28},
        why="New affordable homes are the only lasting way to shorten the housing register.",
        quality="2023/24 was revised after a housing association reported late completions. "
                "The target changed in 2022/23 when the local plan was reviewed.",
        status={"2023/24": "revised"},
        target_column=lambda p: "60" if p < "2022/23" else "80",
    ),
    # ---------------------------------------------------------------- successful business
    measure(
        "major-planning-in-time", "Major planning applications decided in time",
        "The percentage of major planning applications decided within 13 weeks, or within a longer time "
        "agreed with the applicant, in the quarter.",
        kind="strategic", purposes=["successful-business"], service="planning",
        team="Development Management", unit="%", polarity="higher-is-better", frequency="quarterly",
        owner="Development Manager", source="Planning applications system",
        periods=Q26, decimals=1, target=60, headline=True,
        gen={"mean": 88.0, "sd": 6.0, "range": (0, 100)},
        why="Developers and businesses need a decision they can plan around.",
        quality="Only a handful of major applications are decided each quarter, so one late decision "
                "moves the percentage a lot. The national threshold for poor performance is 60%.",
    ),
    measure(
        "business-start-ups-supported", "New businesses helped to start",
        "The number of new businesses that started trading in the quarter after getting advice, a grant "
        "or workspace from the council or its business support partners.",
        kind="strategic", purposes=["successful-business"], service="economic-development",
        team="Business Support", unit="businesses", polarity="higher-is-better", frequency="quarterly",
        owner="Economic Development Manager", source="Business support partner returns",
        periods=Q22, gen={"mean": 14, "sd": 3.5},
        why="New businesses bring jobs and keep money in the local economy.",
        quality="Partners report businesses they supported; a business is counted once, when it starts trading.",
    ),
    measure(
        "town-centre-empty-shops", "Empty shop units in the town centre",
        "The percentage of ground-floor shop units in the town centre that were empty at the "
        "street survey at the end of the calendar quarter.",
        kind="strategic", purposes=["successful-business"], service="economic-development",
        team="Town Centre", unit="%", polarity="lower-is-better", frequency="quarterly",
        owner="Town Centre Manager", source="Quarterly town centre street survey",
        periods=CQ, decimals=1, gen={"mean": 15.5, "sd": 1.3, "range": (0, 100)},
        why="Empty shops make the town centre less attractive to visit and to invest in.",
        quality="Counted on foot by the town centre team. Reported by calendar quarter.",
    ),
    measure(
        "business-rates-collected", "Business rates paid on time",
        "The percentage of business rates due in the month that had been paid by the end of the month.",
        kind="strategic", purposes=["successful-business"], service="revenues",
        team="Business Rates", unit="%", polarity="higher-is-better", frequency="monthly",
        owner="Revenues Manager", source="Revenues and benefits system",
        periods=M48, decimals=1, gen={"mean": 97.4, "sd": 0.7, "range": (0, 100)},
        why="Businesses that fall behind build up debts that are hard to clear; early contact helps.",
    ),
    # ---------------------------------------------------------------- financial independence
    measure(
        "benefit-new-claim-time", "Time to decide a new benefit claim",
        "The average number of calendar days from the day a customer first contacts us about a new claim "
        "for housing benefit or council tax support to the day they are told the decision. Claims "
        "withdrawn by the customer are not counted.",
        kind="strategic", purposes=["financial-independence"], service="benefits",
        team="Benefits Assessment", unit="days", polarity="lower-is-better", frequency="monthly",
        owner="Benefits Manager", source="Revenues and benefits system",
        periods=M60, decimals=1, target=18, headline=True,
        gen={"mean": 22.0, "sd": 2.2, "shift": ("2025-04", 9.0, 1.2), "range": (1, 90)},
        why="People waiting for a decision can fall behind with their rent and council tax.",
        quality="Measured from first contact, not from the day all the evidence arrives, so it shows "
                "the customer's whole wait. The latest month is provisional.",
        annotations=[TRIAGE], provisional_latest=True,
    ),
    measure(
        "benefit-change-time", "Time to deal with a change in circumstances",
        "The average number of calendar days from a customer telling us about a change, such as a new "
        "job or a change in rent, to the change being applied to their benefit.",
        kind="strategic", purposes=["financial-independence"], service="benefits",
        team="Benefits Assessment", unit="days", polarity="lower-is-better", frequency="monthly",
        owner="Benefits Manager", source="Revenues and benefits system",
        periods=M48, decimals=1, target=8, gen={"mean": 7.9, "sd": 1.2, "range": (1, 60)},
        why="Changes dealt with slowly turn into overpayments that customers have to pay back.",
        quality="Changes reported automatically by the Department for Work and Pensions are included.",
    ),
    measure(
        "council-tax-collected", "Council tax collected in the year",
        "The percentage of the council tax due for the financial year that was collected by 31 March.",
        kind="strategic", purposes=["financial-independence"], service="revenues",
        team="Council Tax", unit="%", polarity="higher-is-better", frequency="annual",
        owner="Revenues Manager", source="Revenues and benefits system",
        periods=FY8, decimals=1, target=98, gen={"mean": 97.1, "sd": 0.3, "range": (0, 100)},
        why="Council tax pays for local services; arrears can push households into debt.",
        quality="The same figure the council reports to government each year.",
    ),
    measure(
        "residents-helped-into-work", "Residents helped into work or training",
        "The number of residents supported by the council's employment support team who started a job, "
        "an apprenticeship or a training course in the quarter.",
        kind="strategic", purposes=["financial-independence"], service="community-services",
        team="Employment Support", unit="people", polarity="higher-is-better", frequency="quarterly",
        owner="Community Services Manager", source="Employment support case records",
        periods=Q22, gen={"mean": 46, "sd": 8},
        why="A steady job is the surest route to financial independence.",
    ),
    # ---------------------------------------------------------------- independent living
    measure(
        "adaptation-time", "Time to complete a home adaptation",
        "The average number of calendar days from a resident's first enquiry to a disabled facilities "
        "grant adaptation (such as a level-access shower or stairlift) being finished, for adaptations "
        "finished in the quarter.",
        kind="strategic", purposes=["independent-living"], service="strategic-housing",
        team="Home Improvement Agency", unit="days", polarity="lower-is-better", frequency="quarterly",
        owner="Home Improvement Agency Manager", source="Home Improvement Agency case records",
        periods=Q26, decimals=1, gen={"mean": 168.0, "sd": 14.0},
        why="Waiting months for an adaptation can mean a hospital stay or a move into care.",
        quality="Includes the occupational therapy assessment, which is done by the county council.",
    ),
    measure(
        "community-alarm-answered", "Community alarm calls answered within 60 seconds",
        "The percentage of calls from community alarm users answered by the control centre within 60 seconds.",
        kind="strategic", purposes=["independent-living"], service="community-services",
        team="Lifeline Control Centre", unit="%", polarity="higher-is-better", frequency="monthly",
        owner="Lifeline Manager", source="Alarm call-handling system",
        periods=M60O, decimals=1, target=97.5, gen={"mean": 98.9, "sd": 0.35, "range": (0, 100)},
        why="A fast answer matters most when someone has fallen or is unwell at home.",
        quality="Taken automatically from the call-handling system.",
    ),
    measure(
        "leisure-centre-visits", "Visits to leisure centres",
        "The number of visits to the council's leisure centres and swimming pools in the month, counted "
        "at the entrance gates and bookings. A person who visits twice counts twice.",
        kind="strategic", purposes=["independent-living", "things-to-do"], service="leisure-and-culture",
        team="Leisure Centres", unit="visits", polarity="higher-is-better", frequency="monthly",
        owner="Leisure Services Manager", source="Leisure bookings and entry system",
        periods=M60, headline=True, gen={"mean": 41000, "sd": 1800, "season": "leisure"},
        why="Keeping active helps people stay healthy and independent for longer.",
        quality="December 2022 is not available because of a fault in the entry gates. "
                "The latest month is provisional.",
        missing={"2022-12": "[x]"}, provisional_latest=True,
    ),
    # ---------------------------------------------------------------- things to do
    measure(
        "parks-and-events-visits", "Visits to parks and events",
        "The estimated number of visits to the borough's main parks and to council events in the quarter, "
        "from automatic counters at park entrances and event ticketing.",
        kind="strategic", purposes=["things-to-do"], service="leisure-and-culture",
        team="Parks and Events", unit="visits", polarity="higher-is-better", frequency="quarterly",
        owner="Parks and Events Manager", source="Park entrance counters and event ticketing",
        periods=Q26, headline=True, gen={"mean": 180000, "sd": 9000, "season": "outdoor"},
        why="Parks and events are free things to do that bring people together.",
        quality="Counters cannot tell a visitor from a dog walker passing through twice; the figures "
                "are best used to compare one period with another.",
    ),
    measure(
        "theatre-tickets-sold", "Theatre tickets sold",
        "The number of tickets sold for performances at the council's theatre in the month, "
        "including free tickets for schools.",
        kind="strategic", purposes=["things-to-do"], service="leisure-and-culture",
        team="Theatre", unit="tickets", polarity="higher-is-better", frequency="monthly",
        owner="Theatre Manager", source="Theatre box office system",
        periods=M48, gen={"mean": 5200, "sd": 450, "season": "theatre"},
        why="A busy theatre brings people into the town centre in the evening.",
        quality="July and August 2023 are marked not applicable: the theatre was closed for roof repairs.",
        missing={"2023-07": "[z]", "2023-08": "[z]"},
        annotations=[{"period": "2023-07", "label": "Theatre closed for roof repairs", "kind": "event",
                      "description": "No performances in July and August 2023."}],
    ),
    # ---------------------------------------------------------------- safe and looking good
    measure(
        "recycling-rate", "Household waste reused, recycled or composted",
        "The percentage of household waste collected by the council that was sent for reuse, recycling "
        "or composting in the quarter, by weight.",
        kind="strategic", purposes=["safe-and-looking-good"], service="environmental-services",
        team="Waste and Recycling", unit="%", polarity="higher-is-better", frequency="quarterly",
        owner="Head of Environmental Services", source="Waste data returns (WasteDataFlow)",
        periods=Q26, decimals=1, target=40, headline=True, wards="level",
        gen={"mean": 38.0, "sd": 1.2, "season": "garden", "range": (0, 100)},
        why="Recycling keeps costs down and waste out of landfill.",
        quality="Figures are confirmed about three months after the quarter ends, when the waste "
                "processors' tonnages are checked.",
        provisional_latest=True,
    ),
    measure(
        "missed-bins", "Missed bin collections",
        "The number of bin collections reported as missed, per 100,000 collections due in the month, "
        "where the crew was at fault. Bins not put out in time are not counted.",
        kind="strategic", purposes=["safe-and-looking-good"], service="environmental-services",
        team="Waste and Recycling", unit="per 100,000 collections", polarity="lower-is-better",
        frequency="monthly", owner="Waste Services Manager", source="Customer contact records and crew logs",
        periods=M60, decimals=1, target=60, wards="level",
        value_description="Missed collections per 100,000 collections due",
        gen={"mean": 42.0, "sd": 6.0, "season": "winter", "outlier": {"2025-01": 186.4}},
        why="A missed bin is the most common reason residents contact the council.",
        quality="Reports are checked against the crew's in-cab records before they are counted.",
        annotations=[{"period": "2025-01", "label": "Snow and ice stop collections",
                      "description": "Snow and ice made many roads unsafe for the bin lorries for three days. "
                                     "The collections were caught up within a week. This was a one-off "
                                     "event, not a change in the system.",
                      "rebase": False}],
    ),
    measure(
        "fly-tipping-incidents", "Fly-tipping incidents",
        "The number of fly-tipping incidents on public land reported to or found by the council in the month.",
        kind="strategic", purposes=["safe-and-looking-good"], service="environmental-services",
        team="Environmental Enforcement", unit="incidents", polarity="lower-is-better", frequency="monthly",
        owner="Environmental Enforcement Manager", source="Fly-tipping case records",
        periods=M60, gen={"mean": 118, "sd": 11, "season": "summer"}, wards="count",
        formerly=["fly-tipping-batchley-and-brockhill", "fly-tipping-greenlands"],
        why="Fly-tipping makes neighbourhoods look neglected and costs money to clear.",
        quality="The same records the council sends to government (Flycapture). The latest month is provisional.",
        provisional_latest=True,
    ),
    measure(
        "anti-social-behaviour", "Anti-social behaviour incidents reported",
        "The number of anti-social behaviour incidents in the borough reported to the police or the "
        "council in the month.",
        kind="strategic", purposes=["safe-and-looking-good"], service="community-safety",
        team="Community Safety Partnership", unit="incidents", polarity="lower-is-better",
        frequency="monthly", owner="Community Safety Manager",
        source="Police and council incident records (shared by the Community Safety Partnership)",
        periods=M60, gen={"mean": 320, "sd": 22, "season": "summer"}, wards="count",
        formerly=["anti-social-behaviour-abbey", "anti-social-behaviour-central", "anti-social-behaviour-winyates"],
        why="Feeling safe in your neighbourhood matters to everyone.",
        quality="Police figures for the latest month are provisional and are often revised.",
        provisional_latest=True, status={"2025-06": "revised"},
        revised={"2026-08": (14, "Police records for August were completed after the figure was first "
                                 "published: 14 more incidents were reported late.")},
    ),
    measure(
        "street-cleanliness", "Streets at an acceptable standard of cleanliness",
        "The percentage of surveyed streets found at an acceptable standard for litter and detritus in "
        "the quarter's survey.",
        kind="strategic", purposes=["safe-and-looking-good"], service="environmental-services",
        team="Street Cleansing", unit="%", polarity="higher-is-better", frequency="quarterly",
        owner="Street Cleansing Manager", source="Local environmental quality survey",
        periods=Q22, decimals=1, target=90, gen={"mean": 90.4, "sd": 2.0, "range": (0, 100)}, wards="level",
        why="Clean streets are one of the things residents notice first.",
        quality="October to December 2022 is not available: the survey was not carried out.",
        missing={"2022/23-Q3": "[x]"},
    ),
    # ---------------------------------------------------------------- enabling
    measure(
        "calls-resolved-first-contact", "Customer calls resolved at first contact",
        "The percentage of calls to the contact centre where what the customer needed was dealt with "
        "during the call, with no need to pass it on or call back.",
        kind="strategic", purposes=["enabling"], service="customer-services",
        team="Contact Centre", unit="%", polarity="higher-is-better", frequency="monthly",
        owner="Customer Services Manager", source="Customer contact records (sample of calls)",
        periods=M60O, decimals=1, target=90,
        gen={"mean": 71.0, "sd": 2.3, "shift": ("2024-06", 82.0, 1.8), "range": (0, 100)},
        why="Customers want their query sorted, not passed around.",
        quality="Advisers record the outcome of every call; team leaders check a sample each week.",
        annotations=[FRONT_OFFICE],
    ),
    measure(
        "failure-demand", "Failure demand as a share of all demand",
        "The percentage of customer contacts that were caused by a failure to do something or to do "
        "it right (chasing progress, repeat calls, complaints about errors), out of all contacts.",
        kind="strategic", purposes=["enabling"], service="customer-services",
        team="Contact Centre", unit="%", polarity="lower-is-better", frequency="monthly",
        owner="Head of Customer Access and Financial Support",
        source="Customer contact records (sample of calls)",
        periods=M60O, decimals=1, headline=True,
        gen={"mean": 38.0, "sd": 2.0, "shift": ("2024-06", 25.0, 1.8), "range": (0, 100)},
        why="Every failure-demand call is work the customer did not want to make and the council "
            "did not need to do.",
        quality="Each month advisers classify a sample of at least 400 calls as value or failure demand.",
        annotations=[FRONT_OFFICE],
    ),
    measure(
        "sickness-absence", "Working days lost to sickness per employee",
        "The number of working days lost to sickness absence in the quarter per full-time equivalent employee.",
        kind="strategic", purposes=["enabling"], service="human-resources",
        team="HR and Wellbeing", unit="days", polarity="lower-is-better", frequency="quarterly",
        owner="Head of Human Resources and Organisational Development", source="Payroll and HR system",
        periods=Q26, decimals=1, target=2.2, gen={"mean": 2.25, "sd": 0.3, "range": (0.5, 10)},
        value_description="Working days lost per full-time equivalent employee",
        why="Healthy, well-supported staff serve customers better.",
        quality="Absences recorded late are added in the next quarter's figures.",
    ),
    measure(
        "invoices-paid-on-time", "Invoices paid within 30 days",
        "The percentage of undisputed supplier invoices paid within 30 days of receipt in the month.",
        kind="strategic", purposes=["enabling", "successful-business"], service="finance",
        team="Accounts Payable", unit="%", polarity="higher-is-better", frequency="monthly",
        owner="Head of Finance", source="Financial management system",
        periods=M48, decimals=1, gen={"mean": 94.0, "sd": 1.6, "range": (0, 100)},
        why="Paying local suppliers on time helps small businesses with their cash flow.",
        quality="The target rose from 90% to 95% from April 2024.",
        target_column=lambda p: "90" if p < "2024-04" else "95",
    ),
    measure(
        "foi-answered-in-time", "Information requests answered within 20 working days",
        "The percentage of Freedom of Information and Environmental Information Regulations requests "
        "answered within 20 working days in the quarter.",
        kind="strategic", purposes=["enabling"], service="policy",
        team="Information Management", unit="%", polarity="higher-is-better", frequency="quarterly",
        owner="Information Management Lead", source="Information requests log",
        periods=Q22, decimals=1, target=90, gen={"mean": 90.5, "sd": 3.0, "range": (0, 100)},
        why="Answering on time is the law, and openness builds trust.",
    ),
    measure(
        "complaints-resolved-stage-1", "Complaints resolved at the first stage",
        "The percentage of complaints closed in the quarter that were resolved at stage 1, without the "
        "customer asking for a review.",
        kind="strategic", purposes=["enabling"], service="policy",
        team="Customer Feedback", unit="%", polarity="higher-is-better", frequency="quarterly",
        owner="Policy Manager", source="Complaints log",
        periods=Q22, decimals=1, gen={"mean": 84.0, "sd": 3.0, "range": (0, 100)},
        why="Putting things right quickly is what a customer with a complaint wants.",
    ),
    # ---------------------------------------------------------------- operational measures
    measure(
        "housing-advice-demand", "Households asking for housing help",
        "The number of households who contacted Housing Options for the first time about losing their "
        "home or needing somewhere to live, in the month.",
        kind="operational", purposes=["somewhere-to-live"], service="housing-options",
        team="Housing Advice", unit="households", polarity="neutral", frequency="monthly",
        owner="Housing Options Manager", source="Housing options case management system",
        periods=M48, gen={"mean": 96, "sd": 10},
    ),
    measure(
        "homeless-main-duty-acceptances", "Households owed the main homelessness duty",
        "The number of households the council accepted a main homelessness duty to in the month: "
        "households who are homeless, eligible, in priority need and not intentionally homeless.",
        kind="operational", purposes=["somewhere-to-live"], service="housing-options",
        team="Housing Advice", unit="households", polarity="neutral", frequency="monthly",
        owner="Housing Options Manager", source="Housing options case management system",
        periods=M36, suppress_below=5, gen={"mean": 8, "sd": 2.6},
        quality="Small numbers that could identify a household are published as [c]. "
                "August 2024 was withheld at source.",
        missing={"2024-08": "[c]"},
    ),
    measure(
        "benefit-progress-chasing", "Calls chasing progress on a benefit claim",
        "The number of calls to the contact centre from customers asking how their benefit claim or "
        "change is getting on, in the month. This is failure demand.",
        kind="operational", purposes=["financial-independence", "enabling"], service="benefits",
        team="Benefits Assessment", unit="calls", polarity="lower-is-better", frequency="monthly",
        owner="Benefits Manager", source="Customer contact records",
        periods=M48, gen={"mean": 420, "sd": 32, "shift": ("2025-04", 150, 18)},
        annotations=[TRIAGE],
    ),
    measure(
        "tenant-repairs-satisfaction", "Tenants satisfied with their repair",
        "The percentage of tenants who said they were satisfied with their last repair, from a phone "
        "survey of a random sample of tenants every two months.",
        kind="operational", purposes=["somewhere-to-live"], service="housing-property-services",
        team="Repairs", unit="%", polarity="higher-is-better", frequency="bi-monthly",
        owner="Repairs Manager", source="Tenant phone survey (about 150 tenants each time)",
        periods=BI, decimals=1, gen={"mean": 84.0, "sd": 2.5, "range": (0, 100)},
    ),
]

# --------------------------------------------------------------------------
# Wards
# --------------------------------------------------------------------------

def with_wards(spec: dict, rows: list[dict]) -> list[dict]:
    """The borough's rows (area_code empty), then each ward's for every period (illustrative). Counts
    are shared out in proportion to the wards' populations, each ward tilted its own way and jittered
    a little each period, so that the wards add up to the borough exactly; rates and percentages are
    spread around the borough's figure."""
    rng = random.Random(f"{SEED}:{spec['id']}:wards")
    wards = read_wards()
    tilt = {w: rng.uniform(0.6, 1.5) for w, _, _ in wards}
    decimals = spec.get("decimals", 0)
    out = [{"period": r["period"], "area_code": "", "area_name": "", **{k: v for k, v in r.items() if k != "period"}}
           for r in rows]
    ward_values: dict[str, list[str]] = {w: [] for w, _, _ in wards}
    for r in rows:
        if r["value"].startswith("["):
            shares = {w: r["value"] for w, _, _ in wards}
        elif spec["wards"] == "count":
            weights = {w: WARD_PROFILE[w][0] * tilt[w] * max(0.2, 1 + rng.gauss(0, 0.15)) for w, _, _ in wards}
            shares = dict(zip(weights, _shared_out(int(r["value"]), list(weights.values()))))
        else:
            lo, hi = spec["gen"].get("range", (0, math.inf))
            shares = {w: f"{min(max(float(r['value']) * (0.85 + 0.15 * tilt[w] + rng.gauss(0, 0.04)), lo), hi):.{decimals}f}"
                      for w, _, _ in wards}
        for w in shares:
            ward_values[w].append(str(shares[w]))
    for w, name, code in wards:
        for r, value in zip(rows, ward_values[w]):
            row = {"period": r["period"], "area_code": code, "area_name": name, "value": value}
            row.update({k: ("provisional" if v == "provisional" else "") for k, v in r.items()
                        if k in ("target", "status", "note")})
            out.append(row)
    return out


def _shared_out(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to the weights that add up to the total (largest remainders first)."""
    exact = [total * w / sum(weights) for w in weights]
    whole = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - whole[i], reverse=True)[:total - sum(whole)]:
        whole[i] += 1
    return whole


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    """Write a UTF-8 CSV with LF line endings, quoting only cells that need it."""
    def cell(v):
        s = "" if v is None else str(v)
        if any(c in s for c in ',"\n'):
            s = '"' + s.replace('"', '""') + '"'
        return s
    lines = [",".join(cell(h) for h in header)]
    lines += [",".join(cell(v) for v in row) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8", newline="\n")


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8", newline="\n")


def csv_resource(name, title, description, fields, primary_key, **extra):
    return {
        "name": name, "path": f"{name}.csv", "title": title, "description": description,
        "format": "csv", "mediatype": "text/csv", "encoding": "utf-8",
        "schema": {"fields": fields, "primaryKey": primary_key},
        **extra,
    }


def text_field(name, title, description, required=False):
    f = {"name": name, "type": "string", "title": title, "description": description}
    if required:
        f["constraints"] = {"required": True}
    return f


def write_organisation() -> None:
    out = HERE / "organisation"
    out.mkdir(exist_ok=True)
    write_csv(out / "purposes.csv", ["id", "title", "description", "portfolio_holder", "director"],
              [list(p) for p in PURPOSES])
    write_csv(out / "services.csv", ["id", "title", "description", "head_of_service", "purpose"],
              [[*s, SERVICE_PURPOSES[s[0]]] for s in SERVICES])
    wards = read_wards()
    write_csv(out / "localities.csv", ["id", "name", "gss_code", "type"],
              [[i, n, c, "ward"] for i, n, c in wards])
    idf = lambda what: {"name": "id", "type": "string", "title": "Id",
                        "description": f"The {what}'s id: a lower-case kebab-case slug used in URLs.",
                        "constraints": {"required": True, "unique": True,
                                        "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"}}
    package = {
        "name": "organisation",
        "title": "Redditch Dashboard registers: purposes, services and localities",
        "description": (
            "The registers the Dashboard's measures refer to, declared once: the council's seven "
            "strategic purposes (from its Corporate Performance Strategy), its service areas and its "
            "localities. The localities are the 12 borough wards on the 2013 ward boundaries, with "
            "their ONS (GSS) codes. Officer roles and service descriptions on this example site are "
            "illustrative."),
        "version": VERSION,
        "licenses": OGL,
        "contributors": PUBLISHER,
        "keywords": ["Redditch", "strategic purposes", "services", "wards", "performance"],
        "resources": [
            csv_resource(
                "purposes", "Strategic purposes",
                "The council's strategic purposes: what matters to the customer. Rows are in display order.",
                [idf("purpose"),
                 text_field("title", "Purpose", "The purpose in the customer's words.", True),
                 text_field("description", "Description", "What the purpose covers, in plain words."),
                 text_field("portfolio_holder", "Portfolio Holder", "The Member role that owns the purpose."),
                 text_field("director", "Director", "The director role that owns the purpose.")],
                "id"),
            csv_resource(
                "services", "Service areas",
                "The council's service areas, which own the operational measures.",
                [idf("service"),
                 text_field("title", "Service", "The service area's name.", True),
                 text_field("description", "Description", "What the service does."),
                 text_field("head_of_service", "Head of service", "The officer role that leads the service."),
                 text_field("purpose", "Main purpose", "The strategic purpose the service mainly serves (its "
                                                       "cost counts towards that purpose).")],
                "id"),
            csv_resource(
                "localities", "Localities (wards)",
                "The 12 borough wards on the 2013 boundaries, with their ONS (GSS) codes.",
                [idf("locality"),
                 text_field("name", "Name", "The ward's name as published by ONS ('&' written as 'and').", True),
                 {"name": "gss_code", "type": "string", "title": "GSS code",
                  "description": "The ward's Government Statistical Service code.",
                  "constraints": {"required": True, "pattern": "^E05[0-9]{6}$"}},
                 {"name": "type", "type": "string", "title": "Type", "description": "The kind of locality.",
                  "constraints": {"enum": ["ward"]}}],
                "id",
                sources=[{"title": "ONS ward boundaries, December 2013 (Contains OS data © Crown copyright "
                                   "and database right 2016)"}]),
        ],
    }
    write_json(out / "datapackage.json", package)


def write_measures() -> list[dict]:
    out = HERE / "measures"
    out.mkdir(exist_ok=True)
    resources = []
    for spec in MEASURES:
        rows = generate(spec)
        if spec["wards"]:
            rows = with_wards(spec, rows)
        header = list(rows[0].keys())
        write_csv(out / f"{spec['id']}.csv", header, [[r[h] for h in header] for r in rows])
        unit = spec["dashboard"]["unit"]
        fields = [
            {"name": "period", "type": "string", "title": "Period",
             "description": "The period the value is for, in the Dashboard's period notation.",
             "constraints": {"required": True}},
            {"name": "value", "type": "number", "title": "Value",
             "description": f"{spec['value_description']} ({unit}). A missing value is shown as [x] "
                            "(not available), [c] (confidential) or [z] (not applicable)."},
        ]
        if spec["wards"]:
            fields[1:1] = [text_field("area_code", "Area code", "The GSS code of the ward the row is for; "
                                      "empty for the whole borough."),
                           text_field("area_name", "Area", "The ward's name; empty for the whole borough.")]
        if "target" in header:
            fields.append({"name": "target", "type": "number", "title": "Target",
                           "description": f"The target for the period ({unit})."})
        if "status" in header:
            fields.append({"name": "status", "type": "string", "title": "Status",
                           "description": "provisional or revised; empty when the figure is final.",
                           "constraints": {"enum": ["provisional", "revised"]}})
        if "note" in header:
            fields.append({"name": "note", "type": "string", "title": "Note",
                           "description": "Why a figure was revised after it was first published."})
        # The borough's rows leave area_code empty (as before the wards were added, so its history
        # lines up): an empty cell is no key, so ward measures declare none and validation checks the rows.
        resource = csv_resource(spec["id"], spec["title"], spec["description"], fields,
                                None if spec["wards"] else "period", dashboard=spec["dashboard"])
        if resource["schema"]["primaryKey"] is None:
            del resource["schema"]["primaryKey"]
        resource["schema"]["missingValues"] = MISSING
        resources.append(resource)
    package = {
        "name": "measures",
        "title": "Redditch performance measures (illustrative)",
        "description": (
            "**Illustrative sample data.** These figures were generated by a script to demonstrate the "
            "Dashboard tool. They are not Redditch Borough Council's real performance and must not be "
            "quoted as such. The measures themselves, their definitions and their units are the kind "
            "a district council that owns its housing stock uses, grouped by the council's seven "
            "strategic purposes."),
        "version": VERSION,
        "licenses": OGL,
        "contributors": PUBLISHER,
        "keywords": ["Redditch", "performance", "measures", "dashboard", "systems thinking",
                     "illustrative"],
        "resources": resources,
    }
    write_json(out / "datapackage.json", package)
    return resources


# Illustrative ward profile: (population, households, % aged 65+, % under 16, % social rented)
WARD_PROFILE = {
    "abbey": (7420, 3290, 19.8, 17.1, 21.5),
    "astwood-bank-and-feckenham": (6080, 2610, 27.4, 15.9, 8.2),
    "batchley-and-brockhill": (8410, 3480, 14.2, 22.0, 31.7),
    "central": (7010, 3350, 13.1, 19.4, 34.6),
    "church-hill": (8120, 3420, 15.6, 21.3, 29.8),
    "crabbs-cross": (6450, 2790, 22.9, 17.6, 12.4),
    "greenlands": (8290, 3510, 14.8, 22.4, 33.1),
    "headless-cross-and-oakenshaw": (7870, 3260, 20.3, 18.5, 10.6),
    "lodge-park": (6590, 2800, 15.1, 21.0, 30.2),
    "matchborough": (6260, 2640, 16.4, 20.1, 27.9),
    "west": (6940, 2900, 18.7, 19.2, 9.4),
    "winyates": (7680, 3270, 16.9, 19.8, 26.3),
}

BOROUGH_POPULATION = [("2015", 84743), ("2016", 84971), ("2017", 85204)]

# Illustrative deprivation by ward, in step with the ward profile's social renting (not the real Index of
# Multiple Deprivation): (% of residents in England's most deprived 20% of neighbourhoods, % income deprived)
WARD_DEPRIVATION = {
    "abbey": (18.0, 11.4),
    "astwood-bank-and-feckenham": (0.0, 5.2),
    "batchley-and-brockhill": (46.0, 19.8),
    "central": (52.0, 21.3),
    "church-hill": (39.0, 17.6),
    "crabbs-cross": (6.0, 7.9),
    "greenlands": (48.0, 20.4),
    "headless-cross-and-oakenshaw": (0.0, 6.1),
    "lodge-park": (41.0, 18.2),
    "matchborough": (33.0, 15.9),
    "west": (0.0, 5.8),
    "winyates": (29.0, 15.1),
}

# The purposes the demographics inform: homes (tenure), money and work (deprivation), living independently (age).
DEMOGRAPHICS_PURPOSES = ["somewhere-to-live", "financial-independence", "independent-living"]

# Illustrative recorded crime per 1,000 residents by ward, 2023/24 and 2024/25 (not West Mercia Police's real
# figures): a partner's table, keyed by the wards' GSS codes as the police publish them.
POLICE = "West Mercia Police"
CRIME_YEARS = ["2023/24", "2024/25"]
WARD_CRIME_RATES = {
    "abbey": (71.2, 68.5), "astwood-bank-and-feckenham": (38.4, 36.9),
    "batchley-and-brockhill": (84.7, 86.1), "central": (142.3, 135.8), "church-hill": (79.5, 81.2),
    "crabbs-cross": (45.1, 43.7), "greenlands": (88.9, 84.0), "headless-cross-and-oakenshaw": (41.6, 42.3),
    "lodge-park": (82.4, 79.9), "matchborough": (74.8, 76.5), "west": (39.7, 37.2), "winyates": (69.3, 66.1),
}


def write_demographics() -> None:
    out = HERE / "demographics"
    out.mkdir(exist_ok=True)
    write_csv(out / "borough-population.csv", ["period", "population"],
              [list(r) for r in BOROUGH_POPULATION])
    wards = [w[0] for w in read_wards()]
    assert sorted(wards) == sorted(WARD_PROFILE), "ward profile must cover every ward"
    write_csv(out / "ward-profile.csv",
              ["locality", "period", "population", "households", "aged_65_and_over_percent",
               "under_16_percent", "social_rented_percent"],
              [[w, "2021", *WARD_PROFILE[w]] for w in wards])
    assert sorted(wards) == sorted(WARD_DEPRIVATION), "deprivation must cover every ward"
    write_csv(out / "ward-deprivation.csv",
              ["locality", "period", "most_deprived_fifth_percent", "income_deprived_percent"],
              [[w, "2019", *WARD_DEPRIVATION[w]] for w in wards])
    # a ward table's key: the ward (its locality id) and the year (described as the table means it)
    by_ward = lambda year: (
        {"name": "locality", "type": "string", "title": "Ward",
         "description": "The ward's locality id (see the organisation package).", "constraints": {"required": True}},
        {"name": "period", "type": "string", "title": "Year", "description": year, "constraints": {"required": True}})
    pct = lambda name, title, description: {
        "name": name, "type": "number", "title": title, "description": description, "unit": "%",
        "constraints": {"minimum": 0, "maximum": 100}}
    package = {
        "name": "demographics",
        "title": "Redditch wider demographic data",
        "description": (
            "Wider demographic data for the borough and its wards, used alongside the measures. "
            "The borough population figures are real ONS mid-year estimates. **The ward profile and "
            "ward deprivation figures are illustrative sample data** generated to demonstrate the tool; "
            "they are not census or official statistics."),
        "version": VERSION,
        "licenses": OGL,
        "contributors": PUBLISHER,
        "keywords": ["Redditch", "population", "demographics", "wards"],
        # updated with each mid-year estimate; each purpose's page links to it
        "dashboard": {"frequency": "annual", "purposes": DEMOGRAPHICS_PURPOSES},
        "resources": [
            csv_resource(
                "borough-population", "Population of the borough",
                "The estimated number of people living in Redditch borough at 30 June each year.",
                [{"name": "period", "type": "string", "title": "Year",
                  "description": "The year of the mid-year estimate.", "constraints": {"required": True}},
                 {"name": "population", "type": "integer", "title": "Population",
                  "description": "Estimated usual resident population at 30 June.", "unit": "people",
                  "constraints": {"required": True, "minimum": 0}}],
                "period",
                sources=[{"title": "ONS mid-year population estimates",
                          "path": "https://www.ons.gov.uk/peoplepopulationandcommunity/"
                                  "populationandmigration/populationestimates"}]),
            csv_resource(
                "ward-profile", "Ward profile (illustrative)",
                "A short profile of each ward. **Illustrative figures**, consistent in size with a borough "
                "of about 85,000 people, generated to demonstrate the tool: not official statistics.",
                [*by_ward("The year the profile describes."),
                 {"name": "population", "type": "integer", "title": "Population",
                  "description": "Number of people living in the ward.", "unit": "people",
                  "constraints": {"minimum": 0}},
                 {"name": "households", "type": "integer", "title": "Households",
                  "description": "Number of households living in the ward.", "unit": "households",
                  "constraints": {"minimum": 0}},
                 pct("aged_65_and_over_percent", "Aged 65 and over",
                     "Percentage of residents aged 65 or over."),
                 pct("under_16_percent", "Aged under 16", "Percentage of residents aged under 16."),
                 pct("social_rented_percent", "Social rented homes",
                     "Percentage of households renting from the council or a housing association.")],
                ["locality", "period"]),
            csv_resource(
                "ward-deprivation", "Deprivation by ward (illustrative)",
                "How many of each ward's residents live in deprived neighbourhoods, in the manner of the English "
                "Indices of Deprivation 2019. **Illustrative figures**, generated to demonstrate the tool: not "
                "the real indices, which the Ministry of Housing, Communities and Local Government publishes.",
                [*by_ward("The year of the indices the figures follow."),
                 pct("most_deprived_fifth_percent", "In the most deprived 20% of neighbourhoods",
                     "Percentage of residents living in a neighbourhood (lower layer super output area) "
                     "among the most deprived 20% in England."),
                 pct("income_deprived_percent", "Income deprived",
                     "Percentage of residents living in households on low incomes (out of work or on low "
                     "earnings, and claiming benefits).")],
                ["locality", "period"]),
        ],
    }
    write_json(out / "datapackage.json", package)


def write_police() -> None:
    """A partner's package: illustrative recorded crime by ward, published by the police (not the council)."""
    out = HERE / "police-recorded-crime"
    out.mkdir(exist_ok=True)
    wards = read_wards()
    assert sorted(w[0] for w in wards) == sorted(WARD_CRIME_RATES), "crime figures must cover every ward"
    people = {w: WARD_PROFILE[w][0] for w in WARD_PROFILE}
    rows = []
    for i, year in enumerate(CRIME_YEARS):
        counts = {w: round(WARD_CRIME_RATES[w][i] * people[w] / 1000) for w, _, _ in wards}
        total = sum(counts.values())
        rows.append([BOROUGH_CODE, "Redditch", year, total, round(1000 * total / sum(people.values()), 1)])
        rows += [[code, name, year, counts[w], WARD_CRIME_RATES[w][i]] for w, name, code in wards]
    write_csv(out / "recorded-crime.csv",
              ["area_code", "area_name", "period", "crimes", "crimes_per_1000_residents"], rows)
    package = {
        "name": "police-recorded-crime",
        "title": "Recorded crime by ward (illustrative)",
        "description": (
            f"Crimes recorded by {POLICE} in the borough and in each of its wards, by financial year. "
            "**Illustrative figures**, generated to demonstrate how the Dashboard shows a partner's data: "
            f"they are not {POLICE}'s real statistics, which are published at "
            "[data.police.uk](https://data.police.uk/)."),
        "version": VERSION,
        "licenses": OGL,
        "contributors": [{"title": POLICE, "role": "publisher"}],
        "keywords": ["crime", "community safety", "wards", "illustrative"],
        "dashboard": {"frequency": "annual", "purposes": ["safe-and-looking-good"]},
        "resources": [
            csv_resource(
                "recorded-crime", "Recorded crime (illustrative)",
                "Crimes recorded each financial year, for the borough (its own GSS code) and for each ward "
                "(the ward's GSS code, as in the localities register). **Illustrative figures.**",
                [text_field("area_code", "Area code", "The GSS code of the borough or the ward.", required=True),
                 text_field("area_name", "Area", "The borough's or the ward's name."),
                 text_field("period", "Financial year", "April to March.", required=True),
                 {"name": "crimes", "type": "integer", "title": "Crimes recorded",
                  "description": "Crimes recorded in the year.", "constraints": {"minimum": 0}},
                 {"name": "crimes_per_1000_residents", "type": "number", "title": "Crime rate",
                  "description": "Crimes recorded per 1,000 people living in the area (2021 ward profile).",
                  "unit": "crimes per 1,000 residents", "constraints": {"minimum": 0}}],
                ["area_code", "period"],
                sources=[{"title": "Police recorded crime (data.police.uk)", "path": "https://data.police.uk/"}]),
        ],
    }
    write_json(out / "datapackage.json", package)


def check_profiles(resources: list[dict]) -> None:
    """Check each dashboard property against the profile the tool validates with, when it is installed
    (`dashboard validate data` checks everything else)."""
    try:
        from generator.ingest.checks import profile_validator  # not needed to write the data
    except ImportError:
        print("the dashboard tool is not installed: dashboard properties not checked")
        return
    validator = profile_validator()
    purposes = {p[0] for p in PURPOSES}
    services = {s[0] for s in SERVICES}
    localities = {w[0] for w in read_wards()}
    problems = 0
    for r in resources:
        d = r["dashboard"]
        for error in validator.iter_errors(d):
            print(f"{r['name']}: {error.message}")
            problems += 1
        for p in d["purposes"]:
            if p not in purposes:
                print(f"{r['name']}: unknown purpose {p}")
                problems += 1
        if d["service"] not in services:
            print(f"{r['name']}: unknown service {d['service']}")
            problems += 1
        for loc in d.get("localities", []):
            if loc not in localities:
                print(f"{r['name']}: unknown locality {loc}")
                problems += 1
    if problems:
        raise SystemExit(f"{problems} problem(s) in dashboard properties")
    print(f"{len(resources)} dashboard properties match the profile")


def main() -> None:
    ids = [m["id"] for m in MEASURES]
    assert len(ids) == len(set(ids)), "measure ids must be unique"
    write_organisation()
    resources = write_measures()
    write_demographics()
    write_police()
    check_profiles(resources)
    print(f"wrote {len(resources)} measures to {HERE / 'measures'}")


if __name__ == "__main__":
    main()
