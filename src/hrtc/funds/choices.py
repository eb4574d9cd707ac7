from django.db import models
from django.utils.translation import gettext_lazy as _

#: The reporting currency: statements are in US dollars, converted at the UN operational rates of exchange.
REPORTING_CURRENCY = "USD"


class Account(models.TextChoices):
    """The accounts of each fund's books. Assets and expenses grow with debits; the others with credits."""

    CASH = "cash", _("Fund cash")
    PLEDGES_RECEIVABLE = "pledges_receivable", _("Pledges receivable")
    CONTRIBUTION_INCOME = "contribution_income", _("Contributions (income)")
    GRANTS_PAYABLE = "grants_payable", _("Grants committed, not disbursed")
    GRANT_EXPENSE = "grant_expense", _("Grants (expense)")
    DONOR_REFUNDS = "donor_refunds", _("Refunds to donors")
    EXCHANGE_DIFFERENCES = "exchange_differences", _("Exchange differences (US dollars only)")


#: Accounts whose balance is debits minus credits; the others are credits minus debits.
DEBIT_ACCOUNTS = frozenset(
    {Account.CASH, Account.PLEDGES_RECEIVABLE, Account.GRANT_EXPENSE, Account.DONOR_REFUNDS}
)


class TransactionKind(models.TextChoices):
    PLEDGE = "pledge", _("Pledge")
    CONTRIBUTION = "contribution", _("Contribution received")
    GRANT = "grant", _("Grant committed")
    DISBURSEMENT = "disbursement", _("Disbursement")
    GRANT_RELEASE = "grant_release", _("Undisbursed grant balance released")
    RETURN = "return", _("Unspent funds returned by a grantee")
    DONOR_REFUND = "donor_refund", _("Refund to a donor")
    REVERSAL = "reversal", _("Reversal")


class Earmark(models.TextChoices):
    NONE = "none", _("Unearmarked")
    THEME = "theme", _("Earmarked for a theme")
    REGION = "region", _("Earmarked for a region")


class RefundKind(models.TextChoices):
    RETURN = "return", _("Unspent funds returned by the grantee")
    TO_DONOR = "to_donor", _("Refund to the donor")


class ImportKind(models.TextChoices):
    RATES = "rates", _("Exchange rates")
    CONTRIBUTIONS = "contributions", _("Contributions")
