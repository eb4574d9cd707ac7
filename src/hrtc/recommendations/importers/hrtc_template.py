"""hrtc's own import template: one recommendation per row, CSV (UTF-8) or XLSX (first sheet).

Columns (the header must use exactly these names; any order; only the first three are required):

    state_under_review  ISO 3166 alpha-3 code or UN name of the State (required)
    mechanism           UPR, a treaty-body code (CCPR, CESCR, CERD, CEDAW, CAT, SPT, CRC, CMW, CRPD, CED) or SP
    text                the recommendation (required)
    language            ISO 639-1 code of the text, default en
    recommending_states States that made it (UPR), separated by semicolons
    recommending_body   a non-State recommender, e.g. a special-procedure mandate
    cycle, session      UPR cycle and Working Group session numbers
    date                YYYY-MM-DD
    document_symbol     e.g. A/HRC/59/15
    paragraph           e.g. 140.19
    response            supported | noted | pending | not_applicable (or empty)
    themes              `vocabulary:code` keys (uhri:B31, uprinfo:Justice) or theme names, semicolon-separated
    affected_groups     semicolon-separated names
    sdg_goals           e.g. 5;16
    sdg_targets         e.g. 5.2;16.3
    external_id         an identifier the source gives the recommendation
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from hrtc.core.exceptions import ImportRowError
from hrtc.core.exports import write_csv, write_xlsx
from hrtc.core.tabular import XLSX_SUFFIXES, Table, dedupe
from hrtc.recommendations.importers.records import RecommendationRecord

FORMAT = "hrtc"
LABEL = "hrtc template (CSV/XLSX with the columns state_under_review, mechanism, text, …)"

TEMPLATE_COLUMNS = [
    "state_under_review",
    "mechanism",
    "text",
    "language",
    "recommending_states",
    "recommending_body",
    "cycle",
    "session",
    "date",
    "document_symbol",
    "paragraph",
    "response",
    "themes",
    "affected_groups",
    "sdg_goals",
    "sdg_targets",
    "external_id",
]
REQUIRED = ["state_under_review", "mechanism", "text"]
RESPONSES = {"supported", "noted", "pending", "not_applicable"}

_LANGUAGE = re.compile(r"[a-z]{2}")
_GOAL = re.compile(r"\d{1,2}")
_TARGET = re.compile(r"\d{1,2}\.[0-9a-z]{1,2}")

EXAMPLE_ROWS = [
    {
        "state_under_review": "SVN",
        "mechanism": "UPR",
        "text": "Further strengthen the independence of the Office of the Human Rights Ombudsman",
        "language": "en",
        "recommending_states": "Kazakhstan",
        "cycle": "4",
        "session": "48",
        "document_symbol": "A/HRC/59/15",
        "paragraph": "140.19",
        "response": "supported",
        "themes": "uhri-name:National Human Rights Institution (NHRI)",
        "affected_groups": "Public officials",
        "sdg_goals": "16",
    },
    {
        "state_under_review": "Slovenia",
        "mechanism": "CEDAW",
        "text": "Illustrative example (replace with the text as published): adopt a national action plan to "
        "prevent and combat gender-based violence against women and girls",
        "language": "en",
        "date": "2025-01-31",
        "response": "not_applicable",
        "themes": "Gender-based violence; Women's rights",
        "affected_groups": "Women & girls",
        "sdg_goals": "5;16",
        "sdg_targets": "5.2;16.3",
        "external_id": "example-2",
    },
]


def sniff(path: Path, header: list[str] | None) -> bool:
    if not header:
        return False
    names = {name.strip().casefold() for name in header if name.strip()}
    return set(REQUIRED) <= names and names <= set(TEMPLATE_COLUMNS)


def parse(path: Path) -> Iterator[RecommendationRecord]:
    path = Path(path)
    with Table(path) as table:
        header = [name.strip().casefold() for name in table.header]
        for name, original in zip(header, table.header, strict=True):
            if name not in TEMPLATE_COLUMNS:
                raise ImportRowError(
                    path.name,
                    1,
                    original,
                    "unknown column; the template's columns are " + ", ".join(TEMPLATE_COLUMNS),
                )
        if len(set(header)) != len(header):
            raise ImportRowError(path.name, 1, None, "a column appears twice in the header row")
        table.header = header  # rows are keyed by the lower-case names
        table.require_columns(REQUIRED)
        for row in table:
            language = row.get("language", "en").lower()
            if not _LANGUAGE.fullmatch(language):
                raise row.error("language", f"{language!r} is not an ISO 639-1 code such as en, fr, es")
            response = row.get("response").lower()
            if response and response not in RESPONSES:
                raise row.error(
                    "response",
                    f"unknown response {response!r}; use one of "
                    + ", ".join(sorted(RESPONSES))
                    + " or leave it empty",
                )
            goals = row.list("sdg_goals")
            for goal in goals:
                if not _GOAL.fullmatch(goal) or not 1 <= int(goal) <= 17:
                    raise row.error("sdg_goals", f"{goal!r} is not an SDG goal number (1 to 17)")
            targets = [target.lower() for target in row.list("sdg_targets")]
            for target in targets:
                if not _TARGET.fullmatch(target):
                    raise row.error("sdg_targets", f"{target!r} is not an SDG target such as 5.2 or 16.a")
            session = row.int("session", low=1)
            yield RecommendationRecord(
                row=row.number,
                text=row.required("text"),
                state_under_review=row.required("state_under_review"),
                mechanism=row.required("mechanism"),
                recommending_states=dedupe(row.list("recommending_states")),
                recommending_body=row.get("recommending_body"),
                cycle=row.int("cycle", low=1),
                session=session,
                date=row.date("date"),
                document_symbol=row.get("document_symbol"),
                paragraph=row.get("paragraph"),
                response=response,
                themes=dedupe(row.list("themes")),
                affected_groups=dedupe(row.list("affected_groups")),
                sdg_goals=dedupe(goals),
                sdg_targets=dedupe(targets),
                language=language,
                external_id=row.get("external_id"),
            )


def write_template(path: Path) -> Path:
    """Write the template with its header and two example rows: XLSX for .xlsx, otherwise CSV."""
    path = Path(path)
    rows = [[example.get(column, "") for column in TEMPLATE_COLUMNS] for example in EXAMPLE_ROWS]
    if path.suffix.lower() in XLSX_SUFFIXES:
        write_xlsx(path, "recommendations", TEMPLATE_COLUMNS, rows, bold_header=True, freeze="A2")
        return path
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        write_csv(handle, TEMPLATE_COLUMNS, rows)
    return path
