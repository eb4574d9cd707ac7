"""The engine-specific full-text indexes over search_document.content.

SQLite: an FTS5 table (rowid = document id) kept in step by the application (engine.py).
PostgreSQL: a GIN index on to_tsvector('simple', content) — the text is already folded and stemmed in
Python, so 'simple' only splits on spaces — and pg_trgm for substring matches.
"""

from django.db import migrations


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
                              "content, tokenize = 'unicode61 remove_diacritics 0')")
    elif vendor == "postgresql":
        schema_editor.execute("CREATE INDEX IF NOT EXISTS search_document_fts ON search_document "
                              "USING gin (to_tsvector('simple', content))")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
