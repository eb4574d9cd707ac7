"""The admin shows the funds' records read-only: money moves only through hrtc.funds.services, and the
ledger is append-only."""

from django.contrib import admin

from hrtc.funds import models


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.Donor)
class DonorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "organisation", "state"]
    search_fields = ["name", "code"]


@admin.register(models.ExchangeRate)
class ExchangeRateAdmin(ReadOnly):
    list_display = ["currency", "month", "units_per_usd", "source"]
    list_filter = ["currency"]


class EntryInline(admin.TabularInline):
    model = models.LedgerEntry
    fields = ["account", "currency", "debit", "credit", "usd_debit", "usd_credit", "rate"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(models.LedgerTransaction)
class LedgerTransactionAdmin(ReadOnly):
    list_display = ["pk", "fund", "kind", "value_date", "memo", "created_by"]
    list_filter = ["fund", "kind"]
    inlines = [EntryInline]


for model in (
    models.Pledge,
    models.Contribution,
    models.Grant,
    models.Disbursement,
    models.Refund,
    models.ImportBatch,
):
    admin.site.register(model, ReadOnly)
