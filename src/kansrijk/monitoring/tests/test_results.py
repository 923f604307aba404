"""The numbers of the results tables and the KPIs, on a small built set whose answers are worked out by hand in
the comments (and, for clients in view, against the worklist's own rule function)."""

from datetime import date, timedelta
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from kansrijk.inview.models import ContactRhythmRule
from kansrijk.inview.selectors import Reason, reasons_for
from kansrijk.monitoring import kpi, results
from kansrijk.monitoring.analysis import days
from kansrijk.monitoring.results import Period

PERIOD = Period(date(2024, 1, 1), date(2024, 12, 31))
A, B, C = ("Aanpak A", "P1", "Team Noord", 1000.0), ("Aanpak B", "P2", "Team Zuid", 500.0), \
    ("Aanpak C", "P3", "Team Zuid", None)


def trajectory_specs() -> list[dict]:
    """One client per trajectory. Group A (32): 12 ended in work with the goal reached (mark 8), 10 dropped out
    (mark 5), 10 running. Group B (30): 10 ended after the agreed duration without result, 10 dropped out, 10
    running. Group C (5): dropped out. Two more of group A fall outside 2024 (ended before, started after)."""
    specs = []

    def add(group, count, start, end=None, reason="", result="", mark=None):
        for _ in range(count):
            approach, provider, team, cost = group
            specs.append({"client": len(specs) + 1, "approach": approach, "provider": provider, "team": team,
                          "cost": cost, "start": start, "end": end, "reason": reason, "result": result,
                          "satisfaction": mark})

    add(A, 12, date(2024, 2, 1), date(2024, 6, 1), "doel_bereikt", "werk_regulier", 8)
    add(A, 10, date(2024, 2, 1), date(2024, 7, 1), "uitval", "geen_resultaat", 5)
    add(A, 10, date(2024, 2, 1))
    add(B, 10, date(2024, 1, 10), date(2024, 9, 1), "termijn_verstreken", "geen_resultaat")
    add(B, 10, date(2024, 1, 10), date(2024, 3, 1), "uitval", "geen_resultaat")
    add(B, 10, date(2024, 1, 10))
    add(C, 5, date(2024, 3, 1), date(2024, 4, 1), "uitval", "geen_resultaat")
    add(A, 1, date(2023, 6, 1), date(2023, 12, 15), "doel_bereikt", "werk_regulier", 9)
    add(A, 1, date(2025, 1, 5))
    return specs


def ladder_specs() -> list[dict]:
    """Group A's work clients 2 → 4 (client 1 also has a trede 6 that was corrected to 4: the correction counts);
    group A's drop-outs 3 → 3; the running ones measured once (no change measurable)."""
    out = []
    for client in range(1, 13):
        out += [{"client": client, "on": date(2024, 1, 15), "trede": 2},
                {"client": client, "on": date(2024, 5, 20), "trede": 4}]
    out += [{"client": 1, "on": date(2024, 5, 25), "trede": 6, "corrected": True},
            {"client": 1, "on": date(2024, 5, 25), "trede": 4, "corrects": True}]
    for client in range(13, 23):
        out += [{"client": client, "on": date(2024, 1, 15), "trede": 3},
                {"client": client, "on": date(2024, 6, 15), "trede": 3}]
    for client in range(23, 33):
        out.append({"client": client, "on": date(2024, 1, 15), "trede": 2})
    return out


def zrm_specs() -> list[dict]:
    """Group A's work clients: financiën 2 → 3, werk 2 → 4, geestelijke gezondheid 1 → 5 (left out)."""
    out = []
    for client in range(1, 13):
        out.append({"client": client, "on": date(2024, 1, 20),
                    "scores": {"financien": 2, "werk_opleiding": 2, "geestelijke_gezondheid": 1}})
        out.append({"client": client, "on": date(2024, 5, 1),
                    "scores": {"financien": 3, "werk_opleiding": 4, "geestelijke_gezondheid": 5}})
    return out


