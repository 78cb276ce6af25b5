"""Problems as data: every type declared once, with its severity, title and documentation.

A Problem is what a person must fix; it prints as one line, ``PATH:ROW:FIELD: [type] message``,
with the parts that do not apply left out. Each of our types is a ProblemType constant below (the
call site names the constant; it never decides a severity); frictionless's own types pass through
under their own codes. docs/problems.md documents every constant, and a test keeps it so. A Report
holds a run's problems and reads them strictly (CI) or not.
"""

from __future__ import annotations

import inspect
import os
from dataclasses import dataclass
from enum import Enum

import frictionless.errors


class Severity(str, Enum):
    ERROR = "error"          # the data cannot be published as it is
    WARNING = "warning"      # it can, but someone should act; `--strict` makes it an error


@dataclass(frozen=True)
class ProblemType:
    code: str
    title: str
    description: str
    severity: Severity = Severity.ERROR
    command: str = "validate"       # the command that reports it: validate (and build) or import spending

    def __call__(self, path: str, row: int | None = None, field: str | None = None, message: str = "") -> Problem:
        return Problem(str(path), row, field, self, message)


@dataclass(frozen=True)
class Problem:
    path: str
    row: int | None
    field: str | None
    kind: ProblemType
    message: str

    def __post_init__(self):
        if not isinstance(self.kind, ProblemType):
            raise TypeError(f"A problem's kind is a declared ProblemType, not {self.kind!r}")

    @property
    def type(self) -> str:
        return self.kind.code

    @property
    def warning(self) -> bool:
        return self.kind.severity is Severity.WARNING

    def is_error(self, strict: bool = False) -> bool:
        """In strict mode (CI) a warning is a problem like any other."""
        return strict or not self.warning

    def line(self, relative_to: str | None = None, strict: bool = False) -> str:
        path = self.path
        if relative_to is not None and os.path.isabs(path):
            try:
                path = os.path.relpath(path, relative_to)
            except ValueError:  # another drive on Windows
                pass
        parts = [path] + [str(p) for p in (self.row, self.field) if p is not None]
        kind = self.type if self.is_error(strict) else f"warning:{self.type}"
        return f"{':'.join(parts)}: [{kind}] {self.message}"

    def as_row(self) -> list:
        """The flattened form tests assert on: [path, row, field, type]."""
        return [self.path, self.row, self.field, self.type]

    def sort_key(self) -> tuple:
        return (self.warning, self.path, self.row or 0, self.field or "", self.type)


@dataclass(frozen=True)
class Report:
    """Every problem one run found, in a stable order, read strictly or not."""

    problems: tuple[Problem, ...] = ()
    strict: bool = False

    def __post_init__(self):
        object.__setattr__(self, "problems", tuple(sorted(self.problems, key=Problem.sort_key)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error(self.strict)]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error(self.strict)]

    @property
    def ok(self) -> bool:
        return not self.errors

    def lines(self, relative_to: str | None = None) -> list[str]:
        return [p.line(relative_to, self.strict) for p in self.problems]


# --- frictionless's own types ---------------------------------------------------------------------

FRICTIONLESS: dict[str, ProblemType] = {
    cls.type: ProblemType(cls.type, cls.title, cls.description)
    for _, cls in inspect.getmembers(frictionless.errors, inspect.isclass)
    if issubclass(cls, frictionless.errors.Error)}


def frictionless_type(code: str) -> ProblemType:
    """One of frictionless's own problem types, by its code (they are declared by frictionless)."""
    return FRICTIONLESS.get(code) or ProblemType(code, code.replace("-", " ").capitalize(),
                                                 "A problem frictionless reported.")


# --- ours -------------------------------------------------------------------------------------------

DECLARED: dict[str, ProblemType] = {}


def _declare(code: str, title: str, description: str, severity: Severity = Severity.ERROR,
             command: str = "validate") -> ProblemType:
    if code in DECLARED or code in FRICTIONLESS:
        raise ValueError(f"Problem type '{code}' is declared twice")
    DECLARED[code] = ProblemType(code, title, description, severity, command)
    return DECLARED[code]


def _importer(code: str, title: str, description: str, command: str = "import spending") -> ProblemType:
    """A problem an importer reports (an error: nothing is imported)."""
    return _declare(code, title, description, command=command)


