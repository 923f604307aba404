#!/usr/bin/env bash
# `make bench`: every benchmark on SQLite and then on a throwaway PostgreSQL, each against one national-scale dataset
# built once per engine (benchmarks/run.py), then benchmarks/report.py merges both into
# benchmarks/results/latest.json and writes the table into docs/performance.md.
# CLIENTS (default 400000) and REPEATS (default 3) override the scale and the runs per figure.
set -euo pipefail
cd "$(dirname "$0")/.."
CLIENTS=${CLIENTS:-400000}
REPEATS=${REPEATS:-3}
PY=$(pwd)/.venv/bin/python
mkdir -p benchmarks/.cache benchmarks/results
rm -f benchmarks/.cache/engine-sqlite.json benchmarks/.cache/engine-postgresql.json
env -u DATABASE_URL "$PY" benchmarks/run.py --engine-label sqlite --clients "$CLIENTS" --repeats "$REPEATS" \
  --out benchmarks/.cache/engine-sqlite.json
scripts/with-postgres.sh "$PY" benchmarks/run.py --engine-label postgresql --clients "$CLIENTS" --repeats "$REPEATS" \
  --out benchmarks/.cache/engine-postgresql.json
"$PY" benchmarks/report.py benchmarks/.cache/engine-sqlite.json benchmarks/.cache/engine-postgresql.json \
  --out benchmarks/results/latest.json --doc docs/performance.md
