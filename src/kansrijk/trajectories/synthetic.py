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


# --- Referrals and trajectories: five years of them ----------------------------------------------------------------
#
# Assumptions (no register data; loosely calibrated to the sources, and marked as such):
# * About a third of the clients with a running benefit had a referral in the last five years; providers decline
#   about 12% (seed 000 L325: a selective approach saw 12 candidates to take 5; ordinary trajectories decline fewer)
#   and client managers withdraw about 3%.
# * Of the clients who left the benefit (the synthetic caseload's 10%), 40% had a trajectory that ended with the
#   outflow; of those who came back (the draaideur 10%), 30% had one that ended with work just before the earlier
#   spell ended (CBS: 9% of those who left for work were back within 18 months, anchors.md §5.4).
# * Trajectories of clients still on benefit end in drop-out (uitval) 30%, a step up the ladder 30%, part-time work
#   beside the benefit 12%, another provision 8%, and no result 20%. Overall that puts outflow at roughly a fifth of
#   ended trajectories, between FIP's 71 vs 55 ended benefits of 300 (seed 000 L271) and APP's 30% in year 1 (L301).
# * Intake 3–10 days after acceptance, start 1–3 weeks later, 3–12 months long; one in twelve has a pause
#   (hospital, illness); a progress report with attendance every three months.
# * Aftercare contacts at 1, 3 and 6 months after outflow; 85% of those due are done.

DEMO_PROVIDERS = [
    ("Re-integratiebureau De Brug", "90000001", "Ahmed Aanbieder"),
    ("Werkfit Voorbeeldstad", "90000002", "Petra Pieters"),
    ("Stichting Meedoen", "90000003", "Sanne de Vries"),
]
ACTIVE_OUTCOMES = [  # (end reason, result, dropout reason, weight)
    ("uitval", "geen_resultaat", None, 30), ("doel_bereikt", "ladder_omhoog", "", 30),
    ("doel_bereikt", "deeltijdwerk", "", 12), ("andere_voorziening", "geen_resultaat", "", 8),
    ("termijn_verstreken", "geen_resultaat", "", 20),
]
OUTFLOW_OUTCOMES = [("werk_gevonden", "werk_regulier", 55), ("werk_gevonden", "werk_lks", 20),
                    ("werk_gevonden", "werk_beschut", 5), ("opleiding", "opleiding", 12),
                    ("werk_gevonden", "werk_zelfstandig", 8)]
DROPOUT_REASONS = ["niet_verschenen", "motivatie", "omstandigheden", "past_niet", "overig"]
QUESTIONS = ["Begeleiding naar betaald werk, passend bij de belastbaarheid.",
             "Activering: ritme en structuur opbouwen, daarna kijken naar vrijwilligerswerk.",
             "Werkervaring opdoen met een jobcoach erbij.",
             "Taal en werk combineren: werkfit worden met ondersteuning in het Nederlands."]


# Share of ended trajectories with the client's mark (1–10) recorded: not every client answers (assumption).
SATISFACTION_RECORDED = 0.6


def _pick(rng, options):
    total = sum(option[-1] for option in options)
    roll = rng.random() * total
    for option in options:
        roll -= option[-1]
        if roll < 0:
            return option
    return options[-1]


def demo_providers(municipality: Municipality, provider_user=None) -> list:
    """The demo's providers, serving the municipality; the demo 'aanbieder' works for the first."""
    from .models import Provider, ProviderMember

    providers = []
    for name, kvk, contact in DEMO_PROVIDERS:
        provider, _created = Provider.objects.get_or_create(name=name, defaults={
            "kvk_number": kvk, "contact_person": contact,
            "contact_email": f"info@{name.split()[-1].lower()}.example"})
        provider.municipalities.add(municipality)
        providers.append(provider)
    if provider_user is not None:
        ProviderMember.objects.update_or_create(user=provider_user, defaults={"provider": providers[0]})
    return providers


