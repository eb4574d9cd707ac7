"""The recommendation parsers, on the real public files in shared/data and on excerpts cut from them.

Plain functions: no database, no Django. Tests that read shared/data skip when it is absent (fail with HRTC_REQUIRE_SHARED_DATA=1).
"""

from __future__ import annotations

import csv
import shutil
from collections import Counter
from pathlib import Path

import pytest
from openpyxl import Workbook

from hrtc.core.exceptions import ImportRowError
from hrtc.core.tabular import clean, read_header
from hrtc.recommendations.importers import detect, hrtc_template, ohchr_matrix, uhri, uprinfo
from hrtc.recommendations.importers.records import PledgeRecord, RecommendationRecord, upr_cycle
from tests.shared_data import SHARED_DATA, need_shared

UPRINFO = SHARED_DATA / "upr-info-sessions-1-17"
MATRICES = SHARED_DATA / "ohchr-upr-matrices-slovenia"
MATRIX_CSV = MATRICES / "slovenia_upr_thematic_lists_cycles2-4.csv"
DOCX = {
    2: MATRICES / "original_docx" / "UPR20__Slovenia_ThematicListRecommendations_E.docx",
    3: MATRICES / "original_docx" / "UPR34_Slovenia_Thematic_list_of_Recommendations.docx",
    4: MATRICES / "original_docx" / "upr48-slovenia-thematic-list-of-recommendatio.docx",
}
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "recommendations"

# SOURCE.md of upr-info-sessions-1-17: rows, Accepted, Noted per file.
UPRINFO_COUNTS = {
    "recommendations_sessions_1-5.csv": (6094, 4087, 2007),
    "recommendations_sessions_6-9.csv": (8343, 6206, 2137),
    "recommendations_sessions_10-13.csv": (9047, 6980, 2067),
    "recommendations_sessions_14-17.csv": (9598, 7105, 2493),
}


def need(path: Path) -> Path:
    return need_shared(path)


def comparable(record: RecommendationRecord) -> dict:
    fields = dict(vars(record))
    fields.pop("row")
    fields["text"] = clean(fields["text"])
    return fields


def rewrite_csv(source: Path, target: Path, change) -> None:
    """Copy a CSV through csv.reader/writer, letting `change(line_number, row)` edit a row in place."""
    with (
        source.open(encoding="utf-8-sig", newline="") as read,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out)
        for number, row in enumerate(csv.reader(read), start=1):
            change(number, row)
            writer.writerow(row)


# ---------------------------------------------------------------------------------------------------------
# UPR Info


def test_uprinfo_real_files_match_the_counts_in_source_md():
    totals = Counter()
    for name, (rows, accepted, noted) in UPRINFO_COUNTS.items():
        records = list(uprinfo.parse(need(UPRINFO / name)))
        assert all(isinstance(r, RecommendationRecord) for r in records)
        responses = Counter(r.response for r in records)
        assert (len(records), responses["supported"], responses["noted"]) == (rows, accepted, noted)
        totals.update(responses)
        assert records[0].row == 2
        assert records[-1].row == rows + 1
    assert sum(totals.values()) == 33082
    assert (totals["supported"], totals["noted"]) == (24378, 8704)


def test_uprinfo_records_carry_session_cycle_action_and_54_issue_labels():
    labels, sessions, cycles = set(), Counter(), {}
    for name in UPRINFO_COUNTS:
        for record in uprinfo.parse(need(UPRINFO / name)):
            assert record.mechanism == "UPR"
            assert record.text
            assert record.state_under_review
            assert 1 <= record.action_category <= 5
            labels.update(record.themes)
            sessions[record.session] += 1
            cycles[record.session] = record.cycle
    assert len(labels) == 54
    assert all(label.startswith("uprinfo:") for label in labels)
    assert "uprinfo:Technical assistance and cooperation" in labels
    assert sorted(sessions) == list(range(1, 18))
    assert {session: cycles[session] for session in (1, 12, 13, 17)} == {1: 1, 12: 1, 13: 2, 17: 2}


