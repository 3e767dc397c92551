from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('scenarios', '0003_scenario_submitter_and_approved_figures'),
    ]

    operations = [
        migrations.AddField(
            model_name='study',
            name='allocation',
            field=models.CharField(choices=[('mass', 'By mass'), ('economic', 'By economic value')], default='mass', help_text="How a collector's processing cost and impacts are shared between the material this network takes and the rest of what it collects (ISO 14044, 4.3.4): by mass (its yield) or by economic value (its price against the study's allocation.rest_value factor for the rest).", max_length=10),
        ),
    ]
