"""Demo plans of action for the demo municipality (``kansrijk load_demo``), drawn from the demo's diagnosis.

Assumptions (no published figures; loosely after seed 001 §2.5): about 60% of the clients diagnosed more than a month
ago have a plan; a quarter of those plans have a second version; 70% of the latest versions are agreed to by the
client. Goals and actions follow the client's trede. Deterministic for a seed and a day; bulk inserts, not services:
the demo's starting state is not something a professional did."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from kansrijk.accounts.models import Municipality
from kansrijk.diagnosis.models import LadderMeasurement

from .models import Plan, PlanAction, PlanAgreement, PlanGoal

# Per group of treden: (goals as (kind, description, target, days until due, parent number), actions as
# (description, owner, days until due, goal number)).
TEMPLATES = {
    (1, 2): ([("doel", "Rust en regelmaat: elke week naar de inloop in het buurthuis", "1 keer per week", 90, None),
              ("subdoel", "Schulden op een rij met de schuldhulpverlening", "", 60, 1)],
             [("Aanmelden bij de schuldhulpverlening", "klantmanager", 14, 2),
              ("Samen naar de inloop, de eerste keer", "client", 21, 1)]),
    (3,): ([("doel", "Vrijwilligerswerk in de buurt", "8 uur per week", 120, None),
            ("leerdoel", "Nederlands verbeteren (NT2, niveau A2)", "", 180, None)],
           [("Kennismaken bij de vrijwilligerscentrale", "client", 30, 1),
            ("Aanmelden voor de taalcursus", "klantmanager", 14, 2)]),
    (4, 5, 6): ([("doel", "Betaald werk", "24 uur per week", 180, None),
                 ("subdoel", "Sollicitaties op passende vacatures", "3 per maand", 60, 1)],
                [("Cv bijwerken met de jobcoach", "client", 14, 1),
                 ("Voorstellen aan twee werkgevers uit het netwerk", "klantmanager", 30, 2)]),
}
AGREEMENTS = ["We zien elkaar elke twee weken.", "Lukt een afspraak niet, dan bel je vooraf af."]


def _template(trede: int):
    return next(value for key, value in TEMPLATES.items() if trede in key)


def write_demo_plans(municipality: Municipality, *, seed: int = 0, today: date | None = None) -> int:
    """Plans for the municipality's diagnosed clients; returns how many versions were written (0 when the
    municipality has plans already)."""
    if Plan.objects.filter(client__municipality=municipality).exists():
        return 0
    today = today or timezone.localdate()
    rng = random.Random(seed + 2)
    first: dict[int, tuple[date, int, int]] = {}
    for client_id, measured_on, trede, by in (
            LadderMeasurement.objects.filter(client__municipality=municipality, corrected_by__isnull=True)
            .order_by("client_id", "measured_on").values_list("client_id", "measured_on", "trede", "measured_by_id")):
        first.setdefault(client_id, (measured_on, trede, by))
    plans, contents = [], []
    for client_id, (diagnosed_on, trede, by) in sorted(first.items()):
        if (today - diagnosed_on).days <= 30 or rng.random() >= 0.6:
            continue
        versions = 2 if rng.random() < 0.25 else 1
        start = diagnosed_on + timedelta(days=rng.randint(7, 30))
        for version in range(1, versions + 1):
            made = min(today, start + timedelta(days=(version - 1) * rng.randint(60, 180)))
            plan = Plan(client_id=client_id, version=version, created_by_id=by,
                        situation="Opgesteld na het keukentafelgesprek.",
                        ambition=rng.choice(["Weer meedoen", "Een baan in de buurt", "Eerst rust, dan verder"]))
            if version < versions or rng.random() < 0.7:
                plan.agreed_on, plan.agreed_how = made, rng.choice(["gesprek", "handtekening", "digitaal"])
            plans.append(plan)
            contents.append((made, trede))
    with transaction.atomic():
        created = Plan.objects.bulk_create(plans, batch_size=1000)
        # created_at is set on insert; the demo dates the versions back to when they were drawn up.
        for plan, (made, _trede) in zip(created, contents, strict=True):
            plan.created_at = timezone.make_aware(datetime.combine(made, time(10)))
        Plan.objects.bulk_update(created, ["created_at"], batch_size=1000)
        previous = {}
        for plan in created:
            if plan.version > 1:
                plan.previous_id = previous[plan.client_id]
            previous[plan.client_id] = plan.pk
        Plan.objects.bulk_update([p for p in created if p.version > 1], ["previous"], batch_size=1000)
        goals, actions, agreements = [], [], []
        for plan, (made, trede) in zip(created, contents, strict=True):
            goal_rows, action_rows = _template(trede)
            for number, (kind, text, target, days, _parent) in enumerate(goal_rows, start=1):
                goals.append(PlanGoal(plan=plan, position=number, kind=kind, description=text, target=target,
                                      due_on=made + timedelta(days=days)))
            for number, (text, owner, days, _goal) in enumerate(action_rows, start=1):
                actions.append((plan, number, text, owner, made + timedelta(days=days), _goal))
            agreements.extend(PlanAgreement(plan=plan, position=n, text=t) for n, t in enumerate(AGREEMENTS, 1))
        PlanGoal.objects.bulk_create(goals, batch_size=1000)
        by_key = {(g.plan_id, g.position): g for g in goals}
        subgoals = []
        for plan, (_made, trede) in zip(created, contents, strict=True):
            for number, (_kind, _text, _target, _days, parent) in enumerate(_template(trede)[0], start=1):
                if parent:
                    goal = by_key[(plan.pk, number)]
                    goal.parent = by_key[(plan.pk, parent)]
                    subgoals.append(goal)
        PlanGoal.objects.bulk_update(subgoals, ["parent"], batch_size=1000)
        PlanAction.objects.bulk_create(
            (PlanAction(plan=plan, position=number, description=text, owner=owner, due_on=due,
                        done=due < today and rng.random() < 0.6, goal=by_key[(plan.pk, goal)])
             for plan, number, text, owner, due, goal in actions), batch_size=1000)
        PlanAgreement.objects.bulk_create(agreements, batch_size=1000)
    return len(created)
