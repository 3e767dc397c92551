"""Work handed to a worker (assessment runs, heavy partner rankings, optimisations) survives faults.

- Asking: the service checks the broker before it writes anything (`partners.broker.require_reachable`: a 503 in
  the user's words, nothing created) and sends the job once its transaction commits (`send_on_commit`). `sent_at`
  records a send that succeeded; a send that fails after the commit (the broker went down meanwhile) leaves it
  empty, the request still succeeds with the job pending, and the sweep sends it once the broker is back.
- Claiming: a delivery takes the job (`claim`) when it is pending, or running without a sign of life for
  WORKER_STALE_AFTER_S; each claim counts an attempt. A job running elsewhere (its heartbeat is fresh), done or
  failed is left as it is, so a message delivered twice computes the job once. (Celery re-queues a task at once
  when a pool process dies under it; that copy finds the job's heartbeat still fresh, leaves it, and the sweep takes
  the job back once the heartbeat is stale.)
- Computing: a thread of the worker writes `heartbeat_at` every WORKER_HEARTBEAT_S (`heartbeat`); a worker killed
  (kill -9, out of memory) stops writing it.
- Finishing: only the attempt that holds the job (status running, same attempt number) stores its result, so a job
  finishes once even if a worker thought dead comes back.
- Sweeping (`sweep`; Celery beat every WORKER_SWEEP_EVERY_S, or `manage.py sweep_jobs` from cron): a running job
  whose worker went silent goes back to pending and is sent again, or, after WORKER_MAX_ATTEMPTS attempts, fails
  with a message a person understands; a pending job never sent, or sent longer ago than the broker's visibility
  timeout (its message was lost), is sent (again).
"""

import logging
import threading
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from partners import broker

from .models import WorkStatus

logger = logging.getLogger(__name__)

GAVE_UP = (
    "The worker computing this stopped responding {attempts} times, so it was stopped. Ask again; if it "
    "stops again, tell your administrator (the work may need more memory or time than the worker has)."
)


def _kinds() -> list:
    """(model, task) of every kind of job a worker computes."""
    from . import tasks  # tasks import the services, which import this module
    from .models import AssessmentRun, OptimisationRun, PartnerRanking

    return [
        (AssessmentRun, tasks.assess_scenario),
        (PartnerRanking, tasks.rank_partners),
        (OptimisationRun, tasks.optimise_study),
    ]


def _task(model):
    return next(task for kind, task in _kinds() if kind is model)


def _silent_since(job):
    return job.heartbeat_at or job.started_at or job.created_at


# ---------------------------------------------------------------- sending


def send(model, pk: int) -> bool:
    """Hand the job to the queue now; True when the broker took it. A refused send leaves a pending job unsent, for
    the sweep. Without a broker the task runs here and now."""
    if broker.publish(_task(model), pk):
        model.objects.filter(pk=pk).update(sent_at=timezone.now())
        return True
    model.objects.filter(pk=pk, status=WorkStatus.PENDING).update(sent_at=None)
    logger.error(
        "%s %s was not handed to the task queue; the sweep sends it once the queue is back", model.__name__, pk
    )
    return False


def send_on_commit(model, pk: int) -> None:
    transaction.on_commit(lambda: send(model, pk))


# ---------------------------------------------------------------- the worker's side


def claim(model, pk: int):
    """(row, None) with the row marked running and its attempt counted, or (None, why): "missing", or the status of
    a row done, failed or running elsewhere (a fresh heartbeat), which is left as it is."""
    now = timezone.now()
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.status in (WorkStatus.DONE, WorkStatus.FAILED):
            return None, job.status if job else "missing"
        stale_before = now - timedelta(seconds=settings.WORKER_STALE_AFTER_S)
        if job.status == WorkStatus.RUNNING and _silent_since(job) >= stale_before:
            return None, job.status
        if job.attempts >= settings.WORKER_MAX_ATTEMPTS:
            _give_up(job, now)
            return None, job.status
        job.status, job.started_at, job.heartbeat_at = WorkStatus.RUNNING, now, now
        job.attempts += 1
        job.save(update_fields=["status", "started_at", "heartbeat_at", "attempts"])
    return job, None


