"""Writing plans of action. A save is always a new version built on the latest one, and only on the version the
editor started from (optimistic locking: a stale edit is a ``PlanConflict``, never a lost update); nothing is edited
in place except the client's agreement, which is recorded once on the version it concerns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.models import User
from kansrijk.caseload.models import Client
from kansrijk.caseload.selectors import clients_for
from kansrijk.catalogue.models import LocalOffer
from kansrijk.core.bulk import insert_rows
from kansrijk.core.dates import add_months

from . import codes
from .codes import ReferralStatus, ReportKind, SharedItem, TrajectoryStatus
from .models import (
    AftercareTask,
    AgreedHow,
    GoalKind,
    Owner,
    Plan,
    PlanAction,
    PlanAgreement,
    PlanGoal,
    Provider,
    Referral,
    ReportGoalProgress,
    Trajectory,
    TrajectoryPause,
    TrajectoryReport,
)


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


class PlanConflict(Exception):
    """Someone saved a newer version of the plan after the one this edit (or agreement) was based on: nothing was
    saved, so their work is not overwritten. ``latest`` is the version that is current now."""

    def __init__(self, *, latest: Plan, based_on_version: int | None):
        self.latest, self.based_on_version = latest, based_on_version
        super().__init__(f"Het plan van aanpak is intussen gewijzigd (nu versie {latest.version}); uw wijziging "
                         f"was gebaseerd op {f'versie {based_on_version}' if based_on_version else 'geen plan'}.")


def _latest_version(client: Client) -> Plan | None:
    return Plan.objects.filter(client=client).select_related("created_by").order_by("-version").first()


def save_plan(*, client: Client, by: User, plan: PlanInput, based_on_version: int | None) -> Plan:
    """Save a new version of the client's plan (optimistic locking). ``based_on_version`` is the version the edit
    started from, ``None`` only for the very first plan. If the latest version is another one, someone saved in the
    meantime: nothing is saved and ``PlanConflict`` says who and when, so their work is not silently overwritten.

    Two saves racing on the same base are serialised by locking the latest version's row; the first plan has no row
    to lock, and there (and as a backstop everywhere) the unique (client, version) constraint makes the loser fail,
    which is reported as the same conflict."""
    _check(by, client)
    errors = _validate(plan)
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            latest = Plan.objects.select_for_update().filter(client=client).order_by("-version").first()
            current = latest.version if latest else None
            if based_on_version != current:
                if based_on_version is not None and (current is None or based_on_version > current):
                    raise ValidationError({"based_on_version": f"Versie {based_on_version} van dit plan bestaat "
                                                               f"niet."})
                raise PlanConflict(latest=_latest_version(client), based_on_version=based_on_version)
            saved = _create_version(client, by, plan, latest)
    except IntegrityError:
        latest = _latest_version(client)
        if latest is None or latest.version == based_on_version:
            raise
        raise PlanConflict(latest=latest, based_on_version=based_on_version) from None
    return saved


def _create_version(client: Client, by: User, plan: PlanInput, latest: Plan | None) -> Plan:
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
    """Record that the client agreed to this version of the plan: when and how. The version is locked and read again
    first: a version saved meanwhile (the client would agree to an outdated plan) is a ``PlanConflict``, and a second
    submit does not overwrite the first agreement. ``save_plan`` locks the same row, so the two cannot interleave."""
    _check(by, plan.client)
    with transaction.atomic():
        locked = Plan.objects.select_for_update().get(pk=plan.pk)
        newer = _latest_version(plan.client)
        if newer is not None and newer.version > locked.version:
            raise PlanConflict(latest=newer, based_on_version=locked.version)
        errors = {}
        if locked.agreed_on is not None:
            errors["agreed_on"] = "De cliënt is al akkoord gegaan met deze versie."
        elif agreed_on > timezone.localdate():
            errors["agreed_on"] = "De datum van akkoord kan niet in de toekomst liggen."
        elif agreed_on < timezone.localtime(locked.created_at).date():
            errors["agreed_on"] = "De datum van akkoord ligt voor de datum waarop deze versie is opgesteld."
        if how not in AgreedHow.values:
            errors["how"] = "Kies hoe de cliënt akkoord is gegaan."
        if errors:
            raise ValidationError(errors)
        plan.agreed_on, plan.agreed_how, plan.agreement_note = agreed_on, how, note.strip()[:300]
        plan.save(update_fields=["agreed_on", "agreed_how", "agreement_note"])
    return plan


# --- Referrals and trajectories (issue 5) ----------------------------------------------------------------------------
#
# Every service checks who may do it on which record: a provider's user only on referrals to its own provider, a
# client manager only on clients in scope (``clients_for``). Errors are keyed by the input's field names, in Dutch.


def provider_of(user: User) -> Provider | None:
    if not user.has_role(roles.DELIVERS_TRAJECTORIES):
        return None
    return Provider.objects.filter(members__user=user, active=True).first()


def _may_work_on(user: User, referral: Referral) -> bool:
    if user.has_role(roles.DELIVERS_TRAJECTORIES):
        return Provider.objects.filter(pk=referral.provider_id, members__user=user).exists()
    if user.has_role(roles.RECORDS_TRAJECTORY_PROGRESS):
        return clients_for(user).filter(pk=referral.client_id).exists()
    return False


def _not_in_future(errors: dict, key: str, day: date | None, what: str) -> None:
    if day is not None and day > timezone.localdate():
        errors.setdefault(key, f"{what} kan niet in de toekomst liggen.")


def _snapshot(client: Client, items: list[str], goal_ids: list[int], errors: dict) -> dict:
    """Exactly the ticked items, read now and stored: the provider reads this, never the client file."""
    from kansrijk.diagnosis.models import Intake, LadderMeasurement

    shared: dict = {"gedeeld": sorted(items)}
    if SharedItem.NAAM in items:
        shared["naam"] = client.display_name
        shared["clientnummer"] = client.client_number
    if SharedItem.GEBOORTEJAAR in items:
        shared["geboortejaar"] = client.birth_year
    if SharedItem.TREDE in items:
        ladder = (LadderMeasurement.objects.filter(client=client, corrected_by__isnull=True)
                  .order_by("-measured_on", "-id").values("trede", "measured_on").first())
        shared["trede"] = ({"trede": ladder["trede"], "gemeten_op": ladder["measured_on"].isoformat()}
                           if ladder else None)
    intake_items = {SharedItem.BELASTBAARHEID, SharedItem.TAAL, SharedItem.PRAKTISCH, SharedItem.OPLEIDING_WERK}
    if intake_items & set(items):
        intake = (Intake.objects.filter(client=client, corrected_by__isnull=True).order_by("-measured_on", "-id")
                  .first())
        if SharedItem.BELASTBAARHEID in items:
            shared["belastbaarheid_uren_per_week"] = intake.hours_per_week if intake else None
        if SharedItem.TAAL in items:
            shared["taal"] = ({"spreken": intake.dutch_speaking, "luisteren": intake.dutch_listening,
                               "lezen": intake.dutch_reading, "schrijven": intake.dutch_writing} if intake else None)
        if SharedItem.PRAKTISCH in items:
            shared["praktisch"] = ({"kinderopvang_nodig": intake.childcare_needed,
                                    "kinderopvang_geregeld": intake.childcare_arranged,
                                    "vervoer": intake.get_transport_display() if intake.transport else "",
                                    "rijbewijs": intake.driving_licence} if intake else None)
        if SharedItem.OPLEIDING_WERK in items:
            shared["opleiding_werk"] = ({"opleiding": intake.get_education_display() if intake.education else "",
                                         "werkervaring": intake.work_experience} if intake else None)
    if SharedItem.DOELEN in items:
        latest = Plan.objects.filter(client=client).order_by("-version").first()
        goals = {goal.pk: goal for goal in PlanGoal.objects.filter(plan=latest)} if latest else {}
        if not goal_ids:
            errors["goals"] = "Kies welke doelen uit het plan van aanpak u deelt, of vink 'doelen' uit."
        elif any(pk not in goals for pk in goal_ids):
            errors["goals"] = "Kies doelen uit het nieuwste plan van aanpak van deze cliënt."
        else:
            shared["plan_versie"] = latest.version
            shared["doelen"] = [{"id": goal.pk, "nummer": goal.position, "soort": goal.get_kind_display(),
                                 "omschrijving": goal.description, "meetbaar": goal.target,
                                 "datum": goal.due_on.isoformat() if goal.due_on else None}
                                for goal in sorted((goals[pk] for pk in set(goal_ids)), key=lambda g: g.position)]
    return shared


def refer(*, client: Client, by: User, approach, provider: Provider, question: str, shared_items: list[str],
          goal_ids: list[int] | None = None, local_offer=None, referred_on: date | None = None) -> Referral:
    """Refer the client to a provider's approach, sharing only the ticked items (a snapshot taken now)."""
    if not by.has_role(roles.REFERS_CLIENTS) or not clients_for(by).filter(pk=client.pk).exists():
        raise PermissionDenied
    referred_on = referred_on or timezone.localdate()
    goal_ids = list(goal_ids or [])
    items = list(dict.fromkeys(shared_items))
    if goal_ids and SharedItem.DOELEN not in items:
        items.append(SharedItem.DOELEN)
    errors: dict[str, str] = {}
    if not question.strip():
        errors["question"] = "Schrijf op wat u de aanbieder vraagt: wat moet het traject opleveren?"
    if not provider.active or not provider.municipalities.filter(pk=client.municipality_id).exists():
        errors["provider"] = "Deze aanbieder werkt niet (meer) voor de gemeente van deze cliënt."
    if approach.retired_at is not None:
        errors["approach"] = "Deze aanpak wordt niet meer aangeboden."
    if local_offer is None:
        # A referral is to the municipality's own offer (its menukaart), whichever way the approach was named.
        local_offer = LocalOffer.objects.filter(approach=approach, municipality_id=client.municipality_id,
                                                active=True).first()
        if local_offer is None:
            errors.setdefault("approach", "Deze aanpak wordt niet aangeboden in de gemeente van deze cliënt.")
    elif (local_offer.approach_id != approach.pk or local_offer.municipality_id != client.municipality_id
          or not local_offer.active):
        errors["local_offer"] = ("Dit lokale aanbod hoort niet bij deze aanpak of gemeente, of wordt niet meer "
                                 "aangeboden.")
    unknown = [item for item in items if item not in SharedItem.values]
    if unknown:
        errors["shared_items"] = "Onbekend gegeven om te delen: " + ", ".join(unknown) + "."
    _not_in_future(errors, "referred_on", referred_on, "De datum van verwijzing")
    if Referral.objects.filter(client=client, provider=provider, approach=approach,
                               status=ReferralStatus.VERWEZEN).exists():
        errors.setdefault("provider", "Deze cliënt is al naar deze aanbieder verwezen voor deze aanpak; de "
                                      "terugmelding is nog niet binnen.")
    shared = _snapshot(client, items, goal_ids, errors) if not unknown else {}
    if errors:
        raise ValidationError(errors)
    return Referral.objects.create(client=client, approach=approach, local_offer=local_offer, provider=provider,
                                   referred_by=by, referred_on=referred_on, question=question.strip(), shared=shared)


