"""One way to read a tabular file (CSV or XLSX), for every importer: recommendations, funds, rates.

A file's kind is told by its content, never by its name: an XLSX workbook is a zip archive holding
`xl/workbook.xml` (a Word document is one holding `word/document.xml`), anything else that decodes as
UTF-8 is CSV. `--format` in the commands only overrides what `kind_of` finds.

`iter_rows(path)` yields `Row`s: the 1-based row number (the header is row 1) and the cells keyed by
header name, as strings. A CSV is read with `csv.reader` (UTF-8, a byte-order mark is dropped); an XLSX
with openpyxl in read-only mode (the first sheet), so memory stays flat whatever the file size. Empty
rows are skipped; everything else is handed to the parser, whose job is to refuse bad rows with an
`ImportRowError` naming the row and the column.

Cell values keep their line breaks (some exports put one list item per line); `clean()` gives the
normalised single-line form: HTML entities decoded (`&#40;` becomes `(`), whitespace runs collapsed,
the ends stripped.
"""

from __future__ import annotations

import csv
import html
import re
import zipfile
from collections.abc import Generator, Iterable, Iterator
from datetime import date, datetime, timedelta
from pathlib import Path

from hrtc.core.exceptions import ImportRowError

XLSX_SUFFIXES = {".xlsx", ".xlsm"}  # only to choose what to *write*; reading goes by content
TABULAR = ("csv", "xlsx")
ZIP_MAGIC = b"PK\x03\x04"
#: What openpyxl and python-docx raise for a damaged, truncated or mislabelled file (a zip that is no
#: workbook, XML that does not parse, a part that is missing or malformed).
UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    AttributeError,
    OSError,
    EOFError,
    SyntaxError,  # xml.etree.ElementTree.ParseError
)

_SPACES = re.compile(r"\s+")
_EXCEL_EPOCH = date(1899, 12, 30)  # Excel's day 0, which absorbs its 1900 leap-year bug


def clean(value: object) -> str:
    """One line of text: entities decoded, whitespace (including non-breaking spaces) collapsed, stripped."""
    if value is None:
        return ""
    text = value if isinstance(value, str) else cell_text(value)
    if "&" in text:
        text = html.unescape(text)
    return _SPACES.sub(" ", text).strip()


def norm_key(name: str) -> str:
    """A header name reduced for comparison: case, spaces and punctuation ignored."""
    return re.sub(r"[^0-9a-z]", "", clean(name).casefold())


