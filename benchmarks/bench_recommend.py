"""Benchmark of recommending approaches for a client (matching): one municipality's menukaart of 1,000 approaches.

    .venv/bin/python benchmarks/bench_recommend.py [--approaches 1000] [--clients 200]
        [--out benchmarks/results/recommend-<engine>.json]

Uses DATABASE_URL when set (PostgreSQL); otherwise a fresh SQLite file in a temporary folder, migrated first.

What it builds, all drawn from one ``random.Random(seed)``: ``--approaches`` approaches, each in the municipality's
active local offer (one in twenty with capacity 0), with 1–2 approach types, 0–2 target groups, a legal regime for
half of them, trede and age ranges, hours a week, an effect level, 2–6 working elements from a vocabulary of 60 with
``need`` phrases, and the stemmed search text the services keep; ``--clients`` clients, each with a ladder
measurement, a 2017 ZRM (13 domains) and an intake with wishes, language levels and hours a week. On PostgreSQL then
VACUUM ANALYZE.

Measured: ``matching.selectors.recommendations_for(user, client)`` once per client — the queries and the rules in
Python, as the page, API and command run it. The first call builds the municipality's candidates and keeps them in
the process (``first_call_ms``, reported apart); the timed calls reuse them after the one-row fingerprint query says
the menukaart is unchanged. Target: p95 < 50 ms.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from datetime import timedelta
from pathlib import Path

from common import p95, refuse_populated_database, setup_django

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 50
NEEDS = ["heeft schulden of geldzorgen", "heeft weinig sociale contacten",
         "is (nog) niet belastbaar voor druk of tempo",
         "beheerst de Nederlandse taal onvoldoende", "heeft een eigen wens of doel waar de aanpak bij kan aansluiten",
         "wil en kan werken", "werknemersvaardigheden versterken", "heeft een klein of weinig werkgericht netwerk",
         "heeft frequent contact en een veilige omgeving nodig", ""]
WORDS = ("energie advies huurders zorg schoonmaak techniek horeca ondernemen bedrijf starten taal coaching "
         "vrijwilligerswerk wijk groen logistiek detailhandel bouw opleiding kinderopvang sport").split()
WISHES = ["Ik wil graag in de zorg werken.", "Een eigen bedrijf starten.", "Iets met techniek of de bouw.",
          "Werken in het groen, buiten.", "", "Energieadvies geven aan huurders."]



def _populate(approaches: int, clients: int, seed: int):
    from django.db import connection, transaction
    from django.utils import timezone

    from kansrijk.accounts.models import Municipality, Team, User
    from kansrijk.accounts.roles import Role
    from kansrijk.caseload.models import Client
    from kansrijk.catalogue.models import Approach, ApproachFacet, LocalOffer, WorkingElement
    from kansrijk.catalogue.search import document_for
    from kansrijk.diagnosis.instruments import ZRM_DOMAINS
    from kansrijk.diagnosis.models import Intake, LadderMeasurement, LadderStep, ZrmMeasurement, ZrmScore

    rng = random.Random(seed)
    today = timezone.localdate()
    with transaction.atomic():
        municipality = Municipality.objects.create(cbs_code="8100", name="Benchmarkgemeente")
        team = Team.objects.create(municipality=municipality, name="Team")
        user = User.objects.create(username="km-bench", role=Role.KLANTMANAGER, password="!")
        user.teams.add(team)
        user.municipalities.add(municipality)
        elements = WorkingElement.objects.bulk_create(
            WorkingElement(key=f"bench-element-{n}", category=rng.choice(["algemeen", "work_first", "life_first",
                                                                           "human_capital_first", "doelgroep"]),
                           target_group="ouderen" if n % 10 == 0 else "", label=f"Werkzaam element {n}",
                           need=NEEDS[n % len(NEEDS)], position=n) for n in range(60))
        rows = []
        for n in range(approaches):
            name = f"Aanpak {n:04d} {rng.choice(WORDS)}"
            description = " ".join(rng.choices(WORDS, k=25)) + "."
            low = rng.choice([None, 1, 2, 3, 4])
            rows.append(Approach(
                slug=f"bench-aanpak-{n}", name=name, kind="aanpak", description=description,
                trede_min=low, trede_max=None if low is None else min(6, low + rng.randint(1, 3)),
                min_hours_per_week=rng.choice([None, None, 8, 16, 24]), age_min=rng.choice([None, None, 27, 50]),
                age_max=rng.choice([None, None, 67]), language_level=rng.choice(["", "", "B1", "A2"]),
                effect_level=rng.choice([None, 1, 2, 3, 4]), search_document=document_for(name, name, description)))
        created = Approach.objects.bulk_create(rows, batch_size=500)
        facets, links = [], []
        through = Approach.working_elements.through
        for item in created:
            for value in rng.sample(["work_first", "human_capital_first", "life_first"], rng.randint(1, 2)):
                facets.append(ApproachFacet(approach=item, facet="approach_type", value=value))
            for value in rng.sample(["ouderen", "vrouwen", "jongeren", "algemeen"], rng.randint(0, 2)):
                facets.append(ApproachFacet(approach=item, facet="target_group", value=value))
            if rng.random() < 0.5:
                facets.append(ApproachFacet(approach=item, facet="regime", value="participatiewet"))
            for element in rng.sample(elements, rng.randint(2, 6)):
                links.append(through(approach_id=item.pk, workingelement_id=element.pk))
        ApproachFacet.objects.bulk_create(facets, batch_size=2000)
        through.objects.bulk_create(links, batch_size=2000)
        LocalOffer.objects.bulk_create(
            LocalOffer(municipality=municipality, approach=item, capacity=0 if n % 20 == 0 else rng.choice([None, 10]))
            for n, item in enumerate(created))

        people = Client.objects.bulk_create(
            Client(municipality=municipality, client_number=str(200000 + n), birth_year=rng.randint(1958, 2004),
                   sex=rng.choice("MV"), team=team, client_manager=user,
                   active_spell_start=today - timedelta(days=rng.randint(100, 5000))) for n in range(clients))
        steps = {step.trede: step for step in LadderStep.objects.filter(municipality__isnull=True)}
        day = today - timedelta(days=10)
        LadderMeasurement.objects.bulk_create(
            LadderMeasurement(client=c, measured_on=day, measured_by=user, trede=(t := rng.randint(1, 5)),
                              step=steps[t]) for c in people)
        zrms = ZrmMeasurement.objects.bulk_create(
            ZrmMeasurement(client=c, measured_on=day, measured_by=user, version="2017") for c in people)
        ZrmScore.objects.bulk_create(
            (ZrmScore(measurement=m, domain=key, level=rng.choice([1, 2, 3, 4, 4, 5]))
             for m in zrms for key, _label in ZRM_DOMAINS["2017"]), batch_size=2000)
        levels = ["A1", "A2", "B1", "B2", "C2"]
        Intake.objects.bulk_create(
            Intake(client=c, measured_on=day, measured_by=user, hours_per_week=rng.choice([None, 6, 12, 20, 32]),
                   regime=rng.choice(["participatiewet", "participatiewet", "ww", ""]),
                   dutch_speaking=rng.choice(levels), dutch_reading=rng.choice(levels), wishes=rng.choice(WISHES),
                   work_experience=rng.choice(["", "Schoonmaak en horeca.", "Magazijn"]),
                   motivation_willing=rng.choice(["ja", "deels", "nee"]), motivation_able=rng.choice(["ja", "deels"]),
                   debts=rng.choice(["geen", "regeling", ""])) for c in people)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    return user, people


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--approaches", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="JSON-bestand (standaard benchmarks/results/recommend-<engine>.json)")
    args = parser.parse_args()
    folder = setup_django()
    from django.db import connection, reset_queries

    from kansrijk.matching.selectors import recommendations_for

    refuse_populated_database()
    started = time.perf_counter()
    user, people = _populate(args.approaches, args.clients, args.seed)
    build_seconds = time.perf_counter() - started
    began = time.perf_counter()
    recommendations_for(user, people[0])  # warm up: connection, and the menukaart's candidates are built and kept
    first_ms = (time.perf_counter() - began) * 1000
    times, possible = [], []
    for person in people:
        began = time.perf_counter()
        result = recommendations_for(user, person)
        times.append((time.perf_counter() - began) * 1000)
        possible.append(len(result.possible))
    reset_queries()
    result = {
        "engine": connection.vendor,
        "approaches": args.approaches,
        "clients": args.clients,
        "build_seconds": round(build_seconds, 1),
        "calls": len(times),
        "possible_per_client_median": statistics.median(possible),
        "recommend_p50_ms": round(statistics.median(times), 1),
        "recommend_p95_ms": round(p95(times), 1),
        "recommend_max_ms": round(max(times), 1),
        "first_call_ms": round(first_ms, 1),
        "target_p95_ms": TARGET_P95_MS,
    }
    result["meets_target"] = result["recommend_p95_ms"] < TARGET_P95_MS
    print(json.dumps(result, indent=2))
    default = Path(__file__).resolve().parent / "results" / f"recommend-{connection.vendor}.json"
    out = Path(args.out) if args.out else default
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Resultaat: {out}")
    if folder is not None:
        connection.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
