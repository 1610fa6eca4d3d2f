"""Minimal settings for tests/test_tasks_celery.py: a worker process and an enqueuing process
share a SQLite file and a Redis server. Only the apps the probe tasks need, so that migrating
takes a second; the CELERY_* values are those of cdht_wagtail/settings/base.py."""

import os

SECRET_KEY = "celery-test-only"  # noqa: S105
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth", "django_tasks"]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ["CDHT_CELERY_TEST_DB"],
        "OPTIONS": {"timeout": 20},
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
TASKS = {"default": {"BACKEND": "cdht_wagtail.tasks_celery.CeleryBackend"}}
CELERY_BROKER_URL = os.environ["CELERY_BROKER_URL"]
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_RESULT_EXTENDED = True
CELERY_TASK_TRACK_STARTED = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
