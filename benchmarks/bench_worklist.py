"""Benchmark of the worklist at national scale: 400,000 clients, millions of contacts (issue 4).

    .venv/bin/python benchmarks/bench_worklist.py [--clients 400000] [--out benchmarks/results/worklist-<engine>.json]

Uses DATABASE_URL when set (PostgreSQL); otherwise a fresh SQLite file in a temporary folder, migrated first.

The register is built directly with set-wise inserts (``core.bulk.insert_rows``: COPY on PostgreSQL, one prepared
INSERT on SQLite), not through the import: the import has its own benchmark, and this one is about reading. What it
builds, all drawn from one ``random.Random(seed)``:

* ``--clients`` clients in 10 municipalities, 95% with a running benefit (71% of those longer than two years);
* one client manager per ~130 clients (3,077 at 400,000), 20 per team, each with a team lead; every client has a
  team and a client manager of that team;
* about 5 contacts per client (2,000,000 at 400,000), dated over the last five years and inserted in date order (as
  they are recorded, so a client's contacts are spread over the table and not stored together); a quarter of the
  long-term clients have had none in the last year, and one in ten none at all;
* plans of action for half of the clients with a ladder step;
* about 500,000 measurements: ladder steps (~60% of clients, a quarter of them twice), ZRMs (~30%; the
  measurement rows only: the worklist reads dates, not scores) and intakes (~20%), a fifth of them with an exemption;
* per municipality the rhythm rules of the demo (2+ years on benefit: once a year; trede 1–2: every 91 days) plus an
  FIP-style client group seen every 14 days (2% of the clients), and an open review campaign (2% of the clients).

Then, on PostgreSQL, VACUUM ANALYZE (what autovacuum does after a bulk load); SQLite runs without statistics, as
the application leaves it. What is measured, each call repeated ``--repeat`` times:

* ``worklist_p50_ms`` / ``worklist_p95_ms``: ``inview.selectors.worklist(user)`` for 50 random client managers —
  their own caseload (~130 clients), the queries plus the rules in Python, as the page, API and command run it;
* ``team_p50_ms`` / ``team_p95_ms``: the team worklist of 10 random team leads (~2,600 clients each);
* ``baseline_p50_ms`` / ``baseline_p95_ms``: one plain SELECT of the same client manager's clients with their last
  contact (``MAX(contacted_on)`` … ``GROUP BY``), the floor for "a client manager's clients with a date each".

Target: p95 < 300 ms, for the client manager's worklist and for the team lead's.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from array import array
from datetime import date, timedelta
from pathlib import Path

from common import p95, refuse_populated_database, setup_django, timed_ms

ROOT = Path(__file__).resolve().parent.parent
TARGET_P95_MS = 300
MUNICIPALITIES = 10
CLIENTS_PER_MANAGER = 130
MANAGERS_PER_TEAM = 20
CONTACTS_PER_CLIENT = 5.2  # mean of the exponential draw; with the never-contacted, ~5.1 a client
SAMPLE_MANAGERS = 50
SAMPLE_LEADS = 10

SUMMARIES = ["Gesprek over de voortgang.", "Telefonisch contact over de afspraken.", "Huisbezoek; situatie besproken.",
             "Bericht gestuurd met de uitnodiging.", "Beeldbelafspraak over werkwensen."]
CHANNELS = ["persoonlijk", "telefoon", "huisbezoek", "bericht", "video"]



def _rows(model, given: dict):
    """Column order and a row builder: every concrete field but the key, ``given`` values by name, the rest their
    default (empty text, NULL, the field default)."""
    from django.utils import timezone

    now = timezone.now()
    fields, fixed = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        fields.append(field.attname)
        if field.attname in given:
            fixed.append(None)
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            fixed.append(now)
        elif field.has_default():
            default = field.get_default()
            fixed.append(json.dumps(default) if field.get_internal_type() == "JSONField" else default)
        elif field.null:
            fixed.append(None)
        else:
            fixed.append("")
    positions = [fields.index(name) for name in given]
    return fields, fixed, positions


def _insert(model, given: list[str], values):
    """Insert rows given as tuples in the order of ``given``; the other columns get their defaults."""
    from kansrijk.core.bulk import insert_rows

    fields, fixed, positions = _rows(model, dict.fromkeys(given))

    def full():
        for row in values:
            out = list(fixed)
            for position, value in zip(positions, row):
                out[position] = value
            yield out

    insert_rows(model, fields, full())


def build_staff(municipalities: list, managers_count: int) -> dict:
    """Client managers in teams of 20, each team with a team lead, the teams spread over ``municipalities``. Manager
    n is in team n // 20; the caller assigns clients to managers by position (client i to manager i % count)."""
    from kansrijk.accounts.models import Team, User
    from kansrijk.accounts.roles import Role

    teams_count = max(1, -(-managers_count // MANAGERS_PER_TEAM))
    teams = Team.objects.bulk_create(
        Team(municipality=municipalities[n % len(municipalities)], name=f"Team {n:04d}") for n in range(teams_count))
    managers = User.objects.bulk_create(
        (User(username=f"km{n:05d}", role=Role.KLANTMANAGER, password="!", first_name="Klantmanager",
              last_name=f"{n:05d}") for n in range(managers_count)), batch_size=2000)
    leads = User.objects.bulk_create(
        (User(username=f"tl{n:04d}", role=Role.TEAMLEIDER, password="!", first_name="Teamleider",
              last_name=f"{n:04d}") for n in range(teams_count)), batch_size=2000)
    team_of_manager = [teams[n // MANAGERS_PER_TEAM] for n in range(managers_count)]
    User.teams.through.objects.bulk_create(
        [User.teams.through(user_id=m.pk, team_id=t.pk) for m, t in zip(managers, team_of_manager, strict=True)]
        + [User.teams.through(user_id=lead.pk, team_id=team.pk) for lead, team in zip(leads, teams, strict=True)],
        batch_size=5000)
    User.municipalities.through.objects.bulk_create(
        [User.municipalities.through(user_id=m.pk, municipality_id=t.municipality_id)
         for m, t in zip(managers, team_of_manager, strict=True)]
        + [User.municipalities.through(user_id=lead.pk, municipality_id=team.municipality_id)
           for lead, team in zip(leads, teams, strict=True)], batch_size=5000)
    return {"teams": teams, "managers": managers, "leads": leads, "team_of_manager": team_of_manager}


def _populate(clients: int, seed: int, today: date) -> dict:
    from django.db import transaction

    from kansrijk.accounts.models import Municipality
    from kansrijk.caseload.models import Client
    from kansrijk.core.bulk import paused_gc, secondary_indexes_deferred

    rng = random.Random(seed)
    started = time.perf_counter()
    managers_count = max(1, round(clients / CLIENTS_PER_MANAGER))
    with transaction.atomic(), paused_gc():
        municipalities = Municipality.objects.bulk_create(
            Municipality(cbs_code=f"{8000 + n}", name=f"Benchmarkgemeente {n}") for n in range(MUNICIPALITIES))
        staff = build_staff(municipalities, managers_count)
        managers, team_of_manager = staff["managers"], staff["team_of_manager"]

        # Clients: manager n gets clients n, n + managers, …; 95% on benefit, 71% of those 2+ years.
        spell_starts = []
        client_rows = []
        for index in range(clients):
            manager_index = index % managers_count
            team = team_of_manager[manager_index]
            running = rng.random() < 0.95
            if running:
                years = rng.uniform(0.1, 2.0) if rng.random() < 0.29 else rng.uniform(2.0, 20.0)
                start = today - timedelta(days=int(years * 365.25))
            else:
                start = None
            spell_starts.append(start.toordinal() if start else 0)
            family, given = f"Achternaam{index % 997}", f"Voornaam{index % 389}"
            client_rows.append((team.municipality_id, str(100000 + index), "", given, family, rng.randint(1958, 2006),
                                rng.choice("MV"), "Alleenstaande", team.pk, managers[manager_index].pk, start,
                                f"{family} {given}".lower()))
        with secondary_indexes_deferred(Client, when=True):
            _insert(Client, ["municipality_id", "client_number", "bsn", "given_names", "family_name", "birth_year",
                             "sex", "household", "team_id", "client_manager_id", "active_spell_start", "search_name"],
                    client_rows)
        del client_rows
        client_ids = list(Client.objects.order_by("id").values_list("id", flat=True))
    clients_seconds = time.perf_counter() - started
    built = populate_activity(rng, today, client_ids, spell_starts, staff, municipalities)
    built["build_seconds"] = {"clients_seconds": round(clients_seconds, 1), **built["build_seconds"]}
    return {"clients": clients, **built}


def populate_activity(rng: random.Random, today: date, client_ids: list[int], spell_starts: list[int], staff: dict,
                      municipalities: list) -> dict:
    """Contacts, measurements, plans, contact-rhythm rules, an FIP-style group and an open campaign for clients
    assigned by position (client i belongs to manager i % managers, see ``build_staff``); ``spell_starts`` are
    the ordinals of their running spells' start, 0 for none. VACUUM ANALYZE on PostgreSQL afterwards."""
    from django.db import connection, transaction

    from kansrijk.core.bulk import paused_gc, secondary_indexes_deferred
    from kansrijk.diagnosis.models import Intake, LadderMeasurement, LadderStep, ZrmMeasurement
    from kansrijk.inview.models import (
        Campaign,
        CampaignInvitation,
        ClientSegment,
        Contact,
        ContactRhythmRule,
        Segment,
        Segmentation,
    )
    from kansrijk.trajectories.models import Plan

    managers, leads, team_of_manager = staff["managers"], staff["leads"], staff["team_of_manager"]
    managers_count = len(managers)
    timings = {}

    # Contacts, bucketed per day so they go in in date order, with compact arrays (8 bytes a contact).
    started = time.perf_counter()
    horizon = 5 * 365
    days: dict[int, tuple[array, array]] = {}
    total_contacts = 0
    for index, client_id in enumerate(client_ids):
        long_term = spell_starts[index] and spell_starts[index] <= today.toordinal() - 730
        if rng.random() < 0.10:
            continue  # never contacted
        count = int(rng.expovariate(1 / CONTACTS_PER_CLIENT)) + 1
        # A quarter of the long-term clients: nothing in the last year ("gemeenten kennen hun bestand niet").
        newest = 366 if long_term and rng.random() < 0.25 else 0
        for _ in range(count):
            age = rng.randint(newest, horizon)
            bucket = days.setdefault(age, (array("l"), array("l")))
            bucket[0].append(client_id)
            bucket[1].append(index % managers_count)
            total_contacts += 1
    manager_ids = [m.pk for m in managers]

    def contact_rows():
        counter = 0
        for age in sorted(days, reverse=True):
            contacted_on = today - timedelta(days=age)
            ids, authors = days.pop(age)
            for client_id, author in zip(ids, authors):
                counter += 1
                follow_up_on = contacted_on + timedelta(days=28) if counter % 7 == 0 else None
                yield (client_id, contacted_on, CHANNELS[counter % 5], manager_ids[author], SUMMARIES[counter % 5],
                       "Vervolggesprek" if follow_up_on else "", follow_up_on,
                       "sociaal" if counter % 4 == 0 else "werk_inkomen")

    with transaction.atomic(), paused_gc(), secondary_indexes_deferred(Contact, when=True):
        _insert(Contact, ["client_id", "contacted_on", "channel", "author_id", "summary", "follow_up", "follow_up_on",
                          "confidentiality"], contact_rows())
    timings["contacts_seconds"] = time.perf_counter() - started

    # Measurements: ladder for ~60% (a quarter of them twice), ZRM for ~30%, intakes for ~20%.
    started = time.perf_counter()
    steps = {step.trede: step.pk for step in LadderStep.objects.filter(municipality__isnull=True)}
    ladder, zrm, intakes = [], [], []
    for index, client_id in enumerate(client_ids):
        author = manager_ids[index % managers_count]
        if rng.random() < 0.60:
            for _ in range(2 if rng.random() < 0.25 else 1):
                trede = rng.choices([1, 2, 3, 4, 5], [0.25, 0.35, 0.2, 0.15, 0.05])[0]
                ladder.append((client_id, today - timedelta(days=rng.randint(0, 1500)), author, trede, steps[trede]))
        if rng.random() < 0.30:
            zrm.append((client_id, today - timedelta(days=rng.randint(0, 1500)), author, "2017"))
        if rng.random() < 0.20:
            measured_on = today - timedelta(days=rng.randint(0, 1000))
            exemption = measured_on + timedelta(days=rng.randint(90, 730)) if rng.random() < 0.2 else None
            intakes.append((client_id, measured_on, author, exemption, rng.randint(8, 36)))
    with transaction.atomic(), paused_gc():
        with secondary_indexes_deferred(LadderMeasurement, when=True):
            _insert(LadderMeasurement, ["client_id", "measured_on", "measured_by_id", "trede", "step_id"], ladder)
        with secondary_indexes_deferred(ZrmMeasurement, when=True):
            _insert(ZrmMeasurement, ["client_id", "measured_on", "measured_by_id", "version"], zrm)
        with secondary_indexes_deferred(Intake, when=True):
            _insert(Intake, ["client_id", "measured_on", "measured_by_id", "work_exemption_until",
                             "hours_per_week"], intakes)
    measurements = len(ladder) + len(zrm) + len(intakes)
    # Half of the clients with a ladder step have a plan van aanpak (the worklist's "no plan" rule reads it).
    planned = sorted({row[0] for row in ladder if rng.random() < 0.5})
    with transaction.atomic(), paused_gc():
        _insert(Plan, ["client_id", "version", "created_by_id"], ((client_id, 1, manager_ids[0]) for client_id in planned))
    del ladder, zrm, intakes
    timings["measurements_seconds"] = time.perf_counter() - started

    # Rules, an FIP-style group and an open campaign per municipality.
    with transaction.atomic():
        fip_segments = {}
        for municipality in municipalities:
            ContactRhythmRule.objects.create(municipality=municipality, name="Langdurig: jaarlijks", interval_days=365,
                                             min_benefit_years=2)
            ContactRhythmRule.objects.create(municipality=municipality, name="Trede 1-2: elk kwartaal",
                                             interval_days=91, trede_min=1, trede_max=2)
            segmentation = Segmentation.objects.create(municipality=municipality, name="Klantgroepen")
            fip_segments[municipality.pk] = Segment.objects.create(segmentation=segmentation, name="FIP")
            ContactRhythmRule.objects.create(municipality=municipality, name="FIP", interval_days=14,
                                             segment=fip_segments[municipality.pk])
        campaigns = {m.pk: Campaign.objects.create(municipality=m, name="Doorlichting", created_by=leads[0],
                                                   started_on=today - timedelta(days=30)) for m in municipalities}
        placed, invited = [], []
        for index, client_id in enumerate(client_ids):
            municipality_id = team_of_manager[index % managers_count].municipality_id
            if rng.random() < 0.02:
                segment = fip_segments[municipality_id]
                placed.append((client_id, segment.segmentation_id, segment.pk, manager_ids[index % managers_count],
                               today))
            if rng.random() < 0.02:
                invited.append((campaigns[municipality_id].pk, client_id, manager_ids[index % managers_count]))
        _insert(ClientSegment, ["client_id", "segmentation_id", "segment_id", "placed_by_id", "placed_on"], placed)
        _insert(CampaignInvitation, ["campaign_id", "client_id", "client_manager_id"], invited)

    started = time.perf_counter()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    timings["analyze_seconds"] = time.perf_counter() - started
    return {"client_managers": managers_count, "teams": len(staff["teams"]),
            "contacts": total_contacts, "measurements": measurements,
            "build_seconds": {k: round(v, 1) for k, v in timings.items()},
            "manager_ids": manager_ids, "lead_ids": [lead.pk for lead in leads]}



def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="JSON-bestand (standaard benchmarks/results/worklist-<engine>.json)")
    args = parser.parse_args()
    folder = setup_django()
    from django.db import connection
    from django.utils import timezone

    from kansrijk.accounts.models import User
    from kansrijk.inview import selectors

    refuse_populated_database()
    engine = connection.vendor
    today = timezone.localdate()
    built = _populate(args.clients, args.seed, today)
    rng = random.Random(args.seed + 1)
    sample = list(User.objects.filter(pk__in=rng.sample(built["manager_ids"],
                                                        min(SAMPLE_MANAGERS, len(built["manager_ids"])))))
    leads = list(User.objects.filter(pk__in=rng.sample(built["lead_ids"], min(SAMPLE_LEADS, len(built["lead_ids"])))))

    sizes = []

    def own(user):
        sizes.append(len(selectors.worklist(user, today=today)))

    def team(user):
        selectors.worklist(user, today=today)

    def baseline(user):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id, MAX(ct.contacted_on) FROM caseload_client c "
                "LEFT JOIN inview_contact ct ON ct.client_id = c.id "
                "WHERE c.client_manager_id = %s AND c.active_spell_start IS NOT NULL GROUP BY c.id", [user.pk])
            cursor.fetchall()

    own(sample[0])  # warm up: connection, caches
    worklist_ms = timed_ms(own, sample, args.repeat)
    team_ms = timed_ms(team, leads, args.repeat)
    baseline_ms = timed_ms(baseline, sample, args.repeat)
    result = {
        "engine": engine,
        **{key: built[key] for key in ("clients", "client_managers", "teams", "contacts", "measurements")},
        "build_seconds": built["build_seconds"],
        "calls": len(worklist_ms),
        "items_per_worklist_median": statistics.median(sizes),
        "worklist_p50_ms": round(statistics.median(worklist_ms), 1),
        "worklist_p95_ms": round(p95(worklist_ms), 1),
        "team_p50_ms": round(statistics.median(team_ms), 1),
        "team_p95_ms": round(p95(team_ms), 1),
        "baseline_p50_ms": round(statistics.median(baseline_ms), 1),
        "baseline_p95_ms": round(p95(baseline_ms), 1),
        "target_p95_ms": TARGET_P95_MS,
    }
    result["meets_target"] = result["worklist_p95_ms"] < TARGET_P95_MS and result["team_p95_ms"] < TARGET_P95_MS
    print(json.dumps(result, indent=2))
    out = Path(args.out) if args.out else Path(__file__).resolve().parent / "results" / f"worklist-{engine}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Resultaat: {out}")
    if folder is not None:
        connection.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
