#!/usr/bin/env bash
# Backup/restore drill (docs/backup.md): build a small dataset, dump it with pg_dump, restore it
# into a new database with pg_restore, and check that every table has the same row count; then
# the same for the media folder (tar, extract elsewhere, same checksums).
#
#   bash scripts/with-postgres.sh bash scripts/restore-drill.sh
#
# Needs DATABASE_URL (set by with-postgres.sh). Exits non-zero on any difference.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${DATABASE_URL:?run through scripts/with-postgres.sh, or set DATABASE_URL}"
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
PG_BIN="${PG_BIN:-$(dirname "$(command -v pg_dump)")}"
WORK="$(mktemp -d /tmp/cdht-drill.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT

export DJANGO_SETTINGS_MODULE=cdht_wagtail.settings.dev
export MEDIA_ROOT="$WORK/media"
PY=.venv/bin/python

echo "== dataset: migrate + load_demo"
$PY manage.py migrate --noinput -v 0
$PY manage.py load_demo -v 0 >/dev/null

SOURCE_URL="$DATABASE_URL"
RESTORE_DB="cdht_restore_$$"
RESTORE_URL="${SOURCE_URL%/*}/$RESTORE_DB"

echo "== pg_dump (custom format)"
"$PG_BIN/pg_dump" --format=custom --no-owner --no-privileges --file="$WORK/cdht.dump" "$SOURCE_URL"
ls -l "$WORK/cdht.dump" | awk '{print "dump size:", $5, "bytes"}'

echo "== pg_restore into a new database ($RESTORE_DB)"
"$PG_BIN/psql" -q -v ON_ERROR_STOP=1 "$SOURCE_URL" -c "CREATE DATABASE $RESTORE_DB"
cleanup_db() { "$PG_BIN/psql" -q "$SOURCE_URL" -c "DROP DATABASE IF EXISTS $RESTORE_DB" >/dev/null 2>&1 || true; rm -rf "$WORK"; }
trap cleanup_db EXIT
"$PG_BIN/pg_restore" --no-owner --no-privileges --exit-on-error --jobs=2 \
  --dbname="$RESTORE_URL" "$WORK/cdht.dump"

count_rows() {
  # One "table count" line per table of the public schema, sorted.
  "$PG_BIN/psql" -X -At -v ON_ERROR_STOP=1 "$1" <<'SQL'
CREATE TEMP TABLE drill_counts (name text, n bigint);
DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename LOOP
    EXECUTE format('INSERT INTO drill_counts SELECT %L, count(*) FROM public.%I', t, t);
  END LOOP;
END $$;
SELECT name || ' ' || n FROM drill_counts ORDER BY name;
SQL
}

echo "== row counts per table"
count_rows "$SOURCE_URL" >"$WORK/source.txt"
count_rows "$RESTORE_URL" >"$WORK/restored.txt"
tables=$(wc -l <"$WORK/source.txt")
rows=$(awk '{s += $2} END {print s}' "$WORK/source.txt")
if ! diff -u "$WORK/source.txt" "$WORK/restored.txt"; then
  echo "RESTORE DRILL FAILED: row counts differ" >&2
  exit 1
fi
echo "same row counts in $tables tables ($rows rows)"
[ "$rows" -gt 0 ] || { echo "RESTORE DRILL FAILED: empty dataset" >&2; exit 1; }

echo "== media: tar, extract elsewhere, compare checksums"
mkdir -p "$MEDIA_ROOT/private/evidence"
printf '%%PDF-1.4\n%%%%EOF\n' >"$MEDIA_ROOT/private/evidence/drill.pdf"
tar -C "$MEDIA_ROOT" -czf "$WORK/media.tar.gz" .
mkdir "$WORK/media-restored"
tar -C "$WORK/media-restored" -xzf "$WORK/media.tar.gz"
(cd "$MEDIA_ROOT" && find . -type f -print0 | sort -z | xargs -0 sha256sum) >"$WORK/media.sum"
(cd "$WORK/media-restored" && sha256sum --quiet -c "$WORK/media.sum")
echo "same $(wc -l <"$WORK/media.sum") media files"
echo "RESTORE DRILL PASSED"