def _statistics(code: str, title: str, description: str) -> ProblemType:
    return _importer(code, title, description, "import statistics")


WARNING = Severity.WARNING


INVALID_JSON = _declare("invalid-json", "Invalid JSON",
    "A datapackage.json that is not valid JSON. Fix the syntax at the line and column named.")
UNSAFE_PATH = _declare("unsafe-path", "Unsafe resource path",
    "A resource path that is a URL, absolute, uses ~ or .., or is a symlink leading out of the "
    "package folder. The build only reads files inside the package folder.")
UNSAFE_NAME = _declare("unsafe-name", "Name unfit for a web address",
    "A package or resource name that is not one plain segment of letters, digits, hyphens, "
    "underscores and single dots (it becomes a folder such as /data/<package>/).")
MISSING_FILE = _declare("missing-file", "Missing data file",
    "A resource path naming a file that does not exist.")
DASHBOARD_PROPERTY = _declare("dashboard-property", "Invalid dashboard property",
    "The `dashboard` property of a measure or of a package does not match its JSON Schema (a missing owner, "
    "a misspelt key, a value outside an enumeration).")
UNKNOWN_PURPOSE = _declare("unknown-purpose", "Unknown purpose",
    "A measure, a package of wider data (`dashboard.purposes`) or a service names a purpose id that the "
    "purposes register does not declare.")
UNKNOWN_SERVICE = _declare("unknown-service", "Unknown service",
    "A measure names a service id that the services register does not declare.")
UNKNOWN_LOCALITY = _declare("unknown-locality", "Unknown locality",
    "A measure names a locality id that the localities register does not declare.")
DUPLICATE_MEASURE = _declare("duplicate-measure", "Duplicate measure id",
    "Two resources with a dashboard property share a name; measure ids are unique across packages.")
DUPLICATE_REGISTER_ENTRY = _declare("duplicate-register-entry", "Duplicate register entry",
    "A purpose, service or locality id declared twice.")
REGISTER_SCHEMA = _declare("register-schema", "Register layout",
    "A register lacks a column it needs: purposes and services need id and title, localities id and name, "
    "comparators id and title, comparator_members comparator and area_code, signoffs measure, period, by, "
    "role, date, figure_sha256 and commentary_sha256.")
UNKNOWN_COMPARATOR = _declare("unknown-comparator", "Unknown comparator group",
    "A measure's `dashboard.comparators`, or a row of comparator_members, names a group the comparators "
    "register does not declare.")
BENCHMARK_NOT_IN_TABLE = _declare("benchmark-not-in-table", "Benchmark without figures",
    "A measure names a benchmark area (`dashboard.benchmarks`) that has no rows in its table.")
BOUNDARY_FILE = _declare("boundary-file", "Unusable boundary file",
    "A resource in GeoJSON or TopoJSON format that cannot be drawn as a map: not a FeatureCollection or "
    "Topology, a shape that is not a polygon, no `boundaries.code` saying which property holds the area code, "
    "or no `boundaries.attribution` (the words its licence requires on every map).")
UNMAPPED_LOCALITY = _declare("unmapped-locality", "Locality without a boundary",
    "A locality whose GSS code has no shape in the boundary file: maps show it as a gap, and its table row "
    "still gives its figure.", Severity.WARNING)
INVALID_REPORT = _declare("invalid-report", "Invalid report",
    "A report in content/reports/ without its Type, Title or As-at line, naming a report type that "
    "DASHBOARD_REPORT_TYPES does not declare, or with a date that is not YYYY-MM-DD.")
REPORT_SNAPSHOT = _declare("report-snapshot", "Report snapshot",
    "A report without its snapshot (<slug>.json, written by `dashboard new report`), or with one that is not "
    "a snapshot of this version, is as at another date, or lacks a measure the report shows.")
MISSING_REGISTER = _declare("missing-register", "Missing register",
    "Measures exist but no purposes register (a resource named `purposes`) was found.")
MEASURE_SCHEMA = _declare("measure-schema", "Measure table layout",
    "A measure's Table Schema lacks the `period` and `value` fields, or types them wrongly.")
