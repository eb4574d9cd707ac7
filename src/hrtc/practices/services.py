"""Every write in the good-practices app: submission, edits by the author, moderation, attachments.
Policy-checked, audited, one transaction each."""

from __future__ import annotations

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from hrtc.accounts import policy
from hrtc.accounts.models import Organisation
from hrtc.core import audit
from hrtc.core.exceptions import Conflict, InvalidInput
from hrtc.core.workflow import apply_transition
from hrtc.practices.choices import LANGUAGES, PracticeStatus
from hrtc.practices.lifecycle import EDITABLE, WORKFLOW
from hrtc.practices.models import Attachment, Practice, PracticeEvent
from hrtc.practices.sanitize import clean_html, plain_text

#: What may be attached: PDF and common images, recognised by their first bytes (never by the name or the
#: browser's word), each with the content type we serve it as.
SIGNATURES = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
]
DEFAULT_MAX_BYTES = 10 * 1024 * 1024

SIMPLE_FIELDS = ("title", "summary", "body", "language", "state", "region", "results", "evidence")
M2M_FIELDS = (
    "providers", "themes", "sdg_targets", "affected_groups", "recommendations", "requests", "activities",
)  # fmt: skip


def max_attachment_bytes() -> int:
    return int(getattr(settings, "HRTC_ATTACHMENT_MAX_BYTES", DEFAULT_MAX_BYTES))


def _clean(fields: dict) -> dict:
    out = dict(fields)
    for name in ("title", "summary", "results", "evidence", "region"):
        if name in out and out[name] is not None:
            out[name] = str(out[name]).strip()
    if "body" in out:
        out["body"] = clean_html(out["body"])
    if "title" in out and not out["title"]:
        raise InvalidInput(_("A good practice needs a title."), field="title")
    if "summary" in out and not out["summary"]:
        raise InvalidInput(_("Write a short summary of the practice."), field="summary")
    if "body" in out and not plain_text(out["body"]):
        raise InvalidInput(
            _("Describe the practice (the body is empty once unsafe markup is removed)."), field="body"
        )
    if "language" in out and out["language"] not in dict(LANGUAGES):
        raise InvalidInput(
            _("Unknown language %(code)r; use one of %(codes)s.")
            % {"code": out["language"], "codes": ", ".join(dict(LANGUAGES))},
            field="language",
        )
    return out


def _check_links(fields: dict, by) -> None:
    """A practice may only point at records its author can see: linking must not reveal or probe them."""
    from hrtc.assistance import selectors as assistance

    checks = {
        "requests": assistance.requests_visible(by),
        "activities": assistance.activities_visible(by),
    }
    for name, allowed in checks.items():
        wanted = {obj.pk for obj in fields.get(name) or ()}
        if wanted and len(wanted & set(allowed.filter(pk__in=wanted).values_list("pk", flat=True))) != len(
            wanted
        ):
            raise InvalidInput(_("Some linked %(what)s do not exist.") % {"what": name}, field=name)
    for org in fields.get("providers") or ():
        if not isinstance(org, Organisation):
            raise InvalidInput(_("Providers must be organisations."), field="providers")


def _unique_slug(title: str) -> str:
    base = slugify(title, allow_unicode=False)[:80] or "practice"
    slug, n = base, 1
    while Practice.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _author_org(by) -> Organisation | None:
    seats = policy.principal(by).seats
    return Organisation.objects.filter(pk__in=[s.organisation_id for s in seats[:1]]).first()


