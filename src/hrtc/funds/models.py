"""Donors, money movements (pledges, contributions, grants, disbursements, refunds), exchange rates and the
double-entry ledger.

Every movement owns exactly one posted `LedgerTransaction` (its `posting`) whose entries balance, in the
movement's currency and in US dollars. Movements and the ledger are append-only: the ORM refuses to change
or delete them (and the database refuses too, see migration 0002); a mistake is corrected by a reversal.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hrtc.core import append_only
from hrtc.funds.choices import Account, Earmark, RefundKind, TransactionKind
from hrtc.funds.exceptions import LedgerIsAppendOnly
from hrtc.reference.choices import RegionalGroup

POSITIVE = [MinValueValidator(0)]


def money(verbose_name: str, **options) -> models.DecimalField:
    return models.DecimalField(verbose_name, max_digits=18, decimal_places=2, **options)


class AppendOnly(append_only.AppendOnly):
    """Ledger rows and money movements: a mistake is corrected by posting a reversal."""

    violation = LedgerIsAppendOnly

    class Meta:
        abstract = True


class Donor(models.Model):
    """Who gives: a State (through its government) or another organisation (the EU, a foundation, ...)."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=300)
    organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donor_profiles",
        help_text=_("The donor's organisation in hrtc (a donor or a State): its members see its records."),
    )
    state = models.ForeignKey(
        "reference.State", null=True, blank=True, on_delete=models.PROTECT, related_name="donor_profiles"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ExchangeRate(models.Model):
    """A monthly UN operational rate of exchange: how many units of the currency buy one US dollar."""

    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month (its first day)"))
    units_per_usd = models.DecimalField(
        _("units of the currency per US dollar"), max_digits=20, decimal_places=8
    )
    source = models.CharField(_("source"), max_length=200, blank=True)
    import_batch = models.ForeignKey(
        "core.ImportRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="rates"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-month", "currency"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "month"], name="exchange_rate_unique_month"),
            models.CheckConstraint(condition=Q(units_per_usd__gt=0), name="exchange_rate_positive"),
            models.CheckConstraint(condition=Q(month__day=1), name="exchange_rate_month_first_day"),
        ]

    def __str__(self) -> str:
        return f"{self.currency_id} {self.month:%Y-%m}: {self.units_per_usd} per USD"


class LedgerTransaction(AppendOnly):
    """One money movement as posted: its entries' debits equal their credits (in the currency and in USD)."""

    fund = models.ForeignKey("reference.Fund", on_delete=models.PROTECT, related_name="ledger_transactions")
    kind = models.CharField(_("kind"), max_length=20, choices=TransactionKind.choices)
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    value_date = models.DateField(_("value date"), db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    idempotency_key = models.CharField(max_length=200, blank=True)
    reverses = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversed_by",
        help_text=_("The transaction this one cancels (each can be reversed once)."),
    )

    class Meta:
        ordering = ["-value_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=TransactionKind.REVERSAL, reverses__isnull=False)
                | (~Q(kind=TransactionKind.REVERSAL) & Q(reverses__isnull=True)),
                name="ledger_transaction_reversal_has_target",
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_kind_display()} {self.value_date:%Y-%m-%d}"


class Movement(AppendOnly):
    """What every money movement has: an amount in an ISO 4217 currency, a value date, its posting."""

    amount = money(_("amount"), validators=POSITIVE)
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    value_date = models.DateField(_("value date"))
    memo = models.CharField(_("memo"), max_length=500, blank=True)
    posting = models.OneToOneField(LedgerTransaction, on_delete=models.PROTECT, related_name="%(class)s")

    class Meta:
        abstract = True

    @property
    def is_reversed(self) -> bool:
        return hasattr(self.posting, "reversed_by")


class Earmarked(models.Model):
    earmark = models.CharField(_("earmark"), max_length=10, choices=Earmark.choices, default=Earmark.NONE)
    earmark_theme = models.ForeignKey(
        "reference.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    earmark_region = models.CharField(
        _("earmarked region"), max_length=20, choices=RegionalGroup.choices, blank=True
    )

    class Meta:
        abstract = True

    @staticmethod
    def earmark_constraint(name: str) -> models.CheckConstraint:
        return models.CheckConstraint(
            condition=Q(earmark=Earmark.NONE, earmark_theme__isnull=True, earmark_region="")
            | Q(earmark=Earmark.THEME, earmark_theme__isnull=False, earmark_region="")
            | (Q(earmark=Earmark.REGION, earmark_theme__isnull=True) & ~Q(earmark_region="")),
            name=name,
        )

    @property
    def earmark_label(self) -> str:
        if self.earmark == Earmark.THEME:
            return str(self.earmark_theme)
        if self.earmark == Earmark.REGION:
            return self.get_earmark_region_display()
        return self.get_earmark_display()


