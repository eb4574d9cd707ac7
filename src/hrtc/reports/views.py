"""Pages: choose a report's parameters, watch it being generated in the background (htmx polls the run),
preview the HTML and download each format; saved reports with their versions; publishing. Thin."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from hrtc.accounts import policy
from hrtc.core.exceptions import DomainError
from hrtc.reports import selectors, services
from hrtc.reports.choices import CONTENT_TYPES, ReportFormat
from hrtc.reports.document import Params
from hrtc.reports.forms import ReportForm
from hrtc.reports.models import report_storage


def home(request):
    user = request.user
    form = ReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        if form.is_valid():
            data = form.cleaned_data
            try:
                params = Params.parse(
                    data["kind"],
                    start=data["start"],
                    end=data["end"],
                    states=data["states"],
                    region=data["region"],
                    theme=data["theme"],
                    provider=data["provider"],
                    fund=data["fund"],
                    language=data["language"],
                    title=data["title"],
                )
                run = services.run_request(by=user, params=params, audience=data["audience"])
                return redirect(run)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, error.message)
        status = 422
    context = {
        "form": form,
        "can_generate": policy.can(user, "reports.generate"),
        "runs": selectors.runs_visible(user).filter(requested_by=user.pk)[:10]
        if user.is_authenticated
        else [],
        "saved": selectors.saved_visible(user)[:10],
        "formats": ReportFormat.choices,
    }
    return render(request, "reports/home.html", context, status=status)


def _login_url() -> str:
    from django.conf import settings
    from django.urls import reverse

    return reverse(settings.LOGIN_URL)


def _run(request, pk):
    return get_object_or_404(selectors.runs_visible(request.user), pk=pk)


def _run_context(request, run) -> dict:
    return {
        "run": run,
        "formats": [(fmt, label) for fmt, label in ReportFormat.choices if fmt in run.files],
        "can_save": policy.can(request.user, "reports.save"),
    }


@login_required
def run_detail(request, pk):
    run = _run(request, pk)
    return render(request, "reports/run.html", _run_context(request, run))


@login_required
def run_status(request, pk):
    """The run's status block, polled by htmx until the run is finished."""
    run = _run(request, pk)
    return render(request, "reports/_run_status.html", _run_context(request, run))


def _file_response(name: str, fmt: str, *, inline: bool) -> FileResponse:
    storage = report_storage()
    if not storage.exists(name):
        raise Http404
    response = FileResponse(
        storage.open(name, "rb"),
        as_attachment=not inline,
        filename=name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[fmt],
    )
    if fmt == ReportFormat.HTML:
        # The preview is our own HTML, but shown as a document in a frame: no scripts, nothing else.
        response["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"
        )
    return response


@login_required
@xframe_options_sameorigin
def run_file(request, pk, fmt: str):
    run = _run(request, pk)
    if fmt not in run.files:
        raise Http404
    return _file_response(run.files[fmt], fmt, inline=bool(request.GET.get("inline")))


@login_required
@require_POST
def run_save(request, pk):
    run = _run(request, pk)
    try:
        saved = services.report_save_run(
            run=run, by=request.user, symbol=request.POST.get("symbol", "").strip()
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(run)
    messages.success(
        request,
        _("Saved as %(symbol)s, version %(version)d.") % {"symbol": saved.symbol, "version": saved.version},
    )
    return redirect(saved)


def saved_list(request):
    page = Paginator(selectors.saved_visible(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "reports/saved_list.html", {"page": page})


def _withdrawn_notice(request, pk: int):
    """A version withdrawn from the public (a State withdrew consent to data it contained): a notice, no file,
    for whoever may no longer see it; 404 if there is no such withdrawn version."""
    withdrawn = selectors.withdrawn_version(pk)
    if withdrawn is None:
        raise Http404
    context = {"saved": withdrawn, "versions": selectors.versions_of(request.user, withdrawn)}
    return render(request, "reports/withdrawn.html", context, status=410)


def saved_detail(request, pk: int):
    saved = selectors.saved_visible(request.user).filter(pk=pk).first()
    if saved is None:
        return _withdrawn_notice(request, pk)
    context = {
        "saved": saved,
        "versions": selectors.versions_of(request.user, saved),
        "can_publish": policy.can(request.user, "reports.publish", saved),
        "tables": saved.manifest.get("tables", []),
    }
    return render(request, "reports/saved.html", context)


@xframe_options_sameorigin
def saved_file(request, pk: int, fmt: str):
    saved = selectors.saved_visible(request.user).filter(pk=pk).first()
    if saved is None:
        return _withdrawn_notice(request, pk)
    item = get_object_or_404(selectors.files_visible(request.user), report=saved, format=fmt)
    return _file_response(item.file.name, fmt, inline=bool(request.GET.get("inline")))


@login_required
@require_POST
def saved_publish(request, pk: int):
    saved = get_object_or_404(selectors.saved_visible(request.user), pk=pk)
    try:
        if request.POST.get("action") == "unpublish":
            services.report_unpublish(saved=saved, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Withdrawn from the portal."))
        else:
            services.report_publish(saved=saved, by=request.user)
            messages.success(request, _("Published."))
    except PermissionDenied:
        raise
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(saved)
