"""Benchmark of the caseload import against the targets of the import issue.

    .venv/bin/python benchmarks/bench_import.py [--clients 400000] [--out benchmarks/results/import-<engine>.json]

Uses DATABASE_URL when set (PostgreSQL); otherwise a fresh SQLite file in a temporary folder, migrated first. The
synthetic export is generated once per (clients, seed) and cached in benchmarks/.cache/.

What is measured:
* ``import_seconds``: one ``import_caseload`` call (parse, validate, compare, write) on an empty register, in a fresh
  subprocess, so ``peak_mb`` (ru_maxrss of that subprocess, after the import) is the import's own peak and not
  inflated by the generator or the baseline. It includes Django start-up (~60 MB), not the file generation.
* ``reimport_seconds``: the same file imported again in another fresh subprocess; everything must be unchanged.
* ``plain_seconds``: the floor for the same engine: the file's rows, already parsed into tuples, inserted into a
  bare table with the same columns (no constraints, no indexes) in one transaction, with ``executemany`` on SQLite
  and ``COPY`` on PostgreSQL. ``ratio`` = import_seconds / plain_seconds.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(__file__).resolve().parent / ".cache"
# Fixed so the cached file and the numbers are comparable between runs.
REFERENCE_DATE = date(2025, 1, 1)
TARGETS = {"rows_per_second_min": 50_000, "ratio_max": 10.0, "peak_mb_max": 1024.0}


def _setup_django() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansrijk.settings")
    import django

    django.setup()


def _export_path(clients: int, seed: int) -> Path:
    path = CACHE / f"export-{clients}-seed{seed}-{REFERENCE_DATE.isoformat()}.csv"
    if not path.exists():
        from kansrijk.caseload.synthetic import write_export

        CACHE.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        partial = path.with_suffix(".part")
        rows = write_export(partial, clients, seed, "csv", reference_date=REFERENCE_DATE)
        partial.rename(path)
        print(f"Exportbestand gemaakt: {path} ({rows:,} rijen, {time.perf_counter() - started:.1f} s)")
    return path


def _child(path: Path) -> None:
    """Import once and print the measurements as JSON on stdout (runs in its own process)."""
    _setup_django()
    from kansrijk.accounts.models import Municipality
    from kansrijk.caseload.services import import_caseload

    municipality, _ = Municipality.objects.get_or_create(cbs_code="9999", defaults={"name": "Benchmarkstad"})
    data = path.read_bytes()
    started = time.perf_counter()
    result = import_caseload(data=data, municipality=municipality, filename=path.name)
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB
    print(json.dumps({"seconds": seconds, "status": result.status, "summary": result.summary,
                      "errors": len(result.errors), "peak_mb": peak_mb}))


def _run_child(path: Path, env: dict) -> dict:
    completed = subprocess.run([sys.executable, __file__, "--child", str(path)], env=env, capture_output=True,
                               text=True, check=False)
    if completed.returncode != 0:
        sys.stderr.write(completed.stderr)
        raise SystemExit("De import in het subproces is mislukt.")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _plain_baseline(path: Path) -> tuple[float, int]:
    """Time a bare insert of the already-parsed rows in one transaction; returns (seconds, rows)."""
    from django.db import connection, transaction

    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        rows = [tuple(r) for r in reader]
    columns = ", ".join(f"c{i} text" for i in range(len(header)))
    names = ", ".join(f"c{i}" for i in range(len(header)))
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain")
        cursor.execute(f"CREATE TABLE bench_plain ({columns})")
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY bench_plain ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            placeholders = ", ".join(["%s"] * len(header))
            cursor.executemany(f"INSERT INTO bench_plain ({names}) VALUES ({placeholders})", rows)
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_plain")
    return seconds, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="JSON-bestand met de resultaten "
                                      "(standaard benchmarks/results/import-<engine>.json)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child))
        return

    env = dict(os.environ)
    tmp = None
    if not env.get("DATABASE_URL"):
        tmp = tempfile.TemporaryDirectory(prefix="kansrijk-bench-")
        env["DATABASE_URL"] = f"sqlite:///{tmp.name}/bench.sqlite3"
        os.environ["DATABASE_URL"] = env["DATABASE_URL"]
    _setup_django()
    from django.core.management import call_command
    from django.db import connection

    engine = "postgresql" if connection.vendor == "postgresql" else connection.vendor
    path = _export_path(args.clients, args.seed)
    call_command("migrate", verbosity=0)
    from kansrijk.caseload.models import Client

    if Client.objects.exists():
        raise SystemExit("De database bevat al cliënten; gebruik een lege database voor de benchmark.")
    connection.close()  # the children open their own connections

    first = _run_child(path, env)
    second = _run_child(path, env)
    plain_seconds, rows = _plain_baseline(path)

    rows_per_second = rows / first["seconds"]
    ratio = first["seconds"] / plain_seconds
    summary = first["summary"]
    reimport_unchanged = (second["summary"]["created"] == 0 and second["summary"]["updated"] == 0
                          and second["summary"]["unchanged"] == summary["created"])
    met = {
        "rows_per_second": rows_per_second >= TARGETS["rows_per_second_min"],
        "ratio": ratio <= TARGETS["ratio_max"],
        "peak_mb": first["peak_mb"] < TARGETS["peak_mb_max"],
        "reimport_peak_mb": second["peak_mb"] < TARGETS["peak_mb_max"],
        "import_clean": first["status"] == "imported" and first["errors"] == 0,
        "reimport_unchanged": reimport_unchanged,
    }
    result = {
        "engine": engine, "clients": args.clients, "rows": rows, "file_mb": round(path.stat().st_size / 2**20, 1),
        "import_seconds": round(first["seconds"], 2), "rows_per_second": round(rows_per_second),
        "plain_seconds": round(plain_seconds, 2), "ratio": round(ratio, 2), "peak_mb": round(first["peak_mb"], 1),
        "peak_mb_measured": "ru_maxrss of a fresh subprocess after one import_caseload call",
        "reimport_seconds": round(second["seconds"], 2), "reimport_peak_mb": round(second["peak_mb"], 1),
        "reimport_summary": {k: second["summary"][k] for k in ("created", "updated", "unchanged")},
        "import_summary": {k: summary[k] for k in ("rows", "clients", "spells", "created", "rejected")},
        "targets": TARGETS, "met_detail": met, "met": all(met.values()),
    }

    table = [
        ("Database", engine),
        ("Cliënten / rijen", f"{args.clients:,} / {rows:,}"),
        ("Import", f"{result['import_seconds']:.2f} s  ({result['rows_per_second']:,} rijen/s; doel ≥ 50.000)"),
        ("Kale insert", f"{result['plain_seconds']:.2f} s  (verhouding {result['ratio']:.1f}×; doel ≤ 10×)"),
        ("Piekgeheugen", f"{result['peak_mb']:.0f} MB  (doel < 1024 MB)"),
        ("Herimport", f"{result['reimport_seconds']:.2f} s  (nieuw {second['summary']['created']}, gewijzigd "
                      f"{second['summary']['updated']}, ongewijzigd {second['summary']['unchanged']:,})"),
        ("Doelen gehaald", "ja" if result["met"] else f"nee: {[k for k, v in met.items() if not v]}"),
    ]
    width = max(len(k) for k, _ in table)
    for key, value in table:
        print(f"{key:<{width}}  {value}")

    out = Path(args.out) if args.out else Path(__file__).resolve().parent / "results" / f"import-{engine}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Resultaat: {out}")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
