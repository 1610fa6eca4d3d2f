"""Minimal settings for the RQ test of tests/test_tasks_workers.py: a worker process and an
enqueuing process share a SQLite file and a Redis server. Only the apps the probe tasks need, so
that migrating takes a second; TASKS and RQ_QUEUES as cdht_wagtail/settings/base.py sets them
with CDHT_TASK_BACKEND=rq."""

import os

SECRET_KEY = "rq-test-only"  # noqa: S105
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django_tasks",
    "django_rq",
    "django_tasks_rq",
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["CDHT_RQ_TEST_DB"],
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
RQ_QUEUES = {"default": {"URL": os.environ["RQ_REDIS_URL"], "DEFAULT_TIMEOUT": 600}}