def _locked_referral(referral: Referral) -> Referral:
    return Referral.objects.select_for_update().select_related("approach").get(pk=referral.pk)


def accept_referral(*, referral: Referral, by: User, accepted_on: date | None = None,
                    srg_provision: str = "", note: str = "") -> Trajectory:
    """The provider takes the client on: the referral becomes a trajectory (status aangemeld until the start)."""
    if not by.has_role(roles.DELIVERS_TRAJECTORIES) or not _may_work_on(by, referral):
        raise PermissionDenied
    accepted_on = accepted_on or timezone.localdate()
    with transaction.atomic():
        referral = _locked_referral(referral)
        errors: dict[str, str] = {}
        if referral.status != ReferralStatus.VERWEZEN:
            errors["status"] = f"Deze verwijzing is al {referral.get_status_display().lower()}."
        if accepted_on < referral.referred_on:
            errors["accepted_on"] = "De datum van acceptatie ligt vóór de datum van verwijzing."
        _not_in_future(errors, "accepted_on", accepted_on, "De datum van acceptatie")
        srg = srg_provision or referral.approach.srg_category or codes.SrgProvision.OVERIGE
        if srg not in codes.SrgProvision.values:
            errors["srg_provision"] = "Kies een SRG-voorziening uit de lijst."
        if errors:
            raise ValidationError(errors)
        referral.status, referral.answered_by, referral.answered_on = ReferralStatus.GEACCEPTEERD, by, accepted_on
        referral.answer_note = note.strip()
        referral.save(update_fields=["status", "answered_by", "answered_on", "answer_note"])
        return Trajectory.objects.create(referral=referral, client_id=referral.client_id,
                                         provider_id=referral.provider_id, srg_provision=srg,
                                         accepted_on=accepted_on)


