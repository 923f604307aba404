"""Read paths of pilot evaluation: the pilots a user may see, and the evaluation frame of a pilot (one row per client
with a running benefit at the start; ``analysis.COLUMNS``). A constant number of queries whatever the caseload size:
spells, trajectories of the approach, ladder measurements, ZRM scores, each one set-wise query."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from django.db.models import Count, Max, Q

from kansrijk.caseload.models import BenefitSpell
from kansrijk.core.dates import add_months
from kansrijk.diagnosis.instruments import ZRM_SPECIAL_DOMAINS
from kansrijk.diagnosis.models import LadderMeasurement, ZrmScore
from kansrijk.monitoring.analysis import AGE_CLASSES, SEX_WORDS, age_at, age_class, days, is_work
from kansrijk.trajectories.models import Trajectory

from . import analysis
from .models import Pilot


def pilots_for(user):
    """The pilots of the user's municipalities, with their approach and the number of evaluations (one query)."""
    return (Pilot.objects.filter(municipality__in=user.municipalities.all())
            .select_related("approach", "municipality")
            .annotate(evaluation_count=Count("evaluations"), last_evaluated=Max("evaluations__run_at")))


def pilot_for(user, pk: int) -> Pilot | None:
    return pilots_for(user).filter(pk=pk).first()


def follow_up_end(pilot: Pilot) -> date:
    return add_months(pilot.starts_on, analysis.FOLLOW_UP_MONTHS)


def participants_by_rule(pilot: Pilot) -> dict[int, date]:
    """Client → the first acceptance of a trajectory of the pilot's approach within the pilot period."""
    accepted: dict[int, date] = {}
    for client_id, day in (Trajectory.objects
                           .filter(client__municipality_id=pilot.municipality_id,
                                   referral__approach_id=pilot.approach_id,
                                   accepted_on__gte=pilot.starts_on, accepted_on__lte=pilot.ends_on)
                           .order_by("accepted_on").values_list("client_id", "accepted_on")):
        accepted.setdefault(client_id, day)
    return accepted


def pilot_frame(pilot: Pilot) -> tuple[pd.DataFrame, dict[int, date]]:
    """The evaluation frame and the participants by rule (also those without a running benefit at the start)."""
    start = pilot.starts_on
    municipality_id = pilot.municipality_id
    outcome_end = follow_up_end(pilot)
    ladder_from = add_months(start, analysis.LADDER_WINDOW_MONTHS[0])
    ladder_until = add_months(start, analysis.LADDER_WINDOW_MONTHS[1])

    spells = (BenefitSpell.objects.filter(municipality_id=municipality_id, original_start__lte=start)
              .filter(Q(end_date__isnull=True) | Q(end_date__gt=start))
              .order_by("client_id", "original_start")
              .values_list("client_id", "original_start", "end_date", "end_reason", "household", "cause__description",
                           "client__birth_year", "client__sex", "client__household", "client__team__name"))
    rows: dict[int, tuple] = {}
    for row in spells:
        rows[row[0]] = row  # the latest-starting running spell of the client
    participants = participants_by_rule(pilot)
    ever = set(Trajectory.objects.filter(client__municipality_id=municipality_id,
                                         referral__approach_id=pilot.approach_id)
               .values_list("client_id", flat=True).distinct())

    baseline: dict[int, int] = {}
    follow_up: dict[int, int] = {}
    for client_id, measured_on, trede in (
            LadderMeasurement.objects.filter(client__municipality_id=municipality_id, corrected_by__isnull=True,
                                             measured_on__lte=ladder_until)
            .order_by("measured_on", "id").values_list("client_id", "measured_on", "trede")):
        if measured_on <= start:
            baseline[client_id] = trede
        elif measured_on >= ladder_from:
            follow_up[client_id] = trede
    zrm_scores: dict[int, tuple[date, int, list[int]]] = {}
    for client_id, measured_on, measurement_id, level in (
            ZrmScore.objects.filter(measurement__client__municipality_id=municipality_id,
                                    measurement__corrected_by__isnull=True, measurement__measured_on__lte=start)
            .exclude(domain__in=ZRM_SPECIAL_DOMAINS)
            .values_list("measurement__client_id", "measurement__measured_on", "measurement_id", "level")):
        current = zrm_scores.get(client_id)
        if current is None or (measured_on, measurement_id) > current[:2]:
            zrm_scores[client_id] = (measured_on, measurement_id, [level])
        elif (measured_on, measurement_id) == current[:2]:
            current[2].append(level)

    records = []
    start_days = days(start)
    for client_id, row in rows.items():
        (_cid, original_start, end_date, end_reason, household, cause, birth_year, sex, client_household,
         team) = row
        taking_part = client_id in participants
        if client_id in ever and not taking_part:
            continue  # took the approach outside the period: neither participant nor comparison
        ended = end_date is not None and end_date <= outcome_end
        trede = baseline.get(client_id)
        later = follow_up.get(client_id)
        zrm = zrm_scores.get(client_id)
        records.append({
            "client_id": client_id, "participant": taking_part,
            "age_class": AGE_CLASSES[int(age_class(age_at(np.array([start_days]), np.array([birth_year])))[0])],
            "sex": SEX_WORDS.get(sex, analysis.MISSING), "household": household or client_household or None,
            "trede": str(trede) if trede is not None else None, "cause": cause, "team": team,
            "years_on_benefit": (start - original_start).days / 365.25,
            "zrm_mean": float(np.mean(zrm[2])) if zrm else np.nan,
            "outflow": ended, "outflow_work": ended and is_work(end_reason or ""),
            "ladder_change": float(later - trede) if trede is not None and later is not None else np.nan,
        })
    frame = pd.DataFrame.from_records(records, columns=analysis.COLUMNS)
    return frame, participants
