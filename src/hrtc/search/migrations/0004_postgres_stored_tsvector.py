"""PostgreSQL: keep the tsvector stored (a generated column) so ranking does not re-parse every matching
document at query time, index it with GIN, and add pg_trgm's index for prefix/substring lookups of titles.
SQLite is unchanged (FTS5 keeps its own index)."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_document_fts")
    schema_editor.execute(
        "ALTER TABLE search_document ADD COLUMN IF NOT EXISTS tsv tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', content)) STORED"
    )
    schema_editor.execute("CREATE INDEX IF NOT EXISTS search_document_tsv ON search_document USING gin (tsv)")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_document_title_trgm ON search_document "
        "USING gin (lower(title) gin_trgm_ops)"
    )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS search_document_title_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS search_document_tsv")
    schema_editor.execute("ALTER TABLE search_document DROP COLUMN IF EXISTS tsv")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS search_document_fts ON search_document "
        "USING gin (to_tsvector('simple', content))"
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_documents_per_language_and_tags")]
    operations = [migrations.RunPython(forward, backward)]
