"""Where the money goes: spending and budgets read from the canonical finance resources.

Every total here is a plain sum of the published rows (Decimal, exact), so each figure on
a finance page can be reconciled with the CSV a reader downloads. Payments to individuals
are already "Redacted personal data" in the model (load.published_rows), and they are
grouped as one line rather than given a page each.
"""

from __future__ import annotations

import hashlib
import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date
from decimal import Decimal

from ..domain.model import Dataset, Population, Site
from ..domain.periods import month_label
from ..domain.vocabulary import Role
from ..domain.disclosure import REDACTED, is_personal
from ..domain.spending import Payment
from ..domain.pickled import PickledList

ZERO = Decimal(0)
LARGEST = 50        # the most payments a page lists as the largest


@dataclass
class Group:
    """The total and count of the payments sharing a month, service, category or supplier (a supplier's
    payments themselves: Payments.of_supplier)."""

    key: str
    label: str
    total: Decimal = ZERO
    count: int = 0
    slug: str = ""
    names: set[str] = field(default_factory=set)     # for suppliers: every name written under one id

    def add(self, p: Payment) -> None:
        self.total += p.amount
        self.count += 1


class Payments(Sequence[Payment]):
    """Payments in order (by day, then as their tables list them), and each supplier's (by Group.key).
    Pickled (in a kept Finance) as a block of bytes per supplier: counting them reads none, and each
    supplier's pages unpickle its own, not held after (half a million payments, unpickled whole, held
    200 MiB while the workers drew the charts)."""

    __slots__ = ("_all", "_suppliers", "_length")

    def __init__(self, items: Iterable[Payment] = ()):
        self._all: list[Payment] | None = sorted(items, key=_order)
        self._suppliers: dict[str, PickledList[Payment]] | None = None     # made when first asked for
        self._length = len(self._all)

    def __reduce__(self):
        return _kept_payments, (self.suppliers(), self._length)

    def __len__(self) -> int:
        return self._length

    def __getitem__(self, index):
        return self._all_in_order()[index]

    def __iter__(self) -> Iterator[Payment]:
        return iter(self._all_in_order())

    def __reversed__(self) -> Iterator[Payment]:
        return reversed(self._all_in_order())

    def __eq__(self, other) -> bool:
        return list(self) == list(other) if isinstance(other, (Payments, list)) else NotImplemented

    __hash__ = None     # like a list's

    def __repr__(self) -> str:
        return f"Payments({self._length:,} payments)"

    def of_supplier(self, key: str) -> list[Payment]:
        """The payments to the supplier `key` (Group.key), in order: kept, unpickled for the caller and not
        held after (PickledList.unpickled)."""
        held = self.suppliers().get(key)
        return [] if held is None else held.unpickled()

    def suppliers(self) -> dict[str, PickledList[Payment]]:
        """Each supplier's payments in order, the suppliers in the order they first appear."""
        if self._suppliers is None:
            index = defaultdict(list)
            for p in self._all:
                index[p.supplier_key].append(p)
            self._suppliers = {key: PickledList(paid) for key, paid in index.items()}
        return self._suppliers

    def _all_in_order(self) -> list[Payment]:
        """All of them in order: as made, or, kept, put back in order from the suppliers' (every view of them
        all is worked out before a Finance is kept, so only a test reads them so)."""
        if self._all is not None:
            return self._all
        return sorted((p for paid in self._suppliers.values() for p in paid.unpickled()), key=_order)


def _order(p: Payment) -> tuple:
    """Payments' order: by day, then as their tables list them."""
    return p.date, p.resource, p.row


def _kept_payments(suppliers: dict[str, PickledList[Payment]], length: int) -> Payments:
    kept = Payments.__new__(Payments)
    kept._all, kept._suppliers, kept._length = None, suppliers, length
    return kept


@dataclass(frozen=True)
class BudgetLine:
    year: str
    service: str
    label: str
    budget: Decimal
    outturn: Decimal | None

    @property
    def variance(self) -> Decimal | None:
        return None if self.outturn is None else self.outturn - self.budget