class Pledge(Movement, Earmarked):
    """A donor's promise to a fund for a year. Recognised as income when made; received by contributions."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="pledges")
    fund = models.ForeignKey("reference.Fund", on_delete=models.PROTECT, related_name="pledges")
    year = models.PositiveSmallIntegerField(_("year pledged for"))

    class Meta:
        ordering = ["-value_date", "-id"]
        constraints = [Earmarked.earmark_constraint("funds_pledge_earmark_consistent")]

    def __str__(self) -> str:
        return f"Pledge #{self.pk}: {self.donor} {self.amount} {self.currency_id} ({self.year})"


class Contribution(Movement, Earmarked):
    """Money received from a donor, against a pledge or not."""

    donor = models.ForeignKey(Donor, on_delete=models.PROTECT, related_name="contributions")
    fund = models.ForeignKey("reference.Fund", on_delete=models.PROTECT, related_name="contributions")
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    reference = models.CharField(
        _("receipt reference"),
        max_length=100,
        blank=True,
        help_text=_("The treasury's receipt reference: an import skips references already recorded."),
    )
    import_batch = models.ForeignKey(
        "core.ImportRun", null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )

    class Meta:
        ordering = ["-value_date", "-id"]
        constraints = [
            Earmarked.earmark_constraint("funds_contribution_earmark_consistent"),
            models.UniqueConstraint(
                fields=["fund", "reference"],
                condition=~Q(reference=""),
                name="funds_contribution_unique_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"Contribution #{self.pk}: {self.donor} {self.amount} {self.currency_id}"


class Grant(Movement):
    """A commitment from a fund to an activity, or to a State's delegation (participation support)."""

    fund = models.ForeignKey("reference.Fund", on_delete=models.PROTECT, related_name="grants")
    activity = models.ForeignKey(
        "assistance.Activity", null=True, blank=True, on_delete=models.PROTECT, related_name="grants"
    )
    state = models.ForeignKey(
        "reference.State",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="delegation_grants",
        help_text=_("For participation support to a State's delegation (no activity)."),
    )
    purpose = models.CharField(_("purpose"), max_length=300)

    class Meta:
        ordering = ["-value_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(activity__isnull=False, state__isnull=True)
                | Q(activity__isnull=True, state__isnull=False),
                name="funds_grant_finances_activity_or_delegation",
            )
        ]

    def __str__(self) -> str:
        return f"Grant #{self.pk}: {self.purpose}"

    @property
    def grantee_state_id(self) -> str:
        return self.state_id or self.activity.state_id


class Disbursement(Movement):
    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="disbursements")

    class Meta:
        ordering = ["-value_date", "-id"]

    def __str__(self) -> str:
        return f"Disbursement #{self.pk} of grant #{self.grant_id}"


class Refund(Movement):
    """Unspent funds returned by a grantee to the fund, or money the fund returns to a donor."""

    kind = models.CharField(_("kind"), max_length=10, choices=RefundKind.choices)
    grant = models.ForeignKey(Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="returns")
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.PROTECT, related_name="refunds"
    )

    class Meta:
        ordering = ["-value_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind=RefundKind.RETURN, grant__isnull=False, contribution__isnull=True)
                | Q(kind=RefundKind.TO_DONOR, grant__isnull=True, contribution__isnull=False),
                name="funds_refund_names_its_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class LedgerEntry(AppendOnly):
    """One line of a transaction: a debit or a credit to one account of one fund, in the transaction's
    currency, with its US-dollar value and the rate used (units of the currency per dollar).

    Entries are tagged with the pledge, contribution or grant they concern, so each of those has its own
    sub-ledger (what is still due on a pledge, still to disburse on a grant). Exchange-difference entries
    are in US dollars only (their currency amounts are zero) and have no rate.
    """

    transaction = models.ForeignKey(LedgerTransaction, on_delete=models.PROTECT, related_name="entries")
    fund = models.ForeignKey("reference.Fund", on_delete=models.PROTECT, related_name="ledger_entries")
    account = models.CharField(_("account"), max_length=30, choices=Account.choices)
    currency = models.ForeignKey("reference.Currency", on_delete=models.PROTECT, related_name="+")
    value_date = models.DateField(_("value date"))
    debit = money(_("debit"), default=0)
    credit = money(_("credit"), default=0)
    usd_debit = money(_("debit (USD)"), default=0)
    usd_credit = money(_("credit (USD)"), default=0)
    rate = models.DecimalField(
        _("units of the currency per US dollar"), max_digits=20, decimal_places=8, null=True, blank=True
    )
    pledge = models.ForeignKey(
        Pledge, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    contribution = models.ForeignKey(
        Contribution, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )
    grant = models.ForeignKey(
        Grant, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger_entries"
    )

    class Meta:
        ordering = ["transaction_id", "id"]
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["fund", "currency", "account", "value_date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gte=0, credit__gte=0, usd_debit__gte=0, usd_credit__gte=0),
                name="ledger_entry_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=(Q(debit=0) | Q(credit=0))
                & (Q(usd_debit=0) | Q(usd_credit=0))
                & ~(Q(debit__gt=0) & Q(usd_credit__gt=0))
                & ~(Q(credit__gt=0) & Q(usd_debit__gt=0)),
                name="ledger_entry_one_side",
            ),
            models.CheckConstraint(
                condition=Q(account=Account.EXCHANGE_DIFFERENCES, rate__isnull=True, debit=0, credit=0)
                | (~Q(account=Account.EXCHANGE_DIFFERENCES) & Q(rate__gt=0)),
                name="ledger_entry_rate_except_exchange_differences",
            ),
        ]

    def __str__(self) -> str:
        side = f"Dr {self.debit}" if self.debit or self.usd_debit else f"Cr {self.credit}"
        return f"{self.get_account_display()} {side} {self.currency_id}"


class IdempotencyKey(models.Model):
    """An API write made with an `Idempotency-Key` header: a retry with the same key gets this response."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)
    scope = models.CharField(max_length=300, help_text="Method and path of the first request.")
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of the first request's body.")
    status_code = models.PositiveSmallIntegerField(default=0)
    response = models.JSONField(default=dict)
    transaction = models.ForeignKey(
        LedgerTransaction, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.scope})"
