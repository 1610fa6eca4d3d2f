#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster on a free local port:
#   scripts/with-postgres.sh make test-only
# Installs Debian's postgresql when missing, exports DATABASE_URL, and removes the cluster after.
set -euo pipefail

source "$(dirname "$0")/pg-common.sh" cdht-pg
PORT="$(free_port)"

cleanup() {
  "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$DATA_DIR/data" --username=cdht --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/data" -w -l "$DATA_DIR/server.log" \
  -o "-p $PORT -k $DATA_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=100" start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PORT" -U cdht cdht

export DATABASE_URL="postgres://cdht@127.0.0.1:$PORT/cdht"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $PORT"
"$@"