PERIOD_FORMAT = _declare("period-format", "Period not in the notation",
    "A period that is not in the Dashboard's period notation; the message suggests the right form.")
PERIOD_FREQUENCY = _declare("period-frequency", "Period does not match frequency",
    "A period whose kind does not match the measure's frequency (a quarter in a monthly measure), a rolling "
    "period shorter than one step of it, or one that does not end a whole number of steps after the one before.")
DUPLICATE_PERIOD = _declare("duplicate-period", "Duplicate period",
    "The same period appears twice in one series of a measure (the same area and breakdown parts).")
UNKNOWN_COLUMN = _declare("unknown-column", "Unknown column in a measure",
    "A measure table's column that is not period, value, status, target or note, nor area_code "
    "(with `dashboard.area`) or a breakdown the measure declares in `dashboard.breakdowns`.")
NO_HEADLINE = _declare("no-headline", "No headline series",
    "A measure table with rows for other areas or breakdown parts but none for the measure's own area "
    "with every breakdown blank (the total), which its chart and summary show.")
MISSING_REASON = _declare("missing-reason", "Missing value without a reason",
    "A blank value: write [x] (not available), [c] (confidential) or [z] (not applicable).")
ANNOTATION_PERIOD = _declare("annotation-period", "Annotation period",
    "An annotation whose period is not in the notation or not among the measure's periods.")
INVALID_COMMENTARY = _declare("invalid-commentary", "Invalid commentary",
    "A commentary file without the Measure, Author or Date metadata, or naming an unknown measure.")
EMPTY_MEASURE = _declare("empty-measure", "Measure without data",
    "A measure whose table has no rows with a value.")
MISSING_COMMENTARY = _declare("missing-commentary", "Missing commentary",
    "a strategic measure has no commentary from its owner.", WARNING)
UNEXPLAINED_REVISION = _declare("unexplained-revision", "Revision without a reason",
    "a figure already published (committed to git) has changed, and the row's `note` gives no reason. "
    "Write the reason in the note and set `status` to `revised` (Code of Practice for Statistics, "
    "Q3.4).", WARNING)
SHALLOW_HISTORY = _declare("shallow-history", "Shallow git history",
    "the data is in a shallow git clone, so revisions older than its first commit cannot be detected. "
    "Fetch the whole history (in GitHub Actions, `fetch-depth: 0`).", WARNING)
PUBLISHED_PATH_CLASH = _declare("published-path-clash", "Two files at one address",
    "A resource would be published at the same path as another (tables are published as .csv, so "
    "a.csv and a.tsv clash), or as one of the files its package's folder holds itself "
    "(datapackage.json, <package>.json, <package>.xlsx, index.html, index.json). Rename the file.")
TEXT_TOO_LONG = _declare("text-too-long", "Text too long for a spreadsheet",
    "A cell or a description longer than 32,767 characters, the most an Excel cell holds (every table "
    "is also published as Excel). Shorten it, or move long text to a linked document.")
OVERDUE = _declare("overdue", "Overdue figure",
    "the next figure of a measure is past its due date: the end of the next period plus the measure's "
    "`dashboard.release.lag_days` (or DASHBOARD_PUBLICATION_LAG_DAYS), or the producer's announced "
    "`dashboard.release.next`. Publish it, correct the release timing, or record a known delay in "
    "`dashboard.release.delay` with its reason and expected date.", WARNING)
FILE_TOO_LARGE = _declare("file-too-large", "File too large",
    "A data file larger than DASHBOARD_MAX_FILE_MB, refused before it is read. Split it (one file per "
    "year, say) or raise the setting.")
ENCODING_NOT_DECLARED = _declare("encoding-not-declared", "Not UTF-8, no encoding declared",
    "A CSV that is not UTF-8 and whose resource declares no encoding: its text would be guessed. Save "
    "it as UTF-8, or declare the encoding.")
LABEL_WHITESPACE = _declare("label-whitespace", "Spaces around a heading",
    "A heading with spaces before or after it; frictionless would match it anyway and hide the slip.")
ACCOUNTING_NEGATIVE = _declare("accounting-negative", "Accounting negative",
    "A number written in brackets, such as (1,234): frictionless reads it as positive when bareNumber "
    "is false. Write -1234.")
