"""The shipped factors' sources name the publication only: a source that pointed at the project's own notes
("(DOMAIN.md)") is rewritten with the text of assessment/factors.py. Other sources, and values, stay as they are."""

from django.db import migrations


def rewrite(apps, schema_editor):
    from assessment.factors import defaults

    Factor = apps.get_model("assessment", "Factor")
    sources = {row.code: row.source for row in defaults()}
    for factor in Factor.objects.filter(library__is_default=True, source__contains="DOMAIN.md"):
        if factor.code in sources:
            factor.source = sources[factor.code]
            factor.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0005_optimisation_run")]
    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
