"""The Django admin cannot break the rules: a platform administrator driving the real admin pages cannot give
a State's consent, publish an activity, seat themselves in a government or store a script in a practice; a
membership removed through the admin is removed through the service, audited."""

import json
import re
from datetime import date

import pytest
from auditlog.models import LogEntry
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import connection
from django.urls import reverse

from hrtc.accounts import policy
from hrtc.accounts.choices import Role
from hrtc.accounts.models import Membership
from hrtc.assistance import services as assistance
from hrtc.assistance.models import Activity, AssistanceRequest, ConsentRecord
from hrtc.practices import services as practices
from hrtc.practices.choices import PracticeStatus
from hrtc.practices.models import Practice
from hrtc.reference.models import State
from tests.base import make_request

ATTACK = '<p>Paralegals</p><img src=x onerror=alert(1)><script>alert("x")</script>'


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.platform_admin)
    return client


def posted_back(response) -> dict:
    """The change form's values as a browser would post them back unchanged (inlines included)."""
    data: dict = {}

    def put(bound) -> None:
        value = bound.value()
        if value is None or value is False:
            return
        if value is True:
            data[bound.html_name] = "on"
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(v) for v in value]
        else:
            data[bound.html_name] = str(value)

    form = response.context["adminform"].form
    for name in form.fields:
        put(form[name])
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for bound in formset.management_form:
            put(bound)
        for each in formset.forms:
            for name in each.fields:
                put(each[name])
    return data


def editable(response, field: str) -> bool:
    return f'name="{field}"' in response.content.decode()


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


# ---------------------------------------------------------------------------------------------------------
# Consent and publication


def test_the_admin_cannot_give_a_states_consent_to_publish_a_request(admin_client, people):
    request = make_request(people, publish=False)
    records = ConsentRecord.objects.count()
    page = admin_client.get(change_url(request))
    assert page.status_code == 200
    for field in ("consent_publish_summary", "consent_providers", "consent_given_by", "status", "title"):
        assert not editable(page, field), field
    assert "Summary may be published" in page.content.decode()  # shown, read-only

    data = {
        **posted_back(page),
        "consent_publish_summary": "on",
        "consent_providers": [str(people.organisations["unwomen"].pk)],
        "status": "accepted",
    }
    refused = admin_client.post(change_url(request), data)
    assert refused.status_code == 403

    after = AssistanceRequest.objects.get(pk=request.pk)
    assert after.consent_publish_summary is False
    assert after.status == request.status
    assert after.consent_given_by == people.kenya_focal_point
    assert list(after.consent_providers.values_list("code", flat=True)) == ["ohchr"]
    assert ConsentRecord.objects.count() == records


