"""hrtc records → IATI activities, and the documented derivations between hrtc's data and IATI's.

Derivations (no field was added to the assistance models for IATI):

* **Sectors** (vocabulary 1, OECD DAC 5-digit): every activity is human-rights technical cooperation, so
  it gets 15160 Human rights, unless all its themes are on women's rights (15170 Women's rights
  organisations and movements, and government institutions: UHRI F1, F12, UPR Info "Women's rights") or
  violence against women (15180 Ending violence against women and girls: UHRI F13, D29 domestic violence).
  An activity with themes of several kinds gets each sector, in equal shares that add up to exactly 100.
* **Policy marker**: the activity's gender equality marker is OECD DAC policy marker 1 (vocabulary 1),
  its 0/1/2 the IATI significance.
* **Tags**: the activity's SDG targets (vocabulary 3) and their goals (vocabulary 2).
* **Participating organisations**: each fund that granted money to the activity (funding, 1), the lead
  provider (accountable, 2), OHCHR as the administrator of the voluntary funds (extending, 3, when a fund
  granted money), the lead provider and the partners (implementing, 4).
* **Budget**: the activity's budget, spread over periods of at most a year from the planned start (the
  IATI Validator refuses longer budget periods, rule 7.5.3) in proportion to days, the last period taking
  the rounding remainder, so the periods add up to the budget exactly. No budget: no ``budget`` element.
* **Transactions** from the funds ledger: each grant to the activity is an outgoing commitment (2), each
  disbursement of it a disbursement (3), from the fund to the lead provider; reversed postings are left
  out. Memos and purposes are internal and not written.
* **Results**: one output result with the number of participants, disaggregated by sex (``dimension``
  sex = female / male / other), over the activity's actual (else planned) dates; the activity's outputs
  text is the result's description.
* **Document link**: the activity's public page (category A12, Activity web page).
* **Related activities**: the other published activities for the same request (type 3, sibling).
* **Narratives**: the activity's title and description, then their translations (``ActivityTranslation``)
  in language order. A blank description is replaced by a one-line summary of public fields, because
  IATI requires a description.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_DOWN, Decimal
from functools import cache

from django.db.models import Prefetch, QuerySet

from hrtc.opendata import publication
from hrtc.opendata.iati import codelists
from hrtc.opendata.iati.model import (
    Actual,
    Budget,
    DocumentLink,
    IatiActivity,
    Indicator,
    Org,
    Period,
    Result,
    Transaction,
    decimal_text,
    money_text,
    results_from_json,
)

HUMAN_RIGHTS = "15160"
WOMENS_RIGHTS = "15170"
ENDING_VAWG = "15180"
#: Theme keys whose DAC sector is not 15160 Human rights.
SECTOR_BY_THEME = {
    "uhri:F1": WOMENS_RIGHTS,
    "uhri:F12": WOMENS_RIGHTS,
    "uprinfo:Women's rights": WOMENS_RIGHTS,
    "uhri:F13": ENDING_VAWG,
    "uhri:D29": ENDING_VAWG,
}
#: The DAC sectors an import keeps (with any activity that has the gender equality marker 1 or 2).
HUMAN_RIGHTS_SECTORS = frozenset({HUMAN_RIGHTS, WOMENS_RIGHTS, ENDING_VAWG})
#: Sector → the theme an imported activity gets (15160 is too broad to name one theme).
THEME_BY_SECTOR = {WOMENS_RIGHTS: "uhri:F1", ENDING_VAWG: "uhri:F13"}

#: hrtc organisation kinds → IATI OrganisationType.
ORGANISATION_TYPE = {
    "state": "Government",
    "ohchr": "Multilateral",
    "un_agency": "Multilateral",
    "unct": "Multilateral",
    "regional_org": "Multilateral",
    "nhri": "Other Public Sector",
    "cso": "National NGO",
    "donor": "Other",
}

# Codes by their IATI names (looked up in the codelists, so a typo fails loudly).
ROLE = {
    name: codelists.by_name("OrganisationRole", name)
    for name in ("Funding", "Accountable", "Extending", "Implementing")
}
DATE_TYPE = {
    "planned_start": codelists.by_name("ActivityDateType", "Planned start"),
    "actual_start": codelists.by_name("ActivityDateType", "Actual start"),
    "planned_end": codelists.by_name("ActivityDateType", "Planned End"),
    "actual_end": codelists.by_name("ActivityDateType", "Actual end"),
}
SECTOR_DAC5 = codelists.by_name("SectorVocabulary", "OECD DAC CRS Purpose Codes (5 digit)")
TAG_SDG_GOAL = codelists.by_name("TagVocabulary", "UN Sustainable Development Goals (SDG)")
TAG_SDG_TARGET = codelists.by_name("TagVocabulary", "UN Sustainable Development Goals (SDG) Targets")
MARKER_OECD = codelists.by_name("PolicyMarkerVocabulary", "OECD DAC CRS")
MARKER_GENDER = codelists.by_name("PolicyMarker", "Gender Equality")
BUDGET_ORIGINAL = codelists.by_name("BudgetType", "Original")
BUDGET_INDICATIVE = codelists.by_name("BudgetStatus", "Indicative")
TX_COMMITMENT = codelists.by_name("TransactionType", "Outgoing Commitment")
TX_DISBURSEMENT = codelists.by_name("TransactionType", "Disbursement")
RESULT_OUTPUT = codelists.by_name("ResultType", "Output")
MEASURE_UNIT = codelists.by_name("IndicatorMeasure", "Unit")
DOC_WEB_PAGE = codelists.by_name("DocumentCategory", "Activity web page")
#: IATI RelatedActivityType 3 = Sibling. That codelist is not in ../shared/data, so this one code is
#: written here; the validator checks related-activity types against {1..5} from the same list.
RELATED_SIBLING = "3"
RELATED_ACTIVITY_TYPES = frozenset({"1", "2", "3", "4", "5"})
DEFAULT_LANGUAGE = "en"


@cache
def organisation_type(kind: str) -> str:
    return codelists.by_name("OrganisationType", ORGANISATION_TYPE.get(kind, "Other"))


def iso_datetime(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat()


def equal_shares(n: int) -> list[Decimal]:
    """n percentages with two decimals that add up to exactly 100."""
    share = (Decimal(100) / n).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return [share] * (n - 1) + [Decimal(100) - share * (n - 1)]


def sectors_for(theme_keys: Iterable[str]) -> list[str]:
    keys = list(theme_keys)
    found = {SECTOR_BY_THEME.get(k, HUMAN_RIGHTS) for k in keys} or {HUMAN_RIGHTS}
    return [codelists.code("Sector", c) for c in sorted(found)]


def budget_periods(start: date, end: date, amount: Decimal) -> list[tuple[date, date, Decimal]]:
    """Split [start, end] into periods of at most one year, the amount in proportion to days."""
    periods = []
    cursor = start
    while cursor <= end:
        try:
            next_start = cursor.replace(year=cursor.year + 1)
        except ValueError:  # 29 February
            next_start = cursor.replace(year=cursor.year + 1, day=28)
        period_end = min(next_start - timedelta(days=1), end)
        periods.append((cursor, period_end))
        cursor = period_end + timedelta(days=1)
    total_days = (end - start).days + 1
    amounts, allotted = [], Decimal(0)
    for i, (a, b) in enumerate(periods):
        if i == len(periods) - 1:
            share = amount - allotted
        else:
            share = (amount * ((b - a).days + 1) / total_days).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
        amounts.append(share)
        allotted += share
    return [(a, b, v) for (a, b), v in zip(periods, amounts, strict=True)]


# Internal activities -----------------------------------------------------------------------------------------


def prefetched(queryset: QuerySet) -> QuerySet:
    """What ``from_activity`` reads, prefetched: a chunk of activities costs a fixed number of queries."""
    from hrtc.accounts.models import Organisation
    from hrtc.funds.models import Disbursement, Grant
    from hrtc.opendata.models import ActivityTranslation
    from hrtc.reference.models import SdgTarget, Theme

    live_disbursements = Disbursement.objects.filter(posting__reversed_by__isnull=True).order_by(
        "value_date", "pk"
    )
    return (
        queryset.select_related("lead_provider", "state", "budget_currency", "request")
        .prefetch_related(
            Prefetch("partners", queryset=Organisation.objects.order_by("code")),
            Prefetch("themes", queryset=Theme.objects.order_by("vocabulary", "code")),
            Prefetch(
                "sdg_targets",
                queryset=SdgTarget.objects.select_related("goal").order_by("goal__number", "position"),
            ),
            Prefetch("translations", queryset=ActivityTranslation.objects.order_by("field", "language")),
            Prefetch(
                "grants",
                queryset=Grant.objects.filter(posting__reversed_by__isnull=True)
                .select_related("fund")
                .prefetch_related(Prefetch("disbursements", queryset=live_disbursements))
                .order_by("value_date", "pk"),
            ),
            Prefetch(
                "request__activities",
                queryset=publication.published_activities().select_related("lead_provider").order_by("pk"),
                to_attr="published_siblings",
            ),
        )
        .order_by("pk")
    )


def _extending_organisation():
    from hrtc.accounts.models import Organisation

    return Organisation.objects.filter(kind="ohchr", is_active=True).order_by("pk").first()


class Mapper:
    """Builds IatiActivity records from activities; caches what is the same for every activity."""

    def __init__(self):
        self._ohchr = _extending_organisation()
        self._now = datetime.now(UTC)

    def org(self, organisation, role: str = "") -> Org:
        return Org(
            ref=publication.organisation_ref(organisation),
            type=organisation_type(organisation.kind),
            narratives=[["", organisation.name]],
            role=role,
        )

    def fund_org(self, fund, role: str = "") -> Org:
        return Org(
            ref=publication.fund_ref(fund),
            type=organisation_type("ohchr"),
            narratives=[["", fund.name]],
            role=role,
        )

    def from_activity(self, activity) -> IatiActivity:
        from hrtc.assistance.choices import Modality

        translations = list(activity.translations.all())
        titles = [["", activity.title]] + [[t.language, t.text] for t in translations if t.field == "title"]
        description = activity.description.strip() or (
            f"{Modality(activity.modality).label} in {activity.state.name}, led by {activity.lead_provider.name}."
        )
        descriptions = [
            {
                "type": "1",
                "narratives": [["", description]]
                + [[t.language, t.text] for t in translations if t.field == "description"],
            }
        ]
        grants = list(activity.grants.all())
        lead = activity.lead_provider
        participants: list[Org] = []
        seen_funds = set()
        for grant in grants:
            if grant.fund_id not in seen_funds:
                seen_funds.add(grant.fund_id)
                participants.append(self.fund_org(grant.fund, ROLE["Funding"]))
        participants.append(self.org(lead, ROLE["Accountable"]))
        if grants and self._ohchr is not None:
            participants.append(self.org(self._ohchr, ROLE["Extending"]))
        participants.append(self.org(lead, ROLE["Implementing"]))
        participants += [
            self.org(p, ROLE["Implementing"]) for p in activity.partners.all() if p.pk != lead.pk
        ]

        dates = []
        for attr in ("planned_start", "actual_start", "planned_end", "actual_end"):
            value = getattr(activity, attr)
            if value is not None:
                dates.append([DATE_TYPE[attr], value.isoformat()])

        sector_codes = sectors_for(t.key for t in activity.themes.all())
        shares = equal_shares(len(sector_codes))
        sectors = [
            {"vocabulary": SECTOR_DAC5, "code": c, "percentage": decimal_text(p), "narratives": []}
            for c, p in zip(sector_codes, shares, strict=True)
        ]
        targets = list(activity.sdg_targets.all())
        goals = sorted({t.goal for t in targets}, key=lambda g: g.number)
        tags = [
            {
                "vocabulary": TAG_SDG_GOAL,
                "code": codelists.code("UNSDG-Goals", g.code),
                "vocabulary_uri": "",
                "narratives": [],
            }
            for g in goals
        ] + [
            {
                "vocabulary": TAG_SDG_TARGET,
                "code": codelists.code("UNSDG-Targets", t.code),
                "vocabulary_uri": "",
                "narratives": [],
            }
            for t in targets
        ]
        markers = [
            {
                "vocabulary": MARKER_OECD,
                "code": MARKER_GENDER,
                "significance": codelists.code("PolicySignificance", activity.gender_marker),
                "narratives": [],
            }
        ]
        currency = activity.budget_currency_id or ""
        budgets = []
        if activity.budget_amount is not None:
            for start, end, value in budget_periods(
                activity.planned_start, activity.planned_end, activity.budget_amount
            ):
                budgets.append(
                    Budget(
                        BUDGET_ORIGINAL,
                        BUDGET_INDICATIVE,
                        start.isoformat(),
                        end.isoformat(),
                        money_text(value),
                        currency,
                        start.isoformat(),
                    )
                )
        receiver = self.org(lead)
        transactions = []
        for grant in grants:
            provider = self.fund_org(grant.fund)
            transactions.append(
                Transaction(
                    TX_COMMITMENT,
                    grant.value_date.isoformat(),
                    money_text(grant.amount),
                    grant.currency_id,
                    grant.value_date.isoformat(),
                    provider=provider,
                    receiver=receiver,
                )
            )
            for payment in grant.disbursements.all():
                transactions.append(
                    Transaction(
                        TX_DISBURSEMENT,
                        payment.value_date.isoformat(),
                        money_text(payment.amount),
                        payment.currency_id,
                        payment.value_date.isoformat(),
                        provider=provider,
                        receiver=receiver,
                    )
                )
        results = []
        total = activity.participants_women + activity.participants_men + activity.participants_other
        if total or activity.outputs.strip():
            start = activity.actual_start or activity.planned_start
            end = activity.actual_end or activity.planned_end
            actuals = [
                Actual(str(n), [["sex", sex]])
                for sex, n in (
                    ("female", activity.participants_women),
                    ("male", activity.participants_men),
                    ("other", activity.participants_other),
                )
                if n
            ]
            results.append(
                Result(
                    RESULT_OUTPUT,
                    [["", "Outputs and participants"]],
                    [["", activity.outputs.strip()]] if activity.outputs.strip() else [],
                    "",
                    [
                        Indicator(
                            MEASURE_UNIT,
                            [["", "Number of participants, by sex"]],
                            "1",
                            [],
                            [Period(start.isoformat(), end.isoformat(), actuals)] if total else [],
                        )
                    ],
                )
            )
        documents = [
            DocumentLink(
                url=publication.public_url(f"/open/activities/{activity.pk}/"),
                format="text/html",
                titles=[["", activity.title]],
                categories=[DOC_WEB_PAGE],
                languages=[DEFAULT_LANGUAGE],
            )
        ]
        related = []
        if activity.request_id is not None:
            for sibling in getattr(activity.request, "published_siblings", []):
                if sibling.pk != activity.pk:
                    related.append([RELATED_SIBLING, publication.iati_identifier(sibling)])
        return IatiActivity(
            identifier=publication.iati_identifier(activity),
            reporting_org=self.org(lead),
            titles=titles,
            descriptions=descriptions,
            participating_orgs=participants,
            status=codelists.code("ActivityStatus", activity.status),
            dates=dates,
            language=DEFAULT_LANGUAGE,
            currency=currency,
            last_updated=iso_datetime(min(activity.updated_at, self._now)),
            countries=[[codelists.code("Country", activity.state.alpha2), ""]],
            sectors=sectors,
            tags=tags,
            policy_markers=markers,
            budgets=budgets,
            transactions=transactions,
            document_links=documents,
            related=related,
            results=results,
        )

    # Imported activities -----------------------------------------------------------------------------------

    def from_external(self, external) -> IatiActivity:
        from hrtc.opendata.iati.model import Budget as B

        return IatiActivity(
            identifier=external.iati_identifier,
            reporting_org=Org(
                ref=external.reporting_org_ref,
                type=external.reporting_org_type,
                narratives=external.reporting_org_narratives,
            ),
            secondary_reporter=""
            if external.reporting_org_secondary is None
            else str(int(external.reporting_org_secondary)),
            titles=external.titles,
            descriptions=external.descriptions,
            participating_orgs=[
                Org(
                    ref=p.ref,
                    type=p.type,
                    narratives=p.narratives,
                    role=p.role,
                    activity_id=p.activity_id_ref,
                )
                for p in external.participants.all()
            ],
            status="" if external.activity_status is None else str(external.activity_status),
            dates=external.activity_dates,
            language=external.default_language,
            currency=external.default_currency,
            last_updated="" if external.last_updated is None else iso_datetime(external.last_updated),
            humanitarian="" if external.humanitarian is None else str(int(external.humanitarian)),
            countries=[
                [c.code, "" if c.percentage is None else decimal_text(c.percentage)]
                for c in external.countries.all()
            ],
            sectors=[
                {
                    "vocabulary": s.vocabulary,
                    "code": s.code,
                    "percentage": "" if s.percentage is None else decimal_text(s.percentage),
                    "narratives": s.narratives,
                }
                for s in external.sectors.all()
            ],
            tags=[
                {
                    "vocabulary": t.vocabulary,
                    "code": t.code,
                    "vocabulary_uri": t.vocabulary_uri,
                    "narratives": t.narratives,
                }
                for t in external.tags.all()
            ],
            policy_markers=external.policy_markers,
            budgets=[B(**b) for b in external.budgets],
            transactions=[
                Transaction(
                    type=t.type,
                    date=t.date.isoformat(),
                    value=money_text(t.value),
                    currency=t.currency,
                    value_date=t.value_date.isoformat(),
                    ref=t.ref,
                    descriptions=t.descriptions,
                    provider=Org.from_json(t.provider_org),
                    receiver=Org.from_json(t.receiver_org),
                )
                for t in external.transactions.all()
            ],
            document_links=[DocumentLink(**d) for d in external.document_links],
            related=external.related_activities,
            results=results_from_json(external.results),
        )


def external_prefetched(queryset: QuerySet) -> QuerySet:
    """Imported activities in the order they were read (import, then line in the file)."""
    return queryset.prefetch_related("participants", "countries", "sectors", "tags", "transactions").order_by(
        "source_id", "source_line", "iati_identifier"
    )
