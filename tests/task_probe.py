"""django-tasks tasks that the worker tests run (tests/test_tasks_workers.py).

Each writes its progress to the database (auth groups stand in for a job table), as the
project's real jobs do, so that the test reads the state the way the admin would.
"""

from django.contrib.auth.models import Group
from django_tasks import task


@task(takes_context=True)
def count_to(context, label, steps):
    """Counts to `steps`, saving "<label> i/steps" after each step; returns its result id."""
    group = Group.objects.create(name=f"{label} 0/{steps}")
    for done in range(1, steps + 1):
        group.name = f"{label} {done}/{steps}"
        group.save(update_fields=["name"])
    return {"result_id": context.task_result.id, "steps": steps}


@task()
def explode(message):
    raise ValueError(message)
