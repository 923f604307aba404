"""Writing plans of action. A save is always a new version built on the latest one; nothing is edited in place
except the client's agreement, which is recorded once on the version it concerns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.models import User
from kansrijk.caseload.models import Client
from kansrijk.caseload.selectors import clients_for

from .models import AgreedHow, GoalKind, Owner, Plan, PlanAction, PlanAgreement, PlanGoal


@dataclass
class GoalInput:
    description: str
    kind: str = GoalKind.DOEL
    target: str = ""
    due_on: date | None = None
    parent: int | None = None  # the number (1, 2, …) of the goal a sub-goal belongs to


@dataclass
class ActionInput:
    description: str
    owner: str
    due_on: date | None
    owner_name: str = ""
    goal: int | None = None  # the number of the goal the action serves, if any
    done: bool = False


@dataclass
class PlanInput:
    goals: list[GoalInput]
    actions: list[ActionInput] = field(default_factory=list)
    agreements: list[str] = field(default_factory=list)
    situation: str = ""
    ambition: str = ""


def _check(user: User, client: Client) -> None:
    if not user.has_role(roles.MAKES_PLANS) or not clients_for(user).filter(pk=client.pk).exists():
        raise PermissionDenied


def _validate(plan: PlanInput) -> dict[str, str]:
    """Errors keyed ``goals[0].due_on``, ``actions[1].owner`` and so on (0-based, in the order given)."""
    errors: dict[str, str] = {}
    if not any(goal.kind in (GoalKind.DOEL, GoalKind.LEERDOEL) for goal in plan.goals):
        errors["goals"] = "Een plan heeft minstens één doel of leerdoel."
    for index, goal in enumerate(plan.goals):
        key = f"goals[{index}]"
        if not goal.description.strip():
            errors[f"{key}.description"] = "Beschrijf het doel."
        if goal.kind not in GoalKind.values:
            errors[f"{key}.kind"] = "Kies doel, leerdoel of subdoel."
        elif goal.kind == GoalKind.DOEL and goal.due_on is None:
            errors[f"{key}.due_on"] = "Een doel heeft een datum: wanneer is het bereikt?"
        if goal.kind == GoalKind.SUBDOEL:
            parents = [number for number, other in enumerate(plan.goals, start=1)
                       if other.kind != GoalKind.SUBDOEL and number != index + 1]
            if goal.parent not in parents:
                errors[f"{key}.parent"] = "Kies het doel waar dit subdoel bij hoort (een doel of leerdoel)."
        elif goal.parent is not None:
            errors[f"{key}.parent"] = "Alleen een subdoel hoort bij een ander doel."
    for index, action in enumerate(plan.actions):
        key = f"actions[{index}]"
        if not action.description.strip():
            errors[f"{key}.description"] = "Beschrijf wat er gedaan wordt."
        if action.owner not in Owner.values:
            errors[f"{key}.owner"] = "Kies wie het doet."
        if action.due_on is None:
            errors[f"{key}.due_on"] = "Geef aan wanneer het klaar is."
        if action.goal is not None and not 1 <= action.goal <= len(plan.goals):
            errors[f"{key}.goal"] = "Kies een doel uit dit plan."
    for index, text in enumerate(plan.agreements):
        if not text.strip():
            errors[f"agreements[{index}]"] = "Een afspraak kan niet leeg zijn."
    return errors


def save_plan(*, client: Client, by: User, plan: PlanInput, previous: Plan | None = None) -> Plan:
    """Save a new version of the client's plan. ``previous`` is the version it was based on; if someone saved a newer
    one in the meantime, nothing is saved (their work is not overwritten)."""
    _check(by, client)
    errors = _validate(plan)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        latest = Plan.objects.select_for_update().filter(client=client).order_by("-version").first()
        if (previous.pk if previous else None) != (latest.pk if latest else None):
            raise ValidationError({"previous": "Er is intussen een nieuwere versie van dit plan opgeslagen. Open de "
                                               "nieuwste versie en voer uw wijzigingen daarin opnieuw in."})
        saved = Plan.objects.create(client=client, version=(latest.version + 1) if latest else 1, previous=latest,
                                    situation=plan.situation.strip(), ambition=plan.ambition.strip(), created_by=by)
        goals = PlanGoal.objects.bulk_create(
            PlanGoal(plan=saved, position=number, kind=goal.kind, description=goal.description.strip(),
                     target=goal.target.strip(), due_on=goal.due_on)
            for number, goal in enumerate(plan.goals, start=1))
        by_number = {goal.position: goal for goal in goals}
        subgoals = []
        for goal, data in zip(goals, plan.goals, strict=True):
            if data.parent is not None:
                goal.parent = by_number[data.parent]
                subgoals.append(goal)
        PlanGoal.objects.bulk_update(subgoals, ["parent"])
        PlanAction.objects.bulk_create(
            PlanAction(plan=saved, position=number, description=action.description.strip(), owner=action.owner,
                       owner_name=action.owner_name.strip(), due_on=action.due_on, done=action.done,
                       goal=by_number.get(action.goal))
            for number, action in enumerate(plan.actions, start=1))
        PlanAgreement.objects.bulk_create(
            PlanAgreement(plan=saved, position=number, text=text.strip())
            for number, text in enumerate(plan.agreements, start=1))
    return saved


def record_agreement(*, plan: Plan, by: User, agreed_on: date, how: str, note: str = "") -> Plan:
    """Record that the client agreed to this version of the plan: when and how."""
    _check(by, plan.client)
    errors = {}
    if plan.agreed_on is not None:
        errors["agreed_on"] = "De cliënt is al akkoord gegaan met deze versie."
    elif Plan.objects.filter(client_id=plan.client_id, version__gt=plan.version).exists():
        errors["agreed_on"] = "Er is een nieuwere versie; de cliënt gaat akkoord met de nieuwste."
    elif agreed_on > timezone.localdate():
        errors["agreed_on"] = "De datum van akkoord kan niet in de toekomst liggen."
    elif agreed_on < timezone.localtime(plan.created_at).date():
        errors["agreed_on"] = "De datum van akkoord ligt voor de datum waarop deze versie is opgesteld."
    if how not in AgreedHow.values:
        errors["how"] = "Kies hoe de cliënt akkoord is gegaan."
    if errors:
        raise ValidationError(errors)
    plan.agreed_on, plan.agreed_how, plan.agreement_note = agreed_on, how, note.strip()[:300]
    plan.save(update_fields=["agreed_on", "agreed_how", "agreement_note"])
    return plan