# By hand, 2024. Group A: 32 trajectories, 22 ended (12 + 10), 12 completed (54.55%), 10 uitval (45.45%), 12 to work
# (54.55%); trede measured twice for 22, mean (12 × 2 + 10 × 0) / 22 = 1.09, 12 of 22 up (54.55%); ZRM for 12,
# mean of (+1, +2) = 1.5; cost 22 × €1000 / 12 = €1833.33.
ROW_A = {"groep": "Aanpak A", "trajecten": 32, "beeindigd": 22, "afgerond": 12, "pct_afgerond": 54.55, "uitval": 10,
         "pct_uitval": 45.45, "naar_werk": 12, "pct_naar_werk": 54.55, "gemeten_trede": 22, "trede_verschil": 1.09,
         "pct_trede_omhoog": 54.55, "gemeten_zrm": 12, "zrm_verschil": 1.5, "kosten_per_werk": 1833.33}
HIDDEN = {key: None for key in ROW_A if key != "groep"}
# Totals: 67 trajectories, 47 ended (20 running), 22 completed (46.81%), 25 uitval (53.19%), 12 to work (25.53%);
# cost (22 × 1000 + 20 × 500 + 5 × unknown) / 12 to work with a known cost = €2666.67.
TOTAL = {"groep": "Totaal", "trajecten": 67, "beeindigd": 47, "afgerond": 22, "pct_afgerond": 46.81, "uitval": 25,
         "pct_uitval": 53.19, "naar_werk": 12, "pct_naar_werk": 25.53, "gemeten_trede": 22, "trede_verschil": 1.09,
         "pct_trede_omhoog": 54.55, "gemeten_zrm": 12, "zrm_verschil": 1.5, "kosten_per_werk": 2666.67}


def expected_results() -> dict:
    return {
        "periode": {"van": "2024-01-01", "tot_en_met": "2024-12-31"},
        "totaal": TOTAL,
        # C has 5 persons (hidden); B (30) is the smallest other, so it goes too (secondary suppression).
        "aanpak": [ROW_A, {"groep": "Aanpak B", **HIDDEN}, {"groep": "Aanpak C", **HIDDEN}],
        "aanbieder": [{**ROW_A, "groep": "P1"}, {"groep": "P2", **HIDDEN}, {"groep": "P3", **HIDDEN}],
        # Team Zuid = B + C: 35 trajectories, 25 ended, 10 completed (40%), 15 uitval (60%), nobody to work (hidden),
        # so Team Noord's "to work" is hidden too (the total would give Zuid's away), and its cost with it; the same
        # for the measured changes (nobody in Zuid measured twice).
        "team": [{**ROW_A, "groep": "Team Noord", "naar_werk": None, "pct_naar_werk": None, "kosten_per_werk": None,
                  "gemeten_trede": None, "trede_verschil": None, "pct_trede_omhoog": None, "gemeten_zrm": None,
                  "zrm_verschil": None},
                 {"groep": "Team Zuid", "trajecten": 35, "beeindigd": 25, "afgerond": 10, "pct_afgerond": 40.0,
                  "uitval": 15, "pct_uitval": 60.0, "naar_werk": None, "pct_naar_werk": None, "gemeten_trede": None,
                  "trede_verschil": None, "pct_trede_omhoog": None, "gemeten_zrm": None, "zrm_verschil": None,
                  "kosten_per_werk": None}],
    }