def decline_referral(*, referral: Referral, by: User, reason: str, note: str = "",
                     declined_on: date | None = None) -> Referral:
    """The terugmelding of a decline: a coded reason, and the advice to the client manager (seed 000 L113)."""
    if not by.has_role(roles.DELIVERS_TRAJECTORIES) or not _may_work_on(by, referral):
        raise PermissionDenied
    declined_on = declined_on or timezone.localdate()
    with transaction.atomic():
        referral = _locked_referral(referral)
        errors: dict[str, str] = {}
        if referral.status != ReferralStatus.VERWEZEN:
            errors["status"] = f"Deze verwijzing is al {referral.get_status_display().lower()}."
        if reason not in codes.DeclineReason.values:
            errors["reason"] = "Kies de reden van de afwijzing."
        elif reason == codes.DeclineReason.OVERIG and not note.strip():
            errors["note"] = "Licht de reden toe: de klantmanager moet weten waarom en wat nu."
        if declined_on < referral.referred_on:
            errors["declined_on"] = "De datum ligt vóór de datum van verwijzing."
        _not_in_future(errors, "declined_on", declined_on, "De datum van de terugmelding")
        if errors:
            raise ValidationError(errors)
        referral.status, referral.answered_by, referral.answered_on = ReferralStatus.AFGEWEZEN, by, declined_on
        referral.decline_reason, referral.answer_note = reason, note.strip()
        referral.save(update_fields=["status", "answered_by", "answered_on", "decline_reason", "answer_note"])
    return referral


