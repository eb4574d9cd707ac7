"""The rendered report says what the queries say: text extracted from the PDF (pypdf) and the DOCX
(python-docx) carries the same numbers as the selectors return for the same data; titles in Arabic and
Chinese survive; an empty period says so; generating twice gives the same content."""

import io
import json
import re

import pypdf
import pytest
from docx import Document
from openpyxl import load_workbook

from hrtc.accounts.policy import SYSTEM
from hrtc.reports import builders, queries
from hrtc.reports.document import Params, format_value
from hrtc.reports.exporters import render
from tests.reports.world import END, START, make_world

#: Tables whose cells are short enough never to wrap in the PDF: their rows read as one line each.
ONE_LINE_TABLES = [
    queries.key_figures,
    queries.requests_by_outcome,
    queries.activities_by_region,
    queries.gender_marker_distribution,
    queries.participants_by_sex,
]


@pytest.fixture
def world(people):
    return make_world(people)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def docx_tables(data: bytes) -> dict[str, list[list[str]]]:
    """Each table of the document by the caption paragraph just before it."""
    document = Document(io.BytesIO(data))
    body = document.element.body
    found, caption = {}, None
    paragraphs = {p._p: p for p in document.paragraphs}
    tables = {t._tbl: t for t in document.tables}
    for child in body.iterchildren():
        if child in paragraphs and paragraphs[child].style.name == "Caption":
            caption = paragraphs[child].text
        elif child in tables and caption is not None:
            found[caption] = [[cell.text for cell in row.cells] for row in tables[child].rows]
            caption = None
    return found


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def thematic(user=SYSTEM, **options):
    return builders.build(Params.parse("thematic", start=START, end=END, **options), user)


def test_the_numbers_in_the_pdf_are_the_queries_results(world):
    report = thematic()
    text = re.sub(r"\s+", " ", pdf_text(render(report, "pdf")))
    scope = queries.Scope(user=SYSTEM, params=report.params)
    for query in ONE_LINE_TABLES:
        table = query(scope)
        assert table.rows, table.key
        for row in table.formatted_rows():
            assert re.search(r"\s+".join(re.escape(cell) for cell in row), text), (table.key, row)
    flows = queries.fund_flows(scope)
    for value in (
        v for row in flows.rows for v, c in zip(row, flows.columns, strict=True) if c.kind == "usd"
    ):
        assert format_value(value, "usd") in text


def test_the_docx_tables_are_the_queries_results_under_real_headings(world):
    report = thematic()
    data = render(report, "docx")
    tables = docx_tables(data)
    scope = queries.Scope(user=SYSTEM, params=report.params)
    for query in [
        *ONE_LINE_TABLES,
        queries.fund_flows,
        queries.activities_by_sdg,
        queries.status_changes_with_assistance,
    ]:
        table = query(scope)
        assert tables[table.title] == [[c.label for c in table.columns], *table.formatted_rows()], table.key
    document = Document(io.BytesIO(data))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings == [f"{n}. {s.title}" for n, s in enumerate(report.sections, start=1)] + [
        "About this report"
    ]
    pictures = document.inline_shapes
    assert len(pictures) == len(report.figures)
    described = [
        p.get("descr")
        for p in document.element.body.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}docPr"
        )
    ]
    assert described == [f.alt for f in report.figures]
    assert all(described)


def test_what_the_public_sees_leaves_out_unpublished_activities(world):
    internal = world.activities[3]
    text = pdf_text(render(thematic(None), "pdf"))
    assert "public data only" in text
    assert internal.title not in text
    assert internal.title in docx_text(render(thematic(), "docx"))  # in the internal report's status changes


def test_arabic_and_chinese_titles_survive_into_the_pdf_text(world):
    for language, title in (("ar", "التعاون التقني في مجال حقوق الإنسان"), ("zh", "人权领域的技术合作")):
        report = thematic(language=language, title=title)
        pdf = render(report, "pdf")
        assert title in pdf_text(pdf), language
        assert title in docx_text(render(report, "docx"))
        html = render(report, "html").decode()
        assert f'<html lang="{language}" dir="{"rtl" if language == "ar" else "ltr"}">' in html