def test_uprinfo_first_row_and_unknown_recommender():
    first = next(iter(uprinfo.parse(need(UPRINFO / "recommendations_sessions_1-5.csv"))))
    assert first.row == 2
    assert first.state_under_review == "Afghanistan"
    assert first.recommending_states == ["Austria"]
    assert first.response == "supported"
    assert first.session == 5
    assert first.cycle == 1
    assert first.action_category == 5
    assert first.themes == ["uprinfo:Rights of the Child", "uprinfo:Women's rights"]
    unknown = [
        r for r in uprinfo.parse(UPRINFO / "recommendations_sessions_1-5.csv") if not r.recommending_states
    ]
    assert len(unknown) == 9
    assert {r.state_under_review for r in unknown} == {"Indonesia"}


def test_uprinfo_pledges():
    records = list(uprinfo.parse(need(UPRINFO / "voluntary_pledges_sessions_1-20.csv")))
    assert len(records) == 947
    assert all(isinstance(r, PledgeRecord) for r in records)
    assert records[0].state == "Albania"
    assert records[0].session == 19
    assert records[0].cycle == 2
    assert records[0].themes == ["uprinfo:Minorities", "uprinfo:National plan of action"]
    assert not any(r.text != r.text.strip() or "  " in r.text for r in records)  # whitespace normalised


def test_uprinfo_excerpt_fixture():
    records = list(uprinfo.parse(FIXTURES / "uprinfo_excerpt.csv"))
    assert len(records) == 20
    assert [r.row for r in records] == list(range(2, 22))
    assert Counter(r.response for r in records) == Counter(supported=13, noted=7)
    assert [r.session for r in records if r.session in (13, 14)] == [13, 13, 13, 14, 14, 14, 14]
    assert {r.session: r.cycle for r in records} == {5: 1, 1: 1, 6: 1, 13: 2, 14: 2}
    assert [r.recommending_states for r in records[5:10]] == [[]] * 5  # "&#40;Unknown&#41;"
    assert all(r.themes and r.action_category for r in records)
    pledges = list(uprinfo.parse(FIXTURES / "uprinfo_pledges_excerpt.csv"))
    assert len(pledges) == 10
    assert all(isinstance(p, PledgeRecord) and p.state == "Albania" for p in pledges)


def test_uprinfo_issue_labels_split_on_commas_without_a_space():
    assert uprinfo.split_issues("Rights of the Child,Women's rights") == [
        "Rights of the Child",
        "Women's rights",
    ]
    assert uprinfo.split_issues("Asylum-seekers, refugees,Justice") == ["Asylum-seekers, refugees", "Justice"]
    assert uprinfo.split_issues("") == []
    assert uprinfo.split_issues("NHRI,NHRI,") == ["NHRI"]


def test_upr_cycle_table():
    assert [upr_cycle(s) for s in (1, 12, 13, 26, 27, 40, 41, 54)] == [1, 1, 2, 2, 3, 3, 4, 4]
    assert upr_cycle(None) is None
    assert upr_cycle(55) is None


def test_uprinfo_broken_session_names_row_and_field(tmp_path):
    broken = tmp_path / "recommendations_sessions_1-5.csv"

    def change(number, row):
        if number == 100:
            row[10] = "abc"

    rewrite_csv(need(UPRINFO / "recommendations_sessions_1-5.csv"), broken, change)
    with pytest.raises(ImportRowError) as caught:
        list(uprinfo.parse(broken))
    error = caught.value
    assert (error.file, error.row, error.field) == (broken.name, 100, "Session")
    assert "row 100" in str(error)
    assert "'abc'" in str(error)


@pytest.mark.parametrize(
    ("column", "value", "field", "reason"),
    [
        (3, "   ", "Text", "empty"),
        (7, "Maybe", "Response", "unknown response"),
        (8, "7", "Action", "out of range"),
        (0, "", "To", "empty"),
    ],
)
def test_uprinfo_bad_values_raise(tmp_path, column, value, field, reason):
    broken = tmp_path / "excerpt.csv"

    def change(number, row):
        if number == 12:
            row[column] = value

    rewrite_csv(FIXTURES / "uprinfo_excerpt.csv", broken, change)
    with pytest.raises(ImportRowError) as caught:
        list(uprinfo.parse(broken))
    assert (caught.value.row, caught.value.field) == (12, field)
    assert reason in caught.value.reason


