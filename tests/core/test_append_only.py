"""Consent records and request and practice events are append-only: the ORM refuses to save an existing
entry or delete one, the database refuses an UPDATE of a recorded column (and, on PostgreSQL, a DELETE),
the author may still be set to NULL when an account goes, and a request with a history cannot be deleted."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from hrtc.assistance.models import AssistanceRequest, ConsentRecord, RequestEvent
from hrtc.core.append_only import AppendOnlyViolation
from hrtc.practices import services as practices
from hrtc.practices.models import Practice, PracticeEvent
from tests.base import make_request


@pytest.mark.parametrize("model", [ConsentRecord, RequestEvent])
def test_request_histories_cannot_be_rewritten(people, model):
    make_request(people)
    entry = model.objects.first()
    assert entry is not None
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyViolation):
        entry.save()
    with pytest.raises(AppendOnlyViolation):
        entry.delete()
    with pytest.raises(AppendOnlyViolation):
        model.objects.filter(pk=entry.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyViolation):
        model.objects.filter(pk=entry.pk).delete()
    table = model._meta.db_table
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:  # past the ORM
        cursor.execute(f"UPDATE {table} SET reason = 'rewritten' WHERE id = %s", [entry.pk])  # noqa: S608
    assert model.objects.get(pk=entry.pk).reason != "rewritten"
    model.objects.filter(pk=entry.pk).update(by=None)  # an account deleted: its entries stay, unsigned
    assert model.objects.get(pk=entry.pk).by_id is None
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [entry.pk])  # noqa: S608
    with pytest.raises(ProtectedError), transaction.atomic():
        AssistanceRequest.objects.filter(pk=entry.request_id).delete()


def test_practice_events_cannot_be_rewritten(people):
    practice = practices.practice_submit(
        by=people.cso_member,
        title="Paralegals in police stations",
        summary="Free legal advice in the first hours of detention.",
        body="<p>Paralegals</p>",
    )
    practices.practice_transition(
        practice=practice, by=people.ohchr_officer, name="review", comment="Read it"
    )
    event = PracticeEvent.objects.filter(practice=practice).last()
    assert event is not None
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE practices_practiceevent SET comment = 'rewritten' WHERE id = %s", [event.pk])
    event.comment = "rewritten"
    with pytest.raises(AppendOnlyViolation):
        event.save()
    with pytest.raises(ProtectedError), transaction.atomic():
        Practice.objects.filter(pk=practice.pk).delete()
