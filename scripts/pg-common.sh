# Shared by with-postgres.sh and with-postgres-replica.sh (sourced): PostgreSQL from Debian when
# missing, PG_BIN, RUN_AS (the servers run as the postgres user when we are root), a fresh
# DATA_DIR with the given prefix, and `free_port`.
#   source scripts/pg-common.sh cdht-pg
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing PostgreSQL from Debian packages"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
fi
PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"

# PostgreSQL refuses to run as root: run the server as the postgres system user.
RUN_AS=()
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home /var/lib/postgresql postgres
  RUN_AS=(runuser -u postgres --)
fi

DATA_DIR="$(mktemp -d "/tmp/${1:-cdht-pg}.XXXXXX")"
chmod 755 "$DATA_DIR"
[ "$(id -u)" -eq 0 ] && chown postgres "$DATA_DIR"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
