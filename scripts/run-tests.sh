#!/usr/bin/env bash
# The whole suite on SQLite and on a throwaway PostgreSQL, side by side (the suite is single-process; each engine
# gets a core). PostgreSQL's run is shown as it goes; SQLite's is kept and shown in full when it is done.
# Fails if either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
env -u DATABASE_URL .venv/bin/pytest -p no:cacheprovider "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
echo "== Tests op PostgreSQL (tegelijk draaien de tests op SQLite; die uitvoer volgt hierna) =="
scripts/with-postgres.sh .venv/bin/pytest -p no:cacheprovider "$@"
pg_status=$?
wait "$sqlite_pid"
sqlite_status=$?
echo "== Tests op SQLite =="
cat "$logs/sqlite.log"
status=0
[ $sqlite_status -eq 0 ] || { echo "SQLite: tests mislukt." >&2; status=1; }
[ $pg_status -eq 0 ] || { echo "PostgreSQL: tests mislukt." >&2; status=1; }
exit $status
