from django.contrib import admin

from hrtc.reference import models


@admin.register(models.State)
class StateAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "un_status", "regional_group", "is_ldc", "is_lldc", "is_sids"]
    list_filter = ["un_status", "regional_group", "is_ldc", "is_sids"]
    search_fields = ["name", "code", "alpha2"]


@admin.register(models.Mechanism)
class MechanismAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(models.Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["vocabulary", "code", "name", "parent", "level"]
    list_filter = ["vocabulary", "level"]
    search_fields = ["name", "code"]


for model in (
    models.SdgGoal,
    models.SdgTarget,
    models.AffectedGroup,
    models.Currency,
    models.Fund,
    models.ThemeMapping,
):
    admin.site.register(model)
