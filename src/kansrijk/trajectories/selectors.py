"""Reading plans of action: a client's versions with their goals, actions and agreements in a fixed number of
queries, and what the worklist needs to know (whether a client has a plan)."""

from __future__ import annotations

from datetime import date

from django.db.models import Prefetch, QuerySet

from kansrijk.accounts import roles
from kansrijk.caseload.selectors import clients_for

from .codes import ReferralStatus, TrajectoryStatus
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
