"""The national-scale dataset of ``benchmarks/run.py``, built once per engine on top of the imported register.

The import (the first figure) leaves ``--clients`` clients with their benefit spells in one municipality. This adds,
all drawn from one ``random.Random(seed)`` and written set-wise (``core.bulk.insert_rows``: COPY on PostgreSQL, one
prepared INSERT on SQLite):

* one client manager per ~130 clients in teams of 20, each team with a team lead; every client gets a team and a
  client manager of that team (one UPDATE through a small mapping table, not row by row);
* the worklist benchmark's activity (``bench_worklist.populate_activity``): ~5 contacts per client dated over five
  years and inserted in date order, ~1.25 measurements per client (ladder, ZRM, intakes), plans of action, the
  demo's contact-rhythm rules, an FIP-style group and an open review campaign;
* trajectory events: referrals for 30% of the clients (to one of 20 providers' approaches), a trajectory for 80% of
  the referrals (half of them ended, with an end reason and a result) and on average 6 reports per trajectory;
* the candidate selection's intake enrichment and approach (``bench_selection._enrich``).

At 400,000 clients: ~2.0 million contacts, ~0.5 million measurements and ~0.8 million trajectory events.
"""

from __future__ import annotations

import random
import time
from datetime import date, timedelta

from bench_worklist import CLIENTS_PER_MANAGER, _insert, build_staff, populate_activity

REFERRAL_SHARE = 0.30
TRAJECTORY_SHARE = 0.80
REPORTS_PER_TRAJECTORY = 6
PROVIDERS = 20
REPORT_KINDS = ["intake", "start", "aanwezigheid", "voortgang", "voortgang", "aanwezigheid"]
END_REASONS = ["doel_bereikt", "werk_gevonden", "uitval", "opleiding", "verhuisd"]
RESULTS = ["werk_regulier", "ladder_omhoog", "geen_resultaat", "opleiding", "deeltijdwerk"]


def _assign_clients(municipality_id: int, staff: dict) -> None:
    """Client i (by id) to manager i % managers and that manager's team, in one UPDATE per column."""
    from django.db import connection

    managers, team_of_manager = staff["managers"], staff["team_of_manager"]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE bench_staff (idx integer PRIMARY KEY, user_id bigint, team_id bigint)")
        cursor.executemany("INSERT INTO bench_staff (idx, user_id, team_id) VALUES (%s, %s, %s)",
                           [(n, m.pk, t.pk) for n, (m, t) in enumerate(zip(managers, team_of_manager, strict=False))])
        cursor.execute("SELECT MIN(id) FROM caseload_client WHERE municipality_id = %s", [municipality_id])
        first = cursor.fetchone()[0]
        position = f"((caseload_client.id - {int(first)}) %% {len(managers)})"  # %% : the query has parameters
        cursor.execute(
            f"UPDATE caseload_client SET client_manager_id = (SELECT user_id FROM bench_staff WHERE idx = {position}), "
            f"team_id = (SELECT team_id FROM bench_staff WHERE idx = {position}) WHERE municipality_id = %s",
            [municipality_id])
        cursor.execute("DROP TABLE bench_staff")


