"""Universal Human Rights Index (uhri.ohchr.org) export, XLSX ("Export to Excel") or the same sheet as CSV.

OHCHR publishes no description of the export's columns. The names below were verified against two
independent public code bases that read real UHRI exports (found with code search, not OHCHR
documentation):

* `lszoszk/UnitedNations_recommendations` (a research dashboard built on the full UHRI export):
  `Dataset_prep.py` reads `Text`, `Reccomending Body` and `Document Publication Date` from
  `UHRI_2006_2024.xlsx`; its XLSX upload mapper (`_uhriRowToRecord`) and a browser test whose fixture
  row "mimics an actual UHRI xlsx export" list all sixteen columns: `Text`, `Countries Concerned`,
  `Reccomending Body` (OHCHR's spelling; the mapper notes some exports spell it `Recommending Body`),
  `Document Symbol`, `Themes`, `Affected Persons`, `Sdgs`, `Document Publication Date`,
  `UPR Reccomending States`, `UPR Position`, `Type`, `OHCHR Annotation Id`, `UPR Session`,
  `Regions Concerned`, `Recommending Regions`, `Date of publication on UHRI`.
* a second, unrelated Python reader of UHRI `.xlsx` exports (`row_to_kwargs`) that uses the same names
  for `Text`, `Countries Concerned`, `Reccomending Body`, `Document Symbol`, `UPR Reccomending States`,
  `UPR Position`, `Themes`, `Affected Persons`, `Sdgs`, `Document Publication Date`,
  `OHCHR Annotation Id` and `UPR Session`.

Both describe the same cell conventions, which this parser follows: list cells hold one item per line,
each prefixed "- " (`- Equality & non-discrimination`); single values carry the prefix too (`- CEDAW`);
dates are Excel day numbers (or date cells). Body values seen there: `UPR`, treaty-body acronyms (`CAT`,
`CCPR`, `CEDAW`, `CERD`, `CESCR`, `CMW`, `CRC`, `CRC-OP-AC`, `CRC-OP-SC`, `CRPD`, `CED`, `SPT`) and
special-procedure mandates (`SR …`, `IE …`, `WG …`, sometimes with a `Special Procedures` line).

Mapping: mechanism from `Reccomending Body` (UPR; a treaty-body code, the CRC optional protocols under
CRC with the body kept in `recommending_body`; `SP` with the mandate in `recommending_body`; anything else
is passed through for the importer to resolve or refuse); the State under review from
`Countries Concerned` (one record per State when an annotation concerns several); `UPR Reccomending
States`; `UPR Position` Supported/Noted (empty → "" for the UPR, `not_applicable` for the other
mechanisms); the session number from `UPR Session` (its first number) and the cycle from it; the date
from `Document Publication Date`; themes as `uhri-name:<theme>` (today's UHRI themes carry no codes);
affected persons as written; SDG lines "16 - …" → goal 16, "1.4 - …" → target 1.4 (and goal 1);
`OHCHR Annotation Id` → external_id; a leading paragraph number ("115.1 Take…" for the UPR,
"23. The Committee…" otherwise) → `paragraph`. Not imported: `Type` (recommendation or
concern/observation: every annotation becomes a record), the region columns and the UHRI publication
date.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from hrtc.core.exceptions import ImportRowError
from hrtc.core.tabular import (
    Row,
    Table,
    clean,
    dedupe,
    excel_serial_date,
    norm_key,
    parse_date,
    split_lines,
)
from hrtc.recommendations.importers.records import RecommendationRecord, upr_cycle

FORMAT = "uhri"
LABEL = "Universal Human Rights Index export (uhri.ohchr.org, XLSX or CSV)"

# canonical name → the spellings accepted in the header
COLUMNS = {
    "Text": ["Text"],
    "Countries Concerned": ["Countries Concerned"],
    "Reccomending Body": ["Reccomending Body", "Recommending Body"],
    "Document Symbol": ["Document Symbol"],
    "Themes": ["Themes"],
    "Affected Persons": ["Affected Persons"],
    "Sdgs": ["Sdgs"],
    "Document Publication Date": ["Document Publication Date"],
    "UPR Reccomending States": ["UPR Reccomending States", "UPR Recommending States"],
    "UPR Position": ["UPR Position"],
    "Type": ["Type"],
    "OHCHR Annotation Id": ["OHCHR Annotation Id"],
    "UPR Session": ["UPR Session"],
}
REQUIRED = ["Text", "Countries Concerned", "Reccomending Body"]

TREATY_BODIES = {"CCPR", "CESCR", "CERD", "CEDAW", "CAT", "SPT", "CRC", "CMW", "CRPD", "CED"}
BODY_ALIASES = {"CRC-OP-AC": "CRC", "CRC-OP-SC": "CRC"}
SP_PREFIXES = ("SR ", "IE ", "WG ")  # Special Rapporteur, Independent Expert, Working Group
SP_NAMES = {"special procedures", "sp"}
RESPONSES = {"supported": "supported", "noted": "noted"}

_SDG = re.compile(r"^(?:SDG\s*)?(\d{1,2})(?:\.([0-9a-z]{1,2}))?(?:\s*[-–:]\s*.*)?$", re.I)
_UPR_PARAGRAPH = re.compile(r"^(\d+\.\d+(?:\.\d+)?)\.?\s+(\S.*)$", re.S)
_OTHER_PARAGRAPH = re.compile(r"^(\d+(?:\.\d+)*)\.\s*(\S.*)$", re.S)


def _header_map(header: list[str]) -> dict[str, str]:
    """canonical column → the header name used in this file."""
    present = {norm_key(name): name for name in header}
    found = {}
    for canonical, spellings in COLUMNS.items():
        for spelling in spellings:
            if norm_key(spelling) in present:
                found[canonical] = present[norm_key(spelling)]
                break
    return found


def sniff(path: Path, header: list[str] | None) -> bool:
    if not header:
        return False
    found = _header_map(header)
    return all(column in found for column in REQUIRED) and (
        "OHCHR Annotation Id" in found or "Themes" in found or "Document Symbol" in found
    )


def mechanism_for(bodies: list[str]) -> tuple[str, str]:
    """(mechanism, recommending_body) for the lines of a `Reccomending Body` cell."""
    names = [body for body in bodies if body.casefold() not in SP_NAMES]
    is_sp = len(names) < len(bodies)
    for body in names:
        code = body.upper()
        if code == "UPR":
            return "UPR", ""
        if code in TREATY_BODIES:
            return code, ""
        if code in BODY_ALIASES:
            return BODY_ALIASES[code], body
    mandate = "; ".join(names)
    if is_sp or any(body.startswith(SP_PREFIXES) for body in names):
        return "SP", mandate
    return mandate, ""


def _date(row: Row, column: str) -> date | None:
    value = row.get(column)
    if not value:
        return None
    serial = excel_serial_date(value)
    return serial if serial is not None else parse_date(value, row, column)


def _sdgs(row: Row, column: str) -> tuple[list[str], list[str]]:
    goals, targets = [], []
    for item in split_lines(row.raw(column)):
        match = _SDG.match(item)
        if not match or not 1 <= int(match.group(1)) <= 17:
            raise row.error(column, f"cannot read an SDG goal or target in {item!r}")
        goals.append(match.group(1))
        if match.group(2):
            targets.append(f"{match.group(1)}.{match.group(2).lower()}")
    return dedupe(goals), dedupe(targets)


def _single(row: Row, column: str) -> str:
    items = split_lines(row.raw(column))
    return "; ".join(items)


def parse(path: Path) -> Iterator[RecommendationRecord]:
    path = Path(path)
    with Table(path) as table:
        columns = _header_map(table.header)
        for canonical in REQUIRED:
            if canonical not in columns:
                raise ImportRowError(path.name, 1, canonical, "required column is missing from the header")

        def col(canonical: str) -> str:
            return columns.get(canonical, canonical)

        for row in table:
            full_text = row.required(col("Text"))
            bodies = split_lines(row.raw(col("Reccomending Body")))
            if not bodies:
                raise row.error(col("Reccomending Body"), "required value is empty")
            mechanism, body = mechanism_for(bodies)
            states = split_lines(row.raw(col("Countries Concerned")))
            if not states:
                raise row.error(col("Countries Concerned"), "required value is empty")

            position = _single(row, col("UPR Position"))
            if position:
                response = RESPONSES.get(position.casefold())
                if response is None:
                    raise row.error(
                        col("UPR Position"), f"unknown position {position!r}; expected Supported or Noted"
                    )
            else:
                response = "" if mechanism == "UPR" else "not_applicable"

            session_text = _single(row, col("UPR Session"))
            session = None
            if session_text:
                number = re.search(r"\d+", session_text)
                if not number:
                    raise row.error(col("UPR Session"), f"no session number in {session_text!r}")
                session = int(number.group(0))

            pattern = _UPR_PARAGRAPH if mechanism == "UPR" else _OTHER_PARAGRAPH
            match = pattern.match(full_text)
            paragraph, text = (match.group(1), clean(match.group(2))) if match else ("", full_text)
            goals, targets = _sdgs(row, col("Sdgs"))
            common = dict(
                row=row.number,
                text=text,
                mechanism=mechanism,
                recommending_states=split_lines(row.raw(col("UPR Reccomending States"))),
                recommending_body=body,
                cycle=upr_cycle(session) if mechanism == "UPR" else None,
                session=session,
                date=_date(row, col("Document Publication Date")),
                document_symbol=_single(row, col("Document Symbol")),
                paragraph=paragraph,
                response=response,
                themes=dedupe("uhri-name:" + theme for theme in split_lines(row.raw(col("Themes")))),
                affected_groups=dedupe(split_lines(row.raw(col("Affected Persons")))),
                sdg_goals=goals,
                sdg_targets=targets,
                external_id=_single(row, col("OHCHR Annotation Id")),
            )
            for state in dedupe(states):
                fields = {
                    key: list(value) if isinstance(value, list) else value for key, value in common.items()
                }
                yield RecommendationRecord(state_under_review=state, **fields)
