"""Import records move into the one ImportRun of core (issue 15): IATI imports. Each old record becomes an
ImportRun with the same file, checksum, author, time and counts; the records that pointed to it point to its
ImportRun; then the old model goes."""

import django.db.models.deletion
from django.db import migrations, models


def _settle(schema_editor):
    """PostgreSQL checks the moved rows' foreign keys now, so that the schema changes after can run."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forward(apps, schema_editor):
    run_model = apps.get_model("core", "ImportRun")
    old_model = apps.get_model("opendata", "IatiImport")
    for old in old_model.objects.all().order_by("pk"):
        run = run_model.objects.create(
            kind="iati",
            format="iati-xml",
            file_name=old.file_name,
            sha256=old.sha256,
            by=old.by,
            rows_read=old.activities_read,
            created=old.created,
            updated=old.updated,
            unchanged=old.unchanged,
            details={"kept": old.kept},
        )
        run_model.objects.filter(pk=run.pk).update(started_at=old.started_at)  # auto_now_add set "now"
        apps.get_model("opendata", "ExternalActivity").objects.filter(source=old).update(source_run=run)
    _settle(schema_editor)


def backward(apps, schema_editor):
    run_model = apps.get_model("core", "ImportRun")
    old_model = apps.get_model("opendata", "IatiImport")
    for run in run_model.objects.filter(kind__in=["iati"]).order_by("pk"):
        old = old_model.objects.create(
            file_name=run.file_name,
            sha256=run.sha256,
            by=run.by,
            activities_read=run.rows_read,
            kept=run.details.get("kept", 0),
            created=run.created,
            updated=run.updated,
            unchanged=run.unchanged,
        )
        old_model.objects.filter(pk=old.pk).update(started_at=run.started_at)
        apps.get_model("opendata", "ExternalActivity").objects.filter(source_run=run).update(source=old)
    _settle(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_initial"), ("core", "0002_import_run")]

    operations = [
        # nullable while the records move (so that the move can be undone too)
        migrations.AlterField(
            model_name="externalactivity",
            name="source",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="activities",
                to="opendata.iatiimport",
            ),
        ),
        migrations.AddField(
            model_name="externalactivity",
            name="source_run",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.importrun",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="externalactivity", name="source"),
        migrations.RenameField(model_name="externalactivity", old_name="source_run", new_name="source"),
        migrations.AlterField(
            model_name="externalactivity",
            name="source",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT, related_name="activities", to="core.importrun"
            ),
        ),
        migrations.DeleteModel(name="IatiImport"),
    ]
