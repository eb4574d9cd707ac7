"""Make the ledger append-only in the database itself, not only in the ORM (as migration core 0001 does for
the audit log).

PostgreSQL refuses UPDATE and DELETE of ledger entries, and UPDATE of a transaction's recorded columns
and DELETE of transactions. SQLite refuses the UPDATEs (test databases are emptied with DELETE on SQLite,
so DELETE stays allowed there; the ORM refuses it). `created_by` may still be set to NULL when a user
account is deleted.
"""

from django.db import migrations

TRANSACTION_COLUMNS = "fund_id, kind, memo, value_date, created_at, idempotency_key, reverses_id"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION hrtc_ledger_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'hrtc: the ledger is append-only (% refused); post a reversal', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER hrtc_ledger_entry_no_update BEFORE UPDATE ON funds_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION hrtc_ledger_append_only();
CREATE TRIGGER hrtc_ledger_entry_no_delete BEFORE DELETE ON funds_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION hrtc_ledger_append_only();
CREATE TRIGGER hrtc_ledger_transaction_no_update BEFORE UPDATE OF {TRANSACTION_COLUMNS}
    ON funds_ledgertransaction FOR EACH ROW EXECUTE FUNCTION hrtc_ledger_append_only();
CREATE TRIGGER hrtc_ledger_transaction_no_delete BEFORE DELETE ON funds_ledgertransaction
    FOR EACH ROW EXECUTE FUNCTION hrtc_ledger_append_only();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS hrtc_ledger_entry_no_update ON funds_ledgerentry;
DROP TRIGGER IF EXISTS hrtc_ledger_entry_no_delete ON funds_ledgerentry;
DROP TRIGGER IF EXISTS hrtc_ledger_transaction_no_update ON funds_ledgertransaction;
DROP TRIGGER IF EXISTS hrtc_ledger_transaction_no_delete ON funds_ledgertransaction;
DROP FUNCTION IF EXISTS hrtc_ledger_append_only();
"""
SQLITE_FORWARD = [
    """CREATE TRIGGER hrtc_ledger_entry_no_update BEFORE UPDATE ON funds_ledgerentry
    BEGIN SELECT RAISE(ABORT, 'hrtc: the ledger is append-only (UPDATE refused); post a reversal'); END;""",
    f"""CREATE TRIGGER hrtc_ledger_transaction_no_update BEFORE UPDATE OF {TRANSACTION_COLUMNS}
    ON funds_ledgertransaction
    BEGIN SELECT RAISE(ABORT, 'hrtc: the ledger is append-only (UPDATE refused); post a reversal'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS hrtc_ledger_entry_no_update;",
    "DROP TRIGGER IF EXISTS hrtc_ledger_transaction_no_update;",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD, params=None)
    elif vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
