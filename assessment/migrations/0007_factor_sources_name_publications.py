"""The shipped factors' sources name the publication only: a source that pointed at the project's own notes
("(DOMAIN.md)") is rewritten with the text below, frozen here as assessment/factors.py had it when this migration
was written (a migration never reads live code, so a later edit of factors.py cannot change what it does). Other
sources, and values, stay as they are."""

from django.db import migrations

SOURCES = {
    'material.primary.co2e': 'European Aluminium 2018: primary aluminium produced in Europe, about 6.8-7 kg CO2e/kg',
    'transport.co2e.road': 'UK DESNZ/DEFRA greenhouse gas conversion factors 2025, freight, tank-to-wheel: HGV all diesel, average laden',
    'transport.co2e.rail': 'UK DESNZ/DEFRA greenhouse gas conversion factors 2025, freight, tank-to-wheel: freight train',
    'transport.co2e.inland_waterway': 'KiM / CE Delft, Netherlands 2014',
    'transport.co2e.sea': 'UK DESNZ/DEFRA greenhouse gas conversion factors 2025, freight, tank-to-wheel: bulk carrier',
    'process.co2e.remelting': 'energy: 5 % of the assumed primary 150 MJ/kg (recycling is commonly put at about 5 % of the energy of primary production); CO2e and water: assumptions',
    'process.energy.remelting': 'energy: 5 % of the assumed primary 150 MJ/kg (recycling is commonly put at about 5 % of the energy of primary production); CO2e and water: assumptions',
    'process.water.remelting': 'energy: 5 % of the assumed primary 150 MJ/kg (recycling is commonly put at about 5 % of the energy of primary production); CO2e and water: assumptions',
}


def rewrite(apps, schema_editor):
    Factor = apps.get_model("assessment", "Factor")
    for factor in Factor.objects.filter(library__is_default=True, source__contains="DOMAIN.md"):
        if factor.code in SOURCES:
            factor.source = SOURCES[factor.code]
            factor.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [("assessment", "0006_job_heartbeat_attempts_sent")]
    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
