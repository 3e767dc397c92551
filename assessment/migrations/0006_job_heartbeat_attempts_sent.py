# Follow-up of work handed to workers: last send, attempts, heartbeat (issue 11, hardening).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessment', '0005_optimisation_run'),
    ]

    operations = [
        migrations.AddField(
            model_name='assessmentrun',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, editable=False, help_text='How many times a worker took the job'),
        ),
        migrations.AddField(
            model_name='assessmentrun',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='Last sign of life of the worker computing the job', null=True),
        ),
        migrations.AddField(
            model_name='assessmentrun',
            name='sent_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='Last handed to the task queue (empty: not sent yet)', null=True),
        ),
        migrations.AddField(
            model_name='optimisationrun',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, editable=False, help_text='How many times a worker took the job'),
        ),
        migrations.AddField(
            model_name='optimisationrun',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='Last sign of life of the worker computing the job', null=True),
        ),
        migrations.AddField(
            model_name='optimisationrun',
            name='sent_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='Last handed to the task queue (empty: not sent yet)', null=True),
        ),
        migrations.AddField(
            model_name='partnerranking',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0, editable=False, help_text='How many times a worker took the job'),
        ),
        migrations.AddField(
            model_name='partnerranking',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='Last sign of life of the worker computing the job', null=True),
        ),
        migrations.AddField(
            model_name='partnerranking',
            name='sent_at',
            field=models.DateTimeField(blank=True, editable=False, help_text='Last handed to the task queue (empty: not sent yet)', null=True),
        ),
    ]
