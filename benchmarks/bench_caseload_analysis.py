"""Benchmark of the caseload analysis ("Sturen op bijstand", issue 6) over 400,000 benefit spells.

    .venv/bin/python benchmarks/bench_caseload_analysis.py [--spells 400000] [--out benchmarks/results/...json]

Uses DATABASE_URL when set (PostgreSQL); otherwise a fresh SQLite file in a temporary folder, migrated first. The
register is built with the set-wise inserts of the worklist benchmark (``bench_worklist._insert``), in one
municipality, so one analysis reads all spells (the national scale in one go). Drawn from ``random.Random(seed)``:
one client per spell except that one in eight clients also has an earlier, ended spell (a returner); inflow years
spread over 25 years with more recent inflow; 70% of the spells still running; four households, the in-use cause
codes, end reasons with 40% work.

What is measured, each ``--repeat`` times, median reported:

* ``analysis_ms``: ``monitoring.selectors.caseload_analysis(…, use_cache=False)``: the query, the DataFrame and all
  tables with suppression, exactly as the page, API and command compute them when the cache is cold;
* ``baseline_ms``: a plain pandas group-by over the same rows in the same run: one SELECT of the same columns with
  a plain cursor into a DataFrame, then ``groupby(inflow year)`` counting spells and active spells;
* ``cached_ms``: the same analysis from the cache (the data-version queries only);
* ``outflow_ms``: the outflow and duration analysis (Kaplan–Meier per segment, outflow reasons, returns), cold.

Targets (issue 6): the analysis under 2 s and within 5× the baseline.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import time
from datetime import date, timedelta
from pathlib import Path

from common import refuse_populated_database, setup_django, timed_ms

TARGET_MS = 2000
TARGET_RATIO = 5.0
HOUSEHOLDS = ["Alleenstaande", "Alleenstaande ouder", "Gehuwd/samenwonend zonder kinderen",
              "Gehuwd/samenwonend met kinderen"]
END_REASONS = ["Werkaanvaarding"] * 4 + ["Verhuizing naar andere gemeente", "Overig", "Inkomsten partner",
                                         "Samenwonen of huwelijk", "Andere uitkering (WW/WIA)", "Start studie"]


def _populate(spells: int, seed: int, today: date) -> dict:
    from bench_worklist import _insert
    from django.db import connection, transaction

    from kansrijk.accounts.models import Municipality
    from kansrijk.caseload.models import BenefitSpell, CauseCode, Client
    from kansrijk.core.bulk import paused_gc, secondary_indexes_deferred

    rng = random.Random(seed)
    started = time.perf_counter()
    causes = list(CauseCode.objects.filter(status=1).values_list("id", flat=True))
    returners_share = 1 / 8
    clients = int(spells / (1 + returners_share))
    with transaction.atomic(), paused_gc():
        municipality = Municipality.objects.create(cbs_code="8500", name="Benchmarkgemeente analyse")
        client_rows = [(municipality.pk, str(100000 + n), rng.randint(1957, 2006), rng.choice("MMVVV"),
                        rng.choice(HOUSEHOLDS), f"naam {n}") for n in range(clients)]
        with secondary_indexes_deferred(Client, when=True):
            _insert(Client, ["municipality_id", "client_number", "birth_year", "sex", "household", "search_name"],
                    client_rows)
        del client_rows
        client_ids = list(Client.objects.filter(municipality=municipality).order_by("id").values_list("id", flat=True))

        def spell_rows():
            made = 0
            for client_id in client_ids:
                years = min(rng.expovariate(1 / 6), 25)
                start = today - timedelta(days=int(years * 365.25) + 1)
                running = rng.random() < 0.7
                end = None if running else start + timedelta(days=rng.randint(30, max(31, (today - start).days)))
                household = rng.choice(HOUSEHOLDS)
                yield (client_id, municipality.pk, start, end, start, start, household, rng.choice(causes),
                       "" if end is None else rng.choice(END_REASONS))
                made += 1
                if made < spells and rng.random() < returners_share:
                    earlier_end = start - timedelta(days=rng.randint(30, 900))
                    earlier_start = earlier_end - timedelta(days=rng.randint(60, 1500))
                    yield (client_id, municipality.pk, earlier_start, earlier_end, earlier_start, earlier_start,
                           household, rng.choice(causes), rng.choice(END_REASONS))
                    made += 1
                if made >= spells:
                    return

        with secondary_indexes_deferred(BenefitSpell, when=True):
            _insert(BenefitSpell, ["client_id", "municipality_id", "original_start", "end_date", "first_period_start",
                                   "last_period_start", "household", "cause_id", "end_reason"], spell_rows())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("VACUUM ANALYZE")
    return {"municipality_id": municipality.pk, "clients": clients,
            "spells": BenefitSpell.objects.filter(municipality=municipality).count(),
            "build_seconds": round(time.perf_counter() - started, 1)}


def plain_read_and_group(municipality_id: int, cut: int):
    """The baseline: the analysis's rows read with a plain cursor into pandas and grouped by inflow year (``cut``:
    the reference date as days since 1970)."""
    import pandas as pd
    from django.db import connection

    from kansrijk.monitoring.selectors import _day_number

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.client_id, {_day_number('s.original_start')}, {_day_number('s.end_date')}, "
            "COALESCE(NULLIF(s.household, ''), c.household), cc.description, c.birth_year, c.sex "
            "FROM caseload_benefitspell s JOIN caseload_client c ON c.id = s.client_id "
            "LEFT JOIN caseload_causecode cc ON cc.id = s.cause_id WHERE s.municipality_id = %s",
            [municipality_id])
        frame = pd.DataFrame(cursor.fetchall(), columns=["client_id", "start", "end", "household", "cause",
                                                         "birth_year", "sex"])
    frame["year"] = pd.to_datetime(frame["start"], unit="D").dt.year
    frame["active"] = frame["end"].isna() | (frame["end"] > cut)
    return frame.groupby("year")["active"].agg(["size", "sum"])


def _timed(run, repeat: int) -> list[float]:
    return timed_ms(lambda _subject: run(), [None], repeat)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--spells", type=int, default=400_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", help="JSON-bestand (standaard benchmarks/results/caseload-analysis-<engine>.json)")
    args = parser.parse_args()
    folder = setup_django()
    from django.db import connection
    from django.utils import timezone

    from kansrijk.monitoring import selectors

    refuse_populated_database()
    engine = connection.vendor
    today = timezone.localdate()
    built = _populate(args.spells, args.seed, today)
    municipality_id = built["municipality_id"]
    cut = (today - date(1970, 1, 1)).days

    def analysis():
        return selectors.caseload_analysis(municipality_id, today, use_cache=False)

    def baseline():
        return plain_read_and_group(municipality_id, cut)

    analysis()  # warm up: imports, connection
    analysis_ms = _timed(analysis, args.repeat)
    baseline_ms = _timed(baseline, args.repeat)
    selectors.caseload_analysis(municipality_id, today)
    cached_ms = _timed(lambda: selectors.caseload_analysis(municipality_id, today), args.repeat)
    outflow_ms = _timed(lambda: selectors.outflow_analysis(municipality_id, today, use_cache=False), 1)
    result = {
        "engine": engine,
        **{key: built[key] for key in ("spells", "clients", "build_seconds")},
        "analysis_ms": round(statistics.median(analysis_ms), 1),
        "baseline_ms": round(statistics.median(baseline_ms), 1),
        "cached_ms": round(statistics.median(cached_ms), 1),
        "outflow_ms": round(statistics.median(outflow_ms), 1),
        "target_ms": TARGET_MS,
        "target_ratio": TARGET_RATIO,
    }
    result["ratio"] = round(result["analysis_ms"] / result["baseline_ms"], 2)
    result["meets_target"] = result["analysis_ms"] < TARGET_MS and result["ratio"] <= TARGET_RATIO
    print(json.dumps(result, indent=2))
    out = Path(args.out) if args.out else (Path(__file__).resolve().parent / "results" /
                                           f"caseload-analysis-{engine}.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"Resultaat: {out}")
    if folder is not None:
        connection.close()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
