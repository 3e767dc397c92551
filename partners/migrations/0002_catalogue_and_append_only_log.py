from django.db import migrations

from partners import catalogue

# PostgreSQL refuses UPDATE and DELETE on the log itself, whatever path a change takes.
APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION partners_logentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'partners_logentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER partners_logentry_no_update_delete
    BEFORE UPDATE OR DELETE ON partners_logentry
    FOR EACH ROW EXECUTE FUNCTION partners_logentry_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS partners_logentry_no_update_delete ON partners_logentry;
DROP FUNCTION IF EXISTS partners_logentry_append_only();
"""


def load_catalogue(apps, schema_editor):
    catalogue.load(apps.get_model("partners", "Material"), apps.get_model("partners", "Process"),
                   apps.get_model("partners", "Criterion"))


def append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL)


def drop_append_only(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("partners", "0001_initial")]

    operations = [
        migrations.RunPython(load_catalogue, migrations.RunPython.noop),
        migrations.RunPython(append_only, drop_append_only),
    ]
