#!/usr/bin/env bash
# The whole suite on SQLite, then on a throwaway PostgreSQL. Fails if either fails.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
echo "== Tests op SQLite =="
env -u DATABASE_URL .venv/bin/pytest "$@" || status=1
echo "== Tests op PostgreSQL =="
scripts/with-postgres.sh .venv/bin/pytest "$@" || status=1
[ $status -eq 0 ] || echo "Tests mislukt (zie hierboven)." >&2
exit $status
