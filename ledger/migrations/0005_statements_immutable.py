"""A published monthly statement is never changed or deleted: the database refuses it (the function comes from
0002_ledger_integrity_triggers)."""

from django.db import migrations

FORWARD = """
CREATE TRIGGER ledger_statement_immutable BEFORE UPDATE OR DELETE ON ledger_monthlystatement
    FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change();
"""
BACKWARD = "DROP TRIGGER IF EXISTS ledger_statement_immutable ON ledger_monthlystatement;"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("ledger", "0004_common_income_statements")]

    operations = [migrations.RunPython(forward, backward)]
