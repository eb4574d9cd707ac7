"""The funds API: thin views over `hrtc.funds.services` and `hrtc.funds.selectors`.

Amounts travel as decimal text ("1250.50"); JSON numbers are read exactly as decimals (never as floats).
Every write accepts an `Idempotency-Key` header: the same key (for the same user and request) posts once,
and a retry gets the first response again, marked `Idempotent-Replayed: true`.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.shortcuts import get_object_or_404
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from hrtc.accounts import policy
from hrtc.accounts.models import Organisation
from hrtc.core.exceptions import InvalidInput
from hrtc.funds import selectors, services
from hrtc.funds.choices import Earmark
from hrtc.funds.models import (
    Contribution,
    Disbursement,
    Donor,
    ExchangeRate,
    Grant,
    LedgerEntry,
    LedgerTransaction,
    Pledge,
    Refund,
)
from hrtc.funds.statements import fund_statement
from hrtc.reference.choices import RegionalGroup
from hrtc.reference.models import Fund, State, Theme

codes = {"slug_field": "code"}


class DecimalJSONParser(JSONParser):
    """JSON with its numbers read as decimals, so 0.1 stays exactly 0.1."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", "utf-8")
        try:
            return json.loads(stream.read().decode(encoding), parse_float=Decimal)
        except ValueError as exc:
            from rest_framework.exceptions import ParseError

            raise ParseError(f"JSON parse error - {exc}") from exc


@extend_schema_field({"type": "string", "format": "decimal", "example": "1250.50"})
class MoneyField(serializers.Field):
    """An amount of money: decimal text or a JSON number, at most two decimals, never a float."""

    def to_internal_value(self, data) -> Decimal:
        try:
            return services.money_amount(data, field=self.field_name)
        except InvalidInput as error:
            raise serializers.ValidationError(error.message) from None

    def to_representation(self, value) -> str:
        return str(selectors.cents(value))


class ManageToWrite(permissions.BasePermission):
    """Reads follow the visibility table; writes need `funds.manage` (the services check it again)."""

    message = "Not allowed: funds.manage; this needs " + policy.rule_for("funds.manage").description + "."

    def has_permission(self, request, view) -> bool:
        return request.method in permissions.SAFE_METHODS or policy.can(request.user, "funds.manage")


class IdempotentWrites:
    """Writes that post once per Idempotency-Key."""

    parser_classes = [DecimalJSONParser, FormParser, MultiPartParser]
    permission_classes = [ManageToWrite]

    def posted(
        self,
        request,
        make: Callable[[str], tuple[models.Model, LedgerTransaction | None]],
        output: type[serializers.Serializer],
        created: int = status.HTTP_201_CREATED,
    ) -> Response:
        """Run `make(idempotency_key)` once per key and answer with `output` of what it made."""
        key = request.headers.get("Idempotency-Key")

        def run() -> tuple[int, dict, LedgerTransaction | None]:
            record, posting = make(key or "")
            body = json.loads(
                json.dumps(output(record, context={"request": request}).data, cls=DjangoJSONEncoder)
            )
            return created, body, posting

        if key is None:
            code, body, _ = run()
            return Response(body, status=code)
        code, body, replayed = services.idempotent_post(
            by=request.user,
            key=key,
            scope=f"{request.method} {request.path}",
            fingerprint=services.request_fingerprint(request.data),
            run=run,
        )
        response = Response(body, status=code)
        if replayed:
            response["Idempotent-Replayed"] = "true"
        return response


def valid(serializer_class: type[serializers.Serializer], request) -> dict:
    data = serializer_class(data=request.data, context={"request": request})
    data.is_valid(raise_exception=True)
    return dict(data.validated_data)


IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key",
    str,
    OpenApiParameter.HEADER,
    description="Any unique text: a retry with the same key posts nothing and returns the first response.",
)


# ---------------------------------------------------------------------------------------------------------
# Serializers


