#!/usr/bin/env bash
# Run a worker for the django-tasks jobs (batch certificates, exports, imports, reports, e-mail):
#   scripts/start-worker.sh [extra worker options]
# With the default database backend: `manage.py db_worker` (django-tasks-db), which needs nothing
# but the database. With CDHT_TASK_BACKEND=rq: an RQ worker (django-tasks-rq) on RQ_REDIS_URL /
# REDIS_URL (default redis://127.0.0.1:6379/0; start one with scripts/start-redis.sh); the web
# processes must run with the same setting so that they enqueue to Redis. DJANGO_SETTINGS_MODULE
# defaults to cdht_wagtail.settings.dev. Runs in the foreground; stop it with Ctrl-C (or SIGTERM:
# it finishes the job in hand first).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-cdht_wagtail.settings.dev}"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
# Queues: django-tasks' "default" unless TASK_QUEUES names others (comma-separated).
QUEUES="${TASK_QUEUES:-default}"
if [ "${CDHT_TASK_BACKEND:-}" = "rq" ]; then
  # django-tasks-rq runs its jobs through its own Job class (the task's context and signals).
  exec "$PYTHON" manage.py rqworker ${QUEUES//,/ } --job-class django_tasks_rq.Job "$@"
fi
exec "$PYTHON" manage.py db_worker --queue-name "$QUEUES" "$@"
