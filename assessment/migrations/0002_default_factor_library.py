"""The shipped default factor library (assessment/factors.py: cited figures and flagged assumptions)."""

from django.db import migrations


def load(apps, schema_editor):
    from assessment.factors import load_default

    load_default(apps.get_model("assessment", "FactorLibrary"), apps.get_model("assessment", "Factor"))


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
