"""Make the audit log append-only in the database itself, not only in the ORM.

PostgreSQL refuses UPDATE of the recorded columns and DELETE. SQLite refuses UPDATE of the
recorded columns (test databases are emptied with DELETE on SQLite, so DELETE stays allowed
there; the ORM guard in hrtc.core.audit refuses it). The actor column may still be set to NULL
when a user account is deleted.
"""

from django.db import migrations

PROTECTED = "content_type_id, object_pk, object_id, object_repr, action, changes, changes_text, timestamp, additional_data"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION hrtc_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'hrtc: the audit log is append-only (% refused)', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER hrtc_audit_no_update BEFORE UPDATE OF {PROTECTED} ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION hrtc_audit_append_only();
CREATE TRIGGER hrtc_audit_no_delete BEFORE DELETE ON auditlog_logentry
    FOR EACH ROW EXECUTE FUNCTION hrtc_audit_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS hrtc_audit_no_update ON auditlog_logentry;
DROP TRIGGER IF EXISTS hrtc_audit_no_delete ON auditlog_logentry;
DROP FUNCTION IF EXISTS hrtc_audit_append_only();
"""
SQLITE_FORWARD = f"""
CREATE TRIGGER hrtc_audit_no_update BEFORE UPDATE OF {PROTECTED} ON auditlog_logentry
BEGIN
    SELECT RAISE(ABORT, 'hrtc: the audit log is append-only (UPDATE refused)');
END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS hrtc_audit_no_update;"


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_FORWARD)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("auditlog", "0017_add_actor_email")]
    operations = [migrations.RunPython(forward, backward)]