class Posted(serializers.ModelSerializer):
    """What every money movement shows: its money, its posting and whether it was reversed."""

    amount = MoneyField(read_only=True)
    currency = serializers.CharField(source="currency_id", read_only=True)
    transaction = serializers.IntegerField(source="posting_id", read_only=True)
    reversed = serializers.SerializerMethodField()

    MOVEMENT_FIELDS = ["id", "amount", "currency", "value_date", "memo", "transaction", "reversed"]

    def get_reversed(self, record) -> bool:
        return hasattr(record.posting, "reversed_by")


@extend_schema_field({"type": "string", "enum": ["", *RegionalGroup.values]})
class RegionField(serializers.ChoiceField):
    """A UN regional group, documented inline (the reference API names the same choices RegionalGroupEnum)."""

    def __init__(self, **options):
        super().__init__(choices=RegionalGroup.choices, allow_blank=True, **options)


class EarmarkFields(serializers.Serializer):
    earmark_theme = serializers.SerializerMethodField()
    earmark_region = RegionField(read_only=True)

    def get_earmark_theme(self, record) -> str | None:
        return record.earmark_theme.key if record.earmark_theme_id else None


class DonorSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(read_only=True, **codes)

    class Meta:
        model = Donor
        fields = ["id", "code", "name", "organisation", "state"]


class FundPledgeSerializer(Posted, EarmarkFields):
    donor = serializers.SlugRelatedField(read_only=True, **codes)
    fund = serializers.CharField(source="fund_id")
    outstanding = serializers.SerializerMethodField()

    class Meta:
        model = Pledge
        fields = [
            *Posted.MOVEMENT_FIELDS,
            "donor",
            "fund",
            "year",
            "earmark",
            "earmark_theme",
            "earmark_region",
            "outstanding",
        ]

    def get_outstanding(self, pledge) -> str:
        """Still due on the pledge, in its currency."""
        if hasattr(pledge, "outstanding"):
            return str(selectors.cents(pledge.outstanding))
        due, _ = selectors.pot(
            fund=pledge.fund_id, currency=pledge.currency_id, account="pledges_receivable", pledge=pledge
        )
        return str(due)


class ContributionSerializer(Posted, EarmarkFields):
    donor = serializers.SlugRelatedField(read_only=True, **codes)
    fund = serializers.CharField(source="fund_id")

    class Meta:
        model = Contribution
        fields = [
            *Posted.MOVEMENT_FIELDS,
            "donor",
            "fund",
            "pledge",
            "reference",
            "earmark",
            "earmark_theme",
            "earmark_region",
        ]


class GrantSerializer(Posted):
    fund = serializers.CharField(source="fund_id")
    state = serializers.CharField(source="state_id", allow_null=True)
    undisbursed = serializers.SerializerMethodField()

    class Meta:
        model = Grant
        fields = [*Posted.MOVEMENT_FIELDS, "fund", "purpose", "activity", "state", "undisbursed"]

    def get_undisbursed(self, grant) -> str:
        """Committed and not yet disbursed, in the grant's currency."""
        if hasattr(grant, "undisbursed"):
            return str(selectors.cents(grant.undisbursed))
        left, _ = selectors.pot(
            fund=grant.fund_id, currency=grant.currency_id, account="grants_payable", grant=grant
        )
        return str(left)


class DisbursementSerializer(Posted):
    class Meta:
        model = Disbursement
        fields = [*Posted.MOVEMENT_FIELDS, "grant"]


class RefundSerializer(Posted):
    class Meta:
        model = Refund
        fields = [*Posted.MOVEMENT_FIELDS, "kind", "grant", "contribution"]


class EntrySerializer(serializers.ModelSerializer):
    currency = serializers.CharField(source="currency_id")
    debit, credit, usd_debit, usd_credit = (MoneyField(read_only=True) for _ in range(4))

    class Meta:
        model = LedgerEntry
        fields = [
            "account",
            "currency",
            "debit",
            "credit",
            "usd_debit",
            "usd_credit",
            "rate",
            "pledge",
            "contribution",
            "grant",
        ]


