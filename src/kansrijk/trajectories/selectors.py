"""Reading plans of action: a client's versions with their goals, actions and agreements in a fixed number of
queries, and what the worklist needs to know (whether a client has a plan)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Prefetch, QuerySet, Subquery
from django.utils.translation import gettext, gettext_noop

from kansrijk.accounts import roles
from kansrijk.caseload.selectors import clients_for
from kansrijk.diagnosis.models import LadderMeasurement
from kansrijk.matching.recommendations import OUTCOME_MIN_ENDED, Outcome

from .codes import WORK_RESULTS, EndReason, ReferralStatus, TrajectoryStatus
from .models import (
    AftercareTask,
    Plan,
    PlanAction,
    PlanGoal,
    Provider,
    Referral,
    ReportGoalProgress,
    Trajectory,
    TrajectoryPause,
    TrajectoryReport,
)
from .services import ActionInput, GoalInput, PlanInput


def plan_versions(client) -> QuerySet:
    """Every version of the client's plan, newest first, with its contents."""
    return (Plan.objects.filter(client=client).select_related("created_by")
            .prefetch_related(Prefetch("goals", queryset=PlanGoal.objects.select_related("parent")),
                              Prefetch("actions", queryset=PlanAction.objects.select_related("goal")),
                              "agreements"))


def latest_plan(client) -> Plan | None:
    return plan_versions(client).first()


def as_input(plan: Plan) -> PlanInput:
    """A saved version as the starting point of the next one."""
    goals = list(plan.goals.all())
    numbers = {goal.pk: goal.position for goal in goals}
    return PlanInput(
        situation=plan.situation, ambition=plan.ambition,
        goals=[GoalInput(description=goal.description, kind=goal.kind, target=goal.target, due_on=goal.due_on,
                         parent=numbers.get(goal.parent_id)) for goal in goals],
        actions=[ActionInput(description=action.description, owner=action.owner, owner_name=action.owner_name,
                             due_on=action.due_on, goal=numbers.get(action.goal_id), done=action.done)
                 for action in plan.actions.all()],
        agreements=[agreement.text for agreement in plan.agreements.all()],
    )


@dataclass
class PlanChange:
    part: str
    added: list[str]
    removed: list[str]


def _plan_lines(plan: Plan | None) -> dict[str, list[str]]:
    if plan is None:
        return {}
    goals = list(plan.goals.all())
    numbers = {goal.pk: goal.position for goal in goals}

    def goal_line(goal):
        line = f"{goal.get_kind_display()}: {goal.description}"
        if goal.parent_id:
            line += " " + gettext("(bij doel %(n)d)") % {"n": numbers[goal.parent_id]}
        if goal.target:
            line += f" — {goal.target}"
        return line + (f" — {goal.due_on:%d-%m-%Y}" if goal.due_on else "")

    def action_line(action):
        who = action.get_owner_display() + (f" ({action.owner_name})" if action.owner_name else "")
        line = f"{action.description} — {who} — {action.due_on:%d-%m-%Y}"
        if action.goal_id:
            line += " " + gettext("(voor doel %(n)d)") % {"n": numbers[action.goal_id]}
        return line + (" — " + gettext("gedaan") if action.done else "")

    return {"situation": [plan.situation] if plan.situation else [],
            "ambition": [plan.ambition] if plan.ambition else [],
            "goals": [goal_line(goal) for goal in goals],
            "actions": [action_line(action) for action in plan.actions.all()],
            "agreements": [agreement.text for agreement in plan.agreements.all()]}


PLAN_PARTS = [("situation", gettext_noop("Waar staat de cliënt nu")),
              ("ambition", gettext_noop("Wat wil de cliënt bereiken")),
              ("goals", gettext_noop("Doelen")), ("actions", gettext_noop("Wie doet wat, en wanneer")),
              ("agreements", gettext_noop("Afspraken"))]


def plan_changes(base: Plan | None, newer: Plan) -> list[PlanChange]:
    """What ``newer`` changed compared with ``base`` (the version an edit started from; None if it started from no
    plan), per part of the plan as lines a client manager can compare with their own input: what is new or changed,
    and what is gone or changed. Both plans must come from ``plan_versions`` (prefetched contents)."""
    old, new = _plan_lines(base), _plan_lines(newer)
    changes = []
    for key, label in PLAN_PARTS:
        before, after = old.get(key, []), new.get(key, [])
        added, removed = [line for line in after if line not in before], [line for line in before if line not in after]
        if added or removed:
            changes.append(PlanChange(part=gettext(label), added=added, removed=removed))
    return changes


