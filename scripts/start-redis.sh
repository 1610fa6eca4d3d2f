#!/usr/bin/env bash
# Start a local Redis (Debian's redis-server) for RQ and the cache, in the background.
#   scripts/start-redis.sh [PORT] [DIR]     (defaults: 6379, a new folder under /tmp)
# Installs redis-server when missing (sudo when not root). Keeps no data on disk (no RDB, no
# AOF): a development and test broker, not a production one (docs/deploy.md). Prints the URL
# to use as REDIS_URL / RQ_REDIS_URL; stop it with `kill "$(cat DIR/redis.pid)"`.
set -euo pipefail

PORT="${1:-6379}"
DIR="${2:-$(mktemp -d /tmp/cdht-redis.XXXXXX)}"

if ! command -v redis-server >/dev/null 2>&1; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "Installing redis-server from Debian packages" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends redis-server >/dev/null
fi

mkdir -p "$DIR"
redis-server --port "$PORT" --bind 127.0.0.1 --dir "$DIR" --save "" --appendonly no \
  --daemonize yes --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log"
for _ in $(seq 50); do
  redis-cli -p "$PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
redis-cli -p "$PORT" ping >/dev/null
echo "redis://127.0.0.1:$PORT/0"