def withdraw_referral(*, referral: Referral, by: User, note: str = "") -> Referral:
    """The client manager withdraws a referral that has not been answered yet."""
    if not by.has_role(roles.REFERS_CLIENTS) or not _may_work_on(by, referral):
        raise PermissionDenied
    with transaction.atomic():
        referral = _locked_referral(referral)
        if referral.status != ReferralStatus.VERWEZEN:
            raise ValidationError({"status": "Alleen een verwijzing zonder terugmelding kan worden ingetrokken."})
        referral.status, referral.answer_note = ReferralStatus.INGETROKKEN, note.strip()
        referral.answered_by, referral.answered_on = by, timezone.localdate()
        referral.save(update_fields=["status", "answer_note", "answered_by", "answered_on"])
    return referral


@dataclass
class GoalProgressInput:
    goal: int
    status: str
    note: str = ""


@dataclass
class ReportInput:
    kind: str
    reported_on: date
    text: str = ""
    period_from: date | None = None
    period_until: date | None = None
    sessions_planned: int | None = None
    sessions_attended: int | None = None
    goals: list[GoalProgressInput] = field(default_factory=list)
    advised_trede: int | None = None
    advice_reason: str = ""


def reportable_goal_ids(trajectory: Trajectory, user: User) -> list[int]:
    """The plan goals a report may refer to: those shared with the provider; a client manager may also report on
    the goals of the client's latest plan."""
    ids = list(trajectory.referral.shared_goal_ids)
    if not user.has_role(roles.DELIVERS_TRAJECTORIES):
        latest = Plan.objects.filter(client_id=trajectory.client_id).order_by("-version").first()
        if latest is not None:
            ids += [pk for pk in latest.goals.values_list("pk", flat=True) if pk not in ids]
    return ids


def _locked_trajectory(trajectory: Trajectory) -> Trajectory:
    return Trajectory.objects.select_for_update().select_related("referral").get(pk=trajectory.pk)


def _check_progress(user: User, trajectory: Trajectory) -> None:
    if not user.has_role(roles.RECORDS_TRAJECTORY_PROGRESS) or not _may_work_on(user, trajectory.referral):
        raise PermissionDenied


