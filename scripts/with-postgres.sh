#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL cluster: initdb + pg_ctl as the postgres user (PostgreSQL refuses
# to run as root) on a Unix socket in a temporary folder, no TCP port. DATABASE_URL points at it; the cluster is
# stopped and removed when the command ends, whatever its outcome.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
dir=$(mktemp -d /tmp/kansrijk-pg.XXXXXX)
chmod 755 "$dir"
as_postgres() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/bash -c "$*"; else bash -c "$*"; fi
}
[ "$(id -u)" = 0 ] && chown postgres "$dir"
cleanup() {
  as_postgres "'$PGBIN/pg_ctl' -D '$dir/data' -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT
as_postgres "'$PGBIN/initdb' -D '$dir/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null"
as_postgres "'$PGBIN/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-k '$dir' -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off\" start >/dev/null"
export DATABASE_URL="postgres://postgres@/postgres?host=$dir"
"$@"
