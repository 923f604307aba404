"""Benchmark of the catalogue search with national sharing: thousands of approaches.

    .venv/bin/python benchmarks/bench_catalogue.py [--copies 50] [--out benchmarks/results/catalogue-<engine>.json]

Uses DATABASE_URL when set (PostgreSQL); otherwise a fresh SQLite file in a temporary folder. The shipped catalogue
is loaded and then copied ``--copies`` times as other municipalities' own approaches (50 copies of ~190 entries is
~9,600 approaches), as if many municipalities shared their menukaart in one installation.

What is measured, each over the same list of realistic queries, repeated:
* ``search_p50_ms`` / ``search_p95_ms``: the first page (50 rows) of ``selectors.approach_list`` with a search term,
  including prefetches, as the catalogue page and the API list run it;
* ``filtered_p95_ms``: search plus classification filters (target group, ladder step, goal);
* ``scan_p95_ms``: the baseline without an index: the same words as ``LIKE '%word%'`` over the same column.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["werkgevers", "ouderen werk", "taal", "zorg opleiding", "jobcoach", "vrijwilligerswerk", "psychische klachten",
           "statushouders", "schulden", "proefplaats", "sociale activering", "energie", "intensieve begeleiding",
           "loonkostensubsidie", "participatieplaats"]
TARGET_P95_MS = 100


def _setup(database_url: str | None):
    sys.path.insert(0, str(ROOT / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kansrijk.settings")
    if database_url is None:
        folder = tempfile.mkdtemp(prefix="kansrijk-bench-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _populate(copies: int) -> int:
    from kansrijk.accounts.models import Municipality
    from kansrijk.catalogue.models import Approach, ApproachFacet
    from kansrijk.catalogue.services import load_shipped_catalogue

    load_shipped_catalogue()
    shipped = list(Approach.objects.filter(owner__isnull=True).prefetch_related("facets"))
    for copy in range(copies):
        municipality = Municipality.objects.create(cbs_code=f"{1000 + copy}", name=f"Gemeente {copy}")
        clones = Approach.objects.bulk_create(
            Approach(**{f.attname: getattr(a, f.attname) for f in Approach._meta.concrete_fields
                        if f.attname not in ("id", "slug", "owner_id")},
                     slug=f"{a.slug}-{municipality.cbs_code}", owner=municipality)
            for a in shipped
        )
        ApproachFacet.objects.bulk_create(
            ApproachFacet(approach=clone, facet=facet.facet, value=facet.value)
            for original, clone in zip(shipped, clones, strict=True) for facet in original.facets.all()
        )
    return Approach.objects.count()


def search(query: str, **filters) -> None:
    """The catalogue page's first page of results, with what the page shows of each approach."""
    from kansrijk.catalogue import selectors

    page = list(selectors.approach_list(selectors.CatalogueFilters(q=query, **filters), [1])[:50])
    for approach in page:
        approach.target_groups, list(approach.working_elements.all())


def scan(query: str) -> None:
    """The baseline: an unranked LIKE scan for every word of the query."""
    from django.db import connection

    from kansrijk.catalogue.search import words

    conditions = " AND ".join(["search_document LIKE %s"] * len(words(query)))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM catalogue_approach WHERE {conditions} ORDER BY name LIMIT 50",
                       [f"%{word}%" for word in words(query)])
        cursor.fetchall()


def _timed(run, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for query in QUERIES:
            started = time.perf_counter()
            run(query)
            times.append((time.perf_counter() - started) * 1000)
    return times


def _p95(values):
    return statistics.quantiles(values, n=20)[18]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--out")
    args = parser.parse_args()
    _setup(os.environ.get("DATABASE_URL"))
    from django.db import connection

    approaches = _populate(args.copies)

    search("warm up")
    plain = _timed(search, args.repeat)
    filtered = _timed(lambda q: search(q, target_groups=["ouderen", "algemeen"], ladder_steps=["2"], goal="werk"),
                      args.repeat)
    baseline = _timed(scan, args.repeat)
    result = {
        "engine": connection.vendor,
        "approaches": approaches,
        "queries": len(QUERIES) * args.repeat,
        "search_p50_ms": round(statistics.median(plain), 1),
        "search_p95_ms": round(_p95(plain), 1),
        "filtered_p95_ms": round(_p95(filtered), 1),
        "scan_p95_ms": round(_p95(baseline), 1),
        "target_p95_ms": TARGET_P95_MS,
    }
    result["meets_target"] = result["search_p95_ms"] <= TARGET_P95_MS and result["filtered_p95_ms"] <= TARGET_P95_MS
    print(json.dumps(result, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
