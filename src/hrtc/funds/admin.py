"""The admin shows the funds' records read-only: money moves only through hrtc.funds.services, and the
ledger is append-only. Only a donor's name may be corrected here."""

from django.contrib import admin

from hrtc.core.admin import ReadOnlyFieldsAdmin, ViewOnlyAdmin, ViewOnlyTabularInline
from hrtc.funds import models


@admin.register(models.Donor)
class DonorAdmin(ReadOnlyFieldsAdmin):
    """A donor's name may be corrected here; its organisation and State decide who sees its pledges and
    contributions, so they are set by `donor_create` only."""

    list_display = ["name", "code", "organisation", "state"]
    search_fields = ["name", "code"]
    locked_fields = ["code", "organisation", "state"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(ViewOnlyAdmin):
    list_display = ["currency", "month", "units_per_usd", "source"]
    list_filter = ["currency"]


class EntryInline(ViewOnlyTabularInline):
    model = models.LedgerEntry
    fields = ["account", "currency", "debit", "credit", "usd_debit", "usd_credit", "rate"]
    readonly_fields = fields


@admin.register(models.LedgerTransaction)
class LedgerTransactionAdmin(ViewOnlyAdmin):
    list_display = ["pk", "fund", "kind", "value_date", "memo", "created_by"]
    list_filter = ["fund", "kind"]
    inlines = [EntryInline]


for model in (
    models.Pledge,
    models.Contribution,
    models.Grant,
    models.Disbursement,
    models.Refund,
):
    admin.site.register(model, ViewOnlyAdmin)
