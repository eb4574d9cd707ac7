"""Import records move into the one ImportRun of core (issue 15): recommendation import batches. Each old record becomes an
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
    old_model = apps.get_model("recommendations", "ImportBatch")
    for old in old_model.objects.all().order_by("pk"):
        run = run_model.objects.create(
            kind="recommendations",
            format=old.format,
            file_name=old.file_name,
            sha256=old.sha256,
            by=old.by,
            rows_read=old.rows_read,
            created=old.created,
            updated=old.updated,
            unchanged=old.unchanged,
            details={
                "pledges_created": old.pledges_created,
                "pledges_updated": old.pledges_updated,
                "pledges_unchanged": old.pledges_unchanged,
            },
        )
        run_model.objects.filter(pk=run.pk).update(started_at=old.started_at)  # auto_now_add set "now"
        apps.get_model("recommendations", "Recommendation").objects.filter(import_batch=old).update(
            import_batch_run=run
        )
        apps.get_model("recommendations", "Pledge").objects.filter(import_batch=old).update(
            import_batch_run=run
        )
    _settle(schema_editor)


def backward(apps, schema_editor):
    run_model = apps.get_model("core", "ImportRun")
    old_model = apps.get_model("recommendations", "ImportBatch")
    for run in run_model.objects.filter(kind__in=["recommendations"]).order_by("pk"):
        old = old_model.objects.create(
            format=run.format,
            file_name=run.file_name,
            sha256=run.sha256,
            by=run.by,
            rows_read=run.rows_read,
            created=run.created,
            updated=run.updated,
            unchanged=run.unchanged,
            pledges_created=run.details.get("pledges_created", 0),
            pledges_updated=run.details.get("pledges_updated", 0),
            pledges_unchanged=run.details.get("pledges_unchanged", 0),
        )
        old_model.objects.filter(pk=old.pk).update(started_at=run.started_at)
        apps.get_model("recommendations", "Recommendation").objects.filter(import_batch_run=run).update(
            import_batch=old
        )
        apps.get_model("recommendations", "Pledge").objects.filter(import_batch_run=run).update(
            import_batch=old
        )
    _settle(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial"), ("core", "0002_import_run")]

    operations = [
        migrations.AddField(
            model_name="recommendation",
            name="import_batch_run",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.importrun",
            ),
        ),
        migrations.AddField(
            model_name="pledge",
            name="import_batch_run",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.importrun",
            ),
        ),
        migrations.RunPython(forward, backward),
        migrations.RemoveField(model_name="recommendation", name="import_batch"),
        migrations.RenameField(
            model_name="recommendation", old_name="import_batch_run", new_name="import_batch"
        ),
        migrations.AlterField(
            model_name="recommendation",
            name="import_batch",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.importrun",
            ),
        ),
        migrations.RemoveField(model_name="pledge", name="import_batch"),
        migrations.RenameField(model_name="pledge", old_name="import_batch_run", new_name="import_batch"),
        migrations.AlterField(
            model_name="pledge",
            name="import_batch",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="core.importrun",
            ),
        ),
        migrations.DeleteModel(name="ImportBatch"),
    ]