def record_report(*, trajectory: Trajectory, by: User, report: ReportInput) -> TrajectoryReport:
    """A report in the standard form. An intake report sets the intake date, a start report the start date."""
    _check_progress(by, trajectory)
    with transaction.atomic():
        trajectory = _locked_trajectory(trajectory)
        errors: dict[str, str] = {}
        if trajectory.is_ended:
            errors["kind"] = "Dit traject is beëindigd; er kan geen rapportage meer bij."
        if report.kind not in dict(codes.FORM_REPORT_KINDS):
            errors.setdefault("kind", "Kies het soort rapportage (de eindrapportage hoort bij het beëindigen).")
        if report.reported_on < trajectory.accepted_on:
            errors["reported_on"] = "De datum ligt vóór de acceptatie van de verwijzing."
        _not_in_future(errors, "reported_on", report.reported_on, "De datum")
        if report.kind == ReportKind.INTAKE and trajectory.intake_on is not None:
            errors.setdefault("kind", f"De intake is al vastgelegd ({trajectory.intake_on:%d-%m-%Y}).")
        if report.kind == ReportKind.START:
            if trajectory.start_on is not None:
                errors.setdefault("kind", f"De start is al vastgelegd ({trajectory.start_on:%d-%m-%Y}).")
            elif trajectory.intake_on is not None and report.reported_on < trajectory.intake_on:
                errors["reported_on"] = "De start ligt vóór de intake."
        if report.period_from and report.period_until and report.period_until < report.period_from:
            errors["period_until"] = "Het einde van de periode ligt vóór het begin."
        planned, attended = report.sessions_planned, report.sessions_attended
        if (planned is None) != (attended is None):
            errors["sessions_attended"] = "Vul zowel de geplande als de nagekomen afspraken in, of geen van beide."
        elif planned is not None and attended > planned:
            errors["sessions_attended"] = "Er kunnen niet meer afspraken zijn nagekomen dan er gepland waren."
        if report.kind == ReportKind.AANWEZIGHEID and planned is None:
            errors.setdefault("sessions_planned", "Een aanwezigheidsrapportage noemt de geplande en nagekomen "
                                                  "afspraken.")
        allowed = set(reportable_goal_ids(trajectory, by))
        seen = set()
        for index, progress in enumerate(report.goals):
            if progress.goal not in allowed:
                errors[f"goals[{index}].goal"] = "Dit doel is niet met de aanbieder gedeeld of hoort niet bij het plan."
            elif progress.goal in seen:
                errors[f"goals[{index}].goal"] = "Dit doel staat twee keer in de rapportage."
            seen.add(progress.goal)
            if progress.status not in codes.GoalProgress.values:
                errors[f"goals[{index}].status"] = "Kies de voortgang op dit doel."
        if report.advised_trede is not None:
            if not 1 <= report.advised_trede <= 6:
                errors["advised_trede"] = "Een trede ligt tussen 1 en 6."
            elif not report.advice_reason.strip():
                errors["advice_reason"] = "Onderbouw het advies over de trede; de klantmanager beslist."
        if (report.kind == ReportKind.VOORTGANG and not report.text.strip() and not report.goals
                and report.advised_trede is None and planned is None):
            errors["text"] = "Een voortgangsrapportage zonder inhoud: beschrijf de voortgang of vul de doelen in."
        if errors:
            raise ValidationError(errors)
        saved = TrajectoryReport.objects.create(
            trajectory=trajectory, kind=report.kind, reported_on=report.reported_on, period_from=report.period_from,
            period_until=report.period_until, sessions_planned=planned, sessions_attended=attended,
            advised_trede=report.advised_trede, advice_reason=report.advice_reason.strip(), text=report.text.strip(),
            author=by)
        ReportGoalProgress.objects.bulk_create(
            ReportGoalProgress(report=saved, goal_id=item.goal, status=item.status, note=item.note.strip()[:500])
            for item in report.goals)
        if report.kind == ReportKind.INTAKE:
            trajectory.intake_on = report.reported_on
            trajectory.save(update_fields=["intake_on"])
        elif report.kind == ReportKind.START:
            trajectory.start_on = report.reported_on
            if trajectory.status == TrajectoryStatus.AANGEMELD:
                trajectory.status = TrajectoryStatus.LOPEND
            trajectory.save(update_fields=["start_on", "status"])
    return saved


