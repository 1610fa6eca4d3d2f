#!/usr/bin/env bash
# `make run`'s last step: the development server and, beside it in the background, the worker
# that runs the background jobs (certificate batches, large exports, e-mail) queued in the
# database. Ctrl-C stops both. The worker does not reload on code changes (a reloader's child
# would outlive Ctrl-C): restart `make run` after changing a task. Set CDHT_RUN_WORKER=0 (or
# CDHT_TASK_BACKEND=rq) to run the worker yourself (`make worker`).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-$ROOT/.venv/bin/python}"
if [ "${CDHT_RUN_WORKER:-1}" != "0" ] && [ "${CDHT_TASK_BACKEND:-}" != "rq" ]; then
  # Its log (a line per job started and finished) goes to a file, so the console keeps the
  # logins and the server's requests readable.
  echo "Background jobs: manage.py db_worker, log in worker.log"
  "$PYTHON" manage.py db_worker --no-reload >>worker.log 2>&1 &
  WORKER=$!
  trap 'kill "$WORKER" 2>/dev/null || true' EXIT INT TERM
fi
"$PYTHON" manage.py runserver 127.0.0.1:8000
