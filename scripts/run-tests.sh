#!/usr/bin/env bash
# The whole suite on SQLite and on a throwaway PostgreSQL, side by side (each engine uses one core; the suite is
# single-process). Each run's output is kept and shown in full when both are done. Fails if either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
echo "== Tests op SQLite en op PostgreSQL (tegelijk; uitvoer volgt per database) =="
env -u DATABASE_URL .venv/bin/pytest -p no:cacheprovider "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
scripts/with-postgres.sh .venv/bin/pytest -p no:cacheprovider "$@" >"$logs/postgresql.log" 2>&1
pg_status=$?
wait "$sqlite_pid"
sqlite_status=$?
echo "== Tests op SQLite =="
cat "$logs/sqlite.log"
echo "== Tests op PostgreSQL =="
cat "$logs/postgresql.log"
status=0
[ $sqlite_status -eq 0 ] || { echo "SQLite: tests mislukt." >&2; status=1; }
[ $pg_status -eq 0 ] || { echo "PostgreSQL: tests mislukt." >&2; status=1; }
exit $status
