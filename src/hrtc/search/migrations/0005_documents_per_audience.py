"""Documents per audience (search.documents): a record that some readers see only through its public fields
gets a ``public`` document, built from those fields, beside its ``full`` one; other records keep one document,
``all``.

The documents already indexed were built from every field. Those of requests, activities and offers (the
kinds with fields some readers may not read) become ``full`` ones, so that until they are rebuilt only those
who read them in full find them: they fail closed. They are rebuilt right after migrating
(``engine.audiences_in_step``, on post_migrate) or by ``hrtc reindex``. The other kinds' become ``all``.

The table keeps its ids (SQLite copies them when it rebuilds the table), so the FTS5 ``search_fts`` rows
(rowid = document id) stay in step; PostgreSQL's stored ``tsv`` column and its GIN index are untouched.
"""

from django.db import migrations, models

WITH_PRIVATE_FIELDS = ("request", "activity", "offer")


def _checks_now(schema_editor):
    """PostgreSQL: run the deferred foreign-key checks of these writes now, since the same transaction then
    alters the table (which it refuses with trigger events pending)."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        schema_editor.execute("SET CONSTRAINTS ALL DEFERRED")


def mark_all(apps, schema_editor):
    apps.get_model("search", "Document").objects.exclude(kind__in=WITH_PRIVATE_FIELDS).update(audience="all")
    _checks_now(schema_editor)


def drop_public_documents(apps, schema_editor):
    """Back to one document per record and language: the full ones stay, the public ones go."""
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(
            "DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_document WHERE audience = 'public')"
        )
    apps.get_model("search", "Document").objects.filter(audience="public").delete()
    _checks_now(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_postgres_stored_tsvector")]

    operations = [
        migrations.AddField(
            model_name="document",
            name="audience",
            field=models.CharField(
                choices=[
                    ("all", "everyone who sees the record"),
                    ("public", "those who see only its public fields"),
                    ("full", "those who read it in full"),
                ],
                default="full",
                help_text="Who is given this document (search.documents).",
                max_length=8,
            ),
        ),
        migrations.RunPython(mark_all, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="document", name="search_document_unique_lang"),
        migrations.RunPython(migrations.RunPython.noop, drop_public_documents),
        migrations.AddConstraint(
            model_name="document",
            constraint=models.UniqueConstraint(
                fields=("kind", "object_id", "language", "audience"), name="search_document_unique_audience"
            ),
        ),
    ]
