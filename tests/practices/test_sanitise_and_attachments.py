"""User HTML is sanitised; attachments are typed by their bytes, size-capped, stored through the storage
API and served only to those who may see the practice."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from hrtc.core.exceptions import InvalidInput
from hrtc.practices import services
from hrtc.practices.models import Attachment
from hrtc.practices.sanitize import clean_html
from tests.practices.test_moderation import submit

ATTACKS = [
    '<p>ok</p><script>alert("x")</script>',
    '<p onclick="steal()">ok</p>',
    '<img src="x" onerror="steal()">',
    '<a href="javascript:alert(1)">ok</a>',
    "<style>body{display:none}</style><p>ok</p>",
    '<iframe src="https://evil.example"></iframe><p>ok</p>',
    '<svg onload="steal()"><p>ok</p></svg>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">ok</a>',
    '<p style="background:url(javascript:alert(1))">ok</p>',
]

# The smallest well-formed files of each kind (real bytes, not names).
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


@pytest.mark.parametrize("attack", ATTACKS)
def test_scripts_event_handlers_and_unsafe_urls_are_removed(attack):
    cleaned = clean_html(attack).lower()
    for bad in (
        "<script",
        "onclick",
        "onerror",
        "onload",
        "javascript:",
        "<style",
        "<iframe",
        "data:",
        "style=",
    ):
        assert bad not in cleaned, (attack, cleaned)


def test_formatting_and_safe_links_survive():
    kept = clean_html(
        '<p>A <strong>b</strong> <em>c</em> <a href="https://www.ohchr.org/">OHCHR</a></p><ul><li>x</li></ul>'
    )
    assert "<strong>b</strong>" in kept
    assert "<em>c</em>" in kept
    assert "<li>x</li>" in kept
    assert 'href="https://www.ohchr.org/"' in kept
    assert 'rel="noopener noreferrer nofollow"' in kept


def test_the_stored_body_is_the_sanitised_one(people):
    practice = submit(people, body='<p onmouseover="x()">Useful</p><script>bad()</script>')
    practice.refresh_from_db()
    assert practice.body == "<p>Useful</p>"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.HRTC_ATTACHMENT_MAX_BYTES = 4096
    return tmp_path


def files_in(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


def test_a_pdf_and_an_image_are_stored_with_the_type_read_from_their_bytes(people, media):
    practice = submit(people)
    pdf = services.attachment_add(
        practice=practice, by=people.cso_member, upload=SimpleUploadedFile("report.pdf", PDF, "text/plain")
    )
    png = services.attachment_add(
        practice=practice,
        by=people.cso_member,
        upload=SimpleUploadedFile("photo.bin", PNG, "application/x-foo"),
    )
    assert (pdf.content_type, png.content_type) == ("application/pdf", "image/png")
    assert len(files_in(media)) == 2
    assert pdf.file.read() == PDF


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", PDF + b"0" * 5000, "at most"),
        ("page.pdf", b"<html><script>alert(1)</script></html>", "not a PDF or an image"),
        ("tool.png", b"MZ\x90\x00\x03\x00\x00\x00 windows executable", "not a PDF or an image"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_oversized_wrongly_typed_and_empty_uploads_are_refused_and_change_nothing(
    people, media, name, content, message
):
    practice = submit(people)
    with pytest.raises(InvalidInput, match=message) as error:
        services.attachment_add(
            practice=practice, by=people.cso_member, upload=SimpleUploadedFile(name, content)
        )
    assert error.value.field == "file"
    assert name in error.value.message
    assert Attachment.objects.count() == 0
    assert files_in(media) == []


def test_only_the_author_side_may_attach(people, media):
    from hrtc.accounts.policy import AccessDenied

    practice = submit(people)
    with pytest.raises(AccessDenied):
        services.attachment_add(
            practice=practice, by=people.kenya_focal_point, upload=SimpleUploadedFile("r.pdf", PDF)
        )
    assert files_in(media) == []


def test_attachments_are_served_only_to_who_may_see_the_practice(api, live_people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    practice = submit(live_people)
    attachment = services.attachment_add(
        practice=practice, by=live_people.cso_member, upload=SimpleUploadedFile("brief.pdf", PDF)
    )
    url = f"/practices/attachments/{attachment.pk}/"
    with api.client() as anonymous, api.client(live_people.cso_member) as author:
        assert anonymous.get(url).status_code == 404
        # the API's token auth does not apply to pages; the author reads it through the API listing instead
        listed = author.get(f"/api/v1/practices/{practice.slug}/").json()
        assert listed["attachments"][0]["url"] == url
        for step in ("review", "publish"):
            services.practice_transition(practice=practice, by=live_people.ohchr_officer, name=step)
        served = anonymous.get(url)
        assert served.status_code == 200
        assert served.content == PDF
        assert served.headers["content-type"] == "application/pdf"
        assert served.headers["x-content-type-options"] == "nosniff"


def test_a_form_with_one_bad_file_saves_neither_the_practice_nor_any_file(client, people, media):
    from hrtc.practices.models import Practice

    client.force_login(people.cso_member)
    answer = client.post(
        "/practices/new/",
        {
            "title": "Mobile birth registration",
            "summary": "Registrars travel to remote villages.",
            "body": "<p>Twice a year.</p>",
            "language": "en",
            "attachments": [
                SimpleUploadedFile("report.pdf", PDF, "application/pdf"),
                SimpleUploadedFile("virus.pdf", b"MZ not really a pdf", "application/pdf"),
            ],
        },
    )
    assert answer.status_code == 422
    assert "virus.pdf" in answer.content.decode()
    assert not Practice.objects.filter(title="Mobile birth registration").exists()
    assert Attachment.objects.count() == 0
    assert files_in(media) == []
    good = client.post(
        "/practices/new/",
        {
            "title": "Mobile birth registration",
            "summary": "Registrars travel to remote villages.",
            "body": "<p>Twice a year.</p>",
            "language": "en",
            "attachments": [SimpleUploadedFile("report.pdf", PDF, "application/pdf")],
        },
    )
    assert good.status_code == 302
    assert Practice.objects.get(title="Mobile birth registration").attachments.count() == 1