def test_requests_and_their_histories_cannot_be_added_or_deleted_in_the_admin(admin_client, people):
    request = make_request(people)
    for model in ("assistancerequest", "consentrecord", "requestevent", "feedevent"):
        assert admin_client.get(reverse(f"admin:assistance_{model}_add")).status_code == 403, model
    delete = reverse("admin:assistance_assistancerequest_delete", args=[request.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert AssistanceRequest.objects.filter(pk=request.pk).exists()


def provider_initiated_activity(people) -> Activity:
    return assistance.activity_create(
        by=people.ohchr_officer,
        lead_provider=people.organisations["ohchr"],
        state=State.objects.get(code="KEN"),
        title="Workshop on the Istanbul Protocol",
        modality="training",
        planned_start=date(2026, 3, 1),
        planned_end=date(2026, 3, 31),
    )


def test_the_admin_cannot_publish_an_activity_or_record_the_states_consent_to_it(admin_client, people):
    activity = provider_initiated_activity(people)
    page = admin_client.get(change_url(activity))
    assert page.status_code == 200
    for field in ("is_published", "state_consent_at", "state_consent_by", "request", "status", "state"):
        assert not editable(page, field), field
    assert editable(page, "title")  # the rest of the activity stays editable

    data = {
        **posted_back(page),
        "title": "Workshop on the Istanbul Protocol (Nairobi)",
        "is_published": "on",
        "state_consent_at_0": "2026-01-05",
        "state_consent_at_1": "10:00:00",
        "state_consent_by": str(people.platform_admin.pk),
        "status": "2",
    }
    saved = admin_client.post(change_url(activity), data)
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors

    after = Activity.objects.get(pk=activity.pk)
    assert after.title == "Workshop on the Istanbul Protocol (Nairobi)"  # the form was taken…
    assert after.is_published is False  # …but not what only the services and the State change
    assert after.state_consent_at is None
    assert after.state_consent_by is None
    assert after.status == activity.status


# ---------------------------------------------------------------------------------------------------------
# Memberships of a State's government


def test_the_admin_cannot_seat_anyone_in_a_government(admin_client, people):
    government = people.organisations["gov_ken"]
    add = reverse("admin:accounts_membership_add")
    form = admin_client.get(add)
    assert form.status_code == 200
    assert f'<option value="{government.pk}"' not in form.content.decode()

    refused = admin_client.post(
        add, {"user": people.platform_admin.pk, "organisation": government.pk, "role": Role.FOCAL_POINT}
    )
    assert refused.status_code == 200  # the form again, with the error
    assert refused.context["adminform"].form.errors["organisation"]
    assert not Membership.objects.filter(user=people.platform_admin).exists()


def test_the_admin_cannot_change_a_government_members_role(admin_client, people):
    seat = Membership.objects.get(user=people.kenya_viewer)
    page = admin_client.get(change_url(seat))
    assert page.status_code == 200
    assert not editable(page, "role")
    refused = admin_client.post(
        change_url(seat), {"user": seat.user_id, "organisation": seat.organisation_id, "role": Role.ADMIN}
    )
    assert refused.status_code == 403
    seat.refresh_from_db()
    assert seat.role == Role.VIEWER


def test_the_governments_page_lists_its_members_read_only(admin_client, people):
    government = people.organisations["gov_ken"]
    page = admin_client.get(change_url(government))
    assert page.status_code == 200
    assert not editable(page, "kind")
    assert not editable(page, "state")
    assert not editable(page, "memberships-0-role")
    assert "kenya.focal.point" in page.content.decode()

    data = posted_back(page)
    data.update(
        {
            "memberships-TOTAL_FORMS": str(int(data["memberships-TOTAL_FORMS"]) + 1),
            f"memberships-{data['memberships-TOTAL_FORMS']}-user": str(people.platform_admin.pk),
            f"memberships-{data['memberships-TOTAL_FORMS']}-role": Role.FOCAL_POINT,
        }
    )
    admin_client.post(change_url(government), data)
    assert not Membership.objects.filter(user=people.platform_admin).exists()


def test_other_organisations_members_are_added_through_the_service(admin_client, people):
    ohchr = people.organisations["ohchr"]
    saved = admin_client.post(
        reverse("admin:accounts_membership_add"),
        {"user": people.cso_member.pk, "organisation": ohchr.pk, "role": Role.EDITOR},
    )
    assert saved.status_code == 302
    assert Membership.objects.get(user=people.cso_member, organisation=ohchr).role == Role.EDITOR
    assert LogEntry.objects.get_for_object(ohchr).filter(additional_data__event="membership.add").exists()


def test_no_organisation_becomes_a_government_with_its_members_inside(admin_client, people):
    """Seat yourself in a CSO (allowed), then make the CSO Kenya's government: the kind and State are fixed."""
    cso = people.organisations["cso"]
    page = admin_client.get(change_url(cso))
    data = posted_back(page)
    n = int(data["memberships-TOTAL_FORMS"])
    data.update(
        {
            "memberships-TOTAL_FORMS": str(n + 1),
            f"memberships-{n}-user": str(people.platform_admin.pk),
            f"memberships-{n}-role": Role.ADMIN,
            "kind": "state",
        }
    )
    saved = admin_client.post(change_url(cso), data)
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors
    assert Membership.objects.get(user=people.platform_admin, organisation=cso).role == Role.ADMIN
    assert LogEntry.objects.get_for_object(cso).filter(additional_data__event="membership.add").exists()
    cso.refresh_from_db()
    assert cso.kind == "cso"
    assert policy.principal(get_user_model().objects.get(pk=people.platform_admin.pk)).state_ids() == set()


def removals(organisation):
    return LogEntry.objects.get_for_object(organisation).filter(additional_data__event="membership.remove")


def test_removing_a_government_member_in_the_admin_is_audited(admin_client, people):
    government = people.organisations["gov_ken"]
    seat = Membership.objects.get(user=people.kenya_viewer)
    done = admin_client.post(reverse("admin:accounts_membership_delete", args=[seat.pk]), {"post": "yes"})
    assert done.status_code == 302
    assert not Membership.objects.filter(pk=seat.pk).exists()
    (entry,) = removals(government)
    assert entry.actor == people.platform_admin
    assert entry.additional_data["user"] == "kenya.viewer"
    assert entry.additional_data["notify_state"] == "KEN"
    deleted = LogEntry.objects.filter(
        content_type__model="membership", object_pk=str(seat.pk), action=LogEntry.Action.DELETE
    )
    assert deleted.get().actor == people.platform_admin


def test_removing_members_in_bulk_in_the_admin_is_audited_one_by_one(admin_client, people):
    seats = list(Membership.objects.filter(organisation=people.organisations["gov_ken"]))
    done = admin_client.post(
        reverse("admin:accounts_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [s.pk for s in seats], "post": "yes"},
    )
    assert done.status_code == 302
    assert not Membership.objects.filter(organisation=people.organisations["gov_ken"]).exists()
    assert removals(people.organisations["gov_ken"]).count() == len(seats)


# ---------------------------------------------------------------------------------------------------------
# Stored HTML


def published_practice(people) -> Practice:
    practice = practices.practice_submit(
        by=people.cso_member,
        title="Paralegal network for rural women",
        summary="Community paralegals help rural women claim land rights.",
        body="<p>Trained <strong>120 paralegals</strong>.</p>",
    )
    for move in ("review", "publish"):
        practices.practice_transition(practice=practice, by=people.ohchr_officer, name=move)
    practice.refresh_from_db()
    assert practice.status == PracticeStatus.PUBLISHED
    return practice


def assert_harmless(html: str) -> None:
    """No event handler, no inline script: the only scripts on a page are the platform's own files."""
    lowered = html.lower()
    assert "onerror" not in lowered
    assert "alert(" not in lowered
    for script in re.findall(r"<script[^>]*>", lowered):
        assert re.search(r'\ssrc="/static/', script), script


def practice_page(client, people, practice) -> str:
    client.force_login(people.cso_member)
    page = client.get(practice.get_absolute_url())
    assert page.status_code == 200
    return page.content.decode()


def test_a_body_saved_in_the_admin_is_stored_sanitised_and_shown_harmless(admin_client, people):
    practice = published_practice(people)
    page = admin_client.get(change_url(practice))
    assert not editable(page, "status")
    assert not editable(page, "published_at")
    saved = admin_client.post(change_url(practice), {**posted_back(page), "body": ATTACK})
    assert saved.status_code == 302, saved.context and saved.context["adminform"].form.errors

    stored = Practice.objects.get(pk=practice.pk).body
    assert "<p>Paralegals</p>" in stored
    assert_harmless(stored)
    html = practice_page(admin_client, people, practice)
    assert "<p>Paralegals</p>" in html
    assert_harmless(html)


def test_a_body_written_around_save_is_still_shown_and_served_harmless(client, people):
    practice = published_practice(people)
    Practice.objects.filter(pk=practice.pk).update(body=ATTACK)
    assert_harmless(Practice.objects.get(pk=practice.pk).body)  # the queryset cleans what it is given

    with connection.cursor() as cursor:  # raw SQL goes around everything in the model layer
        cursor.execute("UPDATE practices_practice SET body = %s WHERE id = %s", [ATTACK, practice.pk])
    assert "onerror" in Practice.objects.get(pk=practice.pk).body

    html = practice_page(client, people, practice)
    assert "<p>Paralegals</p>" in html
    assert_harmless(html)
    served = client.get(f"/api/v1/practices/{practice.slug}/").json()
    assert "<p>Paralegals</p>" in served["body"]
    assert_harmless(served["body"])


def test_no_write_through_the_model_layer_stores_an_unsanitised_body(people):
    practice = published_practice(people)
    practice.body = ATTACK
    practice.save()
    assert_harmless(Practice.objects.get(pk=practice.pk).body)

    copies = Practice.objects.bulk_create(
        [Practice(slug="copy", title="Copy", summary="Copy", body=ATTACK, language="fr")]
    )
    assert_harmless(Practice.objects.get(pk=copies[0].pk).body)
    copies[0].body = ATTACK
    Practice.objects.bulk_update(copies, ["body"])
    assert_harmless(Practice.objects.get(pk=copies[0].pk).body)

    fixture = serializers.serialize("json", [practice]).replace(
        json.dumps(practice.body)[1:-1], json.dumps(ATTACK)[1:-1]
    )
    assert "onerror" in fixture
    for loaded in serializers.deserialize("json", fixture):  # what `loaddata` does: a raw save
        loaded.save()
    assert "<p>Paralegals</p>" in Practice.objects.get(pk=practice.pk).body
    assert_harmless(Practice.objects.get(pk=practice.pk).body)


def test_practices_and_their_histories_are_not_created_or_deleted_in_the_admin(admin_client, people):
    practice = published_practice(people)
    assert admin_client.get(reverse("admin:practices_practice_add")).status_code == 403
    assert admin_client.get(reverse("admin:practices_practiceevent_add")).status_code == 403
    delete = reverse("admin:practices_practice_delete", args=[practice.pk])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert Practice.objects.filter(pk=practice.pk).exists()


def test_every_admin_page_still_opens(admin_client, people):
    make_request(people)
    provider_initiated_activity(people)
    published_practice(people)
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        listing = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        assert listing.status_code == 200, opts.label
        first = model_admin.get_queryset(listing.wsgi_request).first()
        if first is not None:
            assert admin_client.get(change_url(first)).status_code == 200, opts.label


def test_the_admin_cannot_take_over_a_government_members_account(admin_client, people):
    """Setting a focal point's password (or e-mail) would let an administrator sign in as the State."""
    focal_point = people.kenya_focal_point
    password_url = reverse("admin:auth_user_password_change", args=[focal_point.pk])
    assert admin_client.get(password_url).status_code == 403
    refused = admin_client.post(password_url, {"password1": "Taken0ver!x", "password2": "Taken0ver!x"})
    assert refused.status_code == 403
    focal_point.refresh_from_db()
    assert not focal_point.check_password("Taken0ver!x")
    page = admin_client.get(reverse("admin:auth_user_change", args=[focal_point.pk])).content.decode()
    assert 'name="email"' not in page
    assert 'name="username"' not in page
    # Anyone else's account (a CSO member's) stays the administrator's to manage.
    other = reverse("admin:auth_user_password_change", args=[people.cso_member.pk])
    assert admin_client.get(other).status_code == 200


@pytest.mark.parametrize(
    ("kind", "admitted"),
    [
        ("platform_admin", True),
        ("staff_with_every_permission", False),
        ("inactive_superuser", False),
        ("government_focal_point", False),
        ("anonymous", False),
    ],
)
def test_only_platform_administrators_open_the_admin(client, people, kind, admitted):
    """Django's own rule admits any staff user and lets model permissions decide; hrtc's policy admits its
    platform administrators only, whatever a user's staff flag or permissions say."""
    from django.contrib.auth.models import Permission

    users = get_user_model()
    if kind == "platform_admin":
        client.force_login(people.platform_admin)
    elif kind == "staff_with_every_permission":
        staff = users.objects.create_user("staff-reader", password="x", is_staff=True)
        staff.user_permissions.set(Permission.objects.all())
        client.force_login(staff)
    elif kind == "inactive_superuser":
        # an inactive user cannot log in; the admin must also refuse a session that outlived deactivation
        gone = users.objects.create_superuser("gone-admin", password="x")
        client.force_login(gone)
        users.objects.filter(pk=gone.pk).update(is_active=False)
    elif kind == "government_focal_point":
        client.force_login(people.kenya_focal_point)
    request = AssistanceRequest.objects.first()
    pages = [reverse("admin:index"), reverse("admin:assistance_assistancerequest_changelist")]
    pages += [reverse("admin:assistance_consentrecord_changelist"), reverse("admin:auth_user_changelist")]
    if request is not None:
        pages.append(reverse("admin:assistance_assistancerequest_change", args=[request.pk]))
    for page in pages:
        response = client.get(page)
        if admitted:
            assert response.status_code == 200, page
        else:
            assert response.status_code == 302, (page, kind)
            assert "/admin/login/" in response["Location"], (page, kind)
