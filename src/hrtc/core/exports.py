"""The one writer behind every CSV and XLSX file hrtc hands out: registry exports, portal downloads, fund
statements, the report annex, the import template.

What it protects against: formula injection ("CSV injection"). A spreadsheet program runs a cell that starts
with ``=``, ``+``, ``-`` or ``@`` as a formula, so a recommendation text such as ``=HYPERLINK("http://x","y")``
becomes a live link (or worse) on the desk of whoever opens the export. TAB and CR are on the list too: some
programs drop them and read what follows as a formula.

The rule (OWASP's): a text value whose first character is one of ``= + - @ TAB CR`` gets a single quote
``'`` before it, so it is shown as text and never run. Only text is touched: ints, Decimals, floats, dates,
datetimes, booleans and None are written as what they are (``-12.50`` stays a number; the text ``"-12"``
becomes ``'-12``). Any other object is written as its text, neutralised.

XLSX adds two things: text cells are always of type ``s`` (never a formula, never an error code), and the
control characters an XLSX file cannot hold (``\\x00``-``\\x08``, ``\\x0b``, ``\\x0c``, ``\\x0e``-``\\x1f``) are
removed, so one stray character stored by an import cannot break every later export. CSV keeps them.

Both writers stream: ``csv_rows`` yields chunks of text for a ``StreamingHttpResponse``; ``XlsxWriter`` uses
an openpyxl write-only workbook, which keeps one row in memory, not the sheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

#: A text cell starting with one of these is taken for a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

#: Values written as what they are, never as text (bool is an int; datetime is a date).
TYPED = (int, float, Decimal, date, time)

#: CSV text is sent in chunks of about this many characters.
CHUNK = 1 << 16


def safe_text(text: str) -> str:
    """The text, with a ``'`` before it when it starts like a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def safe_cell(value: Any) -> Any:
    """A value ready for a cell: None, numbers, dates and booleans unchanged, anything else as neutralised text."""
    if value is None or isinstance(value, TYPED):
        return value
    return safe_text(str(value))  # str() also turns a lazy translation or a choice into plain text


# CSV ------------------------------------------------------------------------------------------------------


def csv_cell(value: Any) -> Any:
    """A value as a CSV field: None empty, dates ISO 8601, numbers as they print, text neutralised."""
    if value is None:
        return ""
    if isinstance(value, (date, time)):
        return value.isoformat()
    return safe_cell(value)


def csv_rows(
    header: Sequence[Any] | None,
    rows: Iterable[Iterable[Any]],
    *,
    lineterminator: str = "\r\n",
) -> Iterator[str]:
    """CSV text, in chunks of about 64 KB: the header row (if any), then the rows; for StreamingHttpResponse."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=lineterminator)
    if header is not None:
        writer.writerow([csv_cell(v) for v in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
        if buffer.tell() > CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def write_csv(
    handle: IO[str],
    header: Sequence[Any] | None,
    rows: Iterable[Iterable[Any]],
    *,
    lineterminator: str = "\r\n",
) -> None:
    """Write CSV to a text file opened with ``newline=""``."""
    for chunk in csv_rows(header, rows, lineterminator=lineterminator):
        handle.write(chunk)


# XLSX -----------------------------------------------------------------------------------------------------


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell holds it: text without the characters XLSX cannot store, then neutralised;
    an aware datetime in UTC without its time zone (Excel has none); None, numbers and dates unchanged."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if value is None or isinstance(value, TYPED):
        return value
    return safe_text(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


class XlsxSheet:
    """One sheet of an ``XlsxWriter``: rows are appended and written at once, in order."""

    def __init__(self, worksheet) -> None:
        self.worksheet = worksheet

    def append(
        self,
        values: Iterable[Any] = (),
        *,
        font: Font | None = None,
        alignment: Alignment | None = None,
        number_formats: Sequence[str | None] = (),
    ) -> None:
        """Append a row. ``font`` and ``alignment`` apply to each of its cells, ``number_formats`` to the
        cells in the same position (None: the default format). An empty row is a blank line."""
        cells = []
        for n, value in enumerate(values):
            value = xlsx_cell(value)
            number_format = number_formats[n] if n < len(number_formats) else None
            text = isinstance(value, str)
            if value is None or not (font or alignment or number_format or (text and value in ERROR_CODES)):
                cells.append(value)  # openpyxl stores a plain str as type "s": it cannot start with "="
                continue
            cell = WriteOnlyCell(self.worksheet, value=value)
            if text:
                cell.data_type = "s"  # "#N/A" is text here, not an error
            if font:
                cell.font = font
            if alignment:
                cell.alignment = alignment
            if number_format:
                cell.number_format = number_format
            cells.append(cell)
        self.worksheet.append(cells)


class XlsxWriter:
    """An openpyxl write-only workbook whose every cell goes through ``xlsx_cell``. Sheets come in the order
    they are added; a sheet's layout (widths, frozen rows, direction) is fixed when it is added."""

    def __init__(self) -> None:
        self.workbook = Workbook(write_only=True)

    @property
    def properties(self):
        """The document properties (title, creator, created)."""
        return self.workbook.properties

    def sheet(
        self,
        title: str,
        header: Sequence[Any] | None = None,
        *,
        bold_header: bool = False,
        widths: Sequence[float | None] = (),
        freeze: str | None = None,
        right_to_left: bool = False,
    ) -> XlsxSheet:
        """Add a sheet, with its header row if given. ``widths`` are column widths from column A (None: the
        default); ``freeze`` is the top-left cell of the part that scrolls ("A2" keeps the header in view)."""
        worksheet = self.workbook.create_sheet(title)
        for n, width in enumerate(widths, start=1):
            if width is not None:
                worksheet.column_dimensions[get_column_letter(n)].width = width
        if freeze:
            worksheet.freeze_panes = freeze
        if right_to_left:
            worksheet.sheet_view.rightToLeft = True
        sheet = XlsxSheet(worksheet)
        if header is not None:
            sheet.append(header, font=Font(bold=True) if bold_header else None)
        return sheet

    def save(self, handle: str | IO[bytes]) -> None:
        """Write the workbook to a path or a binary file; a workbook can be saved once."""
        self.workbook.save(handle)

    def getvalue(self) -> bytes:
        """The workbook as bytes (saves it)."""
        out = io.BytesIO()
        self.save(out)
        return out.getvalue()


def write_xlsx(
    handle: str | IO[bytes],
    title: str,
    header: Sequence[Any] | None,
    rows: Iterable[Iterable[Any]],
    **layout: Any,
) -> None:
    """A workbook of one sheet: the header row, then the rows; ``layout`` as for ``XlsxWriter.sheet``."""
    book = XlsxWriter()
    sheet = book.sheet(title, header, **layout)
    for row in rows:
        sheet.append(row)
    book.save(handle)
