"""The Celery application of the project, for workers: ``celery -A cdht_wagtail.celery worker``.

Nothing in the apps uses Celery directly: they enqueue django-tasks tasks (``@task()`` and
``.enqueue()``); with ``CDHT_TASK_BACKEND=celery`` the backend in `cdht_wagtail.tasks_celery`
hands them to this app. Configuration comes from Django settings named ``CELERY_*`` (broker,
result store, queue), see cdht_wagtail/settings/base.py and docs/deploy.md.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cdht_wagtail.settings.dev")

# `include`: the one generic task that runs any django-tasks task by its import path.
app = Celery("cdht", include=["cdht_wagtail.tasks_celery"])
app.config_from_object("django.conf:settings", namespace="CELERY")
