from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtc.accounts import policy
from hrtc.accounts import selectors as account_selectors
from hrtc.assistance import selectors as assistance_selectors
from hrtc.core.exceptions import DomainError
from hrtc.practices import selectors, services
from hrtc.practices.choices import LANGUAGES, PracticeStatus
from hrtc.practices.forms import practice_fields
from hrtc.practices.lifecycle import EDITABLE, available_from
from hrtc.practices.models import Attachment
from hrtc.reference.models import AffectedGroup, State, Theme


def practice_list(request):
    found = selectors.filtered(request.user, request.GET).prefetch_related("themes")
    if not request.GET.get("status"):
        found = found.filter(status=PracticeStatus.PUBLISHED)
    page = Paginator(found, 20).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "practices/list.html",
        {
            "page": page,
            "query": params.urlencode(),
            "filters": request.GET,
            "practice_languages": LANGUAGES,
            "statuses": PracticeStatus.choices,
            "states": State.objects.filter(practices__isnull=False).distinct(),
            "queue": selectors.moderation_queue(request.user)[:50],
            "mine": selectors.mine(request.user).exclude(status=PracticeStatus.PUBLISHED)[:50],
            "can_submit": policy.can(request.user, "practices.submit"),
        },
    )


def practice_detail(request, slug: str):
    practice = get_object_or_404(
        selectors.practices_visible(request.user).prefetch_related(
            "themes", "sdg_targets", "affected_groups", "providers", "attachments"
        ),
        slug=slug,
    )
    can_edit = practice.status in EDITABLE and policy.can(request.user, "practices.edit", practice)
    transitions = [t for t in available_from(practice.status) if policy.can(request.user, t.action, practice)]
    return render(
        request,
        "practices/detail.html",
        {
            "practice": practice,
            "can_edit": can_edit,
            "transitions": transitions,
            "events": selectors.history(practice, request.user),
            "related": selectors.related(practice, request.user),
            "translations": selectors.translations(practice, request.user),
            "grew_from": selectors.grew_from(practice, request.user),
            "max_mb": services.max_attachment_bytes() // (1024 * 1024),
        },
    )


def _interface_language(request) -> str:
    code = (getattr(request, "LANGUAGE_CODE", "") or "en").split("-")[0]
    return code if code in dict(LANGUAGES) else "en"


def _form_context(request, practice=None, error=None):
    return {
        "practice": practice,
        "error": error,
        "data": request.POST if request.method == "POST" else None,
        "practice_languages": LANGUAGES,
        "chosen_language": (request.POST.get("language") if request.method == "POST" else None)
        or getattr(practice, "language", None)
        or _interface_language(request),
        "states": State.objects.all(),
        "themes": Theme.objects.filter(vocabulary="uhri", level__gte=2),
        "groups": AffectedGroup.objects.all(),
        "providers": account_selectors.providers(),
        "chosen_themes": {str(t.pk) for t in practice.themes.all()} if practice else set(),
        "chosen_groups": {g.code for g in practice.affected_groups.all()} if practice else set(),
        "chosen_providers": {str(o.pk) for o in practice.providers.all()} if practice else set(),
        "my_requests": assistance_selectors.requests_visible(request.user).exclude(status="draft")[:200],
        "my_activities": assistance_selectors.activities_visible(request.user)[:200],
        "chosen_requests": {str(r.pk) for r in practice.requests.all()} if practice else set(),
        "chosen_activities": {str(a.pk) for a in practice.activities.all()} if practice else set(),
    }


@login_required
def practice_new(request):
    if not policy.can(request.user, "practices.submit"):
        raise PermissionDenied(_("Sign in to submit a good practice."))
    if request.method == "POST":
        uploads = request.FILES.getlist("attachments")
        try:
            for upload in uploads:  # every file is checked before anything is written
                services.check_upload(upload)
            with transaction.atomic():  # the practice and its files, or nothing
                practice = services.practice_submit(
                    by=request.user, **practice_fields(request.POST, request.user)
                )
                for upload in uploads:
                    services.attachment_add(practice=practice, by=request.user, upload=upload)
        except DomainError as error:
            return render(request, "practices/form.html", _form_context(request, error=error), status=422)
        messages.success(
            request, _("Thank you. A moderator will review your practice before it is published.")
        )
        return redirect(practice)
    return render(request, "practices/form.html", _form_context(request))


@login_required
def practice_edit(request, slug: str):
    practice = get_object_or_404(selectors.practices_visible(request.user), slug=slug)
    if not policy.can(request.user, "practices.edit", practice):
        raise PermissionDenied(_("Only the author may edit this practice."))
    if request.method == "POST":
        uploads = request.FILES.getlist("attachments")
        try:
            for upload in uploads:
                services.check_upload(upload)
            with transaction.atomic():
                practice = services.practice_edit(
                    practice=practice, by=request.user, **practice_fields(request.POST, request.user)
                )
                for upload in uploads:
                    services.attachment_add(practice=practice, by=request.user, upload=upload)
        except DomainError as error:
            return render(request, "practices/form.html", _form_context(request, practice, error), status=422)
        messages.success(request, _("Saved."))
        return redirect(practice)
    return render(request, "practices/form.html", _form_context(request, practice))


@login_required
@require_POST
def practice_transition(request, slug: str):
    practice = get_object_or_404(selectors.practices_visible(request.user), slug=slug)
    try:
        services.practice_transition(
            practice=practice,
            by=request.user,
            name=request.POST.get("transition", ""),
            comment=request.POST.get("comment", ""),
        )
        messages.success(request, _("Done."))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(practice)


def attachment_download(request, pk: int):
    """Attachments are served through the policy (never straight from the media folder)."""
    attachment = get_object_or_404(
        policy.visible(request.user, Attachment.objects.select_related("practice")), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    response = FileResponse(
        handle,
        content_type=attachment.content_type,
        as_attachment=attachment.content_type == "application/pdf",
        filename=attachment.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