class TransactionSerializer(serializers.ModelSerializer):
    fund = serializers.CharField(source="fund_id")
    created_by = serializers.SlugRelatedField(read_only=True, slug_field="username")
    reversed_by = serializers.SerializerMethodField()
    entries = EntrySerializer(many=True, read_only=True)

    class Meta:
        model = LedgerTransaction
        fields = [
            "id",
            "fund",
            "kind",
            "value_date",
            "memo",
            "created_by",
            "created_at",
            "reverses",
            "reversed_by",
            "entries",
        ]

    def get_reversed_by(self, posted) -> int | None:
        reversal = getattr(posted, "reversed_by", None)
        return reversal.pk if reversal is not None else None


class RateSerializer(serializers.ModelSerializer):
    currency = serializers.CharField(source="currency_id")
    month = serializers.DateField(format="%Y-%m")

    class Meta:
        model = ExchangeRate
        fields = ["currency", "month", "units_per_usd", "source"]


# ---------------------------------------------------------------------------------------------------------
# Inputs


class MovementInput(serializers.Serializer):
    amount = MoneyField()
    currency = serializers.CharField(max_length=3)
    value_date = serializers.DateField()
    memo = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class EarmarkInput(serializers.Serializer):
    earmark = serializers.ChoiceField(choices=Earmark.choices, required=False)
    earmark_theme = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="e.g. uhri:A2"
    )
    earmark_region = RegionField(required=False, default="")

    def validate_earmark_theme(self, value: str) -> Theme | None:
        if not value:
            return None
        vocabulary, _, code = value.partition(":")
        theme = Theme.objects.filter(vocabulary=vocabulary, code=code).first()
        if theme is None:
            raise serializers.ValidationError(f"Unknown theme {value!r}; use a key such as uhri:A2.")
        return theme


class FundPledgeInput(MovementInput, EarmarkInput):
    donor = serializers.SlugRelatedField(queryset=Donor.objects.all(), **codes)
    fund = serializers.SlugRelatedField(queryset=Fund.objects.all(), **codes)
    year = serializers.IntegerField()


class ContributionInput(MovementInput, EarmarkInput):
    donor = serializers.SlugRelatedField(queryset=Donor.objects.all(), **codes)
    fund = serializers.SlugRelatedField(queryset=Fund.objects.all(), **codes)
    pledge = serializers.PrimaryKeyRelatedField(
        queryset=Pledge.objects.all(), required=False, allow_null=True
    )
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


@extend_schema_field(OpenApiTypes.INT)
class ActivityToFinance(serializers.PrimaryKeyRelatedField):
    """An activity the fund officer may see; any other id is refused as one that does not exist."""

    def get_queryset(self):
        request = self.context.get("request")
        return selectors.activities_to_finance(request.user if request else None)


class GrantInput(MovementInput):
    fund = serializers.SlugRelatedField(queryset=Fund.objects.all(), **codes)
    purpose = serializers.CharField(max_length=300)
    activity = ActivityToFinance(required=False, allow_null=True)
    state = serializers.SlugRelatedField(
        queryset=State.objects.all(), required=False, allow_null=True, **codes
    )