def pause_trajectory(*, trajectory: Trajectory, by: User, starts_on: date, reason: str, until: date | None = None,
                     note: str = "") -> TrajectoryPause:
    """A pause, e.g. a hospital stay. Without ``until`` the pause lasts until the trajectory is resumed."""
    _check_progress(by, trajectory)
    with transaction.atomic():
        trajectory = _locked_trajectory(trajectory)
        errors: dict[str, str] = {}
        if trajectory.is_ended:
            errors["starts_on"] = "Dit traject is beëindigd; het kan niet meer worden gepauzeerd."
        if starts_on < trajectory.accepted_on:
            errors["starts_on"] = "De pauze begint vóór de acceptatie van de verwijzing."
        if until is not None and until < starts_on:
            errors["until"] = "Het einde van de pauze ligt vóór het begin."
        if reason not in codes.PauseReason.values:
            errors["reason"] = "Kies de reden van de pauze."
        if reason == codes.PauseReason.OVERIG and not note.strip():
            errors["note"] = "Licht de reden van de pauze toe."
        end = until or date.max
        for other in trajectory.pauses.all():
            if other.starts_on <= end and starts_on <= (other.until or date.max):
                errors.setdefault("starts_on", f"Deze pauze overlapt met de pauze vanaf {other.starts_on:%d-%m-%Y}.")
        if errors:
            raise ValidationError(errors)
        pause = TrajectoryPause.objects.create(trajectory=trajectory, starts_on=starts_on, until=until, reason=reason,
                                               note=note.strip(), recorded_by=by)
        if until is None:
            trajectory.status = TrajectoryStatus.GEPAUZEERD
            trajectory.save(update_fields=["status"])
    return pause


def resume_trajectory(*, trajectory: Trajectory, by: User, until: date) -> TrajectoryPause:
    """End the open pause: ``until`` is its last day."""
    _check_progress(by, trajectory)
    with transaction.atomic():
        trajectory = _locked_trajectory(trajectory)
        pause = trajectory.pauses.filter(until__isnull=True).first()
        if pause is None:
            raise ValidationError({"until": "Dit traject heeft geen lopende pauze."})
        if until < pause.starts_on:
            raise ValidationError({"until": f"De pauze begon op {pause.starts_on:%d-%m-%Y}; het einde kan niet "
                                            f"eerder liggen."})
        pause.until = until
        pause.save(update_fields=["until"])
        trajectory.status = TrajectoryStatus.LOPEND if trajectory.start_on else TrajectoryStatus.AANGEMELD
        trajectory.save(update_fields=["status"])
    return pause


def schedule_aftercare(outflow: list[tuple[int, date]], *, trajectories: dict[int, int] | None = None) -> int:
    """Aftercare contacts for clients who left the benefit on the given date, at the agreed moments
    (``KANSRIJK_NAZORG_MONTHS``). A client already in aftercare for an outflow in the half year before gets no second
    series (a trajectory's end and the benefit's end a month later are one outflow). Bulk: the import may end
    thousands of spells."""
    from django.conf import settings

    if not outflow:
        return 0
    months = settings.KANSRIJK_NAZORG_MONTHS
    trajectories = trajectories or {}
    earliest = min(day for _client, day in outflow)
    recent: dict[int, date] = {}
    client_ids = [client_id for client_id, _day in outflow]
    for start in range(0, len(client_ids), 5000):
        for client_id, day in AftercareTask.objects.filter(
                client_id__in=client_ids[start:start + 5000],
                outflow_on__gte=add_months(earliest, -6)).values_list("client_id", "outflow_on"):
            recent[client_id] = max(day, recent.get(client_id, day))
    rows = []
    for client_id, day in dict(outflow).items():
        previous = recent.get(client_id)
        if previous is not None and add_months(previous, -6) <= day <= add_months(previous, 6):
            continue
        rows += [(client_id, trajectories.get(client_id), day, add_months(day, n), n, "", "") for n in months]
    # One COPY / executemany however many clients left: no per-row queries inside the import's transaction. The
    # half-year check above keeps the (client, outflow, moment) constraint from being hit.
    insert_rows(AftercareTask, ["client", "trajectory", "outflow_on", "due_on", "months_after", "outcome", "note"],
                rows)
    return len(rows)