def test_uprinfo_missing_column_and_empty_rows(tmp_path):
    lines = (FIXTURES / "uprinfo_excerpt.csv").read_text(encoding="utf-8").splitlines()
    with_blank = tmp_path / "blank.csv"
    with_blank.write_text(
        "\n".join([lines[0], lines[1], ",,,,,,,,,,", "", lines[2]]) + "\n", encoding="utf-8"
    )
    assert [r.row for r in uprinfo.parse(with_blank)] == [2, 5]  # genuinely empty rows are skipped
    no_session = tmp_path / "no_session.csv"
    rewrite_csv(FIXTURES / "uprinfo_excerpt.csv", no_session, lambda number, row: row.pop())
    with pytest.raises(ImportRowError) as caught:
        list(uprinfo.parse(no_session))
    assert (caught.value.row, caught.value.field) == (1, "Session")


# ---------------------------------------------------------------------------------------------------------
# OHCHR matrix


def test_matrix_csv_counts_per_cycle():
    records = list(ohchr_matrix.parse(need(MATRIX_CSV)))
    assert len(records) == 632
    assert Counter(r.cycle for r in records) == {2: 163, 3: 215, 4: 254}
    assert Counter(r.response for r in records) == {"supported": 541, "noted": 91}
    assert {(r.cycle, r.session, r.document_symbol) for r in records} == {
        (2, 20, "A/HRC/28/15"),
        (3, 34, "A/HRC/43/15"),
        (4, 48, "A/HRC/59/15"),
    }
    assert all(
        r.mechanism == "UPR" and r.state_under_review == "Slovenia" and r.recommending_states for r in records
    )
    assert sum(1 for r in records if r.sdg_goals) == 456


def test_matrix_csv_fields_match_the_extracted_columns():
    with need(MATRIX_CSV).open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    records = list(ohchr_matrix.parse(MATRIX_CSV))
    for row, record in zip(rows, records, strict=True):
        assert record.paragraph == row["rec_id"]
        assert clean(row["text"]) == f"{record.paragraph} {record.text}"
        # the parser re-derives the recommending States from the text with the SOURCE.md rules
        assert record.recommending_states == row["recommending_states_parsed"].split("|")
        # OHCHR printed the same goal twice in 3 rows (122.127, 122.137, 140.205): records list it once
        assert record.sdg_goals == list(dict.fromkeys(g for g in row["sdg_goals"].split("|") if g))
        assert record.response_source == row["source_of_position"]
    first = records[0]
    assert first.text.startswith("Take further steps for the ratification")
    assert first.text.endswith("(Croatia);")
    assert first.themes == ["uhri:A12"]
    assert first.affected_groups == ["general"]
    cycle4 = next(r for r in records if r.paragraph == "140.7")
    assert cycle4.themes[0] == "uhri-name:Ratification of & accession to international instruments"
    assert cycle4.sdg_goals == ["1", "2", "3", "4", "5", "6", "7", "8"]
    nested = next(r for r in records if r.paragraph == "115.8")
    assert "Venezuela (Bolivarian Republic of)" in nested.recommending_states


@pytest.mark.parametrize("cycle", [2, 3, 4])
def test_matrix_docx_equals_csv(cycle):
    from_docx = list(ohchr_matrix.parse(need(DOCX[cycle])))
    from_csv = [r for r in ohchr_matrix.parse(need(MATRIX_CSV)) if r.cycle == cycle]
    assert len(from_docx) == len(from_csv) == {2: 163, 3: 215, 4: 254}[cycle]
    assert [r.paragraph for r in from_docx] == [r.paragraph for r in from_csv]
    assert [comparable(r) for r in from_docx] == [comparable(r) for r in from_csv]
    assert from_docx[0].row == 3  # table header = 1, then the first Theme heading


def test_matrix_docx_metadata_comes_from_the_document():
    record = next(iter(ohchr_matrix.parse(need(DOCX[4]))))
    assert (record.state_under_review, record.cycle, record.session) == ("Slovenia", 4, 48)
    assert record.document_symbol == "A/HRC/59/15"
    assert record.paragraph == "140.7"
    assert record.recommending_states == ["Maldives", "Portugal"]
    assert record.response_source == "A/HRC/59/15/Add.1 - Para.3"


