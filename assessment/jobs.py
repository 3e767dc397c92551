"""Work handed to a worker (assessment runs, heavy partner rankings, optimisations): claiming a row so that a task
delivered twice computes it once."""

from django.db import transaction
from django.utils import timezone

from .models import WorkStatus


def claim(model, pk: int):
    """(row, None) with the row marked running, or (None, why): "missing", or the status of a row already done or
    failed, which is left as it is."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.status in (WorkStatus.DONE, WorkStatus.FAILED):
            return None, job.status if job else "missing"
        job.status, job.started_at = WorkStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    return job, None
