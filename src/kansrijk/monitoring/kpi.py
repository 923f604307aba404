"""The KPI dashboard for management (issue 6), after the monitoring framework of seed 002 §6.2 (Steenwijkerland,
``seeds/002``, L905–940; digest ``sources/seed-002-003.md`` A6): "De omvang van de jaarlijkse uitstroom naar werk"
(L921), "Slagingspercentage van trajecten" (L931, L939), "Klanttevredenheid" (L935), "Alle klanten … blijven in
beeld bij de gemeente" (L913–914) and "De consulenten hebben voldoende tijd om iedere klant de aandacht te geven"
(L939–940; caseload about 50, L1087). Plain functions of DataFrames; each KPI for a period and, for the trend, the
period of the same length just before it.

* **Outflow to work**: benefit spells that ended in the period with an end reason that means work (the mapping of
  the outflow analysis, ``analysis.is_work``), and their share of all spells that ended in the period.
* **Trajectory success rate**: of the trajectories that ended in the period, the share that ended with the goal
  reached or work found, or with outflow (work or education; ``codes.OUTFLOW_RESULTS``).
* **Clients in view**: at the period's last day, of the clients with a running benefit to whom a contact rhythm
  applies, the share whose last contact is within their rhythm — the worklist's rule (``inview.selectors``): the
  shortest interval of the matching active rules; overdue when last contact + interval lies before the day; never
  contacted is not in view. Clients to whom no rule applies have no rhythm and are counted apart. For an earlier
  day (the trend) contacts and ladder steps up to that day count; team, client manager and client-group placements
  are as they are now (no history is kept of them).
* **Caseload per client manager**: clients with a running benefit per client manager who has any, as a
  distribution (mean, median, minimum, maximum) without names: the dashboard is for analysts too; the team lead
  sees the names in the caseload balance of the worklist.
* **Satisfaction**: the mean of the clients' marks (1–10) for trajectories that ended in the period, where
  recorded; shown only when at least 10 persons gave one.

Suppression as in the rest of monitoring: a count of fewer than 10 persons, or whose complement within the shown
total is fewer than 10 persons, is not shown, nor the percentage made from it.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from .analysis import SUPPRESS_BELOW, _work_mask, days
from .results import Period, pct

# ``rules``: the municipality's active contact-rhythm rules as dicts with these keys (``ContactRhythmRule`` fields).
RULE_FIELDS = ["id", "interval_days", "min_benefit_years", "trede_min", "trede_max", "segment_id"]


def _persons(clients: np.ndarray, mask: np.ndarray) -> int:
    return len(np.unique(clients[mask]))


def _part(clients: np.ndarray, part: np.ndarray, whole: np.ndarray) -> tuple[int | None, int | None, float | None]:
    """(part, whole, percentage) with suppression: whole hidden under 10 persons; part and percentage hidden when
    the part or the rest of the whole covers fewer than 10 persons."""
    n_whole = int(whole.sum())
    if _persons(clients, whole) < SUPPRESS_BELOW:
        return None, None, None
    n_part = int((part & whole).sum())
    if (_persons(clients, part & whole) < SUPPRESS_BELOW
            or _persons(clients, whole & ~part) < SUPPRESS_BELOW):
        return None, n_whole, None
    return n_part, n_whole, pct(n_part, n_whole)


def outflow_to_work(spells: pd.DataFrame, period: Period) -> dict:
    end = spells["end"].to_numpy(np.float64)
    ended = ~np.isnan(end) & (end >= days(period.start)) & (end <= days(period.end))
    reasons = spells["end_reason"].fillna("").to_numpy(object) if "end_reason" in spells else np.full(len(end), "")
    work = _work_mask(reasons) if len(reasons) else np.zeros(0, dtype=bool)
    part, whole, share = _part(spells["client_id"].to_numpy(), work, ended)
    return {"waarde": part, "teller": part, "noemer": whole, "pct": share}


def trajectory_success(prepared: pd.DataFrame) -> dict:
    part, whole, share = _part(prepared["client_id"].to_numpy(), prepared["success"].to_numpy(),
                               prepared["ended"].to_numpy())
    return {"waarde": share, "teller": part, "noemer": whole}


def satisfaction(prepared: pd.DataFrame) -> dict:
    marks = prepared["satisfaction"].to_numpy(np.float64)
    given = ~np.isnan(marks)
    if _persons(prepared["client_id"].to_numpy(), given) < SUPPRESS_BELOW:
        return {"waarde": None, "noemer": None}
    return {"waarde": round(float(marks[given].mean()), 1), "noemer": int(given.sum())}


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February, as the worklist does
        return day.replace(year=day.year - years, day=28)


def rhythm_intervals(clients: pd.DataFrame, segments: pd.DataFrame, rules: list[dict], at: date) -> np.ndarray:
    """Per client the shortest interval (days) of the rules that apply on ``at``; inf where none applies.
    ``clients``: client_id, benefit_start (day of the running spell's start), trede (at ``at``, NaN if none)."""
    ids = clients["client_id"].to_numpy(np.int64)
    start = clients["benefit_start"].to_numpy(np.float64)
    trede = clients["trede"].to_numpy(np.float64)
    interval = np.full(len(ids), np.inf)
    for rule in rules:
        applies = np.ones(len(ids), dtype=bool)
        if rule["min_benefit_years"] is not None:
            applies &= ~np.isnan(start) & (start <= days(_years_before(at, rule["min_benefit_years"])))
        if rule["trede_min"] is not None or rule["trede_max"] is not None:
            applies &= ~np.isnan(trede) & (trede >= (rule["trede_min"] or 1)) & (trede <= (rule["trede_max"] or 6))
        if rule["segment_id"] is not None:
            members = segments.loc[segments["segment_id"] == rule["segment_id"], "client_id"].to_numpy(np.int64)
            applies &= np.isin(ids, members)
        interval = np.where(applies, np.minimum(interval, rule["interval_days"]), interval)
    return interval


def clients_in_view(clients: pd.DataFrame, segments: pd.DataFrame, rules: list[dict], at: date) -> dict:
    """``clients`` as for ``rhythm_intervals`` plus last_contact (day, NaN if never, up to ``at``)."""
    interval = rhythm_intervals(clients, segments, rules, at)
    with_rhythm = np.isfinite(interval)
    last = clients["last_contact"].to_numpy(np.float64)
    seen = with_rhythm & ~np.isnan(last) & (last + np.where(with_rhythm, interval, 0) >= days(at))
    part, whole, share = _part(clients["client_id"].to_numpy(), seen, with_rhythm)
    without = int((~with_rhythm).sum())
    return {"waarde": share, "teller": part, "noemer": whole,
            "zonder_ritme": without if without >= SUPPRESS_BELOW else None,
            "peildatum": at.isoformat()}


def caseload_per_manager(managers: np.ndarray, at: date) -> dict:
    """``managers``: the client manager id of every client with a running benefit (NaN: none)."""
    managers = np.asarray(managers, dtype=np.float64)
    assigned = managers[~np.isnan(managers)]
    _ids, sizes = np.unique(assigned, return_counts=True)
    unassigned = int(np.isnan(managers).sum())
    if not len(sizes):
        return {"waarde": None, "klantmanagers": 0, "mediaan": None, "minimum": None, "maximum": None,
                "zonder_klantmanager": unassigned, "peildatum": at.isoformat()}
    return {"waarde": round(float(sizes.mean()), 1), "klantmanagers": int(len(sizes)),
            "mediaan": float(np.median(sizes)), "minimum": int(sizes.min()), "maximum": int(sizes.max()),
            "zonder_klantmanager": unassigned, "peildatum": at.isoformat()}


def with_trend(current: dict, previous: dict, key: str = "waarde") -> dict:
    now, before = current.get(key), previous.get(key)
    return {**current, "vorige": before,
            "verschil": None if now is None or before is None else round(now - before, 2)}
