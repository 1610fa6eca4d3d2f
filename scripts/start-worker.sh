#!/usr/bin/env bash
# Run a Celery worker for the django-tasks jobs (batch certificates, imports, reports, e-mail):
#   scripts/start-worker.sh [extra celery worker options]
# Uses REDIS_URL / CELERY_BROKER_URL (default redis://127.0.0.1:6379/0; start one with
# scripts/start-redis.sh) and DJANGO_SETTINGS_MODULE (default cdht_wagtail.settings.dev). The
# web processes must run with CDHT_TASK_BACKEND=celery so that they enqueue to Redis instead of
# running jobs in-process. Runs in the foreground; stop it with Ctrl-C (or SIGTERM: it finishes
# the job in hand first).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-cdht_wagtail.settings.dev}"
# Queues: django-tasks' "default" unless CELERY_QUEUES names others (comma-separated).
exec "${PYTHON:-$ROOT/.venv/bin/python}" -m celery -A cdht_wagtail.celery worker \
  --queues "${CELERY_QUEUES:-default}" --loglevel "${CELERY_LOG_LEVEL:-INFO}" \
  --concurrency "${CELERY_CONCURRENCY:-2}" "$@"
