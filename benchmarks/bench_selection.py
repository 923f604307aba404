"""Benchmark of the stepped candidate selection for one approach at national scale: 400,000 clients (issue 5).

    .venv/bin/python benchmarks/bench_selection.py [--clients 400000] [--out benchmarks/results/selection-<engine>.json]

Uses DATABASE_URL when set (PostgreSQL); otherwise a fresh SQLite file in a temporary folder, migrated first.

The register is the worklist benchmark's (``bench_worklist._populate``, imported, not copied): 400,000 clients in 10
municipalities, ~3,077 client managers in teams of 20, ~500,000 measurements (ladder steps for ~60% of the clients,
intakes for ~20%). On top of it the intakes get a legal regime (90% Participatiewet, 10% WW), a Dutch level (B1,
every seventh A2) and, for a third, a wish; and every municipality offers one approach with typical entry criteria
(trede 2–4, at least 16 hours a week, age 27–67, Participatiewet, Dutch B1; human-capital-first, three working
elements). On PostgreSQL VACUUM ANALYZE follows, as in the worklist benchmark.

What is measured, each call repeated ``--repeat`` times, the whole ``matching.selection.select_candidates`` (the
counts of every step, the SQL filter, the facts of every client that meets the criteria, the recommendation's rules
on each of them, the ranking, and the 50 shown clients loaded):

* ``team_p50_ms`` / ``team_p95_ms``: 10 random team leads, the clients of their team (~2,600);
* ``municipality_p50_ms`` / ``municipality_p95_ms``: a team lead of every team of one municipality (~40,000
  clients), 3 municipalities;
* ``manager_p50_ms`` / ``manager_p95_ms``: 20 random client managers, their own caseload (~130).

Target: p95 < 2,000 ms for each.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
from pathlib import Path

from bench_worklist import _populate
from common import p95, refuse_populated_database, setup_django, timed_ms

TARGET_P95_MS = 2000
SAMPLE_LEADS = 10
SAMPLE_MANAGERS = 20
SAMPLE_MUNICIPALITIES = 3


def _enrich(seed: int, municipalities=None) -> None:
    """Regime, Dutch level and wishes on the intakes; one approach with typical criteria offered in
    ``municipalities`` (default: the worklist benchmark's ten)."""
    from django.db import connection, transaction

    from kansrijk.accounts.models import Municipality
    from kansrijk.catalogue.models import Approach, ApproachFacet, LocalOffer, WorkingElement
    from kansrijk.catalogue.search import document_for

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE diagnosis_intake SET "
            "regime = CASE WHEN id % 10 = 0 THEN 'ww' ELSE 'participatiewet' END, "
            "dutch_speaking = CASE WHEN id % 7 = 0 THEN 'A2' ELSE 'B1' END, "
            "wishes = CASE WHEN id % 3 = 0 THEN 'Ik wil graag in de zorg werken' ELSE '' END")
        elements = WorkingElement.objects.bulk_create([
            WorkingElement(key="bench-sel-scholing", category="human_capital_first", label="Scholing op maat",
                           need="training en scholing", position=1),
            WorkingElement(key="bench-sel-aandacht", category="algemeen", label="Persoonlijke aandacht",
                           need="persoonlijke aandacht", position=2),
            WorkingElement(key="bench-sel-wens", category="algemeen", label="Aansluiten bij de eigen wens",
                           need="eigen wens", position=3),
        ])
        name, description = "Opleiden in de zorg", "Een jaar opleiding Helpende Zorg en Welzijn met baangarantie."
        item = Approach.objects.create(
            slug="bench-opleiden-in-de-zorg", name=name, kind="aanpak", description=description, trede_min=2,
            trede_max=4, min_hours_per_week=16, age_min=27, age_max=67, language_level="B1", effect_level=1,
            search_document=document_for(name, name, description))
        ApproachFacet.objects.bulk_create([
            ApproachFacet(approach=item, facet="approach_type", value="human_capital_first"),
            ApproachFacet(approach=item, facet="regime", value="participatiewet"),
        ])
        item.working_elements.set(elements)
        if municipalities is None:
            municipalities = Municipality.objects.filter(cbs_code__startswith="80")
        LocalOffer.objects.bulk_create(LocalOffer(municipality=m, approach=item, capacity=25) for m in municipalities)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE diagnosis_intake")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="JSON-bestand (standaard benchmarks/results/selection-<engine>.json)")
    args = parser.parse_args()
    folder = setup_django()
    from django.db import connection
    from django.utils import timezone

    from kansrijk.accounts.models import Team, User
    from kansrijk.accounts.roles import Role
    from kansrijk.catalogue.models import Approach
    from kansrijk.matching.selection import SelectionCriteria, select_candidates

    refuse_populated_database()
    engine = connection.vendor
    today = timezone.localdate()
    built = _populate(args.clients, args.seed, today)
    _enrich(args.seed)
    approach_id = Approach.objects.get(slug="bench-opleiden-in-de-zorg").pk
    rng = random.Random(args.seed + 2)
    leads = list(User.objects.filter(pk__in=rng.sample(built["lead_ids"], min(SAMPLE_LEADS, len(built["lead_ids"]))))
                 .prefetch_related("municipalities"))
    managers = list(User.objects.filter(pk__in=rng.sample(built["manager_ids"],
                                                          min(SAMPLE_MANAGERS, len(built["manager_ids"]))))
                    .prefetch_related("municipalities"))
    # A team lead over every team of a municipality: the whole municipality's caseload in one selection.
    whole = []
    for municipality_id in sorted({t.municipality_id for t in Team.objects.all()})[:SAMPLE_MUNICIPALITIES]:
        lead = User.objects.create(username=f"tl-gemeente-{municipality_id}", role=Role.TEAMLEIDER, password="!")
        lead.municipalities.add(municipality_id)
        lead.teams.set(Team.objects.filter(municipality_id=municipality_id))
        whole.append(User.objects.prefetch_related("municipalities").get(pk=lead.pk))

    sizes: dict[str, list[dict]] = {"team": [], "municipality": [], "manager": []}

    def run(kind):
        def call(user):
            municipality_id = user.municipalities.all()[0].pk
            result = select_candidates(user, SelectionCriteria(municipality_id=municipality_id,
                                                               approach_id=approach_id), today=today)
            sizes[kind].append(result.counts)
        return call

    run("team")(leads[0])  # warm up: connection, kept candidates
    team_ms = timed_ms(run("team"), leads, args.repeat)
    municipality_ms = timed_ms(run("municipality"), whole, args.repeat)
    manager_ms = timed_ms(run("manager"), managers, args.repeat)

    def median_counts(kind):
        rows = sizes[kind]
        return {key: statistics.median(row[key] for row in rows) for key in rows[0]}

    result = {
        "engine": engine,
        **{key: built[key] for key in ("clients", "client_managers", "teams", "contacts", "measurements")},
        "build_seconds": built["build_seconds"],
        "criteria": "trede 2-4, >= 16 uur, 27-67 jaar, Participatiewet, B1",
        "team_counts_median": median_counts("team"),
        "municipality_counts_median": median_counts("municipality"),
        "manager_counts_median": median_counts("manager"),
        "team_p50_ms": round(statistics.median(team_ms), 1),
        "team_p95_ms": round(p95(team_ms), 1),
        "municipality_p50_ms": round(statistics.median(municipality_ms), 1),
        "municipality_p95_ms": round(p95(municipality_ms), 1),
        "manager_p50_ms": round(statistics.median(manager_ms), 1),
        "manager_p95_ms": round(p95(manager_ms), 1),
        "target_p95_ms": TARGET_P95_MS,
    }
    result["meets_target"] = all(result[f"{kind}_p95_ms"] < TARGET_P95_MS
                                 for kind in ("team", "municipality", "manager"))
    print(json.dumps(result, indent=2))
    out = Path(args.out) if args.out else Path(__file__).resolve().parent / "results" / f"selection-{engine}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Resultaat: {out}")
    if folder is not None:
        connection.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