@dataclass
class Finance:
    """Payments and budgets. Totals and groupings are worked out once: a county's hundreds of
    thousands of payments are read by many pages."""

    payments: Payments
    card: list[Payment]
    budgets: list[BudgetLine]
    sources: list[str]                 # dataset/resource names the payments came from
    population: Population | None       # for cost per resident
    groupings: dict[str, list[Group]] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def total(self) -> Decimal:
        return sum((p.amount for p in self.payments), ZERO)

    @cached_property
    def first(self) -> date | None:
        return min((p.date for p in self.payments), default=None)

    @cached_property
    def last(self) -> date | None:
        return max((p.date for p in self.payments), default=None)

    def __post_init__(self):
        if not isinstance(self.payments, Payments):
            self.payments = Payments(self.payments)

    def grouped(self, name: str, make) -> list[Group]:
        """The grouping `name`, made by `make()` the first time it is asked for."""
        if name not in self.groupings:
            self.groupings[name] = make()
        return self.groupings[name]


def supplier_slug(key: str) -> str:
    """Stable as long as the supplier keeps its id (or, without one, its name): never from a label
    that may change. The short hash keeps two keys apart that read the same as a slug."""
    words = re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")[:50].strip("-") or "supplier"
    return f"{words}-{hashlib.sha256(key.encode()).hexdigest()[:6]}"


def _payments(dataset: Dataset, resource) -> list[Payment]:
    """The table's payments. Its repeated texts and days are one object each (a long table's rows are read
    back from disk a chunk at a time, each chunk with its own copies; half a million payments name a few
    thousand suppliers and days)."""
    names = [f.name for f in resource.fields]
    source = f"{dataset.name}/{resource.name}"        # one text for all its payments (half a million rows)
    days: dict[date, date] = {}
    out = []
    for line, values in enumerate(resource.values, start=2):
        row = dict(zip(names, values))
        if row.get("amount") is None or row.get("transaction_date") is None:
            continue
        supplier = sys.intern((row.get("supplier_name") or "").strip())
        individual = is_personal(row, {})      # the row as published: flagged, or its name already redacted
        key = "individuals" if individual else (sys.intern((row.get("supplier_id") or "").strip()) or supplier or "(none)")
        out.append(Payment(date=days.setdefault(row["transaction_date"], row["transaction_date"]),
                           service=sys.intern((row.get("service") or "").strip()),
                           category=sys.intern((row.get("expenditure_category") or "").strip()) or "Not stated",
                           supplier_key=key, supplier_name=REDACTED if individual else supplier or "Not stated",
                           amount=_decimal(row["amount"]), transaction=str(row.get("transaction_number") or ""),
                           capital_or_revenue=sys.intern(str(row.get("capital_or_revenue") or "")),
                           individual=individual, resource=source, row=line))
    return out


def _decimal(number) -> Decimal:
    """A table's number as a Decimal: the table's own object when it is one already (frictionless reads
    numbers as Decimals), not a copy for each of half a million payments."""
    return number if type(number) is Decimal else Decimal(str(number))


def read_finance(site: Site) -> Finance | None:
    payments, card, budgets, sources = [], [], [], []
    for dataset in site.datasets.values():
        for r in dataset.resources:
            if r.role in (Role.SPENDING, Role.CARD):
                (payments if r.role is Role.SPENDING else card).extend(_payments(dataset, r))
                sources.append(f"{dataset.name}/{r.name}")
            elif r.role is Role.BUDGET:
                names = [f.name for f in r.fields]
                for values in r.values:
                    row = dict(zip(names, values))
                    service = site.services.get(row["service"])
                    budgets.append(BudgetLine(str(row["year"]), row["service"], service.title if service else row["service"],
                                              _decimal(row["budget"]),
                                              None if row.get("outturn") is None else _decimal(row["outturn"])))
    if not (payments or card or budgets):
        return None
    return Finance(payments, card, budgets, sources, site.population)


# --- views ---------------------------------------------------------------------------------------

def by(payments: list[Payment], key, label=None) -> list[Group]:
    groups: dict[str, Group] = {}
    for p in payments:
        k = key(p)
        if (group := groups.get(k)) is None:          # labelled once: a label per payment cost seconds
            group = groups[k] = Group(k, label(p) if label else k)
        group.add(p)
    return list(groups.values())