def frames():
    specs = trajectory_specs()
    trajectories = pd.DataFrame({
        "trajectory_id": [s["client"] for s in specs], "client_id": [s["client"] for s in specs],
        "approach": [s["approach"] for s in specs], "provider": [s["provider"] for s in specs],
        "team": [s["team"] for s in specs], "start": [days(s["start"]) for s in specs],
        "end": [float(days(s["end"])) if s["end"] else np.nan for s in specs],
        "end_reason": [s["reason"] for s in specs], "result": [s["result"] for s in specs],
        "cost": [s["cost"] if s["cost"] is not None else np.nan for s in specs],
        "satisfaction": [s["satisfaction"] if s["satisfaction"] is not None else np.nan for s in specs],
    }, columns=results.TRAJECTORY_COLUMNS)
    ladder = [m for m in ladder_specs() if not m.get("corrected")]  # the selector drops corrected records
    ladder = pd.DataFrame({"id": range(1, len(ladder) + 1), "client_id": [m["client"] for m in ladder],
                           "day": [days(m["on"]) for m in ladder], "trede": [float(m["trede"]) for m in ladder]})
    zrm = zrm_specs()
    measurements = pd.DataFrame({"id": range(1, len(zrm) + 1), "client_id": [m["client"] for m in zrm],
                                 "day": [days(m["on"]) for m in zrm]})
    scores = pd.DataFrame([{"measurement_id": i + 1, "domain": d, "level": v}
                           for i, m in enumerate(zrm) for d, v in m["scores"].items()])
    return trajectories, ladder, measurements, scores


def test_results_per_approach_provider_and_team():
    prepared = results.prepare(*frames(), PERIOD)
    assert results.results_analysis(prepared, PERIOD) == expected_results()


def test_success_rate_and_satisfaction():
    prepared = results.prepare(*frames(), PERIOD)
    # 12 of the 47 ended trajectories reached the goal with work; the 22 marks: (12 × 8 + 10 × 5) / 22 = 6.6.
    assert kpi.trajectory_success(prepared) == {"waarde": 25.53, "teller": 12, "noemer": 47}
    assert kpi.satisfaction(prepared) == {"waarde": 6.6, "noemer": 22}
    # 2023: one trajectory ended (one mark): everything under 10 persons.
    before = results.prepare(*frames(), PERIOD.previous())
    assert kpi.trajectory_success(before) == {"waarde": None, "teller": None, "noemer": None}
    assert kpi.satisfaction(before) == {"waarde": None, "noemer": None}


def test_a_single_measurement_and_a_ladder_drop():
    trajectories, ladder, measurements, scores = frames()
    # Client 13 (dropped out) fell back 3 → 1: the mean of group A becomes (24 + 0 − 2) / 22 = 1.0.
    ladder.loc[(ladder["client_id"] == 13) & (ladder["day"] == days(date(2024, 6, 15))), "trede"] = 1.0
    prepared = results.prepare(trajectories, ladder, measurements, scores, PERIOD)
    assert prepared.loc[prepared["client_id"] == 13, "ladder"].item() == -2
    assert np.isnan(prepared.loc[prepared["client_id"] == 23, "ladder"].item())  # measured once
    assert results.results_analysis(prepared, PERIOD)["aanpak"][0]["trede_verschil"] == 1.0


def test_periods():
    assert PERIOD.previous() == Period(date(2023, 1, 1), date(2023, 12, 31))
    assert Period.year_until(date(2024, 2, 29)) == Period(date(2023, 3, 1), date(2024, 2, 29))
    assert Period(date(2024, 3, 5), date(2024, 3, 14)).previous() == Period(date(2024, 2, 24), date(2024, 3, 4))


def test_outflow_to_work_counts_spells_ended_in_the_period_with_a_work_reason():
    rows = ([("Werkaanvaarding", date(2024, 3, 1))] * 12 + [("Verhuizing", date(2024, 5, 1))] * 11
            + [("Inkomsten uit arbeid", date(2023, 5, 1))] * 4 + [("", None)] * 3)
    spells = pd.DataFrame({"client_id": range(len(rows)), "start": days(date(2020, 1, 1)),
                           "end": [float(days(end)) if end else np.nan for _r, end in rows],
                           "end_reason": [r for r, _e in rows]})
    # 12 of the 23 spells that ended in 2024 ended in work.
    assert kpi.outflow_to_work(spells, PERIOD) == {"waarde": 12, "teller": 12, "noemer": 23, "pct": 52.17}
    assert kpi.outflow_to_work(spells, PERIOD.previous())["noemer"] is None  # 4 persons


