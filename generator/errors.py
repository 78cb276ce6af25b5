"""Problems as data, and the small exception hierarchy.

A Problem is what a person must fix in their data; it prints as one line,
``PATH:ROW:FIELD: [type] message``, with the parts that do not apply left out.
Every problem type we add to frictionless's own is declared once in PROBLEM_TYPES
with a title and a description (the documentation is generated from it).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


class DashboardError(Exception):
    """Base of every error the tool raises on purpose (never a bug)."""

    exit_code = 1


class DataError(DashboardError):
    """The data has problems; ``problems`` lists them."""

    def __init__(self, problems: list["Problem"]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the data")


class ConfigError(DashboardError):
    """Bad usage or settings: exit code 2."""

    exit_code = 2


class BuildError(DashboardError):
    """The site could not be written; the previous output is left as it was."""


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    row: int | None
    field: str | None
    type: str
    message: str
    warning: bool = False

    def line(self, relative_to: str | None = None) -> str:
        path = self.path
        if relative_to is not None and os.path.isabs(path):
            try:
                path = os.path.relpath(path, relative_to)
            except ValueError:  # another drive on Windows
                pass
        parts = [path]
        if self.row is not None:
            parts.append(str(self.row))
        if self.field is not None:
            parts.append(self.field)
        kind = f"warning:{self.type}" if self.warning else self.type
        return f"{':'.join(parts)}: [{kind}] {self.message}"

    def as_row(self) -> list:
        """The flattened form tests assert on: [path, row, field, type]."""
        return [self.path, self.row, self.field, self.type]


@dataclass(frozen=True)
class ProblemType:
    code: str
    title: str
    description: str


# Our problem types; frictionless's own (type-error, extra-cell, ...) pass through unchanged.
PROBLEM_TYPES: dict[str, ProblemType] = {t.code: t for t in [
    ProblemType("invalid-json", "Invalid JSON",
                "A datapackage.json that is not valid JSON. Fix the syntax at the line and column named."),
    ProblemType("unsafe-path", "Unsafe resource path",
                "A resource path that is a URL, absolute, uses ~ or .., or is a symlink leading out of the "
                "package folder. The build only reads files inside the package folder."),
    ProblemType("unsafe-name", "Name unfit for a web address",
                "A package or resource name that is not one plain segment of letters, digits, hyphens, "
                "underscores and single dots (it becomes a folder such as /data/<package>/)."),
    ProblemType("missing-file", "Missing data file",
                "A resource path naming a file that does not exist."),
    ProblemType("dashboard-property", "Invalid dashboard property",
                "The `dashboard` property of a measure does not match its JSON Schema "
                "(a missing owner, a misspelt key, a value outside an enumeration)."),
    ProblemType("unknown-purpose", "Unknown purpose",
                "A measure names a purpose id that the purposes register does not declare."),
    ProblemType("unknown-service", "Unknown service",
                "A measure names a service id that the services register does not declare."),
    ProblemType("unknown-locality", "Unknown locality",
                "A measure names a locality id that the localities register does not declare."),
    ProblemType("duplicate-measure", "Duplicate measure id",
                "Two resources with a dashboard property share a name; measure ids are unique across packages."),
    ProblemType("duplicate-register-entry", "Duplicate register entry",
                "A purpose, service or locality id declared twice."),
    ProblemType("missing-register", "Missing register",
                "Measures exist but no purposes register (a resource named `purposes`) was found."),
    ProblemType("measure-schema", "Measure table layout",
                "A measure's Table Schema lacks the `period` and `value` fields, or types them wrongly."),
    ProblemType("period-format", "Period not in the notation",
                "A period that is not in the Dashboard's period notation; the message suggests the right form."),
    ProblemType("period-frequency", "Period does not match frequency",
                "A period whose kind does not match the measure's frequency (a quarter in a monthly measure)."),
    ProblemType("duplicate-period", "Duplicate period",
                "The same period appears twice in one measure."),
    ProblemType("missing-reason", "Missing value without a reason",
                "A blank value: write [x] (not available), [c] (confidential) or [z] (not applicable)."),
    ProblemType("annotation-period", "Annotation period",
                "An annotation whose period is not in the notation or not among the measure's periods."),
    ProblemType("invalid-commentary", "Invalid commentary",
                "A commentary file without the Measure, Author or Date metadata, or naming an unknown measure."),
    ProblemType("empty-measure", "Measure without data",
                "A measure whose table has no rows with a value."),
    ProblemType("missing-commentary", "Missing commentary",
                "Warning: a strategic measure has no commentary from its owner."),
    ProblemType("unexplained-revision", "Revision without a reason",
                "Warning: a figure already published (committed to git) has changed, and the row's `note` "
                "gives no reason. Write the reason in the note and set `status` to `revised` (Code of "
                "Practice for Statistics, Q3.4)."),
    ProblemType("shallow-history", "Shallow git history",
                "Warning: the data is in a shallow git clone, so revisions older than its first commit cannot "
                "be detected. Fetch the whole history (in GitHub Actions, `fetch-depth: 0`)."),
    ProblemType("overdue", "Overdue figure",
                "Warning: the next figure of a measure is past its due date (the end of the next period plus "
                "DASHBOARD_PUBLICATION_LAG_DAYS). Publish it, or explain the delay in commentary."),
    ProblemType("file-too-large", "File too large",
                "A data file larger than DASHBOARD_MAX_FILE_MB, refused before it is read. Split it (one file "
                "per year, say) or raise the setting."),
    ProblemType("encoding-not-declared", "Not UTF-8, no encoding declared",
                "A CSV that is not UTF-8 and whose resource declares no encoding: its text would be guessed. "
                "Save it as UTF-8, or declare the encoding."),
    ProblemType("label-whitespace", "Spaces around a heading",
                "A heading with spaces before or after it; frictionless would match it anyway and hide the slip."),
    ProblemType("accounting-negative", "Accounting negative",
                "A number written in brackets, such as (1,234): frictionless reads it as positive when "
                "bareNumber is false. Write -1234."),
    ProblemType("ambiguous-date", "Ambiguous date",
                "A date such as 01/02/2024 in a field with format \"any\", which frictionless would read month "
                "first. Write YYYY-MM-DD or give the field an explicit format."),
    ProblemType("personal-field", "Personal field shown",
                "A field marked `\"personal\": true` (never published) is one the site would show: a measure's "
                "period, value, target, status or note, a register's id or title, or a primary key."),
    ProblemType("finance-schema", "Finance table layout",
                "A resource marked `finance` (spending, card or budget) lacks a column the finance pages need, "
                "or has the wrong type for it (docs/finance.md)."),
    # `dashboard import spending`
    ProblemType("unknown-encoding", "Unreadable characters",
                "An export that is neither UTF-8 nor Windows-1252. Save it as UTF-8 CSV."),
    ProblemType("header-not-found", "No heading row",
                "No row in the first 20 lines has headings for both a date and an amount (docs/finance.md lists "
                "the headings the importer knows; DASHBOARD_SPENDING_ALIASES adds more)."),
    ProblemType("duplicate-heading", "Two columns for one field",
                "Two headings map to the same column (say 'Amount' and 'Net Amount'): rename one."),
    ProblemType("missing-column", "Missing column",
                "The export has no column for the payment date, the amount or the supplier."),
    ProblemType("ambiguous-dates", "Dates in two orders",
                "Some dates are day first and others month first; the file cannot be read either way."),
    ProblemType("date-format", "Unreadable date",
                "A date that is not a real date in a known form (2024-03-31, 31/03/2024, 31-Mar-2024), or "
                "that could be day/month or month/day when nothing in the file says which (use --dates)."),
    ProblemType("amount-format", "Unreadable amount",
                "An amount that is not clearly a sum in pounds: a comma that does not separate thousands, "
                "letters, or a credit marked twice."),
    ProblemType("missing-date", "Payment without a date",
                "A row with an amount but no date (that is not a total line)."),
    ProblemType("missing-amount", "Payment without an amount",
                "A row with a date but no amount."),
    ProblemType("total-mismatch", "Total does not add up",
                "A total line in the export that differs from the sum of its payments: a payment is missing "
                "or was read wrongly."),
    ProblemType("csv-format", "Broken CSV",
                "A quote that is never closed, or text after a closing quote: the rows after it cannot be told "
                "apart. Nothing is imported, so no payment is lost silently."),
    ProblemType("same-quarter", "A quarter imported twice",
                "Two files in one import hold the same quarter, or the quarter was imported before: join the "
                "files, or add --replace to replace the earlier import."),
    ProblemType("no-payments", "No payments",
                "An export with a heading row and no payments."),
]}