def test_matrix_excerpt_fixture():
    records = list(ohchr_matrix.parse(FIXTURES / "ohchr_matrix_slovenia_excerpt.csv"))
    assert len(records) == 23
    assert Counter(r.cycle for r in records) == {2: 10, 3: 8, 4: 5}
    assert Counter(r.response for r in records) == {"supported": 16, "noted": 7}
    by_paragraph = {r.paragraph: r for r in records}
    assert by_paragraph["121.2"].recommending_states == ["Ukraine", "Slovakia"]
    assert by_paragraph["115.8"].recommending_states[2] == "Venezuela (Bolivarian Republic of)"
    if MATRIX_CSV.exists():  # the excerpt yields exactly the records of the full file
        full = {(r.cycle, r.paragraph): comparable(r) for r in ohchr_matrix.parse(MATRIX_CSV)}
        assert all(comparable(r) == full[(r.cycle, r.paragraph)] for r in records)


def test_recommending_states_rules():
    states = ohchr_matrix.recommending_states
    assert states("Ratify it (France) (Lithuania);") == ["France", "Lithuania"]
    assert states("Ratify ILO Convention, 1930 (No. 29) (United Kingdom);") == ["United Kingdom"]
    assert states("Ratify the convention (CRPD) (Spain, Portugal)") == ["Spain", "Portugal"]
    assert states("Do X (Ukraine); Do Y (Slovakia).") == ["Ukraine", "Slovakia"]
    assert states("Protect persons (including children) in detention (Chile);") == ["Chile"]
    assert states("Act (Venezuela (Bolivarian Republic of), Peru);") == [
        "Venezuela (Bolivarian Republic of)",
        "Peru",
    ]


def test_matrix_bad_position_raises(tmp_path):
    broken = tmp_path / "matrix.csv"

    def change(number, row):
        if number == 5:
            row[10] = "Partially supported"
        if number == 7:
            row[8] = ""

    rewrite_csv(FIXTURES / "ohchr_matrix_slovenia_excerpt.csv", broken, change)
    with pytest.raises(ImportRowError) as caught:
        list(ohchr_matrix.parse(broken))
    assert (caught.value.row, caught.value.field) == (5, "position")
    rewrite_csv(
        FIXTURES / "ohchr_matrix_slovenia_excerpt.csv",
        broken,
        lambda n, row: n == 7 and row.__setitem__(8, ""),
    )
    with pytest.raises(ImportRowError) as caught:
        list(ohchr_matrix.parse(broken))
    assert (caught.value.row, caught.value.field) == (7, "text")


# ---------------------------------------------------------------------------------------------------------
# UHRI (no real export is in shared/data: a sheet built with the export's column names)

UHRI_HEADER = [
    "Text",
    "Countries Concerned",
    "Reccomending Body",
    "Document Symbol",
    "Themes",
    "Affected Persons",
    "Sdgs",
    "Document Publication Date",
    "UPR Reccomending States",
    "UPR Position",
    "Type",
    "OHCHR Annotation Id",
    "UPR Session",
    "Regions Concerned",
    "Recommending Regions",
    "Date of publication on UHRI",
]


def uhri_rows():
    return [
        [
            "140.19 Further strengthen the independence of the Office of the Human Rights Ombudsman (Kazakhstan);",
            "- Slovenia",
            "- UPR",
            "A/HRC/59/15",
            "- National Human Rights Institution (NHRI)",
            "- Public officials",
            "- 16 - PEACE, JUSTICE AND STRONG INSTITUTIONS",
            45700,
            "- Kazakhstan",
            "- Supported",
            "- Recommendations",
            "id-upr-1",
            "- 48th Session",
            "- Eastern European States",
            "",
            "",
        ],
        [
            "23. The Committee recommends that the State party adopt a plan on gender-based violence.",
            "- Slovenia",
            "- CEDAW",
            "CEDAW/C/SVN/CO/7",
            "- Gender-based violence\n- Women's rights",
            "- Women & girls",
            "- 5.2 - Eliminate violence against women and girls",
            "2023-11-03",
            "",
            "",
            "- Recommendations",
            "id-cedaw-1",
            "",
            "- Eastern European States",
            "",
            "",
        ],
        [
            "The Special Rapporteur recommends measures on housing.",
            "- Slovenia\n- Croatia",
            "- SR on adequate housing\n- Special Procedures",
            "A/HRC/00/00",
            "- Right to adequate housing",
            "",
            "",
            "",
            "",
            "",
            "- Recommendations",
            "id-sp-1",
            "",
            "",
            "",
            "",
        ],
    ]