def cell_text(value: object) -> str:
    """An openpyxl cell value as the text a CSV export of the same sheet would hold."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) == (0, 0, 0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


class Row:
    """One data row: its number in the file, its cells by header name, and typed, checked accessors."""

    __slots__ = ("cells", "file", "number")

    def __init__(self, file: str, number: int, cells: dict[str, str]):
        self.file, self.number, self.cells = file, number, cells

    def error(self, field: str | None, reason: str) -> ImportRowError:
        return ImportRowError(self.file, self.number, field, reason)

    def raw(self, field: str) -> str:
        """The cell as written (line breaks kept), or "" when the column is absent or empty."""
        return self.cells.get(field) or ""

    def get(self, field: str, default: str = "") -> str:
        return clean(self.cells.get(field)) or default

    def required(self, field: str) -> str:
        value = self.get(field)
        if not value:
            raise self.error(field, "required value is empty")
        return value

    def int(self, field: str, *, required: bool = False, low: int | None = None, high: int | None = None):
        value = self.required(field) if required else self.get(field)
        return parse_int(value, self, field, low=low, high=high)

    def date(self, field: str, *, required: bool = False) -> date | None:
        value = self.required(field) if required else self.get(field)
        return parse_date(value, self, field)

    def list(self, field: str, separator: str = ";") -> list[str]:
        return split_multi(self.raw(field), separator)

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"Row({self.file!r}, {self.number}, {self.cells!r})"


def parse_int(value: str, row: Row, field: str, *, low: int | None = None, high: int | None = None):
    """An integer, or None for an empty cell; "12.0" (a spreadsheet's float) is accepted as 12."""
    value = clean(value)
    if not value:
        return None
    text = value[:-2] if value.endswith(".0") else value
    try:
        number = int(text)
    except ValueError:
        raise row.error(field, f"{value!r} is not a whole number") from None
    if (low is not None and number < low) or (high is not None and number > high):
        bounds = f"{low if low is not None else '…'} to {high if high is not None else '…'}"
        raise row.error(field, f"{number} is out of range ({bounds})")
    return number


def parse_date(value: str, row: Row, field: str) -> date | None:
    """A date written YYYY-MM-DD (an XLSX date cell arrives in that form too), or None for an empty cell."""
    value = clean(value)
    if not value:
        return None
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?", value)
    if match:
        try:
            return date.fromisoformat(match.group(1))
        except ValueError:
            pass
    raise row.error(field, f"{value!r} is not a date (YYYY-MM-DD)")


def excel_serial_date(value: str) -> date | None:
    """An Excel day number (e.g. "46078" or "46125.49") as a date; None if the text is not one."""
    if not re.fullmatch(r"\d{4,6}(\.\d+)?", value):
        return None
    return _EXCEL_EPOCH + timedelta(days=int(float(value)))


def split_multi(value: str, separator: str = ";") -> list[str]:
    """Split a multi-value cell on `separator`; each part cleaned, empty parts dropped."""
    parts = (clean(part) for part in (value or "").split(separator))
    return [part for part in parts if part]


def split_lines(value: str) -> list[str]:
    """Split a cell holding one item per line (each may start with a "- " bullet); bullets removed."""
    items = []
    for line in (value or "").splitlines():
        item = clean(line)
        if item.startswith("-"):
            item = item[1:].strip()
        if item:
            items.append(item)
    return items


def dedupe(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


# ---------------------------------------------------------------------------------------------------------
# Reading files


def _check_header(path: Path, header: list[str]) -> list[str]:
    names = [clean(name).lstrip("\ufeff") for name in header]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise ImportRowError(path.name, 1, None, "the header row is empty")
    seen: set[str] = set()
    for index, name in enumerate(names, start=1):
        if not name:
            raise ImportRowError(path.name, 1, None, f"column {index} has no name in the header row")
        if name in seen:
            raise ImportRowError(path.name, 1, name, "this column appears twice in the header row")
        seen.add(name)
    return names


def kind_of(path: Path) -> str:
    """What the file is, from its content: "xlsx", "docx", "zip" (another archive), "csv" (UTF-8 text),
    "empty" or "binary"."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(65536)
    if not head.strip():
        return "empty"
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return "binary"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "word/document.xml" in names:
            return "docx"
        return "zip"
    if b"\x00" in head:
        return "binary"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not merely a character cut by the 64 KiB read
            return "binary"
    return "csv"


def _csv_rows(path: Path, name: str) -> Generator[list[str]]:
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            yield from csv.reader(handle)
    except UnicodeDecodeError as exc:
        raise ImportRowError(name, None, None, f"the file is not UTF-8 text ({exc.reason})") from None
    except csv.Error as exc:
        raise ImportRowError(name, None, None, f"unreadable CSV: {exc}") from None


def _xlsx_rows(path: Path, name: str) -> Generator[list[str]]:
    from openpyxl import load_workbook

    with path.open("rb") as handle:  # a file object: openpyxl would refuse a name not ending in .xlsx
        try:
            workbook = load_workbook(handle, read_only=True, data_only=True)
        except UNREADABLE as exc:
            raise ImportRowError(name, None, None, f"unreadable XLSX workbook: {exc}") from None
        try:
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                yield [cell_text(value) for value in values]
        finally:
            workbook.close()


def raw_rows(path: Path, fmt: str | None = None, name: str | None = None) -> Generator[list[str]]:
    """Every row of a CSV or (first sheet of an) XLSX file as a list of strings, header included. `fmt`
    ("csv" or "xlsx") overrides what the content says; `name` is the file's name in errors (an upload's
    own name rather than its temporary file's)."""
    path = Path(path)
    name = name or path.name
    kind = fmt or kind_of(path)
    if kind == "csv":
        return _csv_rows(path, name)
    if kind == "xlsx":
        return _xlsx_rows(path, name)
    found = {"empty": "an empty file", "docx": "a Word document", "zip": "a zip archive"}.get(
        kind, "not text"
    )
    raise ImportRowError(name, None, None, f"not a CSV or XLSX file ({found}); use --format csv or xlsx")


def read_header(path: Path, fmt: str | None = None) -> list[str] | None:
    """The header row (names cleaned) of a CSV or XLSX file; None for other files or an empty file."""
    path = Path(path)
    if (fmt or kind_of(path)) not in TABULAR:
        return None
    rows = raw_rows(path, fmt)
    try:
        for values in rows:
            if any(clean(value) for value in values):
                return [clean(value).lstrip("\ufeff") for value in values]
        return None
    finally:
        rows.close()  # closes the file / workbook


class Table:
    """A CSV or XLSX file opened for streaming: `.header`, then iterate for `Row`s.

    Use as a context manager (or exhaust the iterator) so the file is closed.
    """

    def __init__(self, path: Path, fmt: str | None = None):
        self.path = Path(path)
        self._rows = raw_rows(self.path, fmt)
        self.header: list[str] = []
        self._number = 0
        for values in self._rows:
            self._number += 1
            if any(clean(value) for value in values):
                self.header = _check_header(self.path, values)
                break
        else:
            self.close()
            raise ImportRowError(self.path.name, None, None, "the file is empty (no header row)")

    def has(self, column: str) -> bool:
        return column in self.header

    def require_columns(self, columns: Iterable[str]) -> None:
        for column in columns:
            if column not in self.header:
                raise ImportRowError(self.path.name, 1, column, "required column is missing from the header")

    def __iter__(self) -> Iterator[Row]:
        width = len(self.header)
        name = self.path.name
        try:
            for values in self._rows:
                self._number += 1
                if len(values) > width:
                    extra = [value for value in values[width:] if clean(value)]
                    if extra:
                        raise ImportRowError(
                            name,
                            self._number,
                            None,
                            f"the row has {len(values)} cells but the header {width}",
                        )
                    values = values[:width]
                if not any(value.strip() for value in values):
                    continue  # a genuinely empty row
                cells = dict(zip(self.header, values, strict=False))
                yield Row(name, self._number, cells)
        finally:
            self.close()

    def close(self) -> None:
        self._rows.close()

    def __enter__(self) -> Table:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def iter_rows(path: Path, fmt: str | None = None) -> Iterator[Row]:
    """Stream the data rows of a CSV or XLSX file (see `Table`)."""
    yield from Table(path, fmt)