def write_demo_trajectories(municipality: Municipality, *, seed: int = 0, today: date | None = None,
                            provider_user=None) -> dict | None:
    """Five years of referrals and trajectories, aftercare and draaideur flags; None when the municipality has
    referrals already. Bulk inserts, not services (the demo's history is not something anyone did now)."""
    from kansrijk.caseload.models import BenefitSpell, Client, ReturnToBenefit
    from kansrijk.catalogue.models import LocalOffer

    from .codes import ReferralStatus, SharedItem
    from .models import (
        AftercareTask,
        ProviderMember,
        Referral,
        ReportGoalProgress,
        Trajectory,
        TrajectoryPause,
        TrajectoryReport,
    )

    providers = demo_providers(municipality, provider_user)
    if Referral.objects.filter(client__municipality=municipality).exists():
        return None
    offers = list(LocalOffer.objects.filter(municipality=municipality, active=True).select_related("approach"))
    if not offers:
        return None
    today = today or timezone.localdate()
    horizon = today - timedelta(days=5 * 365)
    rng = random.Random(seed + 5)
    # The clients' marks draw from their own generator, so adding them left every other demo figure as it was.
    marks = random.Random(seed + 55)
    # A steady inflow leaves some referrals awaiting the demo provider's answer whatever the date; drawn apart too.
    inflow = random.Random(seed + 56)
    clients = {row[0]: row for row in Client.objects.filter(municipality=municipality, client_manager__isnull=False)
               .values_list("id", "client_manager_id", "given_names", "family_name", "client_number")}
    spells: dict[int, list] = {}
    for client_id, start, end in (BenefitSpell.objects.filter(municipality=municipality)
                                  .order_by("client_id", "original_start")
                                  .values_list("client_id", "original_start", "end_date")):
        spells.setdefault(client_id, []).append((start, end))
    trede = dict(LadderMeasurement.objects.filter(client__municipality=municipality, corrected_by__isnull=True)
                 .order_by("measured_on").values_list("client_id", "trede"))
    latest_plan = dict(Plan.objects.filter(client__municipality=municipality).order_by("version")
                       .values_list("client_id", "id"))
    goals: dict[int, list] = {}
    for goal in PlanGoal.objects.filter(plan_id__in=latest_plan.values()).order_by("position"):
        goals.setdefault(goal.plan_id, []).append(goal)

    def window(start, end):
        return max(start, horizon), min(end or today, today)

    plan_rows = []  # (client id, referred_on, outcome kind, fixed end or None)
    for client_id, client_spells in sorted(spells.items()):
        if client_id not in clients:
            continue
        (last_start, last_end) = client_spells[-1]
        if last_end is not None and rng.random() < 0.4 and last_end > horizon + timedelta(days=200):
            plan_rows.append((client_id, "outflow", last_end))
        elif last_end is None and len(client_spells) > 1 and client_spells[-2][1] and rng.random() < 0.3 \
                and client_spells[-2][1] > horizon + timedelta(days=200):
            plan_rows.append((client_id, "outflow", client_spells[-2][1]))
        elif last_end is None and rng.random() < 0.33:
            low, high = window(last_start, None)
            if high > low:
                plan_rows.append((client_id, "active", None))
    referrals, trajectories, pending = [], [], []
    # Referrals of the last three weeks for the demo provider, about one per 60 active ones (a handful for the demo's
    # provider to answer, not hundreds), at least three.
    recent_quota = 3 + sum(1 for row in plan_rows if row[1] == "active") // 60
    for client_id, kind, fixed_end in plan_rows:
        _id, manager, given, family, number = clients[client_id]
        offer = rng.choice(offers)
        provider = providers[0] if rng.random() < 0.5 else rng.choice(providers)
        if kind == "outflow":
            end_on = fixed_end - timedelta(days=rng.randint(0, 30))
            referred_on = end_on - timedelta(days=rng.randint(120, 400))
        else:
            low, high = window(spells[client_id][-1][0], None)
            referred_on = low + timedelta(days=rng.randint(0, (high - low).days))
            end_on = None
            if recent_quota and inflow.random() < 0.15:
                recent_quota -= 1
                referred_on, provider = max(low, today - timedelta(days=inflow.randint(0, 20))), providers[0]
        shared = {"gedeeld": [SharedItem.NAAM], "naam": f"{given} {family}".strip(), "clientnummer": number}
        if client_id in trede:
            shared["gedeeld"].append(SharedItem.TREDE)
            shared["trede"] = {"trede": trede[client_id], "gemeten_op": referred_on.isoformat()}
        plan_goals = goals.get(latest_plan.get(client_id), [])[:2]
        if plan_goals:
            shared["gedeeld"].append(SharedItem.DOELEN)
            shared["doelen"] = [{"id": g.pk, "nummer": g.position, "soort": g.get_kind_display(),
                                 "omschrijving": g.description, "meetbaar": g.target,
                                 "datum": g.due_on.isoformat() if g.due_on else None} for g in plan_goals]
        referral = Referral(client_id=client_id, approach=offer.approach, local_offer=offer, provider=provider,
                            referred_by_id=manager, referred_on=referred_on, question=rng.choice(QUESTIONS),
                            shared=shared)
        roll = rng.random()
        if kind == "active" and (today - referred_on).days < 21:
            pass  # still awaiting the terugmelding
        elif kind == "active" and roll < 0.12:
            referral.status, referral.decline_reason = ReferralStatus.AFGEWEZEN, rng.choice(
                ["voldoet_niet", "geen_plaats", "niet_verschenen", "andere_aanpak"])
            referral.answered_on = referred_on + timedelta(days=rng.randint(3, 14))
            referral.answer_note = "Advies: eerst de taalvaardigheid versterken, daarna opnieuw aanmelden."
        elif kind == "active" and roll < 0.15:
            referral.status, referral.answered_on = ReferralStatus.INGETROKKEN, referred_on + timedelta(days=5)
            referral.answered_by_id = manager
        else:
            referral.status = ReferralStatus.GEACCEPTEERD
            referral.answered_on = referred_on + timedelta(days=rng.randint(3, 14))
            pending.append((referral, kind, end_on, plan_goals))
        referrals.append(referral)
    provider_users = dict(ProviderMember.objects.filter(provider__in=providers).values_list("provider_id", "user_id"))
    for referral in referrals:
        if referral.status in (ReferralStatus.GEACCEPTEERD, ReferralStatus.AFGEWEZEN):
            referral.answered_by_id = provider_users.get(referral.provider.pk, referral.referred_by_id)
    reports, progress, pauses, aftercare = [], [], [], []
    with transaction.atomic():
        Referral.objects.bulk_create(referrals, batch_size=1000)
        report_plans = []
        for referral, kind, end_on, plan_goals in pending:
            accepted = referral.answered_on
            intake = accepted + timedelta(days=rng.randint(3, 10))
            start = intake + timedelta(days=rng.randint(7, 21))
            if end_on is None:
                planned = start + timedelta(days=rng.randint(90, 365))
                end_on = planned if planned <= today else None
            else:
                end_on = max(end_on, start)
            trajectory = Trajectory(referral=referral, client_id=referral.client_id, provider=referral.provider,
                                    srg_provision=referral.approach.srg_category or "overige", accepted_on=accepted,
                                    intake_on=intake if intake <= today else None,
                                    start_on=start if start <= today else None)
            trajectory.status = ("lopend" if trajectory.start_on else "aangemeld")
            if end_on is not None:
                if kind == "outflow":
                    reason, result, weight = _pick(rng, OUTFLOW_OUTCOMES)
                    dropout = ""
                else:
                    reason, result, dropout, weight = _pick(rng, ACTIVE_OUTCOMES)
                    dropout = rng.choice(DROPOUT_REASONS) if dropout is None else ""
                    if reason == "uitval":  # drop-out comes early
                        end_on = min(end_on, start + timedelta(days=rng.randint(14, 120)))
                trajectory.status, trajectory.end_on = "beeindigd", end_on
                trajectory.end_reason, trajectory.result, trajectory.dropout_reason = reason, result, dropout
                trajectory.ended_by_id = referral.answered_by_id
                if marks.random() < SATISFACTION_RECORDED:
                    # Assumption: clients whose trajectory ended in work or its goal give higher marks.
                    good = reason in ("doel_bereikt", "werk_gevonden") or kind == "outflow"
                    trajectory.satisfaction = min(10, max(1, round(marks.gauss(7.6 if good else 6.0, 1.3))))
            trajectories.append(trajectory)
            report_plans.append((trajectory, plan_goals))
        Trajectory.objects.bulk_create(trajectories, batch_size=1000)
        for trajectory, plan_goals in report_plans:
            author = trajectory.referral.answered_by_id
            last = trajectory.end_on or today
            if trajectory.intake_on:
                reports.append(TrajectoryReport(trajectory=trajectory, kind="intake", reported_on=trajectory.intake_on,
                                                text="Kennismaking en afspraken over het traject.", author_id=author))
            if trajectory.start_on:
                reports.append(TrajectoryReport(trajectory=trajectory, kind="start", reported_on=trajectory.start_on,
                                                text="Gestart volgens planning.", author_id=author))
            if trajectory.start_on and rng.random() < 1 / 12:
                pause_start = trajectory.start_on + timedelta(days=rng.randint(10, 60))
                if pause_start < last:
                    until = pause_start + timedelta(days=rng.randint(14, 60))
                    open_pause = trajectory.end_on is None and until > today
                    pauses.append(TrajectoryPause(trajectory=trajectory, starts_on=pause_start,
                                                  until=None if open_pause else min(until, last),
                                                  reason=rng.choice(["ziekenhuis", "ziekte", "zorg"]),
                                                  recorded_by_id=author))
                    if open_pause:
                        trajectory.status = "gepauzeerd"
            day = (trajectory.start_on or last) + timedelta(days=90)
            dropped = trajectory.end_reason == "uitval"
            while trajectory.start_on and day < last:
                planned = rng.randint(8, 12)
                attended = round(planned * rng.uniform(0.3, 0.7) if dropped else planned * rng.uniform(0.7, 1.0))
                report = TrajectoryReport(trajectory=trajectory, kind="voortgang", reported_on=day,
                                          period_from=day - timedelta(days=90), period_until=day,
                                          sessions_planned=planned, sessions_attended=attended,
                                          text="Voortgang besproken met de cliënt.", author_id=author)
                if rng.random() < 0.25:
                    report.advised_trede = min(6, (trede.get(trajectory.client_id) or 2) + 1)
                    report.advice_reason = "Neemt zelfstandig deel aan de activiteiten en komt afspraken na."
                reports.append(report)
                progress.extend((report, goal) for goal in plan_goals)
                day += timedelta(days=90)
            if trajectory.end_on:
                reports.append(TrajectoryReport(trajectory=trajectory, kind="eind", reported_on=trajectory.end_on,
                                                text="Traject afgesloten.", author_id=author))
                if trajectory.result in ("werk_regulier", "werk_lks", "werk_beschut", "werk_zelfstandig",
                                         "opleiding") and (today - trajectory.end_on).days < 240:
                    aftercare.extend(_demo_aftercare(rng, trajectory.client_id, trajectory.end_on, today,
                                                     trajectory, clients[trajectory.client_id][1]))
        Trajectory.objects.bulk_update([t for t in trajectories if t.status == "gepauzeerd"], ["status"])
        TrajectoryReport.objects.bulk_create(reports, batch_size=1000)
        ReportGoalProgress.objects.bulk_create(
            (ReportGoalProgress(report=report, goal=goal, status=rng.choice(["op_koers", "op_koers", "achter",
                                                                             "bereikt"]))
             for report, goal in progress), batch_size=1000)
        TrajectoryPause.objects.bulk_create(pauses, batch_size=1000)
        # Clients whose benefit ended recently without a trajectory get aftercare from the benefit's end.
        in_aftercare = {task.client_id for task in aftercare}
        for client_id, client_spells in spells.items():
            end = client_spells[-1][1]
            if (client_id in clients and client_id not in in_aftercare and end is not None
                    and 0 <= (today - end).days < 210):
                aftercare.extend(_demo_aftercare(rng, client_id, end, today, None, clients[client_id][1]))
        AftercareTask.objects.bulk_create(aftercare, batch_size=1000, ignore_conflicts=True)
        returns = []
        for client_id, client_spells in spells.items():
            for (_start, previous_end), (new_start, _end) in zip(client_spells, client_spells[1:], strict=False):
                if previous_end is None or new_start <= previous_end:
                    continue
                months = (new_start.year - previous_end.year) * 12 + new_start.month - previous_end.month
                if months <= 24:
                    # Found by the first monthly import after the new spell started.
                    detected = min(today, new_start + timedelta(days=rng.randint(1, 31)))
                    returns.append(ReturnToBenefit(client_id=client_id, new_spell_start=new_start,
                                                   previous_end=previous_end, months_between=max(months, 0),
                                                   detected_on=detected))
        ReturnToBenefit.objects.bulk_create(returns, batch_size=1000, ignore_conflicts=True)
    return {"referrals": len(referrals), "trajectories": len(trajectories), "reports": len(reports),
            "aftercare": len(aftercare), "returns": len(returns),
            "open": sum(1 for r in referrals if r.status == ReferralStatus.VERWEZEN)}


def _demo_aftercare(rng, client_id, outflow_on, today, trajectory, manager_id) -> list:
    from kansrijk.core.dates import add_months

    from .models import AftercareTask

    tasks = []
    for months in (1, 3, 6):
        due = add_months(outflow_on, months)
        task = AftercareTask(client_id=client_id, trajectory=trajectory, outflow_on=outflow_on, due_on=due,
                             months_after=months)
        if due < today - timedelta(days=7) and rng.random() < 0.85:
            task.done_on, task.done_by_id = due + timedelta(days=rng.randint(0, 7)), manager_id
            task.outcome = "contact" if rng.random() < 0.8 else "niet_bereikt"
        tasks.append(task)
    return tasks

