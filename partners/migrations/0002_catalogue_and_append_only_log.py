from django.db import migrations

from partners.catalogue import CRITERIA, MATERIALS, PROCESSES

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
    Material = apps.get_model("partners", "Material")
    Process = apps.get_model("partners", "Process")
    Criterion = apps.get_model("partners", "Criterion")
    for code, name, family, description in MATERIALS:
        Material.objects.update_or_create(code=code, defaults=dict(name=name, family=family, description=description))
    for code, name, stage, description in PROCESSES:
        Process.objects.update_or_create(code=code, defaults=dict(name=name, stage=stage, description=description))
    for position, (code, name, unit, higher, low, high, description) in enumerate(CRITERIA):
        Criterion.objects.update_or_create(code=code, defaults=dict(
            name=name, unit=unit, higher_is_better=higher, min_value=low, max_value=high,
            description=description, position=position))


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
