from django.db import migrations

# Migration 0002 makes PostgreSQL refuse UPDATE and DELETE on the log, row by row. TRUNCATE fires no row trigger,
# so it would still empty the log in one statement (a `manage.py flush` run against the wrong database, say): a
# statement trigger refuses it too, with the same message. The application's role cannot TRUNCATE at all (it is
# never granted the privilege, see `manage.py app_role`); this guard is for the owner, who runs migrations.
NO_TRUNCATE_SQL = """
CREATE TRIGGER partners_logentry_no_truncate
    BEFORE TRUNCATE ON partners_logentry
    FOR EACH STATEMENT EXECUTE FUNCTION partners_logentry_append_only();
"""
DROP_SQL = "DROP TRIGGER IF EXISTS partners_logentry_no_truncate ON partners_logentry;"


def no_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(NO_TRUNCATE_SQL)


def allow_truncate(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


class Migration(migrations.Migration):
    dependencies = [("partners", "0005_facility_fixed_cost")]

    operations = [migrations.RunPython(no_truncate, allow_truncate)]
