"""`hrtc report KIND ... --format F -o FILE`: the file, its manifest, the message, and one clear line on bad input."""

import io
import json
import re
from io import StringIO

import pypdf
import pytest
from django.core.management import CommandError, call_command
from docx import Document

from hrtc.accounts.policy import SYSTEM
from hrtc.reports import builders
from hrtc.reports.document import Params
from hrtc.reports.models import SavedReport
from tests.reports.world import END, START, make_world


def run(*args) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_the_thematic_pdf_and_its_manifest(people, tmp_path):
    make_world(people)
    pdf, manifest = tmp_path / "out.pdf", tmp_path / "manifest.json"
    said = run("thematic", "--from", START.isoformat(), "--to", END.isoformat(), "--format", "pdf", "-o", str(pdf),
               "--manifest", str(manifest))  # fmt: skip
    expected = builders.build(Params.parse("thematic", start=START, end=END), SYSTEM)
    written = json.loads(manifest.read_text())
    assert written["content_sha256"] == expected.manifest["content_sha256"]
    assert f"Wrote {pdf}" in said
    assert written["content_sha256"][:12] in said
    text = "".join(p.extract_text() for p in pypdf.PdfReader(pdf).pages)
    assert expected.title in text


def test_every_kind_and_format_from_the_command_line(people, tmp_path):
    make_world(people)
    for kind, extra in (
        ("country", ["--state", "KEN"]),
        ("fund", ["--fund", "VFTC"]),
        ("gender", ["--region", "AFRICAN"]),
    ):
        target = tmp_path / f"{kind}.docx"
        run(kind, "--from", START.isoformat(), "--to", END.isoformat(), *extra, "-o", str(target))
        document = Document(io.BytesIO(target.read_bytes()))
        assert any(p.style.name == "Heading 1" for p in document.paragraphs), kind
    run("gender", "--public", "--save", "-o", str(tmp_path / "g.xlsx"), "--from", START.isoformat())
    saved = SavedReport.objects.get()
    assert saved.audience == "public"
    assert {f.format for f in saved.files.all()} == {
        "html",
        "pdf",
        "docx",
        "xlsx",
    }


def test_bad_input_is_one_clear_line(people, tmp_path):
    with pytest.raises(CommandError, match="one State"):
        run("country", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="Unknown fund 'NOPE'"):
        run("fund", "--fund", "NOPE", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="Say which format"):
        run("gender", "-o", str(tmp_path / "x.txt"))
    with pytest.raises(CommandError, match="No user 'nobody'"):
        run("gender", "--as", "nobody", "-o", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match=re.escape("reports.save")):
        run("gender", "--as", "cso.member", "--save", "-o", str(tmp_path / "x.pdf"))
