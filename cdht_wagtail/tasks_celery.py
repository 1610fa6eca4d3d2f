"""A django-tasks backend that runs tasks on Celery workers (Redis as broker and result store).

django-tasks 0.12 ships only the immediate and dummy backends, so this module adds the small
piece production needs. Code keeps using the one interface (``@task()`` and ``.enqueue()``);
settings choose where it runs::

    TASKS = {"default": {"BACKEND": "cdht_wagtail.tasks_celery.CeleryBackend"}}

(`CDHT_TASK_BACKEND=celery` in the environment does this, see settings/base.py). How it works:

- `CeleryBackend.enqueue` validates the task like every backend, then sends one generic Celery
  task, `run_django_task`, with the django-tasks task's import path and its (JSON) arguments.
  It sends after the current database transaction commits, so that a worker never looks for
  rows the web request has not committed yet; the returned `TaskResult` is READY.
- A worker (``celery -A cdht_wagtail.celery worker``) imports the task by its path and runs it,
  sending django-tasks' started/finished signals. An exception is recorded as FAILED.
- `get_result` (and `TaskResult.refresh()`) reads the state back from Celery's result store.

Job progress that people look at (certificate batches, imports) lives in the project's own
tables, written by the task itself; the Celery result store only says READY/RUNNING/done.
"""

import datetime
import json
import uuid

from celery import current_app, shared_task
from celery.result import AsyncResult
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import TaskContext, TaskError, TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from django_tasks.signals import task_enqueued, task_finished, task_started
from django_tasks.utils import get_exception_traceback, get_module_path, normalize_json

TASK_NAME = "cdht.run_django_task"
QUEUED_KEY = "cdht-django-task-queued-"

# Celery state → django-tasks status. PENDING also means "unknown id" in Celery.
STATUSES = {
    "PENDING": TaskResultStatus.READY,
    "RECEIVED": TaskResultStatus.READY,
    "RETRY": TaskResultStatus.READY,
    "STARTED": TaskResultStatus.RUNNING,
    "SUCCESS": TaskResultStatus.SUCCESSFUL,
    "FAILURE": TaskResultStatus.FAILED,
    "REVOKED": TaskResultStatus.FAILED,
}


class DjangoTaskFailed(Exception):
    """Raised by the worker after a django-tasks task failed, so that Celery records FAILURE.

    Carries the original exception's class path and traceback (as text: the original may not
    be picklable or importable where the result is read).
    """


class CeleryBackend(BaseTaskBackend):
    """OPTIONS: ``CELERY_APP`` – import path of the Celery app (default
    ``cdht_wagtail.celery.app``)."""

    supports_defer = True
    supports_get_result = True

    def __init__(self, alias, params):
        super().__init__(alias, params)
        self.app_path = self.options.get("CELERY_APP", "cdht_wagtail.celery.app")

    @property
    def app(self):
        return import_string(self.app_path) if self.app_path else current_app

    def enqueue(self, task, args, kwargs):
        self.validate_task(task)
        now = timezone.now()
        result = TaskResult(
            task=task,
            id=str(uuid.uuid4()),
            status=TaskResultStatus.READY,
            enqueued_at=now,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        message = {
            "name": TASK_NAME,
            "args": [task.module_path, result.args, result.kwargs, self.alias],
            "task_id": result.id,
            "queue": task.queue_name,
            "eta": task.run_after,
        }
        transaction.on_commit(lambda: self._send(message))
        task_enqueued.send(type(self), task_result=result)
        return result

    def _send(self, message):
        # Celery keeps no record of a task before a worker starts it ("PENDING" also means
        # "unknown id"): remember what was queued, so that get_result can answer READY.
        backend = self.app.backend
        if hasattr(backend, "set"):
            backend.set(QUEUED_KEY + message["task_id"], json.dumps(message["args"][:3]))
        self.app.send_task(**message)

    def get_result(self, result_id):
        backend = AsyncResult(result_id, app=self.app).backend
        meta = backend.get_task_meta(result_id)
        arguments = meta.get("args") or []
        if meta.get("status") == "PENDING" or len(arguments) < 3:
            queued = backend.get(QUEUED_KEY + result_id) if hasattr(backend, "get") else None
            if not queued:
                raise TaskResultDoesNotExist(result_id)
            arguments, meta = json.loads(queued), {"status": "PENDING"}
        module_path, args, kwargs = arguments[:3]
        status = STATUSES.get(meta["status"], TaskResultStatus.READY)
        errors = []
        if status == TaskResultStatus.FAILED:
            failure = meta.get("result")
            errors.append(
                TaskError(
                    exception_class_path=getattr(failure, "args", ["", ""])[0] or "",
                    traceback=meta.get("traceback") or "",
                )
            )
        finished = meta.get("date_done")
        if isinstance(finished, str):
            finished = datetime.datetime.fromisoformat(finished)
        result = TaskResult(
            task=import_string(module_path),
            id=result_id,
            status=status,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=finished if status in {"SUCCESSFUL", "FAILED"} else None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=errors,
            worker_ids=[meta["worker"]] if meta.get("worker") else [],
        )
        if status == TaskResultStatus.SUCCESSFUL:
            object.__setattr__(result, "_return_value", meta.get("result"))
        return result


@shared_task(name=TASK_NAME, bind=True)
def run_django_task(self, module_path, args, kwargs, backend_alias):
    """Run one django-tasks task in a Celery worker; its return value must be JSON."""
    task = import_string(module_path)
    started = timezone.now()
    result = TaskResult(
        task=task,
        id=self.request.id,
        status=TaskResultStatus.RUNNING,
        enqueued_at=None,
        started_at=started,
        last_attempted_at=started,
        finished_at=None,
        args=args,
        kwargs=kwargs,
        backend=backend_alias,
        errors=[],
        worker_ids=[self.request.hostname or ""],
    )
    task_started.send(sender=CeleryBackend, task_result=result)
    try:
        if task.takes_context:
            value = task.call(TaskContext(task_result=result), *args, **kwargs)
        else:
            value = task.call(*args, **kwargs)
        value = normalize_json(value)
    except Exception as error:
        object.__setattr__(result, "finished_at", timezone.now())
        object.__setattr__(result, "status", TaskResultStatus.FAILED)
        result.errors.append(
            TaskError(
                exception_class_path=get_module_path(type(error)),
                traceback=get_exception_traceback(error),
            )
        )
        task_finished.send(sender=CeleryBackend, task_result=result)
        raise DjangoTaskFailed(get_module_path(type(error)), str(error)) from error
    object.__setattr__(result, "finished_at", timezone.now())
    object.__setattr__(result, "status", TaskResultStatus.SUCCESSFUL)
    object.__setattr__(result, "_return_value", value)
    task_finished.send(sender=CeleryBackend, task_result=result)
    return value