def plans_count() -> int:
    return Plan.objects.count()


# --- Referrals and trajectories -------------------------------------------------------------------------------------


def referrals_visible_to(user) -> QuerySet[Referral]:
    """A provider's users see the referrals to their own provider; client managers and team leads those of the
    clients in their scope; everyone else none."""
    if user.has_role(roles.DELIVERS_TRAJECTORIES):
        return Referral.objects.filter(provider__members__user=user)
    if user.has_role(roles.SEES_TRAJECTORIES):
        return Referral.objects.filter(client__in=clients_for(user))
    return Referral.objects.none()


def trajectories_visible_to(user) -> QuerySet[Trajectory]:
    if user.has_role(roles.DELIVERS_TRAJECTORIES):
        return Trajectory.objects.filter(provider__members__user=user)
    if user.has_role(roles.SEES_TRAJECTORIES):
        return Trajectory.objects.filter(client__in=clients_for(user))
    return Trajectory.objects.none()


def referral_list(queryset: QuerySet[Referral]) -> QuerySet[Referral]:
    """With what a list shows, in a fixed number of queries."""
    return queryset.select_related("client", "provider", "approach", "referred_by", "answered_by", "trajectory")


def trajectory_list(queryset: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    return queryset.select_related("client", "provider", "referral__approach")


def trajectory_detail(queryset: QuerySet[Trajectory]) -> QuerySet[Trajectory]:
    """A trajectory with its reports (and their goal lines), pauses and aftercare."""
    return trajectory_list(queryset).select_related("referral__referred_by", "ended_by").prefetch_related(
        Prefetch("reports", queryset=TrajectoryReport.objects.select_related("author").prefetch_related(
            Prefetch("goal_progress", queryset=ReportGoalProgress.objects.select_related("goal")))),
        Prefetch("pauses", queryset=TrajectoryPause.objects.select_related("recorded_by")),
        Prefetch("aftercare_tasks", queryset=AftercareTask.objects.select_related("done_by")),
    )


def readable_goal_ids(user, trajectory: Trajectory) -> set[int] | None:
    """The plan goals whose progress lines ``user`` may read in the trajectory's reports; None for all of them. A
    provider reads only the goals shared with it: the client manager may also report on goals that were not shared,
    and those stay with the municipality."""
    if user.has_role(roles.DELIVERS_TRAJECTORIES):
        return set(trajectory.referral.shared_goal_ids)
    return None


def readable_goal_lines(report: TrajectoryReport, goal_ids: set[int] | None) -> list[ReportGoalProgress]:
    """The report's goal lines (prefetched) limited to ``readable_goal_ids``."""
    return [line for line in report.goal_progress.all() if goal_ids is None or line.goal_id in goal_ids]


def client_referrals(client) -> list[Referral]:
    return list(referral_list(Referral.objects.filter(client=client)))


def provider_work(user) -> dict:
    """The provider's landing page: referrals awaiting a terugmelding and trajectories not yet ended."""
    return {
        "open_referrals": list(referral_list(referrals_visible_to(user).filter(status=ReferralStatus.VERWEZEN))
                               .order_by("referred_on", "id")),
        "running": list(trajectory_list(trajectories_visible_to(user).exclude(status=TrajectoryStatus.BEEINDIGD))
                        .order_by("accepted_on", "id")),
    }


def provider_counts(user) -> dict[str, int]:
    """For the provider's start page; figures only, so no access record."""
    return {
        "open_referrals": referrals_visible_to(user).filter(status=ReferralStatus.VERWEZEN).count(),
        "running": trajectories_visible_to(user).exclude(status=TrajectoryStatus.BEEINDIGD).count(),
    }


def providers_for(client) -> QuerySet[Provider]:
    return Provider.objects.filter(active=True, municipalities=client.municipality_id).order_by("name")


def client_aftercare(client) -> list[AftercareTask]:
    return list(AftercareTask.objects.filter(client=client).select_related("done_by").order_by("due_on", "id"))


def aftercare_due(clients: QuerySet, *, until: date) -> list[dict]:
    """Open aftercare contacts due by ``until`` for the given clients, one query, with what the worklist shows of
    the client (clients after outflow have no running benefit, so they are not in the worklist's own query). Served
    by the partial index on open tasks' due date."""
    return list(AftercareTask.objects.filter(done_on__isnull=True, due_on__lte=until, client__in=clients)
                .order_by("due_on").values("client_id", "due_on", "months_after", "outflow_on",
                                           "client__client_number", "client__given_names", "client__family_name",
                                           "client__client_manager_id"))


def counts() -> dict[str, int]:
    return {"referrals": Referral.objects.count(), "trajectories": Trajectory.objects.count()}


# --- Local outcomes, for the recommendation ("its results for similar clients") -------------------------------------

# Similar clients are those on the same part of the Participatieladder when their trajectory was accepted: far from
# work (1–2), on the way (3), or close to or in work (4–6). Only the trede counts: never sex, age, origin or health.
BANDS = ((range(1, 3), gettext_noop("trede 1 of 2")), (range(3, 4), gettext_noop("trede 3")),
         (range(4, 7), gettext_noop("trede 4 tot en met 6")))
UNKNOWN_BAND = gettext_noop("alle treden")
OUTCOME_KEEP_SECONDS = 600


def band_of(trede: int | None) -> str:
    for treden, label in BANDS:
        if trede in treden:
            return label
    return UNKNOWN_BAND


def local_outcomes(municipality_id: int, trede: int | None) -> dict[int, Outcome]:
    """Per approach id, what ended trajectories of the municipality's clients in ``trede``'s band achieved, with
    the share that found work over all approaches in that band as the baseline. Where fewer than ten similar clients
    ended an approach, its results over all clients stand in (``band`` empty, and the sentence says so)."""
    return outcome_lookup(municipality_id)(trede)


def outcome_lookup(municipality_id: int):
    """``local_outcomes`` for many clients of one municipality (a candidate selection): one read, then per trede."""
    by_band = _outcomes_by_band(municipality_id)
    translated: dict[str, dict[int, Outcome]] = {}

    def for_trede(trede: int | None) -> dict[int, Outcome]:
        band = band_of(trede)
        if band not in translated:
            # Too few similar clients for an approach: its results over all clients, said as such (band "").
            everyone = {approach_id: replace(outcome, band="")
                        for approach_id, outcome in by_band.get(UNKNOWN_BAND, {}).items()}
            similar = {approach_id: replace(outcome, band=gettext(band))
                       for approach_id, outcome in by_band.get(band, {}).items()
                       if band != UNKNOWN_BAND and outcome.ended >= OUTCOME_MIN_ENDED}
            translated[band] = everyone | similar
        return translated[band]
    return for_trede


def _outcomes_by_band(municipality_id: int) -> dict[str, dict[int, Outcome]]:
    """Kept in the cache for ten minutes and recounted when a trajectory ends (the key holds the number of ended
    trajectories and the latest end date): two queries when kept, three when recounted."""
    ended = Trajectory.objects.filter(client__municipality_id=municipality_id, status=TrajectoryStatus.BEEINDIGD)
    version = ended.aggregate(n=Count("id"), last=Max("end_on"), top=Max("id"))
    key = f"trajectories:outcomes:{municipality_id}:{version['n']}:{version['last']}:{version['top']}"
    kept = cache.get(key)
    if kept is not None:
        return kept
    trede_at_start = Subquery(
        LadderMeasurement.objects.filter(client=OuterRef("client_id"), corrected_by__isnull=True,
                                         measured_on__lte=OuterRef("accepted_on"))
        .order_by("-measured_on", "-id").values("trede")[:1])
    counts: dict[str, dict[int, list[int]]] = {}
    for approach_id, trede, result, end_reason in (ended.annotate(trede_at_start=trede_at_start)
                                                   .values_list("referral__approach_id", "trede_at_start", "result",
                                                                "end_reason").iterator(chunk_size=5000)):
        work, dropout = result in WORK_RESULTS, end_reason == EndReason.UITVAL
        for band in (band_of(trede), UNKNOWN_BAND) if trede is not None else (UNKNOWN_BAND,):
            row = counts.setdefault(band, {}).setdefault(approach_id, [0, 0, 0])
            row[0] += 1
            row[1] += work
            row[2] += dropout
    outcomes = {}
    for band, per_approach in counts.items():
        ended_n = sum(row[0] for row in per_approach.values())
        baseline = sum(row[1] for row in per_approach.values()) / ended_n if ended_n else 0.0
        outcomes[band] = {approach_id: Outcome(band=band, ended=n, work=work, dropout=dropout, baseline=baseline)
                          for approach_id, (n, work, dropout) in per_approach.items()}
    cache.set(key, outcomes, OUTCOME_KEEP_SECONDS)
    return outcomes
