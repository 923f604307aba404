"""Read paths of the dashboard (progress and results, KPIs): the municipality's trajectories, measurements,
contacts and clients as DataFrames, a fixed number of set-wise queries whatever the municipality's size, and the
cached dashboard. Aggregates only: nothing here returns a person.

Cache: like the caseload analysis (``selectors._cached``), keyed by municipality, period, the day it is computed
and a data version: the spells' version (``selectors.data_version``), the highest id of the trajectories,
measurements, contacts and placements (new records), and a counter bumped when one of them, a client, a rhythm rule
or a price is saved in place (``signals_results``).
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from django.core.cache import cache
from django.db import connection
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from kansrijk.caseload.models import Client
from kansrijk.diagnosis.instruments import ZRM_SPECIAL_DOMAINS
from kansrijk.diagnosis.models import LadderMeasurement, ZrmMeasurement, ZrmScore
from kansrijk.inview.models import ClientSegment, Contact, ContactRhythmRule
from kansrijk.trajectories.models import Trajectory

from . import kpi, results, selectors
from .analysis import EPOCH, days

EDITS_KEY = "monitoring:results-edits"
VERSIONED = (Trajectory, LadderMeasurement, ZrmMeasurement, Contact, ClientSegment)


def _day_numbers(values) -> np.ndarray:
    return np.array([np.nan if v is None else float((v - EPOCH).days) for v in values], dtype=np.float64)


def trajectory_frame(municipality_id: int) -> pd.DataFrame:
    rows = list(Trajectory.objects.filter(client__municipality_id=municipality_id).values_list(
        "id", "client_id", "referral__approach__name", "provider__name", "client__team__name", "start_on",
        "accepted_on", "end_on", "end_reason", "result",
        Coalesce("referral__local_offer__cost_per_participant_eur", "referral__approach__cost_per_participant_eur"),
        "satisfaction").order_by())
    columns = list(zip(*rows, strict=True)) if rows else [()] * 12
    # A trajectory not started yet counts from its acceptance.
    return pd.DataFrame({
        "trajectory_id": np.array(columns[0], dtype=np.int64),
        "client_id": np.array(columns[1], dtype=np.int64),
        "approach": pd.Series(columns[2], dtype=object),
        "provider": pd.Series(columns[3], dtype=object),
        "team": pd.Series(columns[4], dtype=object),
        "start": _day_numbers([(s or a) for s, a in zip(columns[5], columns[6], strict=True)]).astype(np.int64),
        "end": _day_numbers(columns[7]),
        "end_reason": pd.Series(columns[8], dtype=object),
        "result": pd.Series(columns[9], dtype=object),
        "cost": np.array([np.nan if c is None else float(c) for c in columns[10]], dtype=np.float64),
        "satisfaction": np.array([np.nan if s is None else float(s) for s in columns[11]], dtype=np.float64),
    }, columns=results.TRAJECTORY_COLUMNS)


def _current(rows: list[tuple], extra: list[str]) -> pd.DataFrame:
    """Measurements (id, client_id, day, *extra, corrects_id) without the corrected ones: their correction counts.
    Corrections are dropped here rather than with an anti-join in SQL (as the worklist does)."""
    corrected = {row[-1] for row in rows if row[-1] is not None}
    kept = [row[:-1] for row in rows if row[0] not in corrected]
    columns = list(zip(*kept, strict=True)) if kept else [()] * (3 + len(extra))
    frame = pd.DataFrame({"id": np.array(columns[0], dtype=np.int64), "client_id": np.array(columns[1], dtype=np.int64),
                          "day": _day_numbers(columns[2]).astype(np.int64)})
    for index, name in enumerate(extra):
        frame[name] = np.array(columns[3 + index], dtype=np.float64)
    return frame


def ladder_frame(municipality_id: int) -> pd.DataFrame:
    return _current(list(LadderMeasurement.objects.filter(client__municipality_id=municipality_id).values_list(
        "id", "client_id", "measured_on", "trede", "corrects_id").order_by()), ["trede"])


def zrm_frames(municipality_id: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    measurements = _current(list(ZrmMeasurement.objects.filter(client__municipality_id=municipality_id).values_list(
        "id", "client_id", "measured_on", "corrects_id").order_by()), [])
    scores = pd.DataFrame.from_records(
        list(ZrmScore.objects.filter(measurement__client__municipality_id=municipality_id)
             .exclude(domain__in=ZRM_SPECIAL_DOMAINS).values_list("measurement_id", "domain", "level").order_by()),
        columns=results.SCORE_COLUMNS)
    return measurements, scores


def _running_clients(spells: pd.DataFrame, at: date) -> pd.DataFrame:
    """Clients with a benefit running on ``at`` and the start of that spell (the earliest, if two overlap)."""
    cut = days(at)
    end = spells["end"].to_numpy(np.float64)
    running = (spells["start"].to_numpy(np.int64) <= cut) & (np.isnan(end) | (end > cut))
    frame = spells.loc[running, ["client_id", "start"]]
    return frame.groupby("client_id", as_index=False)["start"].min().rename(columns={"start": "benefit_start"})


def _in_view_inputs(municipality_id: int, spells: pd.DataFrame, ladder: pd.DataFrame, days_at: list[date]):
    """Per day: the running clients with their benefit start, trede and last contact up to that day; and every
    client's client manager. Contacts for all days in one grouped query."""
    last = {f"d{i}": Max("contacted_on", filter=Q(contacted_on__lte=at)) for i, at in enumerate(days_at)}
    contacts = pd.DataFrame.from_records(
        list(Contact.objects.filter(client__municipality_id=municipality_id, contacted_on__lte=max(days_at))
             .values("client_id").annotate(**last).values_list("client_id", *last).order_by()),
        columns=["client_id", *last])
    managers = pd.DataFrame.from_records(
        list(Client.objects.filter(municipality_id=municipality_id).values_list("id", "client_manager_id")),
        columns=["client_id", "manager"])
    frames = []
    for index, at in enumerate(days_at):
        clients = _running_clients(spells, at)
        trede_id = results._as_of(pd.DataFrame({"client_id": clients["client_id"], "day": days(at)}), ladder)
        trede = pd.Series(ladder["trede"].to_numpy(), index=ladder["id"].to_numpy())
        clients["trede"] = np.where(np.isnan(trede_id), np.nan,
                                    trede.reindex(np.nan_to_num(trede_id, nan=-1).astype(np.int64)).to_numpy())
        seen = dict(zip(contacts["client_id"], contacts[f"d{index}"], strict=True))
        clients["last_contact"] = _day_numbers([seen.get(c) for c in clients["client_id"]])
        manager = dict(zip(managers["client_id"], managers["manager"], strict=True))
        clients["manager"] = np.array([manager.get(c) for c in clients["client_id"]], dtype=np.float64)
        frames.append(clients)
    return frames


