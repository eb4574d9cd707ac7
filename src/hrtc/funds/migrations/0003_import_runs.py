"""Import records move into the one ImportRun of core (issue 15): the funds' import batches (rates, contributions). Each old record becomes an
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
    old_model = apps.get_model("funds", "ImportBatch")
    for old in old_model.objects.all().order_by("pk"):
        run = run_model.objects.create(
            kind=old.kind,
            format=old.format,
            file_name=old.file_name,
            sha256=old.sha256,
            by=old.by,
            rows_read=old.rows_read,
            created=old.created,
            updated=old.updated,
            unchanged=old.unchanged,
        )
        run_model.objects.filter(pk=run.pk).update(started_at=old.started_at)  # auto_now_add set "now"
        apps.get_model("funds", "ExchangeRate").objects.filter(import_batch=old).update(import_batch_run=run)
        apps.get_model("funds", "Contribution").objects.filter(import_batch=old).update(import_batch_run=run)
    _settle(schema_editor)


def backward(apps, schema_editor):
    run_model = apps.get_model("core", "ImportRun")
    old_model = apps.get_model("funds", "ImportBatch")
    for run in run_model.objects.filter(kind__in=["rates", "contributions"]).order_by("pk"):
        old = old_model.objects.create(
            kind=run.kind,
            format=run.format,
            file_name=run.file_name,
            sha256=run.sha256,
            by=run.by,
            rows_read=run.rows_read,
            created=run.created,
            updated=run.updated,
            unchanged=run.unchanged,
        )
        old_model.objects.filter(pk=old.pk).update(started_at=run.started_at)
        apps.get_model("funds", "ExchangeRate").objects.filter(import_batch_run=run).update(import_batch=old)
        apps.get_model("funds", "Contribution").objects.filter(import_batch_run=run).update(import_batch=old)
    _settle(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("funds", "0002_ledger_append_only"), ("core", "0002_import_run")]

    operations = [
        migrations.AddField(
            model_name="exchangerate",
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
            model_name="contribution",
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
        migrations.RemoveField(model_name="exchangerate", name="import_batch"),
        migrations.RenameField(
            model_name="exchangerate", old_name="import_batch_run", new_name="import_batch"
        ),
        migrations.AlterField(
            model_name="exchangerate",
            name="import_batch",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="rates",
                to="core.importrun",
            ),
        ),
        migrations.RemoveField(model_name="contribution", name="import_batch"),
        migrations.RenameField(
            model_name="contribution", old_name="import_batch_run", new_name="import_batch"
        ),
        migrations.AlterField(
            model_name="contribution",
            name="import_batch",
            field=models.ForeignKey(
                null=True,
                blank=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="contributions",
                to="core.importrun",
            ),
        ),
        migrations.DeleteModel(name="ImportBatch"),
    ]