def by_month(f: Finance) -> list[Group]:
    return f.grouped("month", lambda: sorted(
        by(f.payments, lambda p: p.date.strftime("%Y-%m"), lambda p: month_label(p.date)), key=lambda g: g.key))


def by_service(f: Finance, site: Site) -> list[Group]:
    def label(p: Payment) -> str:
        s = site.services.get(p.service)
        return s.title if s else (p.service or "Not stated")
    return f.grouped("service", lambda: sorted(by(f.payments, lambda p: p.service or "not-stated", label),
                                               key=lambda g: (-g.total, g.label)))


def by_category(f: Finance) -> list[Group]:
    return f.grouped("category", lambda: sorted(by(f.payments, lambda p: p.category),
                                                key=lambda g: (-g.total, g.label)))


def suppliers(f: Finance) -> list[Group]:
    """One group per supplier identity (id, else name); individuals together, never named."""
    return f.grouped("supplier", lambda: _suppliers(f))


def _suppliers(f: Finance) -> list[Group]:
    groups = []
    for key, held in f.payments.suppliers().items():      # one pass over the payments, not two
        paid = held.unpickled()
        g = Group(key, key, total=sum((p.amount for p in paid), ZERO), count=len(paid))
        groups.append(g)
        g.names = {p.supplier_name for p in paid}
        # The name most often used under the id is the label (the latest used, on a tie);
        # the others are shown as other names.
        counts, latest = defaultdict(int), {}
        for p in paid:
            counts[p.supplier_name] += 1
            latest[p.supplier_name] = max(latest.get(p.supplier_name, p.date), p.date)
        g.label = "Payments to individuals (names withheld)" if g.key == "individuals" else \
            min(counts, key=lambda n: (-counts[n], -latest[n].toordinal(), n))
        g.slug = "" if g.key == "individuals" else supplier_slug(g.key)
    # Two suppliers with one name (two ids) must not read as one link twice: add the number.
    clashes = defaultdict(int)
    for g in groups:
        clashes[g.label.lower()] += 1
    for g in groups:
        if clashes[g.label.lower()] > 1 and g.slug:
            g.label = f"{g.label} (supplier {g.key})"
    return sorted(groups, key=lambda g: (g.label.lower(), g.key))


def largest(f: Finance, n: int) -> list[Payment]:
    """The `n` largest payments (LARGEST at most: only those are kept with the groupings)."""
    if n > LARGEST:
        raise ValueError(f"only the {LARGEST} largest payments are kept, not {n}")
    return f.grouped("largest", lambda: sorted(f.payments, key=lambda p: (-p.amount, p.date, p.resource, p.row))
                     [:LARGEST])[:n]


def worked_out(f: Finance | None, site: Site) -> Finance | None:
    """`f` with its totals and every grouping the pages read made now, so that a Finance kept in the cache
    holds them: a republish that changed no payment need not group hundreds of thousands of them again."""
    if f is not None:
        _ = f.total, f.first, f.last        # cached properties: asked for now, to be kept with it
        by_month(f), by_service(f, site), by_category(f), suppliers(f), largest(f, 0)
    return f


def budget_years(f: Finance) -> list[str]:
    return sorted({b.year for b in f.budgets}, reverse=True)


def purpose_budgets(f: Finance, site: Site, year: str) -> list[dict]:
    """The cost of each purpose: the budgets and outturns of the services that mainly serve it."""
    rows: dict[str, dict] = {}
    for b in (b for b in f.budgets if b.year == year):
        service = site.services.get(b.service)
        pid = service.purpose if service and service.purpose in site.purposes else ""
        row = rows.setdefault(pid, {"purpose": site.purposes.get(pid), "budget": ZERO, "outturn": ZERO,
                                    "closed": True, "services": []})
        row["budget"] += b.budget
        row["services"].append(b.label)
        if b.outturn is None:
            row["closed"] = False
        else:
            row["outturn"] += b.outturn
    order = list(site.purposes)
    return sorted(rows.values(), key=lambda r: order.index(r["purpose"].id) if r["purpose"] else len(order))
