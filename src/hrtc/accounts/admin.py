"""Organisations, memberships and tokens in the admin. Every membership change goes through
`hrtc.accounts.services` (the policy, the audit log, the State told). A State's government organisation is
the State's: nobody adds a member to it or changes a member's role here (its own administrators do, through
the service); removing a member — deactivation — stays possible. What makes an organisation a government
(its kind and State) is fixed once it exists, so no organisation becomes one with its members inside."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from hrtc.accounts import services
from hrtc.accounts.choices import OrganisationKind
from hrtc.accounts.models import ApiToken, Membership, Organisation


def _is_government(organisation: Organisation | None) -> bool:
    return organisation is not None and organisation.kind == OrganisationKind.STATE


class MembershipInlineForm(forms.ModelForm):
    """A member's row names one person: change the role, or remove the row and add another."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None and "user" in self.fields:
            self.fields["user"].disabled = True


class MembershipInline(admin.TabularInline):
    """Members of another kind of organisation, edited through the services; a government's: view only."""

    model = Membership
    form = MembershipInlineForm
    fields = ["user", "role", "created_at"]
    readonly_fields = ["created_at"]
    extra = 0
    autocomplete_fields = ["user"]
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return obj is not None and not _is_government(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not _is_government(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        # A government's members are removed one by one in the Membership admin (audited, the State told).
        return not _is_government(obj) and super().has_delete_permission(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "acronym", "kind", "state", "iati_org_ref", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "acronym", "code"]
    autocomplete_fields = ["state"]
    inlines = [MembershipInline]

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # members are added once the organisation exists

    def get_readonly_fields(self, request, obj=None):
        # Changing the kind or State of an existing organisation would make its members a government's.
        return [*super().get_readonly_fields(request, obj), *(["kind", "state"] if obj else [])]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # deleting would drop its members unseen: deactivate it (is_active) instead

    def save_formset(self, request, form, formset, change):
        if formset.model is not Membership:
            return super().save_formset(request, form, formset, change)
        organisation = form.instance
        with transaction.atomic():
            changed = formset.save(commit=False)
            for membership in formset.deleted_objects:
                services.membership_remove(by=request.user, membership=membership)
            for membership in changed:
                services.membership_set(
                    by=request.user, organisation=organisation, user=membership.user, role=membership.role
                )
        return None


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Add members to organisations other than governments, change their roles, remove anyone's membership;
    each through `hrtc.accounts.services`."""

    list_display = ["user", "organisation", "role"]
    list_filter = ["role", "organisation__kind"]
    search_fields = ["user__username", "organisation__name"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["user", "organisation", *(["role"] if _is_government(obj.organisation) else [])]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "organisation":
            kwargs["queryset"] = Organisation.objects.exclude(kind=OrganisationKind.STATE)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None) -> bool:
        return not (obj is not None and _is_government(obj.organisation)) and super().has_change_permission(
            request, obj
        )

    def save_model(self, request, obj, form, change):
        saved = services.membership_set(
            by=request.user, organisation=obj.organisation, user=obj.user, role=obj.role
        )
        obj.pk, obj.created_at = saved.pk, saved.created_at

    def delete_model(self, request, obj):
        services.membership_remove(by=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for membership in queryset.select_related("user", "organisation"):
                services.membership_remove(by=request.user, membership=membership)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """A token acts as its user: who owns it, and when it stops working, are not edited here. Revoke it (the
    action, through `token_revoke`) or delete it."""

    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "expires_at", "last_used_at", "revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False  # tokens are created by their owner, so the key is shown to them only

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        with transaction.atomic():
            for token in queryset:
                services.token_revoke(by=request.user, token=token)


def _holds_government_seat(user) -> bool:
    return Membership.objects.filter(user=user, organisation__kind=OrganisationKind.STATE).exists()


class GuardedUserAdmin(UserAdmin):
    """Users. A member of a State's government organisation acts for the State (consent included), so a
    platform administrator cannot take their seat over: their password, username, e-mail and privileges are
    not changed here by anyone but themselves. Deactivating them (``is_active``) stays possible."""

    _theirs = ("username", "email", "is_superuser", "is_staff", "groups", "user_permissions")

    def _guarded(self, request, obj) -> bool:
        return obj is not None and obj.pk != request.user.pk and _holds_government_seat(obj)

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        return fields + self._theirs if self._guarded(request, obj) else fields

    def user_change_password(self, request, id, form_url=""):
        user = self.get_object(request, unquote(id))
        if self._guarded(request, user):
            raise PermissionDenied(
                _("A member of a State's government changes their own password; an administrator cannot.")
            )
        return super().user_change_password(request, id, form_url)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), GuardedUserAdmin)
