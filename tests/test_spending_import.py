"""`dashboard import spending`: real Oxford City Council exports and every messy-value rule."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import Package

from conftest import FIXTURES, run_dashboard, snapshot
from generator.importers.money import ValueProblem, date_order, parse_amount, parse_date
from generator.settings import Settings
from generator.importers.spending import ImportFailed, aliases, read_export

OXFORD = FIXTURES / "oxford-spending"
TABLE = aliases()


def _source_totals(path: Path) -> tuple[int, Decimal]:
    """Rows with an amount, and their sum, read independently of the importer."""
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    at = [h.strip().lower() for h in rows[0]].index("amount")
    amounts = [r[at].strip() for r in rows[1:] if len(r) > at and r[at].strip()]
    return len(amounts), sum((Decimal(a) for a in amounts), Decimal(0))


def _imported_totals(folder: Path) -> dict[str, tuple[int, Decimal]]:
    out = {}
    package = Package(str(folder / "datapackage.json"))
    for resource in package.resources:
        source = resource.description.removeprefix("Imported from ").rstrip(".")
        with open(folder / resource.path, encoding="utf-8", newline="") as fh:
            amounts = [Decimal(r["amount"]) for r in csv.DictReader(fh)]
        out[source] = (len(amounts), sum(amounts, Decimal(0)))
    return out


# --- the real files ---------------------------------------------------------------------------

def test_every_oxford_file_imports_with_the_same_rows_and_totals(tmp_path):
    files = sorted(OXFORD.glob("*.csv"))
    assert len(files) == 6
    before = {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files}
    result = run_dashboard("import", "spending", *map(str, files), "--into", str(tmp_path / "spending"), cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    imported = _imported_totals(tmp_path / "spending")
    for f in files:
        assert imported[f.name] == _source_totals(f), f.name
    assert Package(str(tmp_path / "spending/datapackage.json")).validate().valid
    assert {f: hashlib.sha256(f.read_bytes()).hexdigest() for f in files} == before   # sources untouched
    report = result.stderr
    assert "'Organisatonal Unit' -> service" in report and "'Expenditure Catergory' -> expenditure_category" in report
    assert "'Supplier Name ' -> supplier_name" in report
    assert "skipped line 3861: no date and no amount: ,,xxx,,,,,,," in report
    assert "9 payment(s) have no supplier name" in report


def test_oxford_redacted_payments_stay_redacted_and_lose_their_ids(tmp_path):
    imported = read_export(OXFORD / "expenditure-over-500-apr-jun-2015.csv", TABLE,
                           personal=Settings().personal_data_rules)
    redacted = [r for r in imported.rows if r["individual"] == "true"]
    assert len(redacted) == imported.redacted == 92
    assert {(r["supplier_name"], r["supplier_id"]) for r in redacted} == {("Redacted personal data", "")}


# --- messy values, one rule at a time -----------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("1234.50", "1234.50"), ("£1,234.50", "1234.50"), ("1,234,567.89", "1234567.89"), ("(1,234.50)", "-1234.50"),
    ("£(12.00)", "-12.00"), ("-£12.00", "-12.00"), ("£-12.00", "-12.00"), ("1,234.50 CR", "-1234.50"),
    ("1234.50-", "-1234.50"), (" 500 ", "500"), (".5", "0.5"), ("0.01", "0.01"),
])
def test_amounts_are_read_exactly(text, value):
    assert parse_amount(text) == Decimal(value)
    assert str(parse_amount(text)) == value          # exact: no float on the way


@pytest.mark.parametrize("text", ["1,23", "12,3456", "1 234", "abc", "", "£", "1.2.3", "--5"])
def test_amounts_that_are_not_clear_are_refused(text):
    with pytest.raises(ValueProblem):
        parse_amount(text)


def test_date_order_is_proved_by_the_dates_or_refused_when_they_disagree():
    assert date_order(["17/04/2015", "01/02/2015"]) == ("dmy", None)
    assert date_order(["04/07/2015", "02/13/2015"]) == ("mdy", None)
    assert date_order(["01/02/2015", "03/04/2015"]) == (None, None)
    order, conflict = date_order(["13/01/2015", "01/13/2015"])
    assert order is None and "'13/01/2015' is day first but '01/13/2015' is month first" in conflict


def test_dates_in_every_accepted_form():
    assert parse_date("2024-03-31", None) == date(2024, 3, 31)
    assert parse_date("31-Mar-2024", None) == date(2024, 3, 31)
    assert parse_date("01/02/2024", "dmy") == date(2024, 2, 1)
    assert parse_date("01/02/2024", "mdy") == date(2024, 1, 2)
    with pytest.raises(ValueProblem, match="could be day/month or month/day"):
        parse_date("01/02/2024", None)
    with pytest.raises(ValueProblem, match="not a real date"):
        parse_date("31/02/2024", "dmy")
    with pytest.raises(ValueProblem, match="not a date"):
        parse_date("Feb 2024", "dmy")


def _write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "export.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


HEADER = "Paid Date,Supplier Name,Amount,Expenditure Category\r\n"


def test_windows_1252_bytes_are_read_and_reported(tmp_path):
    path = _write(tmp_path, HEADER + "14/04/2024,Café Rouge,£1,250.00,Catering\r\n", "cp1252")
    # "£1,250.00" unquoted would be two cells: a real export quotes it
    path.write_bytes((HEADER + '14/04/2024,Café Rouge,"£1,250.00",Catering\r\n').encode("cp1252"))
    imported = read_export(path, TABLE)
    assert imported.encoding == "Windows-1252"
    assert imported.rows[0]["supplier_name"] == "Café Rouge" and imported.rows[0]["amount"] == "1250.00"


def test_preamble_lines_and_a_matching_footer_total_are_skipped_and_reported(tmp_path):
    path = _write(tmp_path, "Redditch Borough Council\r\nPayments over £500, April 2024\r\n\r\n" + HEADER
                  + '14/04/2024,Acme Ltd,"(1,000.00)",Refund\r\n15/04/2024,Bolt Ltd,"2,500.50",Tools\r\n'
                  + ',Total,"1,500.50",\r\n')
    imported = read_export(path, TABLE)
    assert imported.header_line == 4
    assert [r["amount"] for r in imported.rows] == ["-1000.00", "2500.50"]
    assert imported.footer_totals == [(7, Decimal("1500.50"))]
    assert imported.total == Decimal("1500.50")


def test_a_footer_total_that_does_not_match_fails_the_import(tmp_path):
    path = _write(tmp_path, HEADER + "14/04/2024,Acme Ltd,100,X\r\n,Total,250,\r\n")
    with pytest.raises(ImportFailed) as failed:
        read_export(path, TABLE)
    assert [p.as_row()[1:] for p in failed.value.problems] == [[3, "Amount", "total-mismatch"]]


def test_unknown_columns_are_kept_and_reported(tmp_path):
    path = _write(tmp_path, "Paid Date,Supplier Name,Amount,Cost Centre,Notes \r\n14/04/2024,Acme,600,C12,ok\r\n")
    imported = read_export(path, TABLE)
    assert imported.extra == [("Cost Centre", "cost_centre"), ("Notes ", "notes")]
    assert imported.rows[0]["cost_centre"] == "C12" and imported.rows[0]["notes"] == "ok"


def test_rows_under_500_are_kept(tmp_path):
    imported = read_export(_write(tmp_path, HEADER + "14/04/2024,Acme,12.34,X\r\n"), TABLE)
    assert imported.rows[0]["amount"] == "12.34"


def test_dates_no_row_can_place_are_refused_unless_the_order_is_given(tmp_path):
    path = _write(tmp_path, HEADER + "01/02/2024,Acme,600,X\r\n")
    with pytest.raises(ImportFailed) as failed:
        read_export(path, TABLE)
    assert [p.as_row()[1:] for p in failed.value.problems] == [[None, "Paid Date", "ambiguous-dates"]]
    assert read_export(path, TABLE, order="dmy").rows[0]["transaction_date"] == "2024-02-01"
    assert read_export(path, TABLE, order="mdy").rows[0]["transaction_date"] == "2024-01-02"


@pytest.mark.parametrize("row, problem", [
    ("14/04/2024,Acme,12;50,X", [5, "Amount", "amount-format"]),
    ("31/02/2024,Acme,600,X", [5, "Paid Date", "date-format"]),
    ("14/04/2024,Acme,,X", [5, "Amount", "missing-amount"]),
    (",Acme,600,X", [5, "Paid Date", "missing-date"]),
    ("14/04/2024,Acme,600,X,surprise", [5, None, "extra-cell"]),
])
def test_a_row_that_cannot_be_read_fails_with_its_line_and_column(tmp_path, row, problem):
    path = _write(tmp_path, HEADER + "14/04/2024,Acme,600,X\r\n,,,xxx\r\n\r\n" + row + "\r\n")
    with pytest.raises(ImportFailed) as failed:
        read_export(path, TABLE)
    assert [p.as_row()[1:] for p in failed.value.problems] == [problem]


def test_payments_to_individuals_are_redacted_by_rule_or_flag(tmp_path):
    rules = {"expenditure_category": ["grants? to individuals"]}
    path = _write(tmp_path, HEADER + "14/04/2024,Jane Smith,600,Grants to individuals\r\n"
                  "14/04/2024,Private individual,700,Refund\r\n14/04/2024,Acme Ltd,800,Tools\r\n")
    imported = read_export(path, TABLE, personal={**Settings().personal_data_rules, **rules})
    assert [(r["supplier_name"], r["individual"]) for r in imported.rows] == [
        ("Redacted personal data", "true"), ("Redacted personal data", "true"), ("Acme Ltd", "false")]


# --- the command ---------------------------------------------------------------------------------

def test_a_file_it_cannot_understand_changes_nothing_and_exits_1(tmp_path):
    good = _write(tmp_path, HEADER + "14/04/2024,Acme,600,X\r\n", name="good.csv")
    assert run_dashboard("import", "spending", str(good), "--into", "data/spending", cwd=tmp_path).returncode == 0
    before = snapshot(tmp_path / "data")
    bad = _write(tmp_path, "Name,Colour\r\nAcme,red\r\n", name="bad.csv")
    result = run_dashboard("import", "spending", str(good), str(bad), "--into", "data/spending", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.startswith("bad.csv: [header-not-found] No heading row with a date and an amount column")
    assert "Traceback" not in result.stdout + result.stderr
    assert snapshot(tmp_path / "data") == before


def test_reimporting_a_quarter_needs_replace_and_then_replaces_its_resource(tmp_path):
    first = _write(tmp_path, HEADER + "14/04/2024,Acme,600,X\r\n", name="q1.csv")
    assert run_dashboard("import", "spending", str(first), "--into", "spending", cwd=tmp_path).returncode == 0
    first.write_bytes((HEADER + "14/04/2024,Acme,600,X\r\n15/04/2024,Bolt,700,Y\r\n").encode())
    refused = run_dashboard("import", "spending", str(first), "--into", "spending", cwd=tmp_path)
    assert refused.returncode == 1 and "[same-quarter]" in refused.stdout and "--replace" in refused.stdout
    again = run_dashboard("import", "spending", str(first), "--into", "spending", "--replace", cwd=tmp_path)
    assert again.returncode == 0 and "-> resource 'spending-2024-25-q1' (replaced)" in again.stderr
    package = Package(str(tmp_path / "spending/datapackage.json"))
    assert [r.name for r in package.resources] == ["spending-2024-25-q1"]
    assert len(package.resources[0].read_rows()) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []     # no work folder left


def test_two_files_of_one_quarter_are_refused_rather_than_one_lost(tmp_path):
    april = _write(tmp_path, HEADER + "14/04/2024,Acme,600,X\r\n", name="april.csv")
    may = _write(tmp_path, HEADER + "14/05/2024,Bolt,700,X\r\n", name="may.csv")
    result = run_dashboard("import", "spending", str(april), str(may), "--into", "spending", cwd=tmp_path)
    assert result.returncode == 1 and "Both april.csv and may.csv hold payments for 'spending-2024-25-q1'" in result.stdout
    assert not (tmp_path / "spending").exists()


def test_aliases_extend_from_settings(tmp_path):
    (tmp_path / "pelicanconf.py").write_text('DASHBOARD_SPENDING_ALIASES = {"amount": ["Betrag"]}\n')
    path = _write(tmp_path, "Paid Date,Supplier Name,Betrag\r\n14/04/2024,Acme,600\r\n")
    result = run_dashboard("import", "spending", str(path), "--into", "spending", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "'Betrag' -> amount" in result.stderr


# --- files that would be mis-read by a less careful importer (from review) --------------------------

@pytest.mark.parametrize("text, problem", [
    (HEADER + '14/04/2024,Acme,500,"Refund\r\n15/04/2024,Bolt,600,X\r\n16/04/2024,Cole,700,X\r\n',
     [2, None, "csv-format"]),                                     # a quote never closed
    (HEADER + "14/04/2024,Acme,1.234,X\r\n", [2, "Amount", "amount-format"]),      # European thousands
    (HEADER + "14/04/2024,Acme,500.129,X\r\n", [2, "Amount", "amount-format"]),    # a fraction of a penny
    ("Paid Date,Amount,Supplier Name,Notes\r\n14/04/2024,£1,250.00,Acme\r\n",
     [2, "Amount", "amount-format"]),                                # an unquoted thousands comma
    (HEADER + "31/03/0024,Acme,600,X\r\n14/04/2024,Bolt,1,X\r\n", [2, "Paid Date", "date-format"]),
])
def test_what_would_be_misread_is_refused(tmp_path, text, problem):
    with pytest.raises(ImportFailed) as failed:
        read_export(_write(tmp_path, text), TABLE)
    assert [p.as_row()[1:] for p in failed.value.problems] == [problem]


def test_encodings_a_byte_order_mark_with_windows_1252_utf16_and_mixtures(tmp_path):
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (HEADER + "14/04/2024,Caf\xe9 Ltd,600,X\r\n").encode("latin-1"))
    imported = read_export(bom, TABLE)
    assert imported.rows[0]["supplier_name"] == "Café Ltd" and imported.encoding == "Windows-1252"
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes((HEADER + "14/04/2024,Café Ltd,600,X\r\n").encode("utf-16"))
    assert read_export(utf16, TABLE).rows[0]["supplier_name"] == "Café Ltd"
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes((HEADER + "14/04/2024,Café Ltd,600,X\r\n").encode("utf-8") + "15/04/2024,Déjà,700,X\r\n".encode("cp1252"))
    with pytest.raises(ImportFailed) as failed:
        read_export(mixed, TABLE)
    assert failed.value.problems[0].type == "unknown-encoding"


def test_a_column_without_a_heading_is_kept_and_reported(tmp_path):
    imported = read_export(_write(tmp_path, "Paid Date,Supplier Name,Amount,\r\n14/04/2024,Acme,600,12 High St\r\n"),
                           TABLE)
    assert imported.extra == [("", "column_4")] and imported.rows[0]["column_4"] == "12 High St"


def test_an_extra_heading_never_takes_a_standard_columns_name(tmp_path):
    imported = read_export(_write(tmp_path, "Paid Date,Supplier Name,Amount,Purpose?\r\n14/04/2024,Acme,600,Tools\r\n"),
                           TABLE)
    assert imported.extra == [("Purpose?", "purpose_2")]


def test_a_total_line_may_put_total_in_the_date_column(tmp_path):
    imported = read_export(_write(tmp_path, HEADER + "14/04/2024,Acme,600,X\r\n15/04/2024,Bolt,600,Y\r\nTotal,,1200,\r\n"),
                           TABLE)
    assert imported.footer_totals == [(4, Decimal("1200"))]


def test_a_payment_without_a_date_to_a_supplier_named_total_is_not_a_total_line(tmp_path):
    with pytest.raises(ImportFailed) as failed:
        read_export(_write(tmp_path, HEADER + "14/04/2024,Acme,600,X\r\n,Total Gas & Power,700,Energy\r\n"), TABLE)
    assert [p.type for p in failed.value.problems] == ["missing-date"]


def test_the_heading_row_is_the_one_with_most_known_headings(tmp_path):
    imported = read_export(_write(tmp_path, "Date,Amount\r\n2024-04-01,0\r\n" + HEADER + "14/04/2024,Acme,600,X\r\n"),
                           TABLE)
    assert imported.header_line == 3


def test_an_individuals_purpose_and_extra_text_are_blanked_too(tmp_path):
    path = _write(tmp_path, "Paid Date,Supplier Name,Amount,Purpose,Address\r\n"
                            "14/04/2024,Personal Data Redacted,600,Grant to Jo Bloggs,1 High St\r\n")
    row = read_export(path, TABLE, personal=Settings().personal_data_rules).rows[0]
    assert (row["supplier_name"], row["purpose"], row["address"], row["amount"]) == (
        "Redacted personal data", "", "", "600")


def test_an_alias_to_a_column_that_does_not_exist_is_a_settings_error(tmp_path):
    (tmp_path / "pelicanconf.py").write_text('DASHBOARD_SPENDING_ALIASES = {"cost_centre": ["Cost Centre"]}\n')
    path = _write(tmp_path, HEADER + "14/04/2024,Acme,600,X\r\n")
    result = run_dashboard("import", "spending", str(path), "--into", "spending", cwd=tmp_path)
    assert result.returncode == 2 and "'cost_centre', which is not a spending column" in result.stderr