def write_xlsx(path: Path, header: list[str], rows: list[list]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def test_uhri_export_sheet(tmp_path):
    path = write_xlsx(tmp_path / "uhri-export.xlsx", UHRI_HEADER, uhri_rows())
    assert detect.detect_format(path) == "uhri"
    upr, cedaw, *sp = list(detect.parse(path))
    assert (upr.mechanism, upr.paragraph, upr.response, upr.session, upr.cycle) == (
        "UPR",
        "140.19",
        "supported",
        48,
        4,
    )
    assert upr.text.startswith("Further strengthen")
    assert upr.recommending_states == ["Kazakhstan"]
    assert upr.date.isoformat() == "2025-02-12"
    assert upr.external_id == "id-upr-1"
    assert upr.themes == ["uhri-name:National Human Rights Institution (NHRI)"]
    assert upr.sdg_goals == ["16"]
    assert (cedaw.mechanism, cedaw.paragraph, cedaw.response) == ("CEDAW", "23", "not_applicable")
    assert cedaw.sdg_goals == ["5"]
    assert cedaw.sdg_targets == ["5.2"]
    assert cedaw.date.isoformat() == "2023-11-03"
    assert cedaw.themes == ["uhri-name:Gender-based violence", "uhri-name:Women's rights"]
    assert [(r.state_under_review, r.mechanism, r.recommending_body) for r in sp] == [
        ("Slovenia", "SP", "SR on adequate housing"),
        ("Croatia", "SP", "SR on adequate housing"),
    ]
    assert sp[0].themes is not sp[1].themes


def test_uhri_csv_and_bad_rows(tmp_path):
    path = tmp_path / "uhri.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(UHRI_HEADER)
        rows = uhri_rows()
        rows[1][9] = "- Maybe"
        writer.writerows(rows)
    assert detect.detect_format(path) == "uhri"
    with pytest.raises(ImportRowError) as caught:
        list(uhri.parse(path))
    assert (caught.value.row, caught.value.field) == (3, "UPR Position")


def test_uhri_mechanisms():
    assert uhri.mechanism_for(["UPR"]) == ("UPR", "")
    assert uhri.mechanism_for(["CRC-OP-SC"]) == ("CRC", "CRC-OP-SC")
    assert uhri.mechanism_for(["WG on arbitrary detention"]) == ("SP", "WG on arbitrary detention")
    assert uhri.mechanism_for(["Some new body"]) == ("Some new body", "")  # left to the importer to refuse


# ---------------------------------------------------------------------------------------------------------
# hrtc template and detection


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_template_round_trip(tmp_path, suffix):
    path = hrtc_template.write_template(tmp_path / f"template{suffix}")
    assert read_header(path) == hrtc_template.TEMPLATE_COLUMNS
    assert detect.detect_format(path) == "hrtc"
    upr, cedaw = list(detect.parse(path))
    assert (upr.row, upr.state_under_review, upr.mechanism, upr.cycle, upr.session) == (
        2,
        "SVN",
        "UPR",
        4,
        48,
    )
    assert upr.recommending_states == ["Kazakhstan"]
    assert upr.paragraph == "140.19"
    assert upr.response == "supported"
    assert upr.sdg_goals == ["16"]
    assert upr.themes == ["uhri-name:National Human Rights Institution (NHRI)"]
    assert (cedaw.row, cedaw.mechanism, cedaw.response, cedaw.language) == (
        3,
        "CEDAW",
        "not_applicable",
        "en",
    )
    assert cedaw.date.isoformat() == "2025-01-31"
    assert cedaw.themes == ["Gender-based violence", "Women's rights"]
    assert cedaw.sdg_goals == ["5", "16"]
    assert cedaw.sdg_targets == ["5.2", "16.3"]


@pytest.mark.parametrize(
    ("column", "value", "reason"),
    [
        ("text", "", "empty"),
        ("date", "31/01/2025", "not a date"),
        ("session", "forty", "not a whole number"),
        ("response", "accepted", "unknown response"),
        ("sdg_targets", "5-2", "not an SDG target"),
        ("sdg_goals", "18", "not an SDG goal"),
        ("language", "eng", "ISO 639-1"),
    ],
)
def test_template_bad_values(tmp_path, column, value, reason):
    path = hrtc_template.write_template(tmp_path / "template.csv")
    broken = tmp_path / "broken.csv"
    index = hrtc_template.TEMPLATE_COLUMNS.index(column)
    rewrite_csv(path, broken, lambda number, row: number == 3 and row.__setitem__(index, value))
    with pytest.raises(ImportRowError) as caught:
        list(hrtc_template.parse(broken))
    assert (caught.value.row, caught.value.field) == (3, column)
    assert reason in caught.value.reason


def test_template_refuses_unknown_columns(tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text("state_under_review,mechanism,text,respons\nSVN,UPR,Do it,supported\n", encoding="utf-8")
    with pytest.raises(ImportRowError) as caught:
        list(hrtc_template.parse(path))
    assert (caught.value.row, caught.value.field) == (1, "respons")


def test_detection_of_every_real_file():
    expected = {path: "uprinfo" for path in need(UPRINFO).glob("*.csv")}
    expected[need(MATRIX_CSV)] = "ohchr-matrix"
    expected.update({path: "ohchr-matrix" for path in DOCX.values()})
    assert len(expected) == 9
    for path, format in expected.items():
        assert detect.detect_format(path) == format, path.name


def test_detection_of_fixtures_and_format_override(tmp_path):
    assert detect.detect_format(FIXTURES / "uprinfo_excerpt.csv") == "uprinfo"
    assert detect.detect_format(FIXTURES / "uprinfo_pledges_excerpt.csv") == "uprinfo"
    assert detect.detect_format(FIXTURES / "ohchr_matrix_slovenia_excerpt.csv") == "ohchr-matrix"
    renamed = tmp_path / "anything.csv"
    shutil.copy(FIXTURES / "uprinfo_excerpt.csv", renamed)
    assert len(list(detect.parse(renamed, "uprinfo"))) == 20
    with pytest.raises(ImportRowError, match="unknown format 'nope'; use one of hrtc, uprinfo"):
        list(detect.parse(renamed, "nope"))


def test_detection_refuses_what_it_cannot_read(tmp_path):
    unknown = tmp_path / "other.csv"
    unknown.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(
        ImportRowError, match=r"unrecognised format .*use --format one of hrtc, uprinfo, ohchr-matrix"
    ):
        detect.detect_format(unknown)
    text = tmp_path / "notes.txt"
    text.write_text("hello", encoding="utf-8")
    with pytest.raises(ImportRowError, match="unrecognised format"):
        detect.detect_format(text)
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportRowError, match="empty"):
        detect.detect_format(empty)
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"not a zip")
    with pytest.raises(ImportRowError, match="unrecognised format"):
        detect.detect_format(fake)
    assert [parser.FORMAT for parser in detect.PARSERS] == ["hrtc", "uprinfo", "ohchr-matrix", "uhri"]
    assert all(parser.LABEL for parser in detect.PARSERS)


def test_xlsx_copy_of_a_real_file_reads_like_the_csv(tmp_path):
    with (FIXTURES / "uprinfo_excerpt.csv").open(encoding="utf-8", newline="") as handle:
        header, *rows = list(csv.reader(handle))
    rows = [[int(v) if i in (8, 10) else v for i, v in enumerate(row)] for row in rows]  # numbers as numbers
    path = write_xlsx(tmp_path / "uprinfo.xlsx", header, rows)
    assert detect.detect_format(path) == "uprinfo"
    from_xlsx = list(detect.parse(path))
    from_csv = list(detect.parse(FIXTURES / "uprinfo_excerpt.csv"))
    assert [vars(r) for r in from_xlsx] == [vars(r) for r in from_csv]