def test_a_report_with_no_data_in_its_period_says_so(world):
    for kind, options in (("thematic", {}), ("country", {"states": "SVN"}), ("fund", {}), ("gender", {})):
        params = Params.parse(kind, start="2001-01-01", end="2001-12-31", **options)
        report = builders.build(params, SYSTEM)
        assert not report.figures
        for fmt, extract in (("pdf", pdf_text), ("docx", docx_text)):
            text = extract(render(report, fmt))
            assert "No data in this period." in text, (kind, fmt)
        annex = load_workbook(io.BytesIO(render(report, "xlsx")))
        assert annex.sheetnames[0] == "00 about"


def test_generating_twice_from_the_same_data_gives_the_same_content(world):
    first, second = thematic(), thematic()
    assert first.manifest["content_sha256"] == second.manifest["content_sha256"]
    assert pdf_text(render(first, "pdf")) == pdf_text(render(second, "pdf"))
    assert docx_text(render(first, "docx")) == docx_text(render(second, "docx"))

    def without_manifest(html: bytes) -> str:  # the manifest holds the generation time
        return re.sub(r'<script id="hrtc-manifest".*?</script>', "", html.decode(), flags=re.S)

    assert without_manifest(render(first, "html")) == without_manifest(render(second, "html"))


def test_the_manifest_names_the_query_behind_every_table_and_figure(world):
    report = thematic()
    manifest = report.manifest
    assert manifest["parameters"]["from"] == START.isoformat()
    assert manifest["hrtc_version"]
    assert manifest["data_as_of"]
    assert manifest["generated_for"] == "all records"
    for entry in manifest["tables"]:
        module, _, name = entry["query"].rpartition(".")
        assert module == "hrtc.reports.queries"
        assert getattr(queries, name).report_query
        assert entry["parameters"]["kind"] == "thematic"
    keys = {t["key"] for t in manifest["tables"]}
    assert {f["table"] for f in manifest["figures"]} <= keys
    html = render(report, "html").decode()
    embedded = json.loads(
        re.search(r'<script id="hrtc-manifest" type="application/json">(.*?)</script>', html, re.S)[1]
    )
    assert embedded["content_sha256"] == manifest["content_sha256"]


def test_the_data_annex_holds_every_table_behind_every_chart(world):
    report = thematic()
    annex = load_workbook(io.BytesIO(render(report, "xlsx")))
    sheets = {ws["A1"].value: ws for ws in annex.worksheets[1:]}
    for table in report.tables:
        ws = sheets[table.title]
        assert ws["B2"].value == table.query
        header = next(
            i
            for i, row in enumerate(ws.iter_rows(values_only=True), start=1)
            if row[0] == table.columns[0].label
        )
        rows = [list(r) for r in ws.iter_rows(min_row=header + 1, values_only=True)]
        assert len(rows) == len(table.rows)
        numeric = [i for i, c in enumerate(table.columns) if c.numeric]
        for got, want in zip(rows, table.rows, strict=True):
            assert [got[i] for i in numeric] == [
                want[i] if want[i] is None else float(want[i]) for i in numeric
            ]
    charted = {f.table for f in report.figures}
    assert charted <= {t.key for t in report.tables}


def test_charts_are_accessible_and_deterministic(world):
    report = thematic()
    html = render(report, "html").decode()
    assert html.count('role="img"') == len(report.figures)
    for figure in report.figures:
        assert f'aria-label="{figure.alt}"' in html or figure.alt.replace('"', "&quot;") in html
        assert figure.title in figure.alt
    again = thematic()
    render(again, "html")
    assert [f.svg for f in report.figures] == [f.svg for f in again.figures]
