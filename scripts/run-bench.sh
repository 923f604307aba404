#!/usr/bin/env bash
# The benchmarks on SQLite and on a throwaway PostgreSQL: the import at national scale (400,000 clients) and the
# catalogue search with ~9,600 shared approaches, the worklist, and recommending approaches from a 1,000-entry menukaart.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p benchmarks/results
CLIENTS=${CLIENTS:-400000}
env -u DATABASE_URL .venv/bin/python benchmarks/bench_import.py --clients "$CLIENTS" --out benchmarks/results/import-sqlite.json
scripts/with-postgres.sh .venv/bin/python benchmarks/bench_import.py --clients "$CLIENTS" --out benchmarks/results/import-postgresql.json
env -u DATABASE_URL .venv/bin/python benchmarks/bench_catalogue.py --out benchmarks/results/catalogue-sqlite.json
scripts/with-postgres.sh .venv/bin/python benchmarks/bench_catalogue.py --out benchmarks/results/catalogue-postgresql.json
env -u DATABASE_URL .venv/bin/python benchmarks/bench_worklist.py --clients "$CLIENTS" --out benchmarks/results/worklist-sqlite.json
scripts/with-postgres.sh .venv/bin/python benchmarks/bench_worklist.py --clients "$CLIENTS" --out benchmarks/results/worklist-postgresql.json
env -u DATABASE_URL .venv/bin/python benchmarks/bench_recommend.py --out benchmarks/results/recommend-sqlite.json
scripts/with-postgres.sh .venv/bin/python benchmarks/bench_recommend.py --out benchmarks/results/recommend-postgresql.json
env -u DATABASE_URL .venv/bin/python benchmarks/bench_caseload_analysis.py --out benchmarks/results/caseload-analysis-sqlite.json
scripts/with-postgres.sh .venv/bin/python benchmarks/bench_caseload_analysis.py --out benchmarks/results/caseload-analysis-postgresql.json
env -u DATABASE_URL .venv/bin/python benchmarks/bench_selection.py --clients "$CLIENTS" --out benchmarks/results/selection-sqlite.json
scripts/with-postgres.sh .venv/bin/python benchmarks/bench_selection.py --clients "$CLIENTS" --out benchmarks/results/selection-postgresql.json
