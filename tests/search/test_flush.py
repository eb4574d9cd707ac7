"""`hrtc flush` empties the database and the full-text index with it (on SQLite the FTS5 table follows
search_document through triggers), so records made afterwards are indexed and found, and nothing flushed
is found any more."""

from django.core.management import call_command
from django.db import connection

from hrtc.search import engine
from tests.base import make_recommendation


def test_flush_empties_the_index_and_indexing_goes_on(transactional_db):
    make_recommendation(text="Establish an independent oversight body for places of detention")
    assert engine.search(None, "oversight").total == 1
    call_command("flush", interactive=False, verbosity=0)  # reference data loads again (post_migrate)
    assert engine.search(None, "oversight").total == 0
    make_recommendation(text="Guarantee legal aid to every detainee")
    make_recommendation(text="Strengthen oversight of prisons", paragraph="2")
    assert engine.search(None, "oversight").total == 1
    assert engine.search(None, "legal aid").total == 1
    if connection.vendor == "sqlite":  # the index holds exactly the documents' rows: no orphan left
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts, rank) VALUES ('integrity-check', 1)")
