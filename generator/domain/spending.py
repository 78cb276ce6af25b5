"""The canonical spending data: the Local Government Transparency Code 2015 fields, once.

Councils must publish every item of spending over £500 and every procurement-card
transaction. Whatever a finance system exports, the importer (importers/spending.py) maps it
onto these fields; the finance pages read only these. A spending resource says what it is
with `"finance": "spending"` (or `"card"`); a budget resource with `"finance": "budget"`.
"""

from __future__ import annotations

from dataclasses import dataclass

from .slotted import by_fields


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    title: str
    description: str
    required: bool = False          # an import needs this column
    aliases: tuple[str, ...] = ()   # export headings that mean this column (compared after normalising)
    every_row: bool = False         # ... and a value in every row (a supplier name may be blank: adjustments)


SPENDING_COLUMNS: list[Column] = [
    Column("body", "string", "Body", "The public body that made the payment.",
           aliases=("body name", "body", "organisation", "organisation name", "client", "council")),
    Column("transaction_date", "date", "Date paid", "The date the payment was made (ISO 8601).", required=True,
           every_row=True,
           aliases=("paid date", "payment date", "date paid", "transaction date", "date", "invoice paid date",
                    "posting date", "payment made date")),
    Column("transaction_number", "string", "Transaction number", "The council's reference for the payment.",
           aliases=("trans no", "transaction number", "transaction no", "transaction id", "trans number",
                    "reference", "payment reference", "invoice number", "doc no")),
    Column("service", "string", "Service", "The department or service area that spent the money.",
           aliases=("organisational unit", "organisatonal unit", "service area", "service", "department",
                    "directorate", "service division", "cost centre description", "service label")),
    Column("expenditure_category", "string", "Expenditure category",
           "What kind of spending it was, in the council's chart of accounts.",
           aliases=("expenditure category", "expenditure catergory", "expense type", "category",
                    "expense category", "account description", "subjective description")),
    Column("expenditure_code", "string", "Expenditure code", "The council's account code for the category.",
           aliases=("expenditure code", "expense code", "account code", "subjective code", "cost code")),
    Column("purpose", "string", "Purpose", "A summary of the purpose of the expenditure.",
           aliases=("purpose", "summary of purpose", "purpose of expenditure", "description", "narrative")),
    Column("capital_or_revenue", "string", "Capital or revenue", "Whether the spending was capital or revenue.",
           aliases=("type", "caporrev", "cap or rev", "capital or revenue", "type of expenditure",
                    "capital/revenue", "revenue/capital")),
    Column("supplier_id", "string", "Supplier id", "The council's identifier for the supplier, when it has one.",
           aliases=("supplier id", "supplier number", "vendor id", "supplier code", "vendor number",
                    "supplier reference")),
    Column("supplier_name", "string", "Supplier", "Who was paid ('Redacted personal data' for individuals).",
           required=True,
           aliases=("supplier name", "supplier", "beneficiary", "payee", "vendor name", "vendor", "merchant name")),
    Column("merchant_category", "string", "Merchant category", "For card transactions: the merchant category.",
           aliases=("merchant category", "merchant category code", "mcc", "merchant type")),
    Column("amount", "number", "Amount (£)", "Amount paid in pounds, excluding recoverable VAT; credits are negative.",
           required=True, every_row=True, aliases=("amount", "net amount", "value", "amount gbp", "amount (£)",
                                   "net value", "amount excl vat", "transaction amount")),
    Column("irrecoverable_vat", "number", "Irrecoverable VAT (£)", "VAT the council could not recover, in pounds.",
           aliases=("irrecoverable vat", "vat irrecoverable", "non recoverable vat", "irrecoverable vat amount")),
    Column("individual", "boolean", "Paid to an individual",
           "True when the payee is a private individual: their name is never published."),
]

BUDGET_COLUMNS: list[Column] = [
    Column("year", "string", "Financial year", "The financial year, as 2025/26.", required=True, every_row=True),
    Column("service", "string", "Service", "Service id, declared in the services register.", required=True,
           every_row=True),
    Column("budget", "number", "Budget (£)", "Net revenue budget set for the year, in pounds.", required=True,
           every_row=True),
    Column("outturn", "number", "Outturn (£)", "Net revenue spending for the year, in pounds; blank until the year is closed."),
]


def table_schema(columns: list[Column], extra: list[str] = ()) -> dict:
    """The Table Schema for a canonical resource, with any extra columns an import kept (as text)."""
    fields = [{"name": c.name, "type": c.type, "title": c.title, "description": c.description,
               **({"constraints": {"required": True}} if c.every_row else {})} for c in columns]
    fields += [{"name": name, "type": "string", "description": "Kept from the source file as it was."} for name in extra]
    return {"fields": fields, "missingValues": [""]}


@by_fields
@dataclass(frozen=True, slots=True)
class Payment:
    """One row of spending as the finance pages use it."""

    date: object            # datetime.date
    service: str
    category: str
    supplier_key: str       # the supplier id when there is one, else the trimmed name
    supplier_name: str
    amount: object          # Decimal, pounds
    transaction: str
    capital_or_revenue: str
    individual: bool
    resource: str
    row: int
