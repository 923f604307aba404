"""The demo's FIP-like pilot (``kansrijk load_demo``), so the FIP design of seed 000 §3.4 (L778–L780: 300
participants, 300 others; L823, L832: 71 against 55 ended benefits, "not more outflow to work") can be reproduced
with the pilot evaluation on demo data.

What is built in (synthetic, and the evaluation does not know it):

* The pilot "FIP Voorbeeldstad (demo)" of the catalogue's FIP approach starts on the first of the month two years
  ago; trajectories are accepted in its first two months. About 300 participants are drawn from the clients with a
  running benefit at the start who never had the approach, more often the younger ones (under 45) and those less
  than five years on benefit: the selection the matching has to undo.
* Outflow: the participants are drawn so that the share whose benefit ended within 12 months is FIP's 16 per 300
  (5.3 percentage points) above the share a sample with the same selection weights would have had, the extra ones
  all ending for other reasons than work, so outflow to work is not higher (as in FIP). The synthetic caseload has
  less outflow than Sittard-Geleen, so the levels are lower than FIP's 71 and 55, the difference is FIP's; its interval
  may include zero, like FIP's own numbers (Newcombe on 71/300 against 55/300: −1.2 to 11.8 points).
* Ladder: every participant and half of the others get a trede at the start when they had none, and a follow-up
  measurement about 12 months later (85% of participants and 50% of the others measured; fewer after outflow). A
  participant goes up one trede with chance 0.40 and down with 0.06; a non-participant up 0.18, down 0.12: about
  +0.28 trede difference on average.

Deterministic for a seed and a day; bulk inserts, not services.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from kansrijk.core.dates import add_months
from kansrijk.monitoring.analysis import is_work

from .models import Pilot, PilotStatus

APPROACH_SLUG = "fip-sittard-geleen"
PILOT_NAME = "FIP Voorbeeldstad (demo)"
PARTICIPANTS = 300
FIP_EXTRA = (71 - 55) / 300  # FIP's 16 more ended benefits per 300 participants
LADDER_UP = {True: 0.40, False: 0.18}
LADDER_DOWN = {True: 0.06, False: 0.12}
MEASURED = {True: 0.85, False: 0.50}
# Marks the measurements written for the demo pilot, so the histories' own determinism test can tell them apart.
PILOT_NOTE = "Meting voor de pilotevaluatie (demo)."


def _weighted_sample(rng, items: list, weights: list[float], k: int) -> list:
    """k items without replacement, each drawn with probability proportional to its weight (Efraimidis–Spirakis)."""
    keyed = sorted(((rng.random() ** (1.0 / w), item) for item, w in zip(items, weights, strict=True)),
                   key=lambda pair: pair[0], reverse=True)
    return [item for _key, item in keyed[:k]]


def write_demo_pilot(municipality, *, by, seed: int = 0, today: date | None = None) -> dict | None:
    """The demo pilot with its participants' referrals and trajectories and the ladder measurements; None when the
    municipality has a pilot already or the catalogue lacks the approach."""
    from kansrijk.caseload.models import BenefitSpell
    from kansrijk.catalogue.models import Approach
    from kansrijk.diagnosis.models import LadderMeasurement, LadderStep
    from kansrijk.trajectories.codes import ReferralStatus
    from kansrijk.trajectories.models import Provider, Referral, Trajectory
    from kansrijk.trajectories.synthetic import DEMO_PROVIDERS

    approach = Approach.objects.current().filter(slug=APPROACH_SLUG).first()
    if approach is None or Pilot.objects.filter(municipality=municipality).exists():
        return None
    provider = Provider.objects.filter(name=DEMO_PROVIDERS[0][0]).first()
    if provider is None:
        return None
    today = today or timezone.localdate()
    rng = random.Random(seed + 11)
    start = add_months(today.replace(day=1), -24)
    intake_end = add_months(start, 2) - timedelta(days=1)
    outcome_end = add_months(start, 12)
    ever = set(Trajectory.objects.filter(client__municipality=municipality, referral__approach=approach)
               .values_list("client_id", flat=True))
    eligible: dict[int, tuple] = {}
    for row in (BenefitSpell.objects.filter(municipality=municipality, original_start__lte=start,
                                            client__client_manager__isnull=False)
                .filter(Q(end_date__isnull=True) | Q(end_date__gt=start)).order_by("client_id", "original_start")
                .values_list("client_id", "original_start", "end_date", "end_reason", "client__birth_year",
                             "client__client_manager_id", "client__given_names", "client__family_name",
                             "client__client_number")):
        if row[0] not in ever:
            eligible[row[0]] = row
    if len(eligible) < 3 * 20:
        return None
    strata = {"work": [], "other": [], "none": []}
    weights = {}
    for client_id, (_c, original, end, reason, birth_year, *_rest) in sorted(eligible.items()):
        ended = end is not None and end <= outcome_end
        strata["none" if not ended else ("work" if is_work(reason or "") else "other")].append(client_id)
        younger = start.year - birth_year < 45
        shorter = (start - original).days < 5 * 365
        weights[client_id] = (1.8 if younger else 1.0) * (1.5 if shorter else 1.0)
    n = min(PARTICIPANTS, len(eligible) // 3)
    # The shares a sample drawn with these weights would have without the approach: what matching should recover.
    weight_total = sum(weights.values())
    work_share = sum(weights[i] for i in strata["work"]) / weight_total
    outflow_share = work_share + sum(weights[i] for i in strata["other"]) / weight_total
    k_work = min(len(strata["work"]), round(n * work_share))
    k_other = min(len(strata["other"]), max(0, round(n * (outflow_share + FIP_EXTRA)) - k_work))
    chosen = []
    for name, k in (("work", k_work), ("other", k_other), ("none", n - k_work - k_other)):
        items = strata[name]
        chosen += _weighted_sample(rng, items, [weights[i] for i in items], min(k, len(items)))
    participants = set(chosen)

    pilot = Pilot(municipality=municipality, approach=approach, name=PILOT_NAME, starts_on=start,
                  ends_on=intake_end, status=PilotStatus.LOPEND, created_by=by,
                  description="Demo naar het FIP-ontwerp van Sittard-Geleen: frequent, intensief en persoonlijk "
                              "contact met een vaste casemanager, ongeveer 300 deelnemers in twee maanden "
                              "ingestroomd. Synthetische gegevens met een ingebouwd bescheiden effect.")
    referrals, plans = [], []
    for client_id in sorted(participants):
        _c, _original, end, reason, _birth, manager, given, family, number = eligible[client_id]
        accepted = start + timedelta(days=rng.randint(0, (intake_end - start).days))
        referral = Referral(client_id=client_id, approach=approach, provider=provider, referred_by_id=manager,
                            referred_on=accepted - timedelta(days=rng.randint(3, 10)),
                            question="Deelname aan de FIP-pilot: frequent, intensief en persoonlijk contact.",
                            shared={"gedeeld": ["naam"], "naam": f"{given} {family}".strip(), "clientnummer": number},
                            status=ReferralStatus.GEACCEPTEERD, answered_on=accepted, answered_by_id=manager)
        referrals.append(referral)
        plans.append((referral, accepted, end, reason))
    steps = {step.trede: step for step in LadderStep.objects.filter(municipality__isnull=True).order_by("-position")}
    known_before = set(LadderMeasurement.objects.filter(client__municipality=municipality, measured_on__lte=start,
                                                        corrected_by__isnull=True).values_list("client_id", flat=True))
    baseline = dict(LadderMeasurement.objects.filter(client__municipality=municipality, measured_on__lte=start,
                                                     corrected_by__isnull=True)
                    .order_by("measured_on", "id").values_list("client_id", "trede"))
    in_window = set(LadderMeasurement.objects.filter(
        client__municipality=municipality, measured_on__gte=add_months(start, 9),
        measured_on__lte=add_months(start, 15)).values_list("client_id", flat=True))
    measurements = []
    for client_id in sorted(eligible):
        taking_part = client_id in participants
        if not taking_part and rng.random() >= 0.5:
            continue
        _c, _original, end, _reason, _birth, manager, *_names = eligible[client_id]
        trede = baseline.get(client_id)
        if client_id not in known_before:
            trede = rng.choices(range(1, 7), [0.18, 0.30, 0.26, 0.14, 0.10, 0.02])[0]
            measurements.append(LadderMeasurement(client_id=client_id, measured_by_id=manager, trede=trede,
                                                  step=steps[trede], note=PILOT_NOTE,
                                                  measured_on=start - timedelta(days=rng.randint(0, 90))))
        ended_early = end is not None and end <= outcome_end
        chance = MEASURED[taking_part] * (0.3 if ended_early else 1.0)
        follow_on = outcome_end + timedelta(days=rng.randint(-30, 30))
        if client_id in in_window or rng.random() >= chance or follow_on > today:
            continue
        roll = rng.random()
        change = 1 if roll < LADDER_UP[taking_part] else (-1 if roll > 1 - LADDER_DOWN[taking_part] else 0)
        later = min(6, max(1, trede + change))
        measurements.append(LadderMeasurement(client_id=client_id, measured_by_id=manager, trede=later,
                                              step=steps[later], measured_on=follow_on, note=PILOT_NOTE))
    with transaction.atomic():
        pilot.save()
        Referral.objects.bulk_create(referrals, batch_size=1000)
        trajectories = []
        for referral, accepted, end, reason in plans:
            begun = accepted + timedelta(days=rng.randint(7, 21))
            trajectory = Trajectory(referral=referral, client_id=referral.client_id, provider=provider,
                                    srg_provision=approach.srg_category or "overige", accepted_on=accepted,
                                    intake_on=accepted + timedelta(days=3), start_on=begun, status="lopend")
            finished = end if end is not None and end <= today else add_months(begun, 24)
            if finished <= today:
                work = end is not None and end == finished and is_work(reason or "")
                outflow = end is not None and end == finished
                trajectory.status, trajectory.end_on = "beeindigd", max(finished, accepted)
                trajectory.end_reason = ("werk_gevonden" if work else "uitkering_beeindigd" if outflow
                                         else "termijn_verstreken")
                trajectory.result = "werk_regulier" if work else "geen_resultaat"
                trajectory.ended_by_id = referral.referred_by_id
            trajectories.append(trajectory)
        Trajectory.objects.bulk_create(trajectories, batch_size=1000)
        LadderMeasurement.objects.bulk_create(measurements, batch_size=1000)
    return {"pilot": pilot, "participants": len(participants), "measurements": len(measurements),
            "eligible": len(eligible)}
