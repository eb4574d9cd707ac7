"""OHCHR "Thematic list of recommendations" (the UPR matrix OHCHR publishes after every review).

Two inputs give the same records:

* the Word document itself (`.docx`), as OHCHR generates it from the Universal Human Rights Index: one
  table whose rows are either a one-cell `Theme: X` heading or a four-cell recommendation
  (recommendation text with its paragraph number, recommending States and a `Source of position:` line;
  the position; the themes, affected persons/groups and, in cycle 3, SDGs as bullet lines; and a fourth
  column that holds the SDGs from cycle 4 on and an empty "assessment" column before). The State under
  review, cycle and session come from the page header ("UPR of Slovenia (2nd Cycle – 20th session)").
  The Working Group report symbol (A/HRC/28/15) is printed only in the `Source of position` lines
  (A/HRC/28/15/Add.1 - Para. 3); it is taken from them (the most frequent one, /Add.N removed).
* the CSV extracted from those documents in shared/data/ohchr-upr-matrices-slovenia (columns `cycle`,
  `upr_session`, `state_under_review`, `working_group_report`, `source_file`, `row_order`,
  `theme_heading`, `rec_id`, `text`, `recommending_states_parsed`, `position`, `source_of_position`,
  `themes`, `affected_persons`, `sdgs`, `sdg_goals`; lists joined with `|`).

Records: mechanism UPR; `paragraph` = the number (115.1) and `text` = the rest, with the "(State)"
suffixes kept as printed; recommending States are read from the parenthesised groups that end a clause
(`recommending_states`); response Supported → supported, Noted → noted; `response_source` = the source of
position; themes `uhri:A12` for the coded (cycle-2, pre-2020 UHRI) themes and `uhri-name:<name>` for the
uncoded ones; affected groups as written; SDG goals as their numbers ("16 - PEACE, …" → "16").
Row numbers: the CSV's line (header = 1); in a .docx, the table row (the table's header row = 1).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from hrtc.core.exceptions import ImportRowError
from hrtc.core.tabular import UNREADABLE, Row, Table, clean, dedupe, kind_of, norm_key
from hrtc.recommendations.importers.records import RecommendationRecord, upr_cycle

FORMAT = "ohchr-matrix"
LABEL = "OHCHR UPR matrix: thematic list of recommendations (.docx, or the CSV extracted from it)"

CSV_REQUIRED = ["state_under_review", "rec_id", "text", "position"]
CSV_SIGNATURE = {"recid", "position", "sourceofposition", "themes", "workinggroupreport"}
RESPONSES = {"supported": "supported", "noted": "noted"}

_CODED_THEME = re.compile(r"^([A-H]\d{1,2})\s+(\S.*)$")
_PARAGRAPH = re.compile(r"^(\d+(?:\.\d+)+)\.?\s+(.*)$", re.S)
_SOURCE_LINE = re.compile(r"^source of position\s*:\s*(.*)$", re.I)
_GROUPS_LINE = re.compile(r"^(affected persons|groups of persons)\s*:\s*(.*)$", re.I)
_SDGS_LINE = re.compile(r"^sdgs?\s*:\s*(.*)$", re.I)
_SDG_ITEM = re.compile(r"^(?:SDG\s*)?(\d{1,2})(?:\.([0-9a-z]{1,2}))?(?:\s*[-–:]\s*.*)?$", re.I)
_SYMBOL = re.compile(r"A/HRC/\d+/\d+")
_HEADING = re.compile(
    r"UPR\s+of\s+(?P<state>.+?)\s*\(\s*(?P<cycle>\d+)\s*(?:st|nd|rd|th)?\s+cycle\s*[-–—,]\s*"
    r"(?P<session>\d+)\s*(?:st|nd|rd|th)?\s+session\s*\)",
    re.I,
)
_ACRONYM = re.compile(r"[A-Z][A-Z/\-&]*")


# ---------------------------------------------------------------------------------------------------------
# Shared rules


def theme_key(name: str) -> str:
    """`A12 Acceptance of international norms` → `uhri:A12`; an uncoded name → `uhri-name:<name>`."""
    match = _CODED_THEME.match(name)
    return f"uhri:{match.group(1)}" if match else f"uhri-name:{name}"


def split_paragraph(text: str) -> tuple[str, str]:
    """`115.1 Take further steps…` → ("115.1", "Take further steps…"); ("", text) without a number."""
    match = _PARAGRAPH.match(text)
    return (match.group(1), match.group(2).strip()) if match else ("", text)


def _groups(text: str) -> list[tuple[int, int]]:
    """Top-level balanced parenthesised groups as (start, end) offsets, end exclusive."""
    groups, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            if depth == 0:
                start = index
            depth += 1
        elif char == ")" and depth:
            depth -= 1
            if depth == 0:
                groups.append((start, index + 1))
    return groups


def _split_top_level(text: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(depth - 1, 0)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [clean(part) for part in parts if clean(part)]


def recommending_states(text: str) -> list[str]:
    """The recommending States of a matrix recommendation, read from its parenthesised groups.

    A group counts when it ends a clause: it is followed by `;`, `.`, the end of the text, or another
    group that counts ("(France) (Lithuania);"). Its content is split on top-level commas, so
    "Venezuela (Bolivarian Republic of)" stays whole. Groups containing digits ("No. 29") or that are
    all-caps acronyms ("(CRPD)") are skipped.
    """
    groups = _groups(text)
    terminal = [False] * len(groups)
    for index in range(len(groups) - 1, -1, -1):
        rest = text[groups[index][1] :].lstrip()
        ends_clause = not rest or rest[0] in ";."
        next_counts = index + 1 < len(groups) and terminal[index + 1]
        adjacent = next_counts and not text[groups[index][1] : groups[index + 1][0]].strip()
        terminal[index] = ends_clause or adjacent
    states: list[str] = []
    for (start, end), counts in zip(groups, terminal, strict=True):
        if not counts:
            continue
        content = clean(text[start + 1 : end - 1])
        if not content or any(char.isdigit() for char in content) or _ACRONYM.fullmatch(content):
            continue
        states.extend(_split_top_level(content))
    return dedupe(states)


def sdg_codes(items: list[str], row: int, file: str, field: str) -> tuple[list[str], list[str]]:
    """SDG lines ("16 - PEACE, JUSTICE…", "5.2 - …") → (goals, targets)."""
    goals, targets = [], []
    for item in items:
        match = _SDG_ITEM.match(item)
        if not match:
            raise ImportRowError(file, row, field, f"cannot read an SDG goal number in {item!r}")
        goal, target = match.group(1), match.group(2)
        if not 1 <= int(goal) <= 17:
            raise ImportRowError(file, row, field, f"SDG goal {goal} is not between 1 and 17 in {item!r}")
        if target:
            targets.append(f"{goal}.{target.lower()}")
        goals.append(goal)
    return dedupe(goals), dedupe(targets)


def _response(position: str, row: int, file: str, field: str) -> str:
    if not position:
        raise ImportRowError(file, row, field, "required value is empty")
    response = RESPONSES.get(position.casefold())
    if response is None:
        raise ImportRowError(file, row, field, f"unknown position {position!r}; expected Supported or Noted")
    return response


def _record(
    *,
    row: int,
    file: str,
    text_field: str,
    full_text: str,
    paragraph: str,
    state: str,
    cycle: int | None,
    session: int | None,
    symbol: str,
    position: str,
    position_field: str,
    source: str,
    themes: list[str],
    groups: list[str],
    sdg_items: list[str],
    sdg_field: str,
) -> RecommendationRecord:
    full_text = clean(full_text)
    if not full_text:
        raise ImportRowError(file, row, text_field, "required value is empty")
    number, text = split_paragraph(full_text)
    if paragraph and number and number != paragraph:
        raise ImportRowError(
            file, row, text_field, f"the text starts with {number} but the row is {paragraph}"
        )
    if not text:
        raise ImportRowError(file, row, text_field, "the recommendation has a number but no text")
    goals, targets = sdg_codes(sdg_items, row, file, sdg_field)
    return RecommendationRecord(
        row=row,
        text=text,
        state_under_review=state,
        mechanism="UPR",
        recommending_states=recommending_states(text),
        cycle=cycle,
        session=session,
        document_symbol=symbol,
        paragraph=paragraph or number,
        response=_response(position, row, file, position_field),
        response_source=source,
        themes=dedupe(theme_key(name) for name in themes),
        affected_groups=dedupe(groups),
        sdg_goals=goals,
        sdg_targets=targets,
    )


# ---------------------------------------------------------------------------------------------------------
# Detection


def sniff(path: Path, header: list[str] | None) -> bool:
    path = Path(path)
    if header is not None:
        return {norm_key(name) for name in header} >= CSV_SIGNATURE
    if kind_of(path) != "docx":
        return False
    try:
        document = _open_docx(path)
    except ImportRowError:
        return False
    return _matrix_table(document) is not None


# ---------------------------------------------------------------------------------------------------------
# CSV


def _csv_list(row: Row, field: str) -> list[str]:
    return [item for item in (clean(part) for part in row.raw(field).split("|")) if item]


def parse_csv(path: Path) -> Iterator[RecommendationRecord]:
    with Table(path) as table:
        table.require_columns(CSV_REQUIRED)
        for row in table:
            session = row.int("upr_session", low=1)
            cycle = row.int("cycle", low=1) if table.has("cycle") else None
            record = _record(
                row=row.number,
                file=row.file,
                text_field="text",
                full_text=row.raw("text"),
                paragraph=row.get("rec_id"),
                state=row.required("state_under_review"),
                cycle=cycle if cycle is not None else upr_cycle(session),
                session=session,
                symbol=row.get("working_group_report"),
                position=row.get("position"),
                position_field="position",
                source=row.get("source_of_position"),
                themes=_csv_list(row, "themes"),
                groups=_csv_list(row, "affected_persons"),
                sdg_items=_csv_list(row, "sdgs") or _csv_list(row, "sdg_goals"),
                sdg_field="sdgs",
            )
            yield record


# ---------------------------------------------------------------------------------------------------------
# .docx


def _open_docx(path: Path):
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        return docx.Document(str(path))
    except (PackageNotFoundError, *UNREADABLE) as exc:
        raise ImportRowError(path.name, None, None, f"unreadable Word document: {exc}") from None


def _cells(table_row) -> list:
    """The distinct cells of a table row (python-docx repeats a merged cell once per grid column)."""
    seen, cells = set(), []
    for cell in table_row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            cells.append(cell)
    return cells


def _lines(cell) -> list[str]:
    lines = []
    for paragraph in cell.paragraphs:
        for line in paragraph.text.split("\n"):
            line = clean(line)
            if line:
                lines.append(line)
    return lines


def _matrix_table(document):
    for table in document.tables:
        if not table.rows:
            continue
        first = [clean(cell.text).casefold() for cell in _cells(table.rows[0])]
        if len(first) == 4 and first[0].startswith("recommendation") and "position" in first[1]:
            return table
    return None


def _heading(document) -> re.Match | None:
    texts = []
    for section in document.sections:
        for part in (section.header, section.first_page_header, section.even_page_header):
            texts.extend(paragraph.text for paragraph in part.paragraphs)
    texts.extend(paragraph.text for paragraph in document.paragraphs)
    for text in texts:
        match = _HEADING.search(clean(text))
        if match:
            return match
    return None


def parse_docx(path: Path) -> Iterator[RecommendationRecord]:
    path = Path(path)
    name = path.name
    document = _open_docx(path)
    table = _matrix_table(document)
    if table is None:
        raise ImportRowError(
            name, None, None, "no recommendations table (Recommendation | Position | …) found"
        )
    heading = _heading(document)
    if heading is None:
        raise ImportRowError(
            name,
            None,
            "state_under_review",
            "no heading such as 'UPR of <State> (2nd Cycle - 20th session)' found in the page header",
        )
    state = clean(heading.group("state"))
    cycle, session = int(heading.group("cycle")), int(heading.group("session"))
    header = [clean(cell.text) for cell in _cells(table.rows[0])]
    sdg_column = "sdg" in header[3].casefold()

    pending: list[tuple[int, list[str], list[str], list[str], list[str]]] = []
    for number, table_row in enumerate(table.rows, start=1):
        if number == 1:
            continue
        cells = _cells(table_row)
        texts = [clean(cell.text) for cell in cells]
        if not any(texts):
            continue
        if len(cells) == 1 or (texts[0].casefold().startswith("theme:") and len(set(texts)) == 1):
            continue  # a `Theme: X` heading; the themes cell of each row lists the heading theme too
        if len(cells) != 4:
            raise ImportRowError(
                name, number, None, f"expected 4 cells (or a Theme heading), found {len(cells)}"
            )
        pending.append((number, _lines(cells[0]), _lines(cells[1]), _lines(cells[2]), _lines(cells[3])))

    symbols: Counter[str] = Counter()
    for _, text_lines, *_rest in pending:
        for line in text_lines:
            source = _SOURCE_LINE.match(line)
            if source and _SYMBOL.search(source.group(1)):
                symbols[_SYMBOL.search(source.group(1)).group(0)] += 1
    symbol = symbols.most_common(1)[0][0] if symbols else ""

    for number, text_lines, position_lines, theme_lines, fourth in pending:
        text_parts, source = [], ""
        for line in text_lines:
            match = _SOURCE_LINE.match(line)
            if match:
                source = clean(match.group(1))
            else:
                text_parts.append(line)
        themes, groups, sdgs = _theme_cell(theme_lines)
        if sdg_column:
            sdgs = sdgs + [_unbullet(line) for line in fourth if _unbullet(line)]
        yield _record(
            row=number,
            file=name,
            text_field="Recommendation",
            full_text=" ".join(text_parts),
            paragraph="",
            state=state,
            cycle=cycle,
            session=session,
            symbol=symbol,
            position=" ".join(position_lines),
            position_field="Position",
            source=source,
            themes=themes,
            groups=groups,
            sdg_items=sdgs,
            sdg_field=header[3] if sdg_column else header[2],
        )


def _unbullet(line: str) -> str:
    return line[1:].strip() if line.startswith("-") else line


def _theme_cell(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """Split the themes cell: theme lines, then `Affected persons:`/`Groups of Persons:`, `SDGs:` lists."""
    lists: dict[str, list[str]] = {"themes": [], "groups": [], "sdgs": []}
    current = "themes"
    for line in lines:
        for kind, pattern in (("groups", _GROUPS_LINE), ("sdgs", _SDGS_LINE)):
            match = pattern.match(line)
            if match:
                current, line = kind, match.group(match.lastindex)
                break
        item = _unbullet(clean(line))
        if item:
            lists[current].append(item)
    return lists["themes"], lists["groups"], lists["sdgs"]


# ---------------------------------------------------------------------------------------------------------


def parse(path: Path) -> Iterator[RecommendationRecord]:
    path = Path(path)
    if kind_of(path) == "docx":
        return parse_docx(path)
    return parse_csv(path)
