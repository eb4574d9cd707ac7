"""Which parser reads a file: by `--format`, or detected from the file's suffix and header row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from hrtc.recommendations.importers import hrtc_template, ohchr_matrix, uhri, uprinfo
from hrtc.recommendations.importers.records import ImportRowError, PledgeRecord, RecommendationRecord
from hrtc.recommendations.importers.tabular import TABULAR_SUFFIXES, read_header

#: Every parser, in the order detection tries them (the strictest header test first).
PARSERS = (hrtc_template, uprinfo, ohchr_matrix, uhri)
SUFFIXES = TABULAR_SUFFIXES | {".docx"}


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
    suffix = path.suffix.lower()
    hint = f"use --format one of {', '.join(formats())}"
    if suffix not in SUFFIXES:
        raise ImportRowError(
            path.name,
            None,
            None,
            f"unrecognised format: {suffix or 'no suffix'} files are not read (CSV, XLSX or DOCX); {hint}",
        )
    header = read_header(path) if suffix in TABULAR_SUFFIXES else None
    if suffix in TABULAR_SUFFIXES and header is None:
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
