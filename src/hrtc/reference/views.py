from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from hrtc.core import access
from hrtc.reference import directory, models
from hrtc.reference.choices import RegionalGroup, UnStatus


def home(request):
    sections = [
        ("reference:states", _("States"), access.visible(request.user, models.State.objects).count()),
        ("reference:sdgs", _("Sustainable Development Goals and targets"), models.SdgTarget.objects.count()),
        ("reference:themes", _("Human-rights themes"), models.Theme.objects.count()),
        ("reference:mechanisms", _("Mechanisms"), models.Mechanism.objects.count()),
        ("reference:affected-groups", _("Affected groups"), models.AffectedGroup.objects.count()),
        ("reference:funds", _("Voluntary funds"), models.Fund.objects.count()),
        ("reference:currencies", _("Currencies"), models.Currency.objects.count()),
    ]
    for section in directory.SECTIONS:  # what other apps keep in the directory (accounts: providers)
        names = [url for url, _label, _count in sections]
        at = names.index(section.after) + 1 if section.after in names else len(sections)
        sections.insert(at, (section.url_name, section.label, section.count(request)))
    return render(request, "reference/home.html", {"sections": sections})


def states(request):
    queryset = access.visible(request.user, models.State.objects.all())
    q = request.GET.get("q", "").strip()
    group = request.GET.get("group", "")
    status = request.GET.get("status", "")
    flags = [f for f in ("ldc", "lldc", "sids") if request.GET.get(f)]
    if q:
        queryset = queryset.filter(Q(name__icontains=q) | Q(code__iexact=q) | Q(alpha2__iexact=q))
    if group in RegionalGroup.values:
        queryset = queryset.filter(regional_group=group)
    if status in UnStatus.values:
        queryset = queryset.filter(un_status=status)
    for name in flags:
        queryset = queryset.filter(**{f"is_{name}": True})
    page = Paginator(queryset, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page,
        "q": q,
        "group": group,
        "status": status,
        "flags": flags,
        "groups": RegionalGroup.choices,
        "statuses": UnStatus.choices,
        "query": query.urlencode(),
        "total": queryset.count(),
    }
    template = "reference/_states_table.html" if request.htmx else "reference/states.html"
    return render(request, template, context)


def state_detail(request, code: str):
    state = get_object_or_404(access.visible(request.user, models.State.objects.all()), code=code.upper())
    panels = [(panel.template, panel.context(request, state)) for panel in directory.STATE_PANELS]
    return render(request, "reference/state_detail.html", {"state": state, "panels": panels})


def sdgs(request):
    goals = access.visible(request.user, models.SdgGoal.objects.prefetch_related("targets"))
    return render(request, "reference/sdgs.html", {"goals": goals})


def themes(request):
    themes = access.visible(
        request.user, models.Theme.objects.select_related("parent").prefetch_related("mapped_to__target")
    )
    vocabulary = request.GET.get("vocabulary", "uhri")
    return render(
        request,
        "reference/themes.html",
        {
            "themes": themes.filter(vocabulary=vocabulary),
            "vocabulary": vocabulary,
            "vocabularies": models.ThemeVocabulary.choices,
        },
    )


def _cell(row, attr: str):
    value = getattr(row, attr)
    return value() if callable(value) else value


def simple_list(title, queryset_factory, columns):
    """A page that lists one reference table: columns are (heading, attribute)."""

    def view(request):
        rows = access.visible(request.user, queryset_factory())
        table = [[_cell(row, attr) for _, attr in columns] for row in rows]
        return render(
            request,
            "reference/list.html",
            {"title": title, "headings": [h for h, _ in columns], "rows": table},
        )

    return view


mechanisms = simple_list(
    _("Mechanisms"),
    lambda: models.Mechanism.objects.all(),
    [(_("Code"), "code"), (_("Name"), "name"), (_("Kind"), "get_kind_display")],
)
affected_groups = simple_list(
    _("Affected groups"),
    lambda: models.AffectedGroup.objects.all(),
    [(_("Code"), "code"), (_("Name"), "name"), (_("UHRI code"), "uhri_code")],
)
funds = simple_list(
    _("Voluntary funds"), lambda: models.Fund.objects.all(), [(_("Code"), "code"), (_("Name"), "name")]
)
currencies = simple_list(
    _("Currencies (ISO 4217)"),
    lambda: models.Currency.objects.all(),
    [(_("Code"), "code"), (_("Name"), "name")],
)
