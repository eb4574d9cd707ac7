"""Which parser reads a file: by `--format`, or detected from the file's content (its kind, then its header
row or, for a Word document, its table); the file's name plays no part."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hrtc.core.exceptions import ImportRowError
from hrtc.core.tabular import TABULAR, kind_of, read_header
from hrtc.recommendations.importers import hrtc_template, ohchr_matrix, uhri, uprinfo
from hrtc.recommendations.importers.records import PledgeRecord, RecommendationRecord

#: Every parser, in the order detection tries them (the strictest header test first).
PARSERS = (hrtc_template, uprinfo, ohchr_matrix, uhri)
READABLE = (*TABULAR, "docx")


def formats() -> list[str]:
    return [parser.FORMAT for parser in PARSERS]


def parser_for(format: str):
    for parser in PARSERS:
        if format == parser.FORMAT:
            return parser
    raise ImportRowError("", None, None, f"unknown format {format!r}; use one of {', '.join(formats())}")


def detect_format(path: Path) -> str:
    """The FORMAT of the parser that recognises `path`; ImportRowError if none (or the file is unreadable)."""
    path = Path(path)
    kind = kind_of(path)
    hint = f"use --format one of {', '.join(formats())}"
    if kind == "empty":
        raise ImportRowError(path.name, None, None, f"unrecognised format: the file is empty; {hint}")
    if kind not in READABLE:
        found = "a zip archive" if kind == "zip" else "not text"
        raise ImportRowError(
            path.name, None, None, f"unrecognised format: {found} (CSV, XLSX or DOCX are read); {hint}"
        )
    header = read_header(path, kind) if kind in TABULAR else None
    if kind in TABULAR and header is None:
        raise ImportRowError(path.name, None, None, f"unrecognised format: the file is empty; {hint}")
    for parser in PARSERS:
        if parser.sniff(path, header):
            return parser.FORMAT
    if header is None:
        what = "no OHCHR matrix table (Recommendation | Position | …) in the document"
    else:
        what = "header: " + ", ".join(header[:8]) + (", …" if len(header) > 8 else "")
    raise ImportRowError(path.name, None, None, f"unrecognised format ({what}); {hint}")


def parse(path: Path, format: str | None = None) -> Iterator[RecommendationRecord | PledgeRecord]:
    """Yield the records of `path`, read by the parser for `format` (detected when None)."""
    path = Path(path)
    try:
        parser = parser_for(format or detect_format(path))
    except ImportRowError as exc:
        raise ImportRowError(path.name, exc.row, exc.field, exc.reason) from None
    yield from parser.parse(path)
