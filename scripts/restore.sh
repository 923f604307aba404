#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into the database of DATABASE_URL, which should be new and empty
# (createdb). The checksum is verified first; the restore runs in one transaction and stops at the first error, so
# a failed restore leaves the database as it was. Afterwards `kansrijk migrate --check` tells whether the restored
# schema matches the installed release (if not: the backup is from an older release; run `kansrijk migrate`).
#
#   scripts/restore.sh <backup.dump> [--replace]
#
# --replace  allow restoring over a database that already holds Kansrijk tables (they are dropped and replaced).
#            Without it such a database is refused, so a restore cannot overwrite production by mistake.
# KANSRIJK_BIN  the kansrijk command (default: kansrijk on PATH, else .venv/bin/kansrijk).
set -euo pipefail

fail() { echo "restore.sh: $*" >&2; exit 1; }

dump=${1:-}
[ -n "$dump" ] || fail "usage: scripts/restore.sh <backup.dump> [--replace]"
replace=${2:-}
[ -z "$replace" ] || [ "$replace" = "--replace" ] || fail "unknown option: $replace"
[ -f "$dump" ] || fail "no such backup: $dump"
[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set: it names the database to restore into."
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) fail "DATABASE_URL is not a PostgreSQL URL." ;;
esac
url="postgresql://${DATABASE_URL#*://}"

# `|| true`: without that folder ls fails, and under pipefail that would end the script here, silently.
pgbin=${PGBIN:-$( (ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true) | sort -V | tail -n 1)}
if [ -n "$pgbin" ] && [ -x "$pgbin/pg_restore" ]; then
  pg_restore="$pgbin/pg_restore" psql="$pgbin/psql"
  [ -x "$psql" ] || psql=$(command -v psql) || fail "psql not found (install postgresql-client)."
else
  pg_restore=$(command -v pg_restore) || fail "pg_restore not found (install postgresql-client)."
  psql=$(command -v psql) || fail "psql not found (install postgresql-client)."
fi

sums="$dump.sha256"
[ -f "$sums" ] || fail "no checksum file $sums beside the backup; refusing to restore an unverified file."
(cd "$(dirname "$dump")" && sha256sum --check --quiet "$(basename "$sums")") \
  || fail "checksum mismatch: $dump is damaged or was altered."

tables=$("$psql" --no-password --dbname="$url" -Atc \
  "select count(*) from information_schema.tables where table_schema = 'public'")
if [ "$tables" != 0 ] && [ "$replace" != "--replace" ]; then
  fail "the target database is not empty ($tables tables). Restore into a new database (createdb), or pass --replace."
fi

"$pg_restore" --clean --if-exists --no-owner --no-privileges --exit-on-error --single-transaction \
  --no-password --dbname="$url" "$dump"

kansrijk=${KANSRIJK_BIN:-$(command -v kansrijk || echo .venv/bin/kansrijk)}
if ! DATABASE_URL="$DATABASE_URL" "$kansrijk" migrate --check; then
  fail "restored, but the schema does not match this release's migrations: run \`$kansrijk migrate\` (the backup is from an older release) or install the release the backup was made with."
fi
echo "Restored $dump into the database of DATABASE_URL; migrations are up to date."