class ReleaseInput(serializers.Serializer):
    value_date = serializers.DateField()
    memo = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReverseInput(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
    value_date = serializers.DateField(required=False, allow_null=True, default=None)


class DonorInput(serializers.Serializer):
    name = serializers.CharField(max_length=300)
    code = serializers.SlugField(max_length=80, required=False, default="")
    organisation = serializers.SlugRelatedField(
        queryset=Organisation.objects.all(), required=False, allow_null=True, **codes
    )
    state = serializers.SlugRelatedField(
        queryset=State.objects.all(), required=False, allow_null=True, **codes
    )


class RateInput(serializers.Serializer):
    currency = serializers.CharField(max_length=3)
    month = serializers.DateField(help_text="Any date in the month; the rate is the month's.")
    units_per_usd = serializers.DecimalField(max_digits=20, decimal_places=8)
    source = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


# ---------------------------------------------------------------------------------------------------------
# Views


class MovementFilter(filters.FilterSet):
    fund = filters.CharFilter(field_name="fund__code")
    year = filters.NumberFilter(field_name="value_date", lookup_expr="year")


class PledgeFilter(MovementFilter):
    donor = filters.CharFilter(field_name="donor__code")
    year = filters.NumberFilter()

    class Meta:
        model = Pledge
        fields = ["earmark"]


class ContributionFilter(MovementFilter):
    donor = filters.CharFilter(field_name="donor__code")

    class Meta:
        model = Contribution
        fields = ["earmark", "pledge"]


class GrantFilter(MovementFilter):
    state = filters.CharFilter(method="by_state", help_text="The grantee State (delegation or activity)")

    class Meta:
        model = Grant
        fields = ["activity"]

    def by_state(self, queryset, name, value):
        code = value.upper()
        return queryset.filter(models.Q(state=code) | models.Q(activity__state=code))


class DonorApi(IdempotentWrites, viewsets.ReadOnlyModelViewSet):
    """Donors: States and other organisations that give to the funds."""

    serializer_class = DonorSerializer
    search_fields = ["name", "code"]
    lookup_field = "code"

    def get_queryset(self):
        return selectors.donors_visible(self.request.user)

    @extend_schema(request=DonorInput, responses={201: DonorSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request):
        data = valid(DonorInput, request)
        return self.posted(
            request, lambda key: (services.donor_create(by=request.user, **data), None), DonorSerializer
        )


class RateApi(IdempotentWrites, viewsets.ReadOnlyModelViewSet):
    """Monthly UN operational rates of exchange (units of the currency per US dollar). Import them in bulk
    with `hrtc import rates FILE`."""

    serializer_class = RateSerializer
    filterset_fields = ["currency"]

    def get_queryset(self):
        return selectors.rates()

    @extend_schema(request=RateInput, responses={201: RateSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request):
        data = valid(RateInput, request)
        return self.posted(
            request,
            lambda key: (services.exchange_rate_set(by=request.user, **data)[0], None),
            RateSerializer,
        )


class PledgeApi(IdempotentWrites, viewsets.ReadOnlyModelViewSet):
    """Pledges: the donor's members and fund officers see them."""

    serializer_class = FundPledgeSerializer
    filterset_class = PledgeFilter

    def get_queryset(self):
        return selectors.pledge_balances(selectors.pledges_visible(self.request.user))

    @extend_schema(
        request=FundPledgeInput, responses={201: FundPledgeSerializer}, parameters=[IDEMPOTENCY_HEADER]
    )
    def create(self, request):
        data = valid(FundPledgeInput, request)

        def make(key):
            pledge = services.pledge_record(by=request.user, idempotency_key=key, **data)
            return pledge, pledge.posting

        return self.posted(request, make, FundPledgeSerializer)


class ContributionApi(IdempotentWrites, viewsets.ReadOnlyModelViewSet):
    """Contributions received: the donor's members and fund officers see them."""

    serializer_class = ContributionSerializer
    filterset_class = ContributionFilter

    def get_queryset(self):
        return selectors.contributions_visible(self.request.user)

    @extend_schema(
        request=ContributionInput, responses={201: ContributionSerializer}, parameters=[IDEMPOTENCY_HEADER]
    )
    def create(self, request):
        data = valid(ContributionInput, request)

        def make(key):
            contribution = services.contribution_record(by=request.user, idempotency_key=key, **data)
            return contribution, contribution.posting

        return self.posted(request, make, ContributionSerializer)

    @extend_schema(request=MovementInput, responses={201: RefundSerializer}, parameters=[IDEMPOTENCY_HEADER])
    @action(detail=True, methods=["post"])
    def refund(self, request, pk=None):
        """Return money to the donor."""
        contribution, data = self.get_object(), valid(MovementInput, request)

        def make(key):
            refund = services.contribution_refund(
                by=request.user, contribution=contribution, idempotency_key=key, **data
            )
            return refund, refund.posting

        return self.posted(request, make, RefundSerializer)


class GrantApi(IdempotentWrites, viewsets.ReadOnlyModelViewSet):
    """Grants to activities and to States' delegations: the grantee State, the activity's lead provider and
    fund officers see them. A grant that would overdraw the fund answers 409 (fund_overdrawn)."""

    serializer_class = GrantSerializer
    filterset_class = GrantFilter

    def get_queryset(self):
        return selectors.grant_balances(selectors.grants_visible(self.request.user))

    @extend_schema(request=GrantInput, responses={201: GrantSerializer}, parameters=[IDEMPOTENCY_HEADER])
    def create(self, request):
        data = valid(GrantInput, request)

        def make(key):
            grant = services.grant_commit(by=request.user, idempotency_key=key, **data)
            return grant, grant.posting

        return self.posted(request, make, GrantSerializer)

    @extend_schema(
        request=MovementInput, responses={201: DisbursementSerializer}, parameters=[IDEMPOTENCY_HEADER]
    )
    @action(detail=True, methods=["post"])
    def disburse(self, request, pk=None):
        grant, data = self.get_object(), valid(MovementInput, request)

        def make(key):
            paid = services.grant_disburse(by=request.user, grant=grant, idempotency_key=key, **data)
            return paid, paid.posting

        return self.posted(request, make, DisbursementSerializer)

    @extend_schema(request=MovementInput, responses={201: RefundSerializer}, parameters=[IDEMPOTENCY_HEADER])
    @action(detail=True, methods=["post"], url_path="return")
    def give_back(self, request, pk=None):
        """Unspent funds returned by the grantee."""
        grant, data = self.get_object(), valid(MovementInput, request)

        def make(key):
            returned = services.grant_return(by=request.user, grant=grant, idempotency_key=key, **data)
            return returned, returned.posting

        return self.posted(request, make, RefundSerializer)

    @extend_schema(
        request=ReleaseInput, responses={201: TransactionSerializer}, parameters=[IDEMPOTENCY_HEADER]
    )
    @action(detail=True, methods=["post"])
    def release(self, request, pk=None):
        """Close the grant: its undisbursed balance goes back to the fund."""
        grant, data = self.get_object(), valid(ReleaseInput, request)

        def make(key):
            posted = services.grant_release(by=request.user, grant=grant, idempotency_key=key, **data)
            return posted, posted

        return self.posted(request, make, TransactionSerializer)


class DisbursementApi(viewsets.ReadOnlyModelViewSet):
    serializer_class = DisbursementSerializer
    filterset_fields = ["grant"]

    def get_queryset(self):
        return selectors.disbursements_visible(self.request.user)


class RefundApi(viewsets.ReadOnlyModelViewSet):
    serializer_class = RefundSerializer
    filterset_fields = ["kind", "grant", "contribution"]

    def get_queryset(self):
        return selectors.refunds_visible(self.request.user)


class TransactionApi(IdempotentWrites, viewsets.ReadOnlyModelViewSet):
    """The ledger: every posted transaction with its entries. Fund officers only."""

    serializer_class = TransactionSerializer
    filterset_fields = ["kind", "fund"]

    def get_queryset(self):
        return selectors.transactions_visible(self.request.user)

    @extend_schema(
        request=ReverseInput, responses={201: TransactionSerializer}, parameters=[IDEMPOTENCY_HEADER]
    )
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        """Correct a mistake by posting the transaction's mirror image."""
        posted, data = self.get_object(), valid(ReverseInput, request)

        def make(key):
            reversal = services.transaction_reverse(
                by=request.user, posted=posted, idempotency_key=key, **data
            )
            return reversal, reversal

        return self.posted(request, make, TransactionSerializer)


class FundListApi(APIView):
    """The funds and their published totals (US dollars)."""

    @extend_schema(responses=dict)
    def get(self, request):
        return Response(
            [
                {"code": fund.code, "name": fund.name, "acronym": fund.acronym, **position.as_dict()}
                for fund, position in selectors.funds_overview()
            ]
        )


class FundStatementApi(APIView):
    """A fund's statement for a year, in US dollars: opening balance, receipts and payments, closing
    balance; contributions by donor and earmark; grants by State, region, theme and gender marker; pledge
    fulfilment; the position at the year's end. Totals only: public."""

    @extend_schema(parameters=[OpenApiParameter("year", int)], responses=dict)
    def get(self, request, code: str):
        fund = get_object_or_404(Fund, code=code.upper())
        try:
            year = int(request.query_params.get("year") or date.today().year)
        except ValueError:
            raise InvalidInput("year is a number, e.g. 2026.", field="year") from None
        return Response(fund_statement(fund, year).as_dict())