AMBIGUOUS_DATE = _declare("ambiguous-date", "Ambiguous date",
    "A date such as 01/02/2024 in a field with format \"any\", which frictionless would read month "
    "first. Write YYYY-MM-DD or give the field an explicit format.")
PERSONAL_FIELD = _declare("personal-field", "Personal field shown",
    "A field marked `\"personal\": true` (never published) is one the site would show: a measure's "
    "period, value, target, status or note, a register's id or title, or a primary key.")
FINANCE_SCHEMA = _declare("finance-schema", "Finance table layout",
    "A resource marked `finance` (spending, card or budget) lacks a column the finance pages need, or "
    "has the wrong type for it (docs/finance.md).")
UNWRITTEN_PAGE = _declare("unwritten-page", "Page still as dashboard init wrote it",
    "A page in content/pages still carries the `Scaffold:` line `dashboard init` put there, or a report's "
    "narrative the one `dashboard new report` put there: write the council's own words, then delete the line.",
    WARNING)
NOT_UTF8_PAGE = _declare("not-utf8-page", "Page not in UTF-8",
    "A page of content/ (a page, the home page's introduction) that is not UTF-8 text. Save it as UTF-8.")
# `dashboard import spending`
UNKNOWN_ENCODING = _importer("unknown-encoding", "Unreadable characters",
    "An export that is neither UTF-8 nor Windows-1252. Save it as UTF-8 CSV.")
HEADER_NOT_FOUND = _importer("header-not-found", "No heading row",
    "No row in the first 20 lines has headings for both a date and an amount (docs/finance.md lists "
    "the headings the importer knows; DASHBOARD_SPENDING_ALIASES adds more).")
DUPLICATE_HEADING = _importer("duplicate-heading", "Two columns for one field",
    "Two headings map to the same column (say 'Amount' and 'Net Amount'): rename one.")
MISSING_COLUMN = _importer("missing-column", "Missing column",
    "The export has no column for the payment date, the amount or the supplier.")
AMBIGUOUS_DATES = _importer("ambiguous-dates", "Dates in two orders",
    "Some dates are day first and others month first; the file cannot be read either way.")
DATE_FORMAT = _importer("date-format", "Unreadable date",
    "A date that is not a real date in a known form (2024-03-31, 31/03/2024, 31-Mar-2024), or that "
    "could be day/month or month/day when nothing in the file says which (use --dates).")
AMOUNT_FORMAT = _importer("amount-format", "Unreadable amount",
    "An amount that is not clearly a sum in pounds: a comma that does not separate thousands, "
    "letters, or a credit marked twice.")
MISSING_DATE = _importer("missing-date", "Payment without a date",
    "A row with an amount but no date (that is not a total line).")
MISSING_AMOUNT = _importer("missing-amount", "Payment without an amount",
    "A row with a date but no amount.")
TOTAL_MISMATCH = _importer("total-mismatch", "Total does not add up",
    "A total line in the export that differs from the sum of its payments: a payment is missing or "
    "was read wrongly.")
CSV_FORMAT = _importer("csv-format", "Broken CSV",
    "A quote that is never closed, or text after a closing quote: the rows after it cannot be told "
    "apart. Nothing is imported, so no payment is lost silently.")
SAME_QUARTER = _importer("same-quarter", "A quarter imported twice",
    "Two files in one import hold the same quarter, or the quarter was imported before: join the "
    "files, or add --replace to replace the earlier import.")
NO_PAYMENTS = _importer("no-payments", "No payments",
    "An export with a heading row and no payments.")
# `dashboard import statistics`
NO_VALUE_COLUMN = _statistics("no-value-column", "No value column",
    "A file with no column of values (value, Value, obs_value, ...: docs/statistics.md lists the headings; "
    "DASHBOARD_STATISTICS_ALIASES adds more).")
IMPORT_CLASH = _statistics("import-clash", "The table does not fit",
    "The --id names a table of the package that is not a measure, or a measure keyed by other columns (an "
    "area or breakdown the file lacks, or one it adds): importing over it would lose rows. Choose another "
    "--id.")
AREA_NOT_IN_FILE = _statistics("area-not-in-file", "The area is not in the file",
    "The measure's own area (--area-code, else DASHBOARD_AREA_CODE) has no rows in a file that covers "
    "several areas: give the code the file uses for it.")
