"""Every change to a tracked record is audited (who, when, what), and the log is append-only."""

import pytest
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction

from hrtc.accounts import services
from hrtc.accounts.choices import OrganisationKind, Role
from hrtc.accounts.models import Organisation
from hrtc.core import audit
from hrtc.core.audit import AuditLogIsAppendOnly
from hrtc.reference.models import State
from tests.base import make_user


def entries_for(obj):
    return list(LogEntry.objects.get_for_object(obj).order_by("timestamp", "id"))


def test_create_update_delete_are_recorded_with_actor_and_changes(people):
    admin = people.platform_admin
    org = services.organisation_create(
        by=admin,
        code="ihrc",
        name="Independent HR Commission",
        kind=OrganisationKind.NHRI,
        state=State.objects.get(code="KEN"),
    )
    with audit.acting_as(admin):
        org.name = "Independent Human Rights Commission"
        org.save()
        pk = org.pk
        org.delete()
    log = list(LogEntry.objects.filter(content_type__model="organisation", object_pk=str(pk)).order_by("id"))
    assert [e.action for e in log] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE, LogEntry.Action.DELETE]
    assert all(e.actor_id == admin.pk for e in log)
    assert log[1].changes["name"] == ["Independent HR Commission", "Independent Human Rights Commission"]


def test_membership_changes_are_audited(people):
    user = make_user("new.officer")
    membership = services.membership_set(
        by=people.kenya_admin, organisation=people.organisations["gov_ken"], user=user, role=Role.VIEWER
    )
    services.membership_set(
        by=people.kenya_admin, organisation=people.organisations["gov_ken"], user=user, role=Role.EDITOR
    )
    log = entries_for(membership)
    assert [e.action for e in log] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert log[1].changes["role"] == ["viewer", "editor"]
    assert {e.actor_id for e in log} == {people.kenya_admin.pk}


def test_secrets_are_not_written_to_the_audit_log(people):
    token, key = services.token_create(by=people.cso_member, name="sync script")
    (entry,) = entries_for(token)
    assert "key_hash" not in entry.changes
    assert key not in str(entry.changes)
    user = make_user("someone")
    assert "password" not in entries_for(user)[0].changes


def test_domain_events_carry_their_reason(people):
    org = people.organisations["cso"]
    entry = audit.record(
        actor=people.platform_admin,
        action="organisation.verify",
        target=org,
        reason="registered with the NGO board",
    )
    assert entry.additional_data == {
        "event": "organisation.verify",
        "reason": "registered with the NGO board",
    }
    assert entry.actor == people.platform_admin


def test_audit_entries_cannot_be_changed_or_deleted_through_the_orm(people):
    entry = LogEntry.objects.first()
    entry.changes_text = "rewritten history"
    with pytest.raises(AuditLogIsAppendOnly):
        entry.save()
    with pytest.raises(AuditLogIsAppendOnly):
        entry.delete()


def test_the_database_itself_refuses_to_rewrite_audit_entries(people):
    entry = LogEntry.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE auditlog_logentry SET object_repr = 'forged' WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.object_repr != "forged"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite test databases are emptied with DELETE")
def test_postgresql_refuses_to_delete_audit_entries(people):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM auditlog_logentry")
    assert LogEntry.objects.exists()


def test_changing_a_users_organisation_data_without_permission_is_refused_and_not_logged(people):
    before = LogEntry.objects.count()
    with pytest.raises(Exception, match="Not allowed"):
        services.membership_set(
            by=people.kenya_viewer,
            organisation=people.organisations["gov_ken"],
            user=people.cso_member,
            role=Role.ADMIN,
        )
    assert LogEntry.objects.count() == before
    assert not Organisation.objects.get(code="gov-ken").memberships.filter(user=people.cso_member).exists()
