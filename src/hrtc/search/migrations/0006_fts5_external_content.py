"""SQLite: the FTS5 index becomes an *external-content* table over search_document, kept in step by
triggers in the database rather than by the application.

Before, search_fts was a table of its own that the engine wrote beside each document. Anything that removed
documents without the engine — `hrtc flush`, a test database being emptied, a bulk delete — left its rows
behind, and the next document given the same id collided with them (flush refused to work on SQLite). Now an
insert, update or delete of a document updates the index in the same statement, whoever makes it.
PostgreSQL is unchanged (its index is a stored tsvector column of search_document).
"""

from django.db import migrations

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 0'"

TRIGGERS = [
    "CREATE TRIGGER search_document_fts_insert AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, content) VALUES (new.id, new.content); END",
    "CREATE TRIGGER search_document_fts_delete AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, content) VALUES ('delete', old.id, old.content); END",
    "CREATE TRIGGER search_document_fts_update AFTER UPDATE OF content ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, content) VALUES ('delete', old.id, old.content); "
    "INSERT INTO search_fts(rowid, content) VALUES (new.id, new.content); END",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5(content, content='search_document', "
        f"content_rowid='id', {TOKENIZE})"
    )
    for trigger in TRIGGERS:
        schema_editor.execute(trigger)
    schema_editor.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")  # index what is there


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    for name in ("insert", "delete", "update"):
        schema_editor.execute(f"DROP TRIGGER IF EXISTS search_document_fts_{name}")
    schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    schema_editor.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5(content, {TOKENIZE})")
    schema_editor.execute("INSERT INTO search_fts(rowid, content) SELECT id, content FROM search_document")


class Migration(migrations.Migration):
    dependencies = [("search", "0005_documents_per_audience")]
    operations = [migrations.RunPython(forward, backward)]