def _trajectory_events(rng: random.Random, today: date, municipality, client_ids: list[int], manager_ids: list[int],
                       positions: list[int]) -> dict:
    from django.db import transaction

    from kansrijk.catalogue.models import Approach, LocalOffer
    from kansrijk.core.bulk import paused_gc, secondary_indexes_deferred
    from kansrijk.trajectories.models import Provider, Referral, Trajectory, TrajectoryReport

    with transaction.atomic(), paused_gc():
        providers = Provider.objects.bulk_create(Provider(name=f"Re-integratiebedrijf {n:02d}")
                                                 for n in range(PROVIDERS))
        Provider.municipalities.through.objects.bulk_create(
            Provider.municipalities.through(provider_id=p.pk, municipality_id=municipality.pk) for p in providers)
        approaches = Approach.objects.bulk_create(
            Approach(slug=f"bench-traject-{n}", name=f"Trajectaanpak {n:02d}", kind="aanpak",
                     description="Begeleiding naar werk met een vaste jobcoach.", search_document="trajectaanpak")
            for n in range(PROVIDERS))
        offers = LocalOffer.objects.bulk_create(LocalOffer(municipality=municipality, approach=a) for a in approaches)
        referrals, chosen = [], []
        for client_id, position in zip(client_ids, positions, strict=False):
            if rng.random() >= REFERRAL_SHARE:
                continue
            n = rng.randrange(PROVIDERS)
            referred_on = today - timedelta(days=rng.randint(30, 1800))
            accepted = rng.random() < TRAJECTORY_SHARE
            referrals.append((client_id, approaches[n].pk, offers[n].pk, providers[n].pk,
                              manager_ids[position % len(manager_ids)], referred_on,
                              "Graag een intake voor begeleiding naar werk.", "{}",
                              "geaccepteerd" if accepted else rng.choice(["verwezen", "afgewezen", "ingetrokken"]),
                              referred_on + timedelta(days=7) if accepted else None))
            chosen.append(accepted)
        with secondary_indexes_deferred(Referral, when=True):
            _insert(Referral, ["client_id", "approach_id", "local_offer_id", "provider_id", "referred_by_id",
                               "referred_on", "question", "shared", "status", "answered_on"], referrals)
        referral_ids = list(Referral.objects.order_by("id").values_list("id", flat=True))
        trajectories = []
        for referral_id, row, accepted in zip(referral_ids, referrals, chosen, strict=False):
            if not accepted:
                continue
            accepted_on = row[9]
            ended = rng.random() < 0.5
            end_on = min(today, accepted_on + timedelta(days=rng.randint(60, 540))) if ended else None
            trajectories.append((referral_id, row[0], row[3], "participatieplaats",
                                 "beeindigd" if ended else "lopend", accepted_on, accepted_on + timedelta(days=14),
                                 accepted_on + timedelta(days=21), end_on,
                                 rng.choice(END_REASONS) if ended else "", rng.choice(RESULTS) if ended else ""))
        with secondary_indexes_deferred(Trajectory, when=True):
            _insert(Trajectory, ["referral_id", "client_id", "provider_id", "srg_provision", "status", "accepted_on",
                                 "intake_on", "start_on", "end_on", "end_reason", "result"], trajectories)
        trajectory_ids = list(Trajectory.objects.order_by("id").values_list("id", "accepted_on", "end_on"))
        author = manager_ids[0]

        def report_rows():
            for trajectory_id, accepted_on, end_on in trajectory_ids:
                last = (end_on or today).toordinal()
                for _ in range(int(rng.expovariate(1 / REPORTS_PER_TRAJECTORY)) + 1):
                    reported_on = date.fromordinal(rng.randint(accepted_on.toordinal(), last))
                    yield (trajectory_id, rng.choice(REPORT_KINDS), reported_on, rng.randint(4, 12),
                           rng.randint(2, 12), "Afspraken nagekomen, voortgang besproken.", author)

        before = TrajectoryReport.objects.count()
        _insert(TrajectoryReport, ["trajectory_id", "kind", "reported_on", "sessions_planned", "sessions_attended",
                                   "text", "author_id"], report_rows())
        reports = TrajectoryReport.objects.count() - before
    return {"referrals": len(referrals), "trajectories": len(trajectories), "trajectory_reports": reports}


def build_national(seed: int, today: date, municipality_cbs: str) -> dict:
    """Everything above on the imported municipality; returns the counts, the seconds per part and rows/s."""
    from bench_selection import _enrich
    from django.db import connection, transaction

    from kansrijk.accounts.models import Municipality
    from kansrijk.caseload.models import Client
    from kansrijk.core.bulk import paused_gc

    rng = random.Random(seed)
    municipality = Municipality.objects.get(cbs_code=municipality_cbs)
    started = time.perf_counter()
    rows = list(Client.objects.filter(municipality=municipality).order_by("id").values_list("id", "active_spell_start"))
    client_ids = [row[0] for row in rows]
    spell_starts = [row[1].toordinal() if row[1] else 0 for row in rows]
    del rows
    managers_count = max(1, round(len(client_ids) / CLIENTS_PER_MANAGER))
    with transaction.atomic(), paused_gc():
        staff = build_staff([municipality], managers_count)
        _assign_clients(municipality.pk, staff)
    staff_seconds = time.perf_counter() - started
    activity = populate_activity(rng, today, client_ids, spell_starts, staff, [municipality])
    started = time.perf_counter()
    manager_ids = [m.pk for m in staff["managers"]]
    events = _trajectory_events(rng, today, municipality, client_ids, manager_ids,
                                [client_id - client_ids[0] for client_id in client_ids])
    trajectories_seconds = time.perf_counter() - started
    started = time.perf_counter()
    _enrich(seed, municipalities=[municipality])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    finish_seconds = time.perf_counter() - started
    seconds = {"staff_and_assignment": round(staff_seconds, 1), **activity["build_seconds"],
               "trajectory_events_seconds": round(trajectories_seconds, 1),
               "enrich_and_analyze_seconds": round(finish_seconds, 1)}
    generated = activity["contacts"] + activity["measurements"] + sum(events.values())
    total = sum(seconds.values())
    return {"clients": len(client_ids), "client_managers": activity["client_managers"], "teams": activity["teams"],
            "contacts": activity["contacts"], "measurements": activity["measurements"], **events,
            "generated_rows": generated, "build_seconds": seconds, "total_seconds": round(total, 1),
            "generated_rows_per_second": round(generated / total) if total else None,
            "manager_ids": manager_ids, "lead_ids": [lead.pk for lead in staff["leads"]],
            "municipality_id": municipality.pk}