def dashboard(municipality_id: int, period: results.Period) -> dict:
    """Results per approach, provider and team, and the KPIs with their trend, computed from one read of each
    source (nine queries)."""
    previous = period.previous()
    trajectories = trajectory_frame(municipality_id)
    ladder = ladder_frame(municipality_id)
    zrm, scores = zrm_frames(municipality_id)
    spells = selectors.spell_frame(municipality_id, with_end_reason=True)
    segments = pd.DataFrame.from_records(
        list(ClientSegment.objects.filter(client__municipality_id=municipality_id)
             .values_list("client_id", "segment_id").order_by()), columns=["client_id", "segment_id"])
    rules = list(ContactRhythmRule.objects.filter(municipality_id=municipality_id, active=True)
                 .order_by("interval_days", "id").values(*kpi.RULE_FIELDS))
    now, before = (results.prepare(trajectories, ladder, zrm, scores, p) for p in (period, previous))
    clients_now, clients_before = _in_view_inputs(municipality_id, spells, ladder, [period.end, previous.end])
    indicators = {
        "uitstroom_werk": kpi.with_trend(kpi.outflow_to_work(spells, period), kpi.outflow_to_work(spells, previous)),
        "slagingspercentage": kpi.with_trend(kpi.trajectory_success(now), kpi.trajectory_success(before)),
        "in_beeld": kpi.with_trend(kpi.clients_in_view(clients_now, segments, rules, period.end),
                                   kpi.clients_in_view(clients_before, segments, rules, previous.end)),
        "caseload": kpi.with_trend(kpi.caseload_per_manager(clients_now["manager"].to_numpy(), period.end),
                                   kpi.caseload_per_manager(clients_before["manager"].to_numpy(), previous.end)),
        "tevredenheid": kpi.with_trend(kpi.satisfaction(now), kpi.satisfaction(before)),
    }
    return {"resultaten": results.results_analysis(now, period),
            "kpi": {"periode": period.as_dict(), "vorige_periode": previous.as_dict(), **indicators}}


def data_version(municipality_id: int) -> str:
    """The spells' version, the highest ids of the other sources (one query) and the in-place edit counter."""
    tables = ", ".join(f"(SELECT MAX(id) FROM {model._meta.db_table})" for model in VERSIONED)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {tables}")
        tops = cursor.fetchone()
    return (f"{selectors.data_version(municipality_id)}-{'-'.join(str(t) for t in tops)}-"
            f"{cache.get(EDITS_KEY, 0)}")


def note_edit() -> None:
    if not cache.add(EDITS_KEY, 1, None):
        try:
            cache.incr(EDITS_KEY)
        except ValueError:  # expired between add and incr
            cache.add(EDITS_KEY, 1, None)


def cached_dashboard(municipality_id: int, period: results.Period, *, today: date | None = None,
                     use_cache: bool = True) -> dict:
    if not use_cache:
        return dashboard(municipality_id, period)
    today = today or timezone.localdate()
    key = (f"monitoring:dashboard:{municipality_id}:{period.start.isoformat()}:{period.end.isoformat()}:"
           f"{today.isoformat()}:{data_version(municipality_id)}")
    value = cache.get(key)
    if value is None:
        value = dashboard(municipality_id, period)
        cache.set(key, value, selectors.CACHE_SECONDS)
    return value
