#!/usr/bin/env bash
# Backs up Kansrijk's PostgreSQL database: pg_dump in the custom format (compressed, restorable table by table) to
# a file with a UTC timestamp in its name, plus a SHA-256 checksum file beside it. The connection comes from
# DATABASE_URL (the same variable the application reads); put a password in ~/.pgpass or PGPASSFILE rather than in
# the URL, because the URL is passed on pg_dump's command line. Uploaded files and keys are NOT in the dump: see
# docs/operations.md.
#
#   scripts/backup.sh [target folder]      (default: $KANSRIJK_BACKUP_DIR, else var/backups)
#
# Prints the path of the new backup. Exits non-zero, leaving no file that looks complete, when anything fails.
set -euo pipefail

fail() { echo "backup.sh: $*" >&2; exit 1; }

[ -n "${DATABASE_URL:-}" ] || fail "DATABASE_URL is not set (postgres://user@host:port/name)."
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) fail "DATABASE_URL is not a PostgreSQL URL; this script backs up PostgreSQL installations only." ;;
esac
url="postgresql://${DATABASE_URL#*://}"  # libpq reads postgresql:// and postgres:// alike; one spelling here

# pg_dump must not be older than the server: prefer the newest Debian-installed version over an older one on PATH.
# `|| true`: without that folder ls fails, and under pipefail that would end the script here, silently.
pgbin=${PGBIN:-$( (ls -d /usr/lib/postgresql/*/bin 2>/dev/null || true) | sort -V | tail -n 1)}
if [ -n "$pgbin" ] && [ -x "$pgbin/pg_dump" ]; then
  pg_dump="$pgbin/pg_dump" pg_restore="$pgbin/pg_restore"
else
  pg_dump=$(command -v pg_dump) || fail "pg_dump not found (install postgresql-client)."
  pg_restore=$(command -v pg_restore) || fail "pg_restore not found (install postgresql-client)."
fi

target=${1:-${KANSRIJK_BACKUP_DIR:-var/backups}}
umask 077  # the dump holds personal data: readable by the backup user only
mkdir -p "$target"
name="kansrijk-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$target/.$name.partial"
trap 'rm -f "$partial"' EXIT

"$pg_dump" --format=custom --no-password --dbname="$url" --file="$partial"
# A dump that pg_restore cannot list is no backup: check before it gets its final name.
"$pg_restore" --list "$partial" >/dev/null || fail "the dump is not readable by pg_restore."
# The checksum is written (under the final name) before the dump gets that name: a dump never stands without one.
sum=$(sha256sum <"$partial" | cut -d' ' -f1) || fail "could not compute the checksum of the dump."
printf '%s  %s\n' "$sum" "$name" >"$target/$name.sha256"
mv "$partial" "$target/$name"
echo "$target/$name"