@transaction.atomic
def practice_submit(*, by, slug: str = "", translation_of: Practice | None = None, **fields) -> Practice:
    """Any signed-in stakeholder submits a practice; it waits for a moderator."""
    policy.require(by, "practices.submit")
    unknown = set(fields) - set(SIMPLE_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    fields = _clean(fields)
    for required in ("title", "summary", "body"):
        if not fields.get(required):
            raise InvalidInput(_("This field is required."), field=required)
    _check_links(fields, by)
    if translation_of is not None and translation_of.language == fields.get("language", "en"):
        raise InvalidInput(_("A translation is in another language than its original."), field="language")
    simple = {k: v for k, v in fields.items() if k in SIMPLE_FIELDS}
    with audit.acting_as(by):
        practice = Practice.objects.create(
            slug=slug or _unique_slug(fields["title"]),
            translation_of=translation_of,
            submitted_by=audit._real_user(by),
            organisation=_author_org(by),
            **simple,
        )
        for name in M2M_FIELDS:
            if fields.get(name):
                getattr(practice, name).set(fields[name])
        PracticeEvent.objects.create(practice=practice, to_status=practice.status, by=audit._real_user(by))
    return practice


@transaction.atomic
def practice_edit(*, practice: Practice, by, **fields) -> Practice:
    """The author (or their organisation's writers) edit while it is submitted or returned."""
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    policy.require(by, "practices.edit", practice)
    if practice.status not in EDITABLE:
        raise Conflict(
            _("A practice that is %(status)s cannot be edited; ask a moderator to return it.")
            % {"status": practice.get_status_display().lower()}
        )
    unknown = set(fields) - set(SIMPLE_FIELDS) - set(M2M_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.", field=sorted(unknown)[0])
    fields = _clean(fields)
    _check_links(fields, by)
    with audit.acting_as(by):
        for name, value in fields.items():
            if name in SIMPLE_FIELDS:
                setattr(practice, name, value)
        practice.save()
        for name in M2M_FIELDS:
            if name in fields:
                getattr(practice, name).set(fields[name] or [])
    return practice


@transaction.atomic
def practice_transition(*, practice: Practice, by, name: str, comment: str = "") -> Practice:
    """Move a practice through moderation (``core.workflow``); a move the workflow does not allow is refused
    (409), a missing comment where one is required too (422)."""

    def change(locked: Practice, transition, source: str) -> list[str]:
        if transition.target == PracticeStatus.PUBLISHED:
            locked.published_at = timezone.now()
        elif source == PracticeStatus.PUBLISHED:
            locked.published_at = None
        return ["published_at"]

    def event(locked: Practice, transition, source: str, why: str) -> None:
        PracticeEvent.objects.create(
            practice=locked,
            from_status=source,
            to_status=transition.target,
            by=audit._real_user(by),
            comment=why,
        )

    practice, _transition, _source = apply_transition(
        WORKFLOW, practice, by=by, name=name, reason=comment, change=change, event=event
    )
    return practice


def _sniff(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def check_upload(upload: UploadedFile) -> str:
    """Refuse (422, naming the file) an upload that is too big, empty, or not a PDF or an image; return the
    content type read from its bytes. Callers check every file of a form before writing anything."""
    limit = max_attachment_bytes()
    if upload.size is None or upload.size > limit:
        raise InvalidInput(
            _("%(name)s is %(size).1f MB; attachments may be at most %(limit).0f MB.")
            % {"name": upload.name, "size": (upload.size or 0) / 1e6, "limit": limit / 1e6},
            field="file",
        )
    if upload.size == 0:
        raise InvalidInput(_("%(name)s is empty.") % {"name": upload.name}, field="file")
    content_type = _sniff(upload)
    if content_type is None:
        raise InvalidInput(
            _("%(name)s is not a PDF or an image (PNG, JPEG, GIF, WebP).") % {"name": upload.name},
            field="file",
        )
    return content_type


@transaction.atomic
def attachment_add(*, practice: Practice, by, upload: UploadedFile, description: str = "") -> Attachment:
    """Attach a PDF or an image. The type is read from the file's first bytes; size is capped."""
    policy.require(by, "practices.edit", practice)
    if practice.status not in EDITABLE:
        raise Conflict(_("Attachments can be added while the practice is submitted or returned."))
    content_type = check_upload(upload)
    with audit.acting_as(by):
        attachment = Attachment(
            practice=practice,
            name=(upload.name or "attachment")[-200:],
            content_type=content_type,
            size=upload.size,
            description=description.strip()[:300],
            uploaded_by=audit._real_user(by),
        )
        attachment.file.save(upload.name or "attachment", upload, save=False)
        try:
            attachment.save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by) -> None:
    policy.require(by, "practices.edit", attachment.practice)
    if attachment.practice.status not in EDITABLE:
        raise Conflict(_("Attachments can be removed while the practice is submitted or returned."))
    name = attachment.file.name
    storage = attachment.file.storage
    with audit.acting_as(by):
        attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