def test_caseload_per_manager():
    managers = np.array([1.0] * 40 + [2.0] * 60 + [3.0] * 110 + [np.nan] * 7)
    assert kpi.caseload_per_manager(managers, date(2024, 12, 31)) == {
        "waarde": 70.0, "klantmanagers": 3, "mediaan": 60.0, "minimum": 40, "maximum": 110,
        "zonder_klantmanager": 7, "peildatum": "2024-12-31"}


def test_trend():
    assert kpi.with_trend({"waarde": 52.5}, {"waarde": 50.0}) == {"waarde": 52.5, "vorige": 50.0, "verschil": 2.5}
    assert kpi.with_trend({"waarde": 52.5}, {"waarde": None})["verschil"] is None


RULES = [
    {"id": 1, "interval_days": 365, "min_benefit_years": 2, "trede_min": None, "trede_max": None, "segment_id": None},
    {"id": 2, "interval_days": 91, "min_benefit_years": None, "trede_min": 1, "trede_max": 2, "segment_id": None},
    {"id": 3, "interval_days": 14, "min_benefit_years": None, "trede_min": None, "trede_max": None,
     "segment_id": 77},
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_clients_in_view_agree_with_the_worklist_rule(seed):
    """Random clients; each judged one by one by the worklist's ``reasons_for`` (in view: a rule applies and no
    'overdue' or 'never contacted' reason), counted set-wise by the KPI."""
    rng = np.random.default_rng(seed)
    at = date(2024, 12, 31)
    clients, segment_rows = [], []
    for client_id in range(1, 401):
        start = at - timedelta(days=int(rng.integers(0, 365 * 5)))
        trede = None if rng.random() < 0.2 else int(rng.integers(1, 7))
        last = None if rng.random() < 0.15 else at - timedelta(days=int(rng.integers(0, 500)))
        if rng.random() < 0.1:
            segment_rows.append((client_id, 77))
        clients.append((client_id, start, trede, last))
    rules = [ContactRhythmRule(pk=r["id"], interval_days=r["interval_days"], min_benefit_years=r["min_benefit_years"],
                               trede_min=r["trede_min"], trede_max=r["trede_max"], segment_id=r["segment_id"])
             for r in RULES]
    with_rhythm = in_view = 0
    for client_id, start, trede, last in clients:
        facts = SimpleNamespace(active_spell_start=start, trede=trede, last_contact=last, last_ladder_on=at,
                                last_zrm_on=None, work_exemption_until=None, job_search_exemption_until=None,
                                follow_up_on=None)
        segments = {77} if (client_id, 77) in segment_rows else set()
        codes = {r["code"] for r in reasons_for(facts, rules, segments, at)}
        applies = any(rule.interval_days and _applies(rule, start, trede, segments, at) for rule in rules)
        with_rhythm += applies
        in_view += applies and not codes & {Reason.OVERDUE, Reason.NEVER_CONTACTED}
    frame = pd.DataFrame({"client_id": [c[0] for c in clients], "benefit_start": [days(c[1]) for c in clients],
                          "trede": [np.nan if c[2] is None else c[2] for c in clients],
                          "last_contact": [np.nan if c[3] is None else days(c[3]) for c in clients]})
    segments = pd.DataFrame(segment_rows, columns=["client_id", "segment_id"])
    result = kpi.clients_in_view(frame, segments, RULES, at)
    assert (result["teller"], result["noemer"]) == (in_view, with_rhythm)
    assert result["waarde"] == round(100 * in_view / with_rhythm, 2)
    assert result["zonder_ritme"] == len(clients) - with_rhythm


def _applies(rule, start, trede, segments, at):
    from kansrijk.inview.selectors import rule_matches

    return rule_matches(rule, SimpleNamespace(active_spell_start=start, trede=trede), segments, at)