SEVERAL_MEASURES = _statistics("several-measures", "Several measures in one file",
    "The file holds more than one indicator or measure type: pick one with --indicator and --measure-type "
    "(one import makes one measure).")
MIXED_NOTATIONS = _statistics("mixed-notations", "Two period notations in one measure",
    "The rows of one measure write their periods in two notations (2022/23 and 2023, say): they would not "
    "line up on one chart. Import each notation as its own measure, or correct the file.")
YEARS_NEEDED = _statistics("years-needed", "Financial or academic years?",
    "Periods such as 2022/23 are financial years (April to March) or academic years (September to August): "
    "say which with --years financial or --years academic.")
PERIOD_UNREADABLE = _statistics("period-unreadable", "Unreadable period",
    "A period in no notation the importer knows (docs/statistics.md lists them).")
NO_TOTAL_ROWS = _statistics("no-total-rows", "No total rows",
    "The measure's own area has no row with every breakdown column blank (the total): say which rows are "
    "the headline series with --headline COLUMN=VALUE.")
DUPLICATE_FIGURE = _statistics("duplicate-figure", "Two figures for one row",
    "Two rows for the same period, area and breakdown parts, so the figure is ambiguous.")
NOT_A_NUMBER = _statistics("not-a-number", "Not a number",
    "A value that is neither a number nor a producer's missing-value marker (docs/statistics.md lists "
    "them).")
MISSING_DETAIL = _statistics("missing-detail", "Needs a flag",
    "Something the measure needs (its title, unit, frequency or source) is not in the file or its "
    "metadata exactly: give it with the flag the message names.")
# `dashboard add` and `dashboard import xlsx`: figures typed in by officers
UNKNOWN_MEASURE = _importer("unknown-measure", "Unknown measure",
    "The measure id names no measure of the data: `dashboard status` lists them (ids are lower-case words "
    "joined by hyphens, as in the measure's web address).", "add")
UNKNOWN_SERIES = _importer("unknown-series", "No such series",
    "The area code or breakdown given names no series of the measure: a breakdown column it does not have, "
    "or a series with no rows yet (add its first row to the CSV by hand, then `add` works for it).", "add")
NOT_NEXT_PERIOD = _importer("not-next-period", "Not the next period",
    "A figure for a period other than the next one the measure's frequency gives for that series: the "
    "message names the period expected. A figure already published is changed only with --revise and a "
    "reason.", "add")
INVALID_FIGURE = _importer("invalid-figure", "Not a figure the table takes",
    "A value that is not a number of the table's type (a whole number, or a number written without "
    "thousands separators or units), nor one of its missing-value symbols such as [x]; or a status or note "
    "the table has no column for.", "add")
REVISION_REASON = _importer("revision-reason", "A revision needs its reason",
    "--revise changes a figure already published: it needs --reason (the row's note, which the revision's "
    "record shows), a table with a note column, and a value that differs from the one published.", "add")
# Sign-off (the `signoffs` register, written by `dashboard signoff`)
SIGNOFF_UNKNOWN = _declare("signoff-unknown", "Sign-off of nothing",
    "A row of the signoffs register names a measure the data does not have, or a period with no figure in "
    "its headline series: correct the row, or remove it.")
SIGNOFF_LAPSED = _declare("signoff-lapsed", "Changed since it was signed off",
    "The figure or the commentary for a period changed after a manager signed it off, so the sign-off no "
    "longer holds and the page no longer says it was checked: ask them to check it again (`dashboard "
    "signoff`).", WARNING)
NOT_SIGNED_OFF = _declare("not-signed-off", "Not signed off",
    "DASHBOARD_REQUIRE_SIGNOFF is on and the latest period of a strategic measure has no sign-off that holds: "
    "its manager confirms the figure and commentary with `dashboard signoff`.", WARNING)
# Data quality (DASHBOARD_QUALITY_TESTS and dashboard.assessment)
UNKNOWN_QUALITY_TEST = _declare("unknown-quality-test", "Unknown quality test",
    "A measure's dashboard.assessment rates it against a test DASHBOARD_QUALITY_TESTS does not declare: "
    "correct the test's id, or declare the test in the settings.")
