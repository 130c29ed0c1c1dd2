#!/usr/bin/env bash
# scripts/test-postgres.sh start|stop — a throw-away PostgreSQL server for the test suite.
#
#   eval "$(scripts/test-postgres.sh start)"   prints `export CHAINATLAS_TEST_POSTGRES_URL=...`
#   scripts/test-postgres.sh stop DIR          stops the server started in DIR and removes DIR
#
# Installs Debian's `postgresql` package when the server binaries are missing (needs root, as in
# CI), runs the server as the unprivileged `postgres` user on a Unix socket inside a fresh temporary
# folder (no TCP port, nothing shared with a system cluster), and creates the database `chainatlas`.
set -euo pipefail

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

start() {
  local bin
  if ! bin=$(find_bin); then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "[test-postgres] installing Debian's postgresql package" >&2
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql) >&2
      bin=$(find_bin)
    else
      echo "[test-postgres] PostgreSQL server binaries not found; install Debian's postgresql package" >&2
      exit 1
    fi
  fi
  local dir runas=()
  dir=$(mktemp -d /tmp/chainatlas-pg.XXXXXX)
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
    chown postgres "$dir"
    runas=(runuser -u postgres --)
  fi
  "${runas[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres --no-sync >/dev/null
  "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
    -o "-k $dir -c listen_addresses='' -c fsync=off -c max_connections=200" start >/dev/null
  "${runas[@]}" "$bin/createdb" -h "$dir" -U postgres chainatlas
  echo "export CHAINATLAS_TEST_POSTGRES_DIR=$dir"
  echo "export CHAINATLAS_TEST_POSTGRES_URL='postgresql+psycopg://postgres@/chainatlas?host=$dir'"
}

stop() {
  local dir=${1:?usage: test-postgres.sh stop DIR} bin runas=()
  bin=$(find_bin) || return 0
  [ "$(id -u)" = 0 ] && runas=(runuser -u postgres --)
  "${runas[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) shift; stop "$@" ;;
  *) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