def end_trajectory(*, trajectory: Trajectory, by: User, end_on: date, reason: str, result: str,
                   dropout_reason: str = "", note: str = "", satisfaction: int | None = None) -> Trajectory:
    """End the trajectory with a coded reason and result; drop-out is the reason ``uitval`` with its own reason.
    An open pause ends with it. Outflow (to work or education) starts the aftercare. ``satisfaction`` is the
    client's optional mark (1–10) for the trajectory."""
    _check_progress(by, trajectory)
    with transaction.atomic():
        trajectory = _locked_trajectory(trajectory)
        errors: dict[str, str] = {}
        if trajectory.is_ended:
            errors["end_on"] = f"Dit traject is al beëindigd op {trajectory.end_on:%d-%m-%Y}."
        first = trajectory.start_on or trajectory.accepted_on
        if end_on < first:
            errors["end_on"] = (f"De einddatum ligt vóór de start ({first:%d-%m-%Y})." if trajectory.start_on
                                else f"De einddatum ligt vóór de acceptatie ({first:%d-%m-%Y}).")
        _not_in_future(errors, "end_on", end_on, "De einddatum")
        if reason not in codes.EndReason.values:
            errors["reason"] = "Kies de reden van het einde."
        if result not in codes.Result.values:
            errors["result"] = "Kies het resultaat."
        if reason == codes.EndReason.UITVAL and dropout_reason not in codes.DropoutReason.values:
            errors["dropout_reason"] = "Kies de reden van de uitval."
        elif reason != codes.EndReason.UITVAL and dropout_reason:
            errors["dropout_reason"] = "Een reden van uitval hoort alleen bij het einde 'uitval'."
        if reason in (codes.EndReason.UITVAL, codes.EndReason.OVERIG) and not note.strip():
            errors.setdefault("note", "Licht het einde toe in de eindrapportage.")
        if satisfaction is not None and not (isinstance(satisfaction, int) and 1 <= satisfaction <= 10):
            errors["satisfaction"] = "Het rapportcijfer van de cliënt is een heel getal van 1 tot en met 10."
        if errors:
            raise ValidationError(errors)
        open_pause = trajectory.pauses.filter(until__isnull=True).first()
        if open_pause is not None:
            open_pause.until = max(open_pause.starts_on, end_on)
            open_pause.save(update_fields=["until"])
        trajectory.status, trajectory.end_on, trajectory.ended_by = TrajectoryStatus.BEEINDIGD, end_on, by
        trajectory.end_reason, trajectory.result, trajectory.dropout_reason = reason, result, dropout_reason
        trajectory.satisfaction = satisfaction
        trajectory.save(update_fields=["status", "end_on", "ended_by", "end_reason", "result", "dropout_reason",
                                       "satisfaction"])
        TrajectoryReport.objects.create(trajectory=trajectory, kind=ReportKind.EIND, reported_on=end_on,
                                        text=note.strip(), author=by)
        if result in codes.OUTFLOW_RESULTS:
            schedule_aftercare([(trajectory.client_id, end_on)], trajectories={trajectory.client_id: trajectory.pk})
    return trajectory


def complete_aftercare(*, task: AftercareTask, by: User, outcome: str, note: str = "",
                       done_on: date | None = None) -> AftercareTask:
    """Record the aftercare contact: how it went (or that the client was not reached)."""
    if not by.has_role(roles.FOLLOWS_AFTERCARE) or not clients_for(by).filter(pk=task.client_id).exists():
        raise PermissionDenied
    done_on = done_on or timezone.localdate()
    with transaction.atomic():
        # Whether it was done is read now, not from the page: a second submit must not overwrite the first.
        task.done_on = AftercareTask.objects.select_for_update().values_list("done_on", flat=True).get(pk=task.pk)
        errors: dict[str, str] = {}
        if task.done_on is not None:
            errors["outcome"] = f"Deze nazorg is al vastgelegd op {task.done_on:%d-%m-%Y}."
        if outcome not in codes.AftercareOutcome.values:
            errors.setdefault("outcome", "Kies hoe het contact ging.")
        if outcome == codes.AftercareOutcome.CONTACT_ZORG and not note.strip():
            errors["note"] = "Beschrijf welke zorg of hulp nodig is."
        _not_in_future(errors, "done_on", done_on, "De datum")
        if errors:
            raise ValidationError(errors)
        task.done_on, task.done_by, task.outcome, task.note = done_on, by, outcome, note.strip()[:500]
        task.save(update_fields=["done_on", "done_by", "outcome", "note"])
    return task
