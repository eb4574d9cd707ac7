"""Append-only records: histories that can be added to and never rewritten (a consent history that can be
edited is no history).

* `AppendOnly`, an abstract model: saving an existing row, deleting one, or changing rows in bulk through
  the ORM raises `AppendOnlyViolation` (or the model's own `violation`). Used by consent records, request
  and practice events, and the funds' ledger and money movements.
* `triggers(table, protected)`, a migration operation that makes the database itself refuse an UPDATE of
  the protected columns (on PostgreSQL and SQLite) and a DELETE (on PostgreSQL; SQLite test databases are
  emptied with DELETE, so there the ORM guard stands alone, as for the audit log). Columns left out of
  `protected` — the author's user, set to NULL when an account is deleted — may still change.

A record with such a history is kept: the foreign key from the history to it is PROTECT.

On SQLite, a later migration that rebuilds such a table (most AlterField operations do) drops its triggers:
such a migration must run `triggers(...)` again after it.
"""

from __future__ import annotations

from django.db import migrations, models


class AppendOnlyViolation(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk changes are refused too: `delete()`, `bulk_update()`, and `update()` of any field but the model's
    `mutable_fields` (the author's user, nulled when an account is deleted)."""

    def _refuse(self) -> AppendOnlyViolation:
        return self.model.violation(f"{self.model.__name__} rows are append-only")

    def update(self, **kwargs):
        if not set(kwargs) <= set(self.model.mutable_fields):
            raise self._refuse()
        return super().update(**kwargs)

    def delete(self):
        raise self._refuse()

    def bulk_update(self, objs, fields, batch_size=None):
        raise self._refuse()


class AppendOnly(models.Model):
    """Written once, never changed or deleted through the ORM. `violation` is the exception raised (an app
    may name its own, with advice such as "post a reversal"); `mutable_fields` may still be updated."""

    violation: type[Exception] = AppendOnlyViolation
    mutable_fields: tuple[str, ...] = ()
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise self.violation(f"{type(self).__name__} {self.pk} is append-only: it cannot be changed.")
        return super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise self.violation(f"{type(self).__name__} {self.pk} is append-only: it cannot be deleted.")


def triggers(table: str, protected: list[str]) -> migrations.RunPython:
    """The database triggers that keep `table` append-only (see the module's docstring)."""
    name = f"hrtc_{table}_append_only"
    columns = ", ".join(protected)

    def forward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger AS $$ BEGIN "
                f"RAISE EXCEPTION 'hrtc: {table} is append-only (% refused)', TG_OP; END; $$ LANGUAGE plpgsql;",
                params=None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name}_update BEFORE UPDATE OF {columns} ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {name}();",
                params=None,
            )
            schema_editor.execute(
                f"CREATE TRIGGER {name}_delete BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();",
                params=None,
            )
        elif vendor == "sqlite":
            schema_editor.execute(
                f"CREATE TRIGGER {name}_update BEFORE UPDATE OF {columns} ON {table} BEGIN "
                f"SELECT RAISE(ABORT, 'hrtc: {table} is append-only (UPDATE refused)'); END;"
            )

    def backward(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_update ON {table};", params=None)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_delete ON {table};", params=None)
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {name}();", params=None)
        elif vendor == "sqlite":
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}_update;")

    return migrations.RunPython(forward, backward)
