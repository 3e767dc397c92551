"""Runs record the cost and impact basis they were computed on (1 for every run made before it existed: purchasing
at every transfer, a site's fixed cost per role, tank-to-wheel transport CO2e), and the shipped factor library gets
the well-to-tank rows of UK DESNZ/DEFRA 2025 (added to tank-to-wheel for well-to-wheel transport CO2e), the rest
value used by economic allocation, and an honest source for the transport energy factors. The values are frozen here
as assessment/factors.py had them when this migration was written (a migration never reads live code)."""

from django.db import migrations, models


DESNZ_WTT = "UK DESNZ/DEFRA greenhouse gas conversion factors 2025, well-to-tank (freight)"
ROWS = [  # code, value, unit, region, year, source, is_assumption
    ("transport.co2e_wtt.road", 0.02359, "kg CO2e/tkm", "UK", 2025, DESNZ_WTT + ": HGV all diesel, average laden",
     False),
    ("transport.co2e_wtt.rail", 0.00691, "kg CO2e/tkm", "UK", 2025, DESNZ_WTT + ": freight train", False),
    ("transport.co2e_wtt.sea", 0.0008, "kg CO2e/tkm", "UK", 2025, DESNZ_WTT + ": bulk carrier", False),
    ("transport.co2e_wtt.inland_waterway", 0.0, "kg CO2e/tkm", "", None,
     "assumption: no well-to-tank figure in our references for inland waterways; 0 until the study sets one", True),
    ("allocation.rest_value", 0.0, "EUR/t", "", None,
     "assumption: what the rest of a collector's intake (other than the network's material) sells for, used by "
     "economic allocation; 0 puts a collector's whole burden on the wanted material", True),
]
ENERGY_SOURCE = ("derived: the mode's tank-to-wheel kg CO2e/tkm divided by 0.0741 kg CO2 per MJ of diesel (IPCC 2006 "
                 "Guidelines, Vol. 2, Table 1.4: 74,100 kg CO2/TJ): the fuel's final energy, standing in for primary "
                 "non-renewable energy (the fuel chain's own energy is not counted); assumes diesel traction")


def add_rows(apps, schema_editor):
    FactorLibrary = apps.get_model("assessment", "FactorLibrary")
    Factor = apps.get_model("assessment", "Factor")
    library = FactorLibrary.objects.filter(is_default=True).first()
    if library is None:
        return
    for code, value, unit, region, year, source, assumption in ROWS:
        Factor.objects.get_or_create(library=library, code=code, defaults={
            "value": value, "unit": unit, "region": region, "year": year, "source": source,
            "is_assumption": assumption})
    Factor.objects.filter(library=library, code__startswith="transport.energy.",
                          source__startswith="derived: the mode's kg CO2e/tkm").update(source=ENERGY_SOURCE)


def remove_rows(apps, schema_editor):
    Factor = apps.get_model("assessment", "Factor")
    Factor.objects.filter(library__is_default=True, code__in=[row[0] for row in ROWS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0008_bounded_factor_override_and_carbon_price'),
    ]

    operations = [
        migrations.RunPython(add_rows, remove_rows),
        migrations.AddField(
            model_name='assessmentrun',
            name='basis_version',
            field=models.PositiveSmallIntegerField(default=1, help_text='The cost and impact basis the run was computed on (assessment/basis.py); 1: the first'),
        ),
        migrations.AddField(
            model_name='optimisationrun',
            name='basis_version',
            field=models.PositiveSmallIntegerField(default=1, help_text='The cost and impact basis the run was computed on (assessment/basis.py); 1: the first'),
        ),
    ]
