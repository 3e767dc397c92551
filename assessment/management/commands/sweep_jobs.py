"""manage.py sweep_jobs: the periodic sweep of work handed to workers, for cron when Celery beat does not run.

Runs whose worker went silent (killed, out of memory) are sent again, or failed with a message after
WORKER_MAX_ATTEMPTS attempts; pending runs the task queue never got (it was down) are sent. Exits 1 when the task
queue refused some of them, so cron reports it; the next sweep tries again.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessment import jobs


class Command(BaseCommand):
    help = (
        "Send again the assessment runs, partner rankings and optimisations whose worker stopped reporting, "
        "and send the ones the task queue never got."
    )

    def handle(self, *args, **options):
        counts = jobs.sweep()
        self.stdout.write(
            f"{counts['requeued']} taken back from a silent worker and sent again, {counts['resent']} waiting "
            f"ones sent, {counts['failed']} stopped after {settings.WORKER_MAX_ATTEMPTS} attempts."
        )
        if counts["unsent"]:
            raise CommandError(
                f"The task queue is not reachable: {counts['unsent']} waiting; the next sweep sends them."
            )
