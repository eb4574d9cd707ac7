import tempfile
from datetime import date
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from hrtc.accounts import policy
from hrtc.core.exceptions import DomainError
from hrtc.recommendations import selectors, services
from hrtc.recommendations.api import import_upload
from hrtc.recommendations.choices import ImplementationStatus, Response
from hrtc.recommendations.importers import detect, hrtc_template
from hrtc.recommendations.models import Recommendation, ResponsibleEntity
from hrtc.reference.models import Mechanism, SdgGoal, State, Theme

FILTER_NAMES = [
    "state",
    "mechanism",
    "cycle",
    "response",
    "status",
    "theme",
    "group",
    "sdg",
    "recommending_state",
    "entity",
    "cluster",
    "q",
]


def recommendation_list(request):
    queryset = selectors.recommendations_filtered(request.user, request.GET)
    page = Paginator(
        selectors.with_list_relations(queryset).order_by("state_under_review", "-cycle", "id"), 50
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    active = {name: request.GET.get(name) for name in FILTER_NAMES if request.GET.get(name)}
    context = {
        "page": page,
        "total": page.paginator.count,
        "facets": selectors.facets(queryset),
        "query": query.urlencode(),
        "active": active,
        "states": State.objects.only("code", "name"),
        "mechanisms": Mechanism.objects.all(),
        "responses": Response.choices,
        "statuses": ImplementationStatus.choices,
        "goals": SdgGoal.objects.all(),
        "can_edit": policy.can(request.user, "recommendations.import"),
        "entities": ResponsibleEntity.objects.filter(state=active.get("state", "").upper())
        if active.get("state")
        else ResponsibleEntity.objects.none(),
    }
    template = "recommendations/_results.html" if request.htmx else "recommendations/list.html"
    return render(request, template, context)


def recommendation_detail(request, pk: int):
    try:
        rec = selectors.recommendation_detail(request.user, pk)
    except Recommendation.DoesNotExist:
        raise Http404(_("No such recommendation.")) from None
    siblings = (
        selectors.recommendations_visible(request.user)
        .filter(cluster=rec.cluster_id)
        .exclude(pk=rec.pk)
        .select_related("mechanism")[:50]
        if rec.cluster_id
        else []
    )
    context = {
        "rec": rec,
        "assessments": rec.visible_assessments,
        "siblings": siblings,
        "can_assess": policy.can(request.user, "recommendations.assess", rec),
        "can_assess_internal": policy.can(request.user, "recommendations.assess_internal", rec),
        "statuses": ImplementationStatus.choices,
        "today": date.today().isoformat(),
    }
    return render(request, "recommendations/detail.html", context)


@login_required
@require_POST
def assessment_create(request, pk: int):
    rec = get_object_or_404(selectors.recommendations_visible(request.user), pk=pk)
    try:
        as_of = date.fromisoformat(request.POST["as_of"]) if request.POST.get("as_of") else None
        services.assessment_record(
            subject=rec,
            by=request.user,
            status=request.POST.get("status", ""),
            as_of=as_of,
            evidence=request.POST.get("evidence", ""),
            evidence_url=request.POST.get("evidence_url", "").strip(),
            internal=request.POST.get("internal") == "on",
        )
        messages.success(request, _("Status recorded."))
    except (DomainError, ValueError) as error:
        messages.error(request, getattr(error, "message", str(error)))
    return redirect("recommendations:detail", pk=pk)


def state_overview(request, code: str):
    state = get_object_or_404(policy.visible(request.user, State.objects.all()), code=code.upper())
    overview = selectors.state_overview(request.user, state)
    charts = []
    for key, title in (
        ("mechanism", _("By mechanism")),
        ("response", _("By response")),
        ("status", _("By implementation status")),
        ("cycle", _("By UPR cycle")),
        ("theme", _("Top themes")),
        ("sdg", _("SDGs (from the source)")),
    ):
        rows = overview["facets"][key][:12]
        peak = max((r["count"] for r in rows), default=1)
        charts.append(
            {"key": key, "title": title, "rows": [{**r, "pct": round(75 * r["count"] / peak)} for r in rows]}
        )
    return render(
        request, "recommendations/state.html", {"state": state, "overview": overview, "charts": charts}
    )


@login_required
@require_POST
def bulk_assign(request):
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    recs = list(selectors.recommendations_visible(request.user).filter(pk__in=ids))
    entities = list(ResponsibleEntity.objects.filter(pk__in=request.POST.getlist("entities")))
    themes = list(Theme.objects.filter(pk__in=[t for t in request.POST.getlist("themes") if t.isdigit()]))
    try:
        changed = services.recommendations_bulk_assign(
            recommendations=recs, by=request.user, entities=entities, themes=themes
        )
        messages.success(request, _("%(n)d recommendations updated.") % {"n": changed})
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(request.POST.get("next") or "recommendations:list")


@login_required
def import_page(request):
    if not policy.can(request.user, "recommendations.import"):
        raise PermissionDenied(_("Importing needs an editor role at OHCHR or in a State's government."))
    context = {"formats": [(p.FORMAT, p.LABEL) for p in detect.PARSERS]}
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            context["error"] = _("Choose a file to import.")
        else:
            try:
                context["report"] = import_upload(
                    upload, by=request.user, format=request.POST.get("format") or None
                )
            except DomainError as error:
                context["error"] = error.message
    return render(request, "recommendations/import.html", context, status=422 if "error" in context else 200)


def template_download(request, suffix: str):
    if suffix not in {"csv", "xlsx"}:
        raise Http404
    tmp = Path(tempfile.mkdtemp()) / f"hrtc-recommendations-template.{suffix}"
    hrtc_template.write_template(tmp)
    return FileResponse(tmp.open("rb"), as_attachment=True, filename=tmp.name)
