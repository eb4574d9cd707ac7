"""Formula injection: no CSV or XLSX file hrtc hands out starts a text cell with = + - @ TAB or CR, so no
spreadsheet program runs a recommendation's text as a formula. Text gets a leading ', numbers stay numbers,
dates stay dates, and a control character XLSX cannot hold is dropped instead of breaking the export.
First the writer (hrtc.core.exports), then the real exports: the registry API, the report annex (CLI), the
transparency portal's downloads and a fund's statement."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from hrtc.accounts.policy import SYSTEM
from hrtc.core.exports import (
    FORMULA_STARTS,
    XlsxWriter,
    csv_rows,
    safe_cell,
    safe_text,
    write_csv,
    write_xlsx,
)
from hrtc.funds import services as funds
from hrtc.reference.models import State
from tests.base import make_recommendation

#: One text for every character a spreadsheet may take for the start of a formula.
DANGEROUS = ['=HYPERLINK("http://x","y")', "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def xlsx(header, rows, **layout):
    """Write one sheet and read it back (openpyxl, not read-only, so data types and styles are there)."""
    out = io.BytesIO()
    write_xlsx(out, "data", header, rows, **layout)
    return load_workbook(io.BytesIO(out.getvalue())).active


def csv_records(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_safe_workbook(content: bytes) -> list[str]:
    """Every text cell of every sheet is of type s and starts harmlessly; returns the texts."""
    texts = []
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    assert cell.data_type == "s", (sheet.title, cell.coordinate, cell.value)
                    assert not cell.value.startswith(FORMULA_STARTS), (sheet.title, cell.coordinate)
                    texts.append(cell.value)
                else:
                    assert cell.data_type != "f", (sheet.title, cell.coordinate)
    return texts


def is_number(field: str) -> bool:
    try:
        Decimal(field)
    except ArithmeticError:
        return False
    return True


def assert_safe_csv(text: str) -> list[list[str]]:
    """No field starts like a formula, except a negative number (written from a number, not from text)."""
    records = csv_records(text)
    for record in records:
        for field in record:
            assert not field.startswith(FORMULA_STARTS) or is_number(field), field
    return records


# The rule ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_starting_like_a_formula_gets_a_quote(text):
    assert safe_text(text) == "'" + text
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["", "plain", " =x", "'=x", "x=1", "#REF!", "1-2", "12.50"])
def test_other_text_is_left_as_it_is(text):
    assert safe_cell(text) == text


def test_only_text_is_neutralised_numbers_dates_booleans_and_none_are_not():
    for value in (-12, Decimal("-12.50"), -1.5, 0, True, date(2025, 1, 31), datetime(2025, 1, 31, 9), None):
        assert safe_cell(value) is value
    assert safe_cell("-12") == "'-12"  # the text "-12" came from a person, the int -12 from a sum
    assert safe_cell(gettext_lazy("=label")) == "'=label"  # a lazy translation is text too


# CSV --------------------------------------------------------------------------------------------------------


def test_csv_neutralises_text_and_writes_numbers_and_dates_as_they_print():
    rows = [[text, -12, Decimal("-12.50"), date(2025, 1, 31), None] for text in DANGEROUS]
    rows.append(["-12", 1.5, True, datetime(2025, 1, 31, 9, 30, tzinfo=UTC), "a\x00b"])
    records = assert_safe_csv("".join(csv_rows(["text", "int", "decimal", "date", "none"], rows)))
    assert records[0] == ["text", "int", "decimal", "date", "none"]
    assert [r[0] for r in records[1:-1]] == ["'" + text for text in DANGEROUS]
    assert records[1][1:] == ["-12", "-12.50", "2025-01-31", ""]
    assert records[-1] == ["'-12", "1.5", "True", "2025-01-31T09:30:00+00:00", "a\x00b"]  # CSV keeps controls


def test_csv_streams_in_chunks_and_write_csv_writes_the_same_text(tmp_path):
    rows = [[n, "=x" * 50] for n in range(5000)]
    chunks = list(csv_rows(["n", "text"], iter(rows)))
    assert len(chunks) > 1
    assert all(len(chunk) < (1 << 16) + 200 for chunk in chunks)
    path = tmp_path / "out.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        write_csv(handle, ["n", "text"], rows)
    assert path.read_bytes().decode("utf-8") == "".join(chunks)
    assert "".join(csv_rows(None, [["a"]], lineterminator="\n")) == "a\n"


# XLSX -------------------------------------------------------------------------------------------------------


def test_xlsx_text_is_type_s_and_neutralised_numbers_type_n_dates_are_dates():
    rows = [[text, -12, Decimal("-12.50"), -1.5, date(2025, 1, 31)] for text in DANGEROUS]
    sheet = xlsx(["text", "int", "decimal", "float", "date"], rows)
    for (text, whole, exact, floating, day), want in zip(sheet.iter_rows(min_row=2), DANGEROUS, strict=True):
        assert (text.value, text.data_type) == ("'" + want, "s")
        assert (whole.value, whole.data_type) == (-12, "n")
        assert (exact.value, exact.data_type) == (-12.5, "n")
        assert (floating.value, floating.data_type) == (-1.5, "n")
        assert day.is_date
        assert day.value == datetime(2025, 1, 31)
    assert [c.data_type for c in sheet[1]] == ["s"] * 5


def test_xlsx_keeps_the_text_minus_12_as_text_and_the_int_as_a_number():
    sheet = xlsx(None, [["-12", -12, True, None, "#REF!"]])
    assert [(c.value, c.data_type) for c in sheet[1]] == [
        ("'-12", "s"),
        (-12, "n"),
        (True, "b"),
        (None, "n"),  # an empty cell
        ("#REF!", "s"),  # text, not an error
    ]


def test_xlsx_drops_the_control_characters_it_cannot_store_before_neutralising():
    sheet = xlsx(None, [["a\x00b\x08c\x0bd\x0ce\x0ef\x1fg", "\x00=cmd", "tab\tand\nnewline", "\x01"]])
    assert [c.value for c in sheet[1]] == ["abcdefg", "'=cmd", "tab\tand\nnewline", None]


def test_xlsx_writes_an_aware_datetime_in_utc():
    from zoneinfo import ZoneInfo

    sheet = xlsx(None, [[datetime(2025, 1, 31, 12, 0, tzinfo=ZoneInfo("Africa/Nairobi"))]])
    assert sheet["A1"].value == datetime(2025, 1, 31, 9, 0)


def test_xlsx_sheets_come_in_order_with_their_layout():
    book = XlsxWriter()
    first = book.sheet("first", ["a", "b"], bold_header=True, widths=[12, None, 30], freeze="A2")
    first.append(["=1", 2])
    second = book.sheet("second", right_to_left=True)
    second.append([1.5], number_formats=["0.00"])
    second.append([])
    second.append(["+x"])
    workbook = load_workbook(io.BytesIO(book.getvalue()))
    assert workbook.sheetnames == ["first", "second"]
    one, two = workbook.worksheets
    assert one["A1"].font.b
    assert one.freeze_panes == "A2"
    assert one.column_dimensions["A"].width == 12
    assert one.column_dimensions["C"].width == 30
    assert (one["A2"].value, one["A2"].data_type) == ("'=1", "s")
    assert two.sheet_view.rightToLeft
    assert two["A1"].number_format == "0.00"
    assert two["A2"].value is None
    assert two["A3"].value == "'+x"


# The real exports -------------------------------------------------------------------------------------------


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.fixture
def client():
    return Client()


def test_the_registry_export_neutralises_recommendation_texts_in_csv_and_xlsx(people, client):
    for n, text in enumerate([*DANGEROUS, "Ratify\x0b the Convention"], start=1):
        make_recommendation("KEN", text, paragraph=f"1.{n}", recommending_body="@body")
    url = reverse("api-recommendation-export")

    as_csv = client.get(url, {"state": "KEN", "as": "csv"})
    assert as_csv.status_code == 200
    assert as_csv.streaming
    assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(body(as_csv).decode(), newline="")))
    assert_safe_csv(body(as_csv).decode())
    assert {r["text"] for r in rows} == {"'" + t for t in DANGEROUS} | {"Ratify\x0b the Convention"}
    assert {r["recommending_body"] for r in rows} == {"'@body"}

    as_xlsx = client.get(url, {"state": "KEN", "as": "xlsx"})
    assert as_xlsx.status_code == 200
    assert_safe_workbook(as_xlsx.content)  # the vertical tab no longer breaks the export
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    header = [c.value for c in sheet[1]]
    texts = {row[header.index("text")].value for row in sheet.iter_rows(min_row=2)}
    assert texts == {"'" + t for t in DANGEROUS} | {"Ratify the Convention"}
    assert {row[header.index("id")].data_type for row in sheet.iter_rows(min_row=2)} == {"n"}


def test_the_report_annex_neutralises_titles_and_table_cells(people, tmp_path):
    from django.core.management import call_command

    from tests.reports.world import END, START, make_world

    world = make_world(people)
    training = world.activities[0]  # its recommendation's status changed while it ran: it is in a table
    training.title = DANGEROUS[0]
    training.save(update_fields=["title"])
    path = tmp_path / "annex.xlsx"
    call_command(
        "report", "thematic", "--from", START.isoformat(), "--to", END.isoformat(), "--format", "xlsx",
        "-o", str(path), "--title", "@SUM(A1)", stdout=io.StringIO(), stderr=io.StringIO(),
    )  # fmt: skip
    texts = assert_safe_workbook(path.read_bytes())
    assert "'@SUM(A1)" in texts
    assert "'" + DANGEROUS[0] in texts
    annex = load_workbook(path)
    assert annex.sheetnames[0] == "00 about"
    assert annex.worksheets[0]["A1"].value == "'@SUM(A1)"
    for ws in annex.worksheets[1:]:  # the column header follows the first blank line, bold, and stays in view
        header = next(n for n, row in enumerate(ws.iter_rows(values_only=True), start=1) if not any(row)) + 1
        assert all(cell.font.b for cell in ws[header] if cell.value is not None), ws.title
        assert ws.freeze_panes == f"A{header + 1}", ws.title
    numbers = [c for ws in annex.worksheets[1:] for row in ws.iter_rows() for c in row if c.data_type == "n"]
    assert any(isinstance(c.value, int | float) for c in numbers)  # numbers stay numbers


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_portal_downloads_neutralise_every_dangerous_start(people, client, fmt):
    from tests.opendata.portal_factories import activity

    for text in DANGEROUS:
        activity(people, title=text, description="-" + text)
    response = client.get(reverse("opendata:download", args=["activities", fmt]))
    assert response.status_code == 200
    content = body(response)
    if fmt == "csv":
        records = list(csv.DictReader(io.StringIO(content.decode(), newline="")))
        assert_safe_csv(content.decode())
        titles = {r["title"] for r in records}
        descriptions = {r["description"] for r in records}
        assert {r["budget_amount"] for r in records} == {"48500.00"}
    else:
        assert_safe_workbook(content)
        sheet = load_workbook(io.BytesIO(content)).active
        header = [c.value for c in sheet[1]]
        titles = {row[header.index("title")].value for row in sheet.iter_rows(min_row=2)}
        descriptions = {row[header.index("description")].value for row in sheet.iter_rows(min_row=2)}
        budgets = {row[header.index("budget_amount")] for row in sheet.iter_rows(min_row=2)}
        assert {(c.value, c.data_type) for c in budgets} == {(48500, "n")}
    # the service trims a title's surrounding whitespace, so "\tx" and "\rx" arrive as "x"
    assert titles == {"'" + t if t == t.strip() else t.strip() for t in DANGEROUS}
    assert descriptions == {"'-" + t for t in DANGEROUS}


def test_a_fund_statement_neutralises_donor_names_and_keeps_amounts_numbers(people, client):
    from tests.funds.base import make_books, receive

    books = make_books()
    evil = funds.donor_create(by=SYSTEM, name=DANGEROUS[0], state=State.objects.get(code="KEN"))
    receive(books, "100.00", donor=evil)
    response = client.get(f"/funds/VFTC/{date(2025, 1, 15).year}.csv")
    assert response.status_code == 200
    records = list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))
    assert_safe_csv(response.content.decode())
    donors = [r for r in records if r["section"] == "contributions_by_donor"]
    assert [(r["label"], r["amount_usd"]) for r in donors] == [("'" + DANGEROUS[0], "100.00")]