def holds(model, job) -> tuple[bool, str]:
    """Inside the transaction that stores a result: lock the row and say whether this attempt still holds it (and
    the row's status). False when the job was finished, failed or taken over by another attempt meanwhile."""
    current = model.objects.select_for_update().only("status", "attempts").get(pk=job.pk)
    return current.status == WorkStatus.RUNNING and current.attempts == job.attempts, current.status


@contextmanager
def heartbeat(model, job):
    """Write the job's heartbeat every WORKER_HEARTBEAT_S while the block runs (in a thread of its own, so a long
    solve in C keeps it going). Only with a broker: in-process tasks have no worker to lose."""
    if broker.in_process():
        yield
        return
    stop = threading.Event()

    def beat():
        try:
            while not stop.wait(settings.WORKER_HEARTBEAT_S):
                model.objects.filter(pk=job.pk, status=WorkStatus.RUNNING, attempts=job.attempts).update(
                    heartbeat_at=timezone.now()
                )
        except Exception:  # a heartbeat lost is a job swept, never a task crashed
            logger.exception("heartbeat of %s %s stopped", model.__name__, job.pk)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{model.__name__}-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


# ---------------------------------------------------------------- the sweep


def _give_up(job, now) -> None:
    job.status, job.finished_at = WorkStatus.FAILED, now
    job.error = GAVE_UP.format(attempts=job.attempts)
    job.save(update_fields=["status", "finished_at", "error"])
    logger.error("%s %s failed: its worker went silent %s times", type(job).__name__, job.pk, job.attempts)


def _sweep_one(model, pk: int, now, stale_before, lost_before) -> str | None:
    """Decide one job under its row lock (a sweep running twice at once decides it once): "requeued", "resent",
    "failed" or None (it moved on meanwhile)."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None:
            return None
        if job.status == WorkStatus.RUNNING and _silent_since(job) < stale_before:
            if job.attempts >= settings.WORKER_MAX_ATTEMPTS:
                _give_up(job, now)
                return "failed"
            logger.warning("%s %s: its worker went silent; sending it again", model.__name__, pk)
            job.status, job.started_at, job.heartbeat_at, job.sent_at = WorkStatus.PENDING, None, None, now
            fields = ["status", "started_at", "heartbeat_at", "sent_at"]
            if hasattr(job, "progress_done"):
                job.progress_done = 0
                fields.append("progress_done")
            job.save(update_fields=fields)
            return "requeued"
        if job.status == WorkStatus.PENDING and (
            (job.sent_at is None and job.created_at < stale_before)
            or (job.sent_at is not None and job.sent_at < lost_before)
        ):
            job.sent_at = now  # taken: a second sweep meanwhile leaves it
            job.save(update_fields=["sent_at"])
            return "resent"
        return None


def sweep(now=None) -> dict:
    """Take back the jobs whose worker went silent and send the jobs the queue never got; see the module notes.
    Returns counts: requeued (sent again after a silent worker), resent (pending, sent again), failed (given up),
    unsent (the broker refused them; the next sweep tries again)."""
    now = now or timezone.now()
    stale_before = now - timedelta(seconds=settings.WORKER_STALE_AFTER_S)
    lost_before = now - timedelta(seconds=settings.CELERY_VISIBILITY_TIMEOUT_S)
    counts = {"requeued": 0, "resent": 0, "failed": 0, "unsent": 0}
    for model, _task in _kinds():
        silent = Q(status=WorkStatus.RUNNING) & (
            Q(heartbeat_at__lt=stale_before)
            | Q(heartbeat_at__isnull=True, started_at__lt=stale_before)
            | Q(heartbeat_at__isnull=True, started_at__isnull=True, created_at__lt=stale_before)
        )
        unsent = Q(status=WorkStatus.PENDING) & (
            Q(sent_at__isnull=True, created_at__lt=stale_before) | Q(sent_at__lt=lost_before)
        )
        for pk in model.objects.filter(silent | unsent).order_by("pk").values_list("pk", flat=True):
            outcome = _sweep_one(model, pk, now, stale_before, lost_before)
            if outcome is None:
                continue
            counts[outcome] += 1
            if outcome != "failed" and not send(model, pk):
                counts["unsent"] += 1
    return counts
