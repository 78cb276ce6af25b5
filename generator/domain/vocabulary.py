"""The Dashboard's words and codes, each in one place: an enumeration whose members carry their code
(as written in the data), their words (as readers see them) and the codes other vocabularies use.

The `dashboard` property's JSON Schema takes its enumerations from here, so the data, the pages,
the summaries, the capability-chart sentences and the DCAT catalogue cannot disagree.
"""

from __future__ import annotations

from enum import StrEnum


class Frequency(StrEnum):
    """How often a measure is published. Whether a quarter or a year is calendar or financial is told
    by the period notation, so each frequency allows the period kinds listed. `months` is the step
    between the ends of consecutive figures, which is what places a rolling period (12 months to
    June, then 12 months to September) in its series; weekly and irregular measures have none."""

    def __new__(cls, code: str, words: str, one: str, many: str, eu: str, months: int | None,
                kinds: tuple[str, ...]):
        member = str.__new__(cls, code)
        member._value_ = code
        member.words, member.one, member.many, member.eu = words, one, many, eu
        member.months, member.kinds = months, kinds
        return member

    WEEKLY = ("weekly", "weekly", "week", "weeks", "WEEKLY", None, ("week",))
    MONTHLY = ("monthly", "monthly", "month", "months", "MONTHLY", 1, ("month", "months", "duration"))
    BI_MONTHLY = ("bi-monthly", "every two months", "two-month period", "two-month periods", "BIMONTHLY", 2,
                  ("months", "duration"))
    QUARTERLY = ("quarterly", "quarterly", "quarter", "quarters", "QUARTERLY", 3,
                 ("quarter", "financial-quarter", "months", "duration"))
    ANNUAL = ("annual", "yearly", "year", "years", "ANNUAL", 12,
              ("year", "financial-year", "academic-year", "months", "duration"))
    IRREGULAR = ("irregular", "irregularly", "period", "periods", "IRREG", None,
                 ("month", "quarter", "financial-quarter", "year", "financial-year", "academic-year", "week", "day",
                  "months", "duration", "interval"))

    @property
    def eu_uri(self) -> str:
        """The EU Publications Office's frequency, which DCAT harvesters understand."""
        return f"http://publications.europa.eu/resource/authority/frequency/{self.eu}"


class Years(StrEnum):
    """Which years a measure's `2024/25` means: a council's financial year (April to March) or a school's
    academic year (September to August). The `dashboard` property `years` says; financial by default."""

    def __new__(cls, code: str, first_month: int, kind: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.first_month, member.kind = first_month, kind
        return member

    FINANCIAL = ("financial", 4, "financial-year")
    ACADEMIC = ("academic", 9, "academic-year")


class Polarity(StrEnum):
    def __new__(cls, code: str, words: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.words = words
        return member

    HIGHER_IS_BETTER = ("higher-is-better", "Higher is better")
    LOWER_IS_BETTER = ("lower-is-better", "Lower is better")
    NEUTRAL = ("neutral", "Neither higher nor lower is better in itself")

    def meets(self, value, target) -> bool | None:
        """Whether `value` meets `target`, this way round; None when either is missing or neither way is better."""
        if value is None or target is None or self is Polarity.NEUTRAL:
            return None
        return value >= target if self is Polarity.HIGHER_IS_BETTER else value <= target


class Kind(StrEnum):
    """Strategic measures are structured by purpose; operational ones by service, team or locality.
    Context measures are statistics the council watches but does not produce (a claimant rate, air
    quality): no service owns them, their producer is their source, and they are never shown as a
    service's performance."""

    STRATEGIC = "strategic"
    OPERATIONAL = "operational"
    CONTEXT = "context"


class AnnotationKind(StrEnum):
    """What an annotation on a chart marks: its words label the line on the chart, in the chart's key and
    in the sentences about the measure (`happened` reads after "when")."""

    def __new__(cls, code: str, words: str, short: str, happened: str):
        member = str.__new__(cls, code)
        member._value_ = code
        member.words, member.short, member.happened = words, short, happened
        return member

    SERVICE = ("service", "A change to the service", "Service change", "the service changed")
    DEFINITION = ("definition", "A change of definition or method", "New definition",
                  "the definition or method changed")
    EVENT = ("event", "An outside event", "Event", "an outside event began")


class Role(StrEnum):
    """What a resource is to the Dashboard, decided once when it is read."""

    MEASURE = "measure"        # it has a `dashboard` property
    REGISTER = "register"      # purposes, services or localities
    SPENDING = "spending"      # "finance": "spending": payments over £500
    CARD = "card"              # "finance": "card": purchase-card transactions
    BUDGET = "budget"          # "finance": "budget": budget and outturn per service
    BOUNDARIES = "boundaries"  # "format": "geojson" or "topojson": the shapes of the localities, for maps
    DATASET = "dataset"        # anything else: published as open data


REGISTERS = ("purposes", "services", "localities", "comparators", "comparator_members", "signoffs")
FINANCE_ROLES = (Role.SPENDING, Role.CARD, Role.BUDGET)
BOUNDARY_FORMATS = ("geojson", "topojson")

# GSS symbols for a value that is missing, with the reason (shown in every key).
MISSING_SYMBOLS = {
    "[x]": "not available",
    "[c]": "confidential (suppressed to protect privacy)",
    "[z]": "not applicable",
}
CONFIDENTIAL = "[c]"


def role_of(name: str, descriptor: dict) -> Role:
    """A resource's role from its name and descriptor (an unknown finance kind is a dataset, and a
    problem that validation reports)."""
    if "dashboard" in descriptor:
        return Role.MEASURE
    if name in REGISTERS:
        return Role.REGISTER
    if str(descriptor.get("format", "")).lower() in BOUNDARY_FORMATS:
        return Role.BOUNDARIES
    finance = descriptor.get("finance")
    return Role(finance) if isinstance(finance, str) and finance in set(FINANCE_ROLES) else Role.DATASET
