"""Reading plans of action: a client's versions with their goals, actions and agreements in a fixed number of
queries, and what the worklist needs to know (whether a client has a plan)."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Plan, PlanAction, PlanGoal
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
