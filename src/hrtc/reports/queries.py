"""The queries behind every table of every report. Each is a named function of a `Scope` (who is asking, and
the report's parameters); the manifest records its dotted name and parameters, so every number in a report
can be traced to the query that produced it and re-run.

The queries read through the other apps' selectors (`activities_visible`, `requests_visible`,
`recommendations_visible`, `sdg_coverage`, `fund_statement`, ...), so a report shows a person only what they
may see: the public sees published activities the State consents to and the requests whose summary the State
made public. A filter or grouping on a field a reader may read only in full (which providers a State asked for
or consented to, participants per affected group, needs) applies only to the records they read in full
(``hrtc.core.disclosure``); otherwise a public report would be an oracle for it. Money is read from the funds'
ledger as aggregates, which the funds app publishes in its statements anyway.

Every consent-dependent record a query draws on is noted with `Scope.disclose`, so that the manifest of a
public report says which ones it disclosed and a published version can be withdrawn when one of them stops
being public (``hrtc.reports.disclosed``).
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from hrtc.accounts import policy
from hrtc.accounts.models import Organisation
from hrtc.assistance.choices import GenderMarker, Modality, RequestStatus
from hrtc.assistance.models import Activity, AssistanceRequest, RequestEvent
from hrtc.assistance.selectors import activities_visible, requests_visible
from hrtc.core import disclosure
from hrtc.funds.choices import Account, TransactionKind
from hrtc.funds.models import LedgerEntry, LedgerTransaction
from hrtc.funds.selectors import cents
from hrtc.funds.statements import CATEGORY
from hrtc.recommendations.choices import ImplementationStatus, Response
from hrtc.recommendations.models import Assessment, Recommendation
from hrtc.recommendations.selectors import recommendations_visible
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import Fund, Mechanism, SdgGoal, State, Theme
from hrtc.reference.selectors import theme_family
from hrtc.reports.disclosed import CONSENT_DEPENDENT, encode
from hrtc.reports.document import Column, Params, Table

ZERO = Decimal("0.00")
#: Long lists (activities of a State, status changes) show this many rows and say how many there are.
LIST_LIMIT = 100


@dataclass
class Scope:
    """Who is asking and what for. Base querysets are built once per report."""

    user: Any
    params: Params
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)
    _drawn_on: list[QuerySet] = field(default_factory=list, repr=False)

    def _once(self, key: str, build: Callable[[], Any]) -> Any:
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def disclose(self, records: QuerySet) -> QuerySet:
        """Note that the report draws on these records (evaluated only for a public report's manifest)."""
        if records.model._meta.label_lower in CONSENT_DEPENDENT:
            self._drawn_on.append(records)
        return records

    def disclosed(self) -> dict[str, str] | None:
        """For a report drawn from public data, the consent-dependent records it drew on (model label →
        compact id ranges); None for a report drawn from a person's own view (it cannot be published)."""
        if policy.principal(self.user).is_authenticated:
            return None
        found: dict[str, set[int]] = defaultdict(set)
        for records in self._drawn_on:
            found[records.model._meta.label_lower].update(records.values_list("pk", flat=True))
        return {label: encode(ids) for label, ids in sorted(found.items()) if ids}

    @property
    def period(self) -> tuple[datetime, datetime]:
        zone = timezone.get_current_timezone()
        return (
            datetime.combine(self.params.start, time.min, tzinfo=zone),
            datetime.combine(self.params.end, time.max, tzinfo=zone),
        )

    def state_codes(self) -> list[str] | None:
        """The States the report is narrowed to (by --state or --region), or None for all."""

        def build() -> list[str] | None:
            if not (self.params.states or self.params.region):
                return None
            states = State.objects.all()
            if self.params.states:
                states = states.filter(code__in=self.params.states)
            if self.params.region:
                states = states.filter(regional_group=self.params.region)
            return list(states.values_list("code", flat=True))

        return self._once("states", build)

    def theme_ids(self) -> list[int] | None:
        """The theme asked for and its equivalents in the other vocabulary (UHRI ↔ UPR Info)."""

        def build() -> list[int] | None:
            if not self.params.theme:
                return None
            vocabulary, _sep, code = self.params.theme.partition(":")
            return sorted(theme_family(Theme.objects.get(vocabulary=vocabulary, code=code)))

        return self._once("themes", build)

    def provider(self) -> Organisation | None:
        return self._once(
            "provider",
            lambda: Organisation.objects.get(code=self.params.provider) if self.params.provider else None,
        )

    def activities(self) -> QuerySet[Activity]:
        """Visible activities under way at some time in the period (actual dates where known), filtered."""

        def build() -> QuerySet[Activity]:
            found = (
                activities_visible(self.user)
                .annotate(
                    begins=Coalesce("actual_start", "planned_start"),
                    ends=Coalesce("actual_end", "planned_end"),
                )
                .filter(begins__lte=self.params.end, ends__gte=self.params.start)
            )
            found = self._narrow_activities(found)
            return self.disclose(Activity.objects.filter(pk__in=found.values("pk")))

        return self._once("activities", build)

    def _narrow_activities(self, found: QuerySet[Activity]) -> QuerySet[Activity]:
        states, themes, provider = self.state_codes(), self.theme_ids(), self.provider()
        if states is not None:
            found = found.filter(state__in=states)
        if themes is not None:
            found = found.filter(
                pk__in=Activity.themes.through.objects.filter(theme__in=themes).values("activity")
            )
        if provider is not None:
            partnered = Activity.partners.through.objects.filter(organisation=provider).values("activity")
            found = found.filter(Q(lead_provider=provider) | Q(pk__in=partnered))
        if self.params.fund:
            from hrtc.funds.models import Grant

            financed = Grant.objects.filter(fund_id=self.params.fund, activity__isnull=False).values(
                "activity"
            )
            found = found.filter(pk__in=financed)
        return found

    def requests(self) -> QuerySet[AssistanceRequest]:
        """Visible requests submitted (received) in the period, filtered."""

        def build() -> QuerySet[AssistanceRequest]:
            start, end = self.period
            submitted = RequestEvent.objects.filter(
                to_status=RequestStatus.SUBMITTED, at__gte=start, at__lte=end
            ).values("request")
            found = requests_visible(self.user).filter(pk__in=submitted)
            states, themes, provider = self.state_codes(), self.theme_ids(), self.provider()
            if states is not None:
                found = found.filter(requesting_state__in=states)
            if themes is not None:
                found = found.filter(
                    pk__in=AssistanceRequest.themes.through.objects.filter(theme__in=themes).values(
                        "assistancerequest"
                    )
                )
            if provider is not None:
                # Which providers a State asked for or consented to is read only in full: by provider, only the
                # requests the reader reads in full count (a public report counts none), or the report would
                # tell anyone which providers a State consented to on a summary-only request.
                desired = AssistanceRequest.desired_providers.through.objects.filter(organisation=provider)
                shared = AssistanceRequest.consent_providers.through.objects.filter(organisation=provider)
                found = disclosure.of(AssistanceRequest).in_full(self.user, found)
                found = found.filter(
                    Q(pk__in=desired.values("assistancerequest"))
                    | Q(pk__in=shared.values("assistancerequest"))
                )
            return self.disclose(AssistanceRequest.objects.filter(pk__in=found.values("pk")))

        return self._once("requests", build)

    def recommendations(self) -> QuerySet[Recommendation]:
        """Visible recommendations received up to the end of the period (or undated), filtered."""

        def build() -> QuerySet[Recommendation]:
            found = recommendations_visible(self.user).filter(
                Q(date__isnull=True) | Q(date__lte=self.params.end)
            )
            states, themes = self.state_codes(), self.theme_ids()
            if states is not None:
                found = found.filter(state_under_review__in=states)
            if themes is not None:
                found = found.filter(
                    pk__in=Recommendation.themes.through.objects.filter(theme__in=themes).values(
                        "recommendation"
                    )
                )
            return found

        return self._once("recommendations", build)

    def ledger(self) -> QuerySet[LedgerEntry]:
        """Ledger entries of the period (value date), of the fund asked for, categorised like the statements."""
        entries = LedgerEntry.objects.filter(
            value_date__gte=self.params.start, value_date__lte=self.params.end
        )
        if self.params.fund:
            entries = entries.filter(fund_id=self.params.fund)
        return entries.annotate(category=CATEGORY)

    def grants_filter(self) -> Q | None:
        """Narrow grant entries to the grantee States / themes / provider asked for (None: no narrowing).

        The grantee State and the themes of the activity financed are what the funds' own statements publish
        (grants by State, by theme); who leads an activity is known only to those who see the activity, so by
        provider only grants to activities the reader sees count."""
        condition = Q()
        states = self.state_codes()
        if states is not None:
            condition &= Q(grant__state__in=states) | Q(grant__activity__state__in=states)
        themes, provider = self.theme_ids(), self.provider()
        if themes is not None:
            themed = Activity.themes.through.objects.filter(theme__in=themes).values("activity")
            condition &= Q(grant__activity__in=themed)
        if provider is not None:
            led = activities_visible(self.user).filter(lead_provider=provider).values("pk")
            condition &= Q(grant__activity__in=led)
            financed = self.ledger().filter(condition).values("grant__activity")
            self._once("grants_by_provider", lambda: self.disclose(Activity.objects.filter(pk__in=financed)))
        return condition if (states is not None or themes is not None or provider is not None) else None


def query(key: str) -> Callable[[Callable[..., Table]], Callable[..., Table]]:
    """Mark a function as a report query: the table it returns carries its dotted name and parameters."""

    def decorate(function: Callable[..., Table]) -> Callable[..., Table]:
        @functools.wraps(function)
        def run(scope: Scope, **options: Any) -> Table:
            table = function(scope, **options)
            table.key = key
            table.query = f"{function.__module__}.{function.__qualname__}"
            table.query_params = scope.params.as_dict() | {k: _plain(v) for k, v in options.items()}
            return table

        run.report_query = True  # type: ignore[attr-defined]
        return run

    return decorate


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value if isinstance(value, str | int | float | bool | type(None)) else str(value)


def _percent(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    return (Decimal(100) * Decimal(part) / Decimal(whole)).quantize(Decimal("0.1")) if whole else None


def _counts(queryset: QuerySet, field: str) -> list[tuple[Any, int]]:
    rows = queryset.order_by().values(field).annotate(n=Count("pk", distinct=True))
    return sorted(((row[field], row["n"]) for row in rows), key=lambda r: (-r[1], str(r[0])))


def _region_label(code: str | None) -> str:
    return str(dict(RegionalGroup.choices).get(code or "", _("No regional group")))


# ---------------------------------------------------------------------------------------------------------
# Key figures


@query("key_figures")
def key_figures(scope: Scope) -> Table:
    """Requests received, activities, States reached, participants, money committed in the period."""
    activities = scope.activities()
    sums = activities.aggregate(
        women=Coalesce(Sum("participants_women"), 0),
        men=Coalesce(Sum("participants_men"), 0),
        other=Coalesce(Sum("participants_other"), 0),
        states=Count("state", distinct=True),
        n=Count("pk"),
    )
    grants = scope.ledger().filter(account=Account.GRANTS_PAYABLE, category=TransactionKind.GRANT)
    narrowing = scope.grants_filter()
    if narrowing is not None:
        grants = grants.filter(narrowing)
    committed = grants.aggregate(usd=Sum(F("usd_credit") - F("usd_debit")))["usd"]
    rows = [
        [_("Requests for assistance received"), scope.requests().count()],
        [_("Activities under way in the period"), sums["n"]],
        [_("States where activities took place"), sums["states"]],
        [_("Participants"), sums["women"] + sums["men"] + sums["other"]],
        [_("Grants committed by the voluntary funds (USD)"), cents(committed)],
    ]
    return Table(
        "",
        _("Key figures"),
        [Column("figure", _("Figure")), Column("value", _("Value"), "number")],
        [[label, value] for label, value in rows],
        note=_("Grants are in US dollars; the other figures are counts."),
        counts_as_data=False,
    )


# ---------------------------------------------------------------------------------------------------------
# Requests


@query("requests_by_outcome")
def requests_by_outcome(scope: Scope) -> Table:
    counts = dict(_counts(scope.requests(), "status"))
    rows = [[str(label), counts[value]] for value, label in RequestStatus.choices if counts.get(value)]
    return Table(
        "",
        _("Requests received in the period, by outcome (current status)"),
        [Column("outcome", _("Outcome")), Column("requests", _("Requests"), "int")],
        rows,
    )


@query("requests_by_modality")
def requests_by_modality(scope: Scope) -> Table:
    counts = dict(_counts(scope.requests(), "modality"))
    rows = [[str(label), counts[value]] for value, label in Modality.choices if counts.get(value)]
    return Table(
        "",
        _("Requests received, by modality asked for"),
        [Column("modality", _("Modality")), Column("requests", _("Requests"), "int")],
        rows,
    )


@query("requests_of_state")
def requests_of_state(scope: Scope) -> Table:
    found = scope.requests().annotate(
        submitted=Min("events__at", filter=Q(events__to_status=RequestStatus.SUBMITTED))
    )
    statuses, modalities = dict(RequestStatus.choices), dict(Modality.choices)
    rows = [
        [r.title, str(modalities.get(r.modality, r.modality)), str(statuses[r.status]), r.submitted.date()]
        for r in found.order_by("submitted", "pk")[:LIST_LIMIT]
    ]
    return Table(
        "",
        _("Requests for assistance received in the period"),
        [
            Column("title", _("Request")),
            Column("modality", _("Modality")),
            Column("status", _("Status")),
            Column("submitted", _("Submitted"), "date"),
        ],
        rows,
        total_rows=found.count(),
    )


# ---------------------------------------------------------------------------------------------------------
# Activities


@query("activities_by_region")
def activities_by_region(scope: Scope) -> Table:
    rows = (
        scope.activities()
        .order_by()
        .values("state__regional_group")
        .annotate(
            n=Count("pk"),
            states=Count("state", distinct=True),
            people=Coalesce(Sum("participants_women"), 0)
            + Coalesce(Sum("participants_men"), 0)
            + Coalesce(Sum("participants_other"), 0),
        )
    )
    found = sorted(rows, key=lambda r: (-r["n"], _region_label(r["state__regional_group"])))
    return Table(
        "",
        _("Activities by region (UN regional group)"),
        [
            Column("region", _("Region")),
            Column("activities", _("Activities"), "int"),
            Column("states", _("States"), "int"),
            Column("participants", _("Participants"), "int"),
        ],
        [[_region_label(r["state__regional_group"]), r["n"], r["states"], r["people"]] for r in found],
    )


@query("activities_by_provider")
def activities_by_provider(scope: Scope) -> Table:
    rows = _counts(scope.activities(), "lead_provider__name")
    return Table(
        "",
        _("Activities by lead provider"),
        [Column("provider", _("Provider")), Column("activities", _("Activities"), "int")],
        [[name, n] for name, n in rows],
    )


@query("activities_by_theme")
def activities_by_theme(scope: Scope, limit: int = 15) -> Table:
    through = Activity.themes.through.objects.filter(activity__in=scope.activities().values("pk"))
    rows = through.values("theme__name").annotate(n=Count("activity", distinct=True)).order_by()
    found = sorted(((r["theme__name"], r["n"]) for r in rows), key=lambda r: (-r[1], r[0]))
    untagged = scope.activities().exclude(pk__in=through.values("activity")).count()
    table = Table(
        "",
        _("Activities by human-rights theme (the %(n)d most frequent)") % {"n": limit},
        [Column("theme", _("Theme")), Column("activities", _("Activities"), "int")],
        [[name, n] for name, n in found[:limit]],
        note=_("An activity may address several themes; %(n)s activities have no theme recorded.")
        % {"n": f"{untagged:,}"},
    )
    table.total_rows = len(found)
    return table


@query("activities_by_modality")
def activities_by_modality(scope: Scope) -> Table:
    counts = dict(_counts(scope.activities(), "modality"))
    rows = [[str(label), counts[value]] for value, label in Modality.choices if counts.get(value)]
    return Table(
        "",
        _("Activities by modality"),
        [Column("modality", _("Modality")), Column("activities", _("Activities"), "int")],
        rows,
    )


@query("activities_of_state")
def activities_of_state(scope: Scope) -> Table:
    found = scope.activities().select_related("lead_provider")
    statuses, markers = dict(_activity_statuses()), dict(GenderMarker.choices)
    rows = [
        [
            a.title,
            a.lead_provider.name,
            a.actual_start or a.planned_start,
            a.actual_end or a.planned_end,
            str(statuses[a.status]),
            str(markers[a.gender_marker]),
            a.participants_total,
        ]
        for a in found.order_by("planned_start", "pk")[:LIST_LIMIT]
    ]
    return Table(
        "",
        _("Activities under way in the period"),
        [
            Column("title", _("Activity")),
            Column("provider", _("Lead provider")),
            Column("start", _("Start"), "date"),
            Column("end", _("End"), "date"),
            Column("status", _("Status")),
            Column("gender_marker", _("Gender marker")),
            Column("participants", _("Participants"), "int"),
        ],
        rows,
        total_rows=found.count(),
    )


def _activity_statuses():
    from hrtc.assistance.choices import ActivityStatus

    return ActivityStatus.choices


# ---------------------------------------------------------------------------------------------------------
# Gender


@query("gender_marker_distribution")
def gender_marker_distribution(scope: Scope) -> Table:
    counts = dict(_counts(scope.activities(), "gender_marker"))
    whole = sum(counts.values())
    rows = [
        [str(label), counts.get(value, 0), _percent(counts.get(value, 0), whole)]
        for value, label in GenderMarker.choices
    ]
    return Table(
        "",
        _("Activities by gender equality marker"),
        [
            Column("marker", _("Gender equality marker")),
            Column("activities", _("Activities"), "int"),
            Column("share", _("Share"), "percent"),
        ],
        rows if whole else [],
        note=_(
            "OECD-DAC gender equality policy marker: 0 not targeted, 1 significant, 2 principal objective."
        ),
    )


@query("participants_by_sex")
def participants_by_sex(scope: Scope) -> Table:
    sums = scope.activities().aggregate(
        women=Coalesce(Sum("participants_women"), 0),
        men=Coalesce(Sum("participants_men"), 0),
        other=Coalesce(Sum("participants_other"), 0),
    )
    whole = sums["women"] + sums["men"] + sums["other"]
    rows = [
        [_("Women"), sums["women"], _percent(sums["women"], whole)],
        [_("Men"), sums["men"], _percent(sums["men"], whole)],
        [_("Other or not stated"), sums["other"], _percent(sums["other"], whole)],
    ]
    return Table(
        "",
        _("Participants by sex"),
        [
            Column("sex", _("Sex")),
            Column("participants", _("Participants"), "int"),
            Column("share", _("Share"), "percent"),
        ],
        rows if whole else [],
    )


def _year_of_activity() -> Any:
    return ExtractYear(Coalesce("actual_start", "planned_start"))


@query("gender_marker_by_provider")
def gender_marker_by_provider(scope: Scope) -> Table:
    rows = (
        scope.activities().order_by().values("lead_provider__name", "gender_marker").annotate(n=Count("pk"))
    )
    table: dict[str, Counter] = defaultdict(Counter)
    for row in rows:
        table[row["lead_provider__name"]][row["gender_marker"]] += row["n"]
    found = []
    for name, counts in table.items():
        whole = sum(counts.values())
        targeted = counts[GenderMarker.SIGNIFICANT] + counts[GenderMarker.PRINCIPAL]
        found.append([name, *(counts[m] for m in GenderMarker.values), whole, _percent(targeted, whole)])
    found.sort(key=lambda r: (-r[4], r[0]))
    return Table(
        "",
        _("Gender equality marker by lead provider"),
        [
            Column("provider", _("Provider")),
            *(Column(f"marker_{v}", f"{v} {label}", "int") for v, label in GenderMarker.choices),
            Column("activities", _("Activities"), "int"),
            Column("targeted_share", _("Share marked 1 or 2"), "percent"),
        ],
        found,
    )


@query("gender_marker_by_year")
def gender_marker_by_year(scope: Scope) -> Table:
    rows = (
        scope.activities()
        .order_by()
        .annotate(year=_year_of_activity())
        .values("year", "gender_marker")
        .annotate(n=Count("pk"))
    )
    table: dict[int, Counter] = defaultdict(Counter)
    for row in rows:
        table[row["year"]][row["gender_marker"]] += row["n"]
    found = []
    for year in sorted(table):
        counts = table[year]
        whole = sum(counts.values())
        targeted = counts[GenderMarker.SIGNIFICANT] + counts[GenderMarker.PRINCIPAL]
        found.append([str(year), *(counts[m] for m in GenderMarker.values), whole, _percent(targeted, whole)])
    return Table(
        "",
        _("Gender equality marker by year the activity started"),
        [
            Column("year", _("Year")),
            *(Column(f"marker_{v}", f"{v} {label}", "int") for v, label in GenderMarker.choices),
            Column("activities", _("Activities"), "int"),
            Column("targeted_share", _("Share marked 1 or 2"), "percent"),
        ],
        found,
    )


@query("participants_by_year")
def participants_by_year(scope: Scope) -> Table:
    rows = (
        scope.activities()
        .order_by()
        .annotate(year=_year_of_activity())
        .values("year")
        .annotate(
            women=Coalesce(Sum("participants_women"), 0),
            men=Coalesce(Sum("participants_men"), 0),
            other=Coalesce(Sum("participants_other"), 0),
        )
        .order_by("year")
    )
    found = []
    for row in rows:
        whole = row["women"] + row["men"] + row["other"]
        if whole:
            found.append(
                [
                    str(row["year"]),
                    row["women"],
                    row["men"],
                    row["other"],
                    whole,
                    _percent(row["women"], whole),
                ]
            )
    return Table(
        "",
        _("Participants by sex and year"),
        [
            Column("year", _("Year")),
            Column("women", _("Women"), "int"),
            Column("men", _("Men"), "int"),
            Column("other", _("Other or not stated"), "int"),
            Column("participants", _("Participants"), "int"),
            Column("women_share", _("Women's share"), "percent"),
        ],
        found,
    )


# ---------------------------------------------------------------------------------------------------------
# SDGs


@query("activities_by_sdg")
def activities_by_sdg(scope: Scope) -> Table:
    """Activities per SDG goal: through their SDG targets, or an accepted goal link the user may see."""
    from hrtc.linking.choices import LinkKind, LinkStatus
    from hrtc.linking.selectors import links_visible

    ids = scope.activities().values("pk")
    pairs = set(
        Activity.sdg_targets.through.objects.filter(activity__in=ids).values_list(
            "activity", "sdgtarget__goal"
        )
    )
    links = links_visible(scope.user).filter(
        content_type__app_label="assistance",
        content_type__model="activity",
        object_id__in=ids,
        kind=LinkKind.GOAL,
        status=LinkStatus.ACCEPTED,
    )
    pairs |= set(links.values_list("object_id", "goal"))
    counts = Counter(goal for _activity, goal in pairs)
    rows = [
        [f"SDG {g.code}", g.localized_title(scope.params.language), counts[g.code]]
        for g in SdgGoal.objects.all()
        if counts[g.code]
    ]
    return Table(
        "",
        _("Activities by Sustainable Development Goal"),
        [
            Column("goal", _("Goal")),
            Column("title", _("Title")),
            Column("activities", _("Activities"), "int"),
        ],
        rows,
        note=_("An activity may contribute to several goals."),
    )


@query("sdg_coverage_of_state")
def sdg_coverage_of_state(scope: Scope) -> Table:
    from hrtc.linking.choices import LinkKind
    from hrtc.linking.selectors import SHOWN, links_visible, sdg_coverage

    state = State.objects.get(code=scope.params.states[0])
    coverage = sdg_coverage(scope.user, state)
    linked = links_visible(scope.user).filter(
        content_type__app_label="assistance",
        content_type__model="activity",
        kind=LinkKind.GOAL,
        status__in=SHOWN,
    )
    scope.disclose(activities_visible(scope.user).filter(state=state, pk__in=linked.values("object_id")))
    rows = [
        [
            f"SDG {r['goal'].code}",
            r["goal"].localized_title(scope.params.language),
            r["accepted"],
            r["suggested"],
        ]
        for r in coverage["rows"]
        if r["accepted"] or r["suggested"]
    ]
    return Table(
        "",
        _("SDG coverage: recommendations, pledges and activities linked to each goal"),
        [
            Column("goal", _("Goal")),
            Column("title", _("Title")),
            Column("accepted", _("Linked (confirmed)"), "int"),
            Column("suggested", _("Suggested by the classifier"), "int"),
        ],
        rows,
        note=_(
            "Read by hrtc.linking.selectors.sdg_coverage over all the State's records, whatever their date."
        ),
    )


# ---------------------------------------------------------------------------------------------------------
# Money


@query("fund_flows")
def fund_flows(scope: Scope) -> Table:
    """Per fund, in US dollars: contributions received, grants committed, disbursements paid in the period."""
    entries = scope.ledger()
    narrowing = scope.grants_filter()
    received = entries.filter(account=Account.CASH, category=TransactionKind.CONTRIBUTION)
    committed = entries.filter(account=Account.GRANTS_PAYABLE, category=TransactionKind.GRANT)
    paid = entries.filter(account=Account.CASH, category=TransactionKind.DISBURSEMENT)
    if narrowing is not None:
        committed, paid = committed.filter(narrowing), paid.filter(narrowing)

    def by_fund(entries: QuerySet, amount) -> dict[str, Decimal]:
        return {
            r["fund"]: cents(r["usd"]) for r in entries.order_by().values("fund").annotate(usd=Sum(amount))
        }

    inflow = by_fund(received, F("usd_debit") - F("usd_credit"))
    grants = by_fund(committed, F("usd_credit") - F("usd_debit"))
    outflow = by_fund(paid, F("usd_credit") - F("usd_debit"))
    rows = []
    for fund in Fund.objects.all():
        values = [
            None if narrowing is not None else inflow.get(fund.code, ZERO),
            grants.get(fund.code, ZERO),
            outflow.get(fund.code, ZERO),
        ]
        if any(v for v in values):
            rows.append([fund.acronym or fund.code, fund.localized_name(scope.params.language), *values])
    note = _("US dollars at the UN operational rate of the month of each movement, from the funds' ledger.")
    if narrowing is not None:
        note += " " + _("Grants and disbursements are those to the States, themes or provider asked for.")
    return Table(
        "",
        _("Voluntary funds: money received, committed and paid in the period (USD)"),
        [
            Column("fund", _("Fund")),
            Column("name", _("Name")),
            Column("received", _("Contributions received"), "usd"),
            Column("committed", _("Grants committed"), "usd"),
            Column("disbursed", _("Disbursed"), "usd"),
        ],
        rows,
        note=note,
    )


@query("funds_received_by_state")
def funds_received_by_state(scope: Scope) -> Table:
    """Per fund, grants committed to and disbursed for the State (its delegation or its activities)."""
    state = scope.params.states[0]
    entries = scope.ledger().filter(Q(grant__state=state) | Q(grant__activity__state=state))
    committed = entries.filter(account=Account.GRANTS_PAYABLE, category=TransactionKind.GRANT)
    paid = entries.filter(account=Account.CASH, category=TransactionKind.DISBURSEMENT)
    grants = {
        r["fund"]: cents(r["usd"])
        for r in committed.order_by().values("fund").annotate(usd=Sum(F("usd_credit") - F("usd_debit")))
    }
    outflow = {
        r["fund"]: cents(r["usd"])
        for r in paid.order_by().values("fund").annotate(usd=Sum(F("usd_credit") - F("usd_debit")))
    }
    rows = [
        [
            fund.acronym or fund.code,
            fund.localized_name(scope.params.language),
            grants.get(fund.code, ZERO),
            outflow.get(fund.code, ZERO),
        ]
        for fund in Fund.objects.all()
        if grants.get(fund.code) or outflow.get(fund.code)
    ]
    return Table(
        "",
        _("Funds received: grants by the voluntary funds in the period (USD)"),
        [
            Column("fund", _("Fund")),
            Column("name", _("Name")),
            Column("committed", _("Grants committed"), "usd"),
            Column("disbursed", _("Disbursed"), "usd"),
        ],
        rows,
    )


# ---------------------------------------------------------------------------------------------------------
# Recommendations


@query("recommendations_by_mechanism")
def recommendations_by_mechanism(scope: Scope) -> Table:
    names = {m.code: m.acronym or m.code for m in Mechanism.objects.all()}
    rows = [[names.get(code, code), n] for code, n in _counts(scope.recommendations(), "mechanism")]
    return Table(
        "",
        _("Recommendations received, by mechanism"),
        [Column("mechanism", _("Mechanism")), Column("recommendations", _("Recommendations"), "int")],
        rows,
    )


@query("recommendations_by_response")
def recommendations_by_response(scope: Scope) -> Table:
    counts = dict(_counts(scope.recommendations(), "response"))
    rows = [[str(label), counts[value]] for value, label in Response.choices if counts.get(value)]
    if counts.get(""):
        rows.append([_("No response recorded"), counts[""]])
    return Table(
        "",
        _("Recommendations by the State's response"),
        [Column("response", _("Response")), Column("recommendations", _("Recommendations"), "int")],
        rows,
    )


@query("recommendations_by_status")
def recommendations_by_status(scope: Scope) -> Table:
    counts = dict(_counts(scope.recommendations(), "public_status"))
    rows = [[str(label), counts[value]] for value, label in ImplementationStatus.choices if counts.get(value)]
    if counts.get(""):
        rows.append([_("No public assessment"), counts[""]])
    return Table(
        "",
        _("Recommendations by implementation status (latest public assessment)"),
        [
            Column("status", _("Implementation status")),
            Column("recommendations", _("Recommendations"), "int"),
        ],
        rows,
    )


@query("status_changes_with_assistance")
def status_changes_with_assistance(scope: Scope, limit: int = LIST_LIMIT) -> Table:
    """Recommendations whose implementation status changed in the period while technical assistance
    addressed them: an assessment dated in the period that differs from the one before it, on a recommendation
    linked to an activity (that the user may see) which had started by the assessment's date."""
    activities = activities_visible(scope.user).annotate(begins=Coalesce("actual_start", "planned_start"))
    linked = Activity.recommendations.through.objects.filter(activity__in=activities.values("pk"))
    assessed = policy.visible(
        scope.user,
        Assessment.objects.filter(
            recommendation__in=scope.recommendations().values("pk"),
            as_of__gte=scope.params.start,
            as_of__lte=scope.params.end,
        ),
    ).filter(recommendation__in=linked.values("recommendation"))
    candidates = set(assessed.values_list("recommendation", flat=True))
    history: dict[int, list[Assessment]] = defaultdict(list)
    for a in policy.visible(
        scope.user, Assessment.objects.filter(recommendation__in=assessed.values("recommendation"))
    ).order_by("as_of", "created_at", "id"):
        history[a.recommendation_id].append(a)
    # Every link of a visible activity, filtered here: SQLite plans the same filter as a join badly.
    starts: dict[int, list[tuple[date, str, int]]] = defaultdict(list)
    for rec, begins, title, activity in linked.annotate(
        begins=Coalesce("activity__actual_start", "activity__planned_start")
    ).values_list("recommendation", "begins", "activity__title", "activity"):
        if rec in candidates:
            starts[rec].append((begins, title, activity))
    statuses = dict(ImplementationStatus.choices)
    changes = []
    drawn_on: set[int] = set()  # the activities that make a change count (and name it)
    for rec_id, entries in history.items():
        before = ""
        for a in entries:
            if a.status != before and scope.params.start <= a.as_of <= scope.params.end:
                under_way = [(t, activity) for begins, t, activity in starts[rec_id] if begins <= a.as_of]
                if under_way:
                    changes.append((a, before, sorted({t for t, _activity in under_way})))
                    drawn_on.update(activity for _t, activity in under_way)
            before = a.status
    scope.disclose(Activity.objects.filter(pk__in=sorted(drawn_on)))
    changes.sort(key=lambda c: (c[0].as_of, c[0].recommendation_id, c[0].pk))
    recs = Recommendation.objects.in_bulk({a.recommendation_id for a, _b, _t in changes[:limit]})
    rows = []
    for a, before, titles in changes[:limit]:
        rec = recs[a.recommendation_id]
        where = " ".join(p for p in (rec.document_symbol, f"¶ {rec.paragraph}" if rec.paragraph else "") if p)
        text = rec.text if len(rec.text) <= 160 else rec.text[:157].rstrip() + "…"
        rows.append(
            [
                rec.state_under_review_id,
                f"{where}: {text}" if where else text,
                str(statuses.get(before, _("No status"))),
                str(statuses[a.status]),
                a.as_of,
                "; ".join(titles[:3]),
            ]
        )
    return Table(
        "",
        _("Recommendations whose implementation status changed with technical assistance"),
        [
            Column("state", _("State")),
            Column("recommendation", _("Recommendation")),
            Column("before", _("Status before")),
            Column("after", _("Status after")),
            Column("as_of", _("As of"), "date"),
            Column("assistance", _("Technical assistance (activities)")),
        ],
        rows,
        total_rows=len(changes),
    )


# ---------------------------------------------------------------------------------------------------------
# Country profile


@query("state_facts")
def state_facts(scope: Scope) -> Table:
    state = State.objects.get(code=scope.params.states[0])
    flags = [
        label
        for flag, label in (
            (state.is_ldc, _("least developed country")),
            (state.is_lldc, _("landlocked developing country")),
            (state.is_sids, _("small island developing State")),
        )
        if flag
    ]
    rows = [
        [_("State"), state.localized_name(scope.params.language)],
        [_("ISO 3166-1 alpha-3"), state.code],
        [_("UN regional group"), _region_label(state.regional_group)],
        [_("M49 region"), " / ".join(p for p in (state.m49_region, state.m49_subregion) if p) or "—"],
        [_("Status"), ", ".join(str(f) for f in flags) or "—"],
    ]
    return Table(
        "",
        _("The State"),
        [Column("fact", _("Fact")), Column("value", _("Value"))],
        rows,
        counts_as_data=False,
    )


@query("timeline")
def timeline(scope: Scope) -> Table:
    """Year by year: recommendations received (dated), requests submitted, activities started, assessments."""
    state = scope.params.states[0]
    years: dict[int, Counter] = defaultdict(Counter)
    for row in (
        scope.recommendations()
        .exclude(date=None)
        .filter(date__gte=scope.params.start)
        .order_by()
        .values(year=ExtractYear("date"))
        .annotate(n=Count("pk"))
    ):
        years[row["year"]]["recommendations"] += row["n"]
    for at in (
        scope.requests()
        .annotate(submitted=Min("events__at", filter=Q(events__to_status=RequestStatus.SUBMITTED)))
        .values_list("submitted", flat=True)
    ):
        years[timezone.localtime(at).year]["requests"] += 1
    for row in (
        scope.activities()
        .order_by()
        .annotate(year=_year_of_activity())
        .values("year")
        .annotate(n=Count("pk"))
    ):
        if scope.params.start.year <= row["year"] <= scope.params.end.year:
            years[row["year"]]["activities"] += row["n"]
    assessments = policy.visible(
        scope.user,
        Assessment.objects.filter(
            recommendation__state_under_review=state,
            as_of__gte=scope.params.start,
            as_of__lte=scope.params.end,
        ),
    )
    for row in assessments.order_by().values(year=ExtractYear("as_of")).annotate(n=Count("pk")):
        years[row["year"]]["assessments"] += row["n"]
    rows = [
        [
            str(y),
            years[y]["recommendations"],
            years[y]["requests"],
            years[y]["activities"],
            years[y]["assessments"],
        ]
        for y in sorted(years)
    ]
    return Table(
        "",
        _("Timeline"),
        [
            Column("year", _("Year")),
            Column("recommendations", _("Recommendations received"), "int"),
            Column("requests", _("Requests submitted"), "int"),
            Column("activities", _("Activities started"), "int"),
            Column("assessments", _("Status assessments"), "int"),
        ],
        rows,
    )


# ---------------------------------------------------------------------------------------------------------
# Fund annual report: the funds app's statement of a fund for a year (hrtc.funds.statements.fund_statement)


def _statement(scope: Scope, fund: str, year: int):
    from hrtc.funds.statements import fund_statement

    return scope._once(f"statement:{fund}:{year}", lambda: fund_statement(Fund.objects.get(code=fund), year))


def _usd_rows(rows) -> list[list[Any]]:
    return [[row.label, row.usd, row.share] for row in rows]


USD_SHARE = [Column("usd", "USD", "usd"), Column("share", "%", "percent")]


@query("fund_cash")
def fund_cash(scope: Scope, fund: str, year: int) -> Table:
    statement = _statement(scope, fund, year)
    rows = [[_("Opening balance"), statement.opening]]
    rows += [[row.label, row.usd] for row in statement.receipts]
    rows += [[row.label, -row.usd] for row in statement.payments]
    rows += [[_("Closing balance"), statement.closing]]
    has_data = statement.received or statement.paid or statement.opening or statement.closing
    return Table(
        "",
        _("Cash: opening balance, receipts, payments, closing balance (USD)"),
        [Column("item", _("Item")), Column("usd", "USD", "usd")],
        rows if has_data else [],
        note=_("Payments are negative. The statement reconciles: %(yes)s.")
        % {"yes": _("yes") if statement.reconciles else _("no")},
    )


@query("fund_contributions_by_donor")
def fund_contributions_by_donor(scope: Scope, fund: str, year: int) -> Table:
    return Table(
        "",
        _("Contributions received, by donor"),
        [Column("donor", _("Donor")), *USD_SHARE],
        _usd_rows(_statement(scope, fund, year).contributions_by_donor),
    )


@query("fund_earmarking")
def fund_earmarking(scope: Scope, fund: str, year: int) -> Table:
    return Table(
        "",
        _("Contributions: earmarked and unearmarked"),
        [Column("earmark", _("Earmark")), *USD_SHARE],
        _usd_rows(_statement(scope, fund, year).earmarking),
    )


@query("fund_pledge_fulfilment")
def fund_pledge_fulfilment(scope: Scope, fund: str, year: int) -> Table:
    rows = [
        [f.label, f.pledged, f.received, f.outstanding, f.percent]
        for f in _statement(scope, fund, year).fulfilment
    ]
    return Table(
        "",
        _("Pledges for the year and their fulfilment"),
        [
            Column("donor", _("Donor")),
            Column("pledged", _("Pledged (USD)"), "usd"),
            Column("received", _("Received (USD)"), "usd"),
            Column("outstanding", _("Outstanding (USD)"), "usd"),
            Column("fulfilled", _("Fulfilled"), "percent"),
        ],
        rows,
    )


@query("fund_grants_by_region")
def fund_grants_by_region(scope: Scope, fund: str, year: int) -> Table:
    return Table(
        "",
        _("Grants committed, by region"),
        [Column("region", _("Region")), *USD_SHARE],
        _usd_rows(_statement(scope, fund, year).grants_by_region),
    )


@query("fund_grants_by_theme")
def fund_grants_by_theme(scope: Scope, fund: str, year: int) -> Table:
    return Table(
        "",
        _("Grants committed, by theme of the activity financed"),
        [Column("theme", _("Theme")), Column("usd", "USD", "usd")],
        [[row.label, row.usd] for row in _statement(scope, fund, year).grants_by_theme],
        note=_("A grant to an activity with several themes counts under each of them."),
    )


@query("fund_grants_by_state")
def fund_grants_by_state(scope: Scope, fund: str, year: int) -> Table:
    return Table(
        "",
        _("Grants committed, by State"),
        [Column("state", _("State")), *USD_SHARE],
        _usd_rows(_statement(scope, fund, year).grants_by_state),
    )


@query("fund_months")
def fund_months(scope: Scope, fund: str, year: int) -> Table:
    statement = _statement(scope, fund, year)
    rows = [[m.label, m.contributions, m.disbursements] for m in statement.months]
    has_data = any(m.contributions or m.disbursements for m in statement.months)
    return Table(
        "",
        _("Contributions received and disbursements paid, month by month (USD)"),
        [
            Column("month", _("Month")),
            Column("contributions", _("Contributions"), "usd"),
            Column("disbursements", _("Disbursements"), "usd"),
        ],
        rows if has_data else [],
    )


# ---------------------------------------------------------------------------------------------------------
# Good practices (when the practices app is installed)


@query("highlighted_practices")
def highlighted_practices(scope: Scope, limit: int = 10) -> Table:
    from hrtc.practices import selectors

    found = selectors.highlighted_practices(
        since=scope.params.start, until=scope.params.end, states=scope.state_codes(), limit=limit
    )
    rows = [
        [
            p.title,
            p.state.localized_name(scope.params.language) if p.state else (p.region or "—"),
            p.summary if len(p.summary) <= 240 else p.summary[:237].rstrip() + "…",
        ]
        for p in found
    ]
    return Table(
        "",
        _("Highlighted good practices published in the period"),
        [
            Column("title", _("Practice")),
            Column("where", _("State or region")),
            Column("summary", _("Summary")),
        ],
        rows,
    )


# ---------------------------------------------------------------------------------------------------------
# When the data was last changed


def data_as_of() -> datetime | None:
    """The latest change to any record a report reads: the 'time of the data' in the manifest."""
    stamps = [
        Recommendation.objects.aggregate(t=Max("updated_at"))["t"],
        Assessment.objects.aggregate(t=Max("created_at"))["t"],
        AssistanceRequest.objects.aggregate(t=Max("updated_at"))["t"],
        RequestEvent.objects.aggregate(t=Max("at"))["t"],
        Activity.objects.aggregate(t=Max("updated_at"))["t"],
        LedgerTransaction.objects.aggregate(t=Max("created_at"))["t"],
    ]
    try:
        from hrtc.linking.models import Link

        stamps.append(Link.objects.aggregate(t=Max("updated_at"))["t"])
    except LookupError:  # pragma: no cover - linking is always installed today
        pass
    found = [s for s in stamps if s is not None]
    return max(found) if found else None
