#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL primary and a hot standby that streams from it,
# both on free local ports:
#   scripts/with-postgres-replica.sh .venv/bin/python scripts/replica-drill.py
# Exports DATABASE_URL (the primary), DATABASE_REPLICA_URL (the standby) and
# CDHT_STANDBY_STOP (a command that stops the standby, for the drill); removes both after.
set -euo pipefail

source "$(dirname "$0")/pg-common.sh" cdht-pg-replica
PRIMARY_PORT="$(free_port)"
STANDBY_PORT="$(free_port)"

cleanup() {
  for node in standby primary; do
    "${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/$node" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

# The primary: trust on loopback (initdb's default pg_hba also admits replication connections).
"${RUN_AS[@]}" "$PG_BIN/initdb" -D "$DATA_DIR/primary" --username=cdht --auth=trust \
  --encoding=UTF8 --locale=C.UTF-8 >/dev/null
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/primary" -w -l "$DATA_DIR/primary.log" \
  -o "-p $PRIMARY_PORT -k $DATA_DIR -c listen_addresses=127.0.0.1 -c wal_level=replica -c max_wal_senders=5 -c fsync=off -c synchronous_commit=off" \
  start >/dev/null
"$PG_BIN/createdb" -h 127.0.0.1 -p "$PRIMARY_PORT" -U cdht cdht

# The standby: a base backup with the replication settings written (-R), started read-only.
"${RUN_AS[@]}" "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U cdht \
  -D "$DATA_DIR/standby" -R -X stream >/dev/null
"${RUN_AS[@]}" "$PG_BIN/pg_ctl" -D "$DATA_DIR/standby" -w -l "$DATA_DIR/standby.log" \
  -o "-p $STANDBY_PORT -k $DATA_DIR -c listen_addresses=127.0.0.1 -c hot_standby=on -c fsync=off" \
  start >/dev/null

export DATABASE_URL="postgres://cdht@127.0.0.1:$PRIMARY_PORT/cdht"
export DATABASE_REPLICA_URL="postgres://cdht@127.0.0.1:$STANDBY_PORT/cdht"
RUN_AS_TEXT=""; [ "${#RUN_AS[@]}" -gt 0 ] && RUN_AS_TEXT="${RUN_AS[*]} "
export CDHT_STANDBY_STOP="${RUN_AS_TEXT}$PG_BIN/pg_ctl -D $DATA_DIR/standby -m fast -w stop"
echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'): primary on $PRIMARY_PORT, hot standby on $STANDBY_PORT"
"$@"
