"""Recording the diagnosis. Each service checks the actor's role and that the client is in the actor's scope, runs in
one transaction, and writes a new record (a correction names the record it corrects; nothing is edited in place)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.models import Municipality, User
from kansrijk.caseload.models import Client
from kansrijk.caseload.selectors import clients_for

from .instruments import EXAMPLE_SETS, LADDER_QUESTIONS, ZRM_DOMAINS, propose_trede
from .models import (
    DistanceClass,
    DistanceJudgement,
    Intake,
    IntakeSpecialCategories,
    LadderMeasurement,
    LadderStep,
    ZrmMeasurement,
    ZrmScore,
)

INTAKE_SPECIAL_FIELDS = ("physical_health", "mental_health", "addiction")


def _check(user: User, client: Client, allowed: frozenset) -> None:
    if not user.has_role(allowed):
        raise PermissionDenied
    if not clients_for(user).filter(pk=client.pk).exists():
        raise PermissionDenied


def _check_date(measured_on: date) -> None:
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": "Een meting kan niet in de toekomst liggen."})


def _check_correction(corrects, model, client) -> None:
    if corrects is None:
        return
    if not isinstance(corrects, model) or corrects.client_id != client.pk:
        raise ValidationError({"corrects": "U kunt alleen een meting van deze cliënt corrigeren."})
    if model.objects.filter(corrects=corrects).exists():
        raise ValidationError({"corrects": "Deze meting is al gecorrigeerd; corrigeer de nieuwste versie."})


def steps_for(municipality_id: int):
    """The steps a professional in this municipality chooses from: its own sub-steps where it has them for a trede,
    otherwise VNG's step."""
    local = list(LadderStep.objects.filter(municipality_id=municipality_id, active=True))
    local_tredes = {step.trede for step in local}
    national = [s for s in LadderStep.objects.filter(municipality__isnull=True) if s.trede not in local_tredes]
    return sorted(local + national, key=lambda step: (step.trede, step.position, step.code))


def record_ladder(
    *,
    client: Client,
    by: User,
    measured_on: date,
    step_ids: list[int],
    answers: dict | None = None,
    override_reason: str = "",
    note: str = "",
    corrects: LadderMeasurement | None = None,
) -> LadderMeasurement:
    """Record the client's place on the ladder. ``step_ids`` are the (sub-)steps the client is on — several at once is
    allowed; the highest is registered. When a question flow was answered and the chosen trede differs from its
    proposal, a reason is required."""
    _check(by, client, roles.RECORDS_DIAGNOSIS)
    _check_date(measured_on)
    _check_correction(corrects, LadderMeasurement, client)
    allowed = {step.pk: step for step in steps_for(client.municipality_id)}
    chosen = [allowed[pk] for pk in dict.fromkeys(step_ids) if pk in allowed]
    if not chosen or len(chosen) != len(set(step_ids)):
        raise ValidationError({"steps": "Kies minstens één trede of substap van uw gemeente."})
    highest = max(chosen, key=lambda step: (step.trede, step.position, step.code))
    unknown = sorted(set(answers or {}) - {key for key, _trede, _question in LADDER_QUESTIONS})
    if unknown:
        raise ValidationError({"answers": f"Onbekende vraag: {', '.join(unknown)}."})
    answers = {key: bool(value) for key, value in (answers or {}).items()}
    proposed = propose_trede(answers)[0] if answers else None
    if proposed is not None and proposed != highest.trede and not override_reason.strip():
        raise ValidationError({"override_reason": f"De vragen wijzen op trede {proposed}; u kiest trede "
                                                  f"{highest.trede}. Geef de reden van de afwijking."})
    with transaction.atomic():
        measurement = LadderMeasurement.objects.create(
            client=client, measured_on=measured_on, measured_by=by, trede=highest.trede, step=highest,
            proposed_trede=proposed, answers=answers, override_reason=override_reason.strip(), note=note.strip(),
            corrects=corrects)
        measurement.substeps.set([step for step in chosen if step.is_substep])
    return measurement


def record_zrm(
    *,
    client: Client,
    by: User,
    measured_on: date,
    version: str,
    levels: dict[str, int],
    note: str = "",
    corrects: ZrmMeasurement | None = None,
) -> ZrmMeasurement:
    """Record a Zelfredzaamheidsmatrix: every domain of the version, each a whole level 1–5."""
    _check(by, client, roles.RECORDS_DIAGNOSIS)
    _check_date(measured_on)
    _check_correction(corrects, ZrmMeasurement, client)
    if version not in ZRM_DOMAINS:
        raise ValidationError({"version": "Kies de versie van de ZRM."})
    domains = [key for key, _ in ZRM_DOMAINS[version]]
    errors = {}
    for domain in domains:
        level = levels.get(domain)
        if level is None or level == "":
            errors[domain] = "Vul elk domein in."
        elif isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            errors[domain] = "Kies een heel niveau van 1 tot en met 5 (geen halve scores)."
    for domain in set(levels) - set(domains):
        errors[domain] = f"Geen domein van ZRM {version}."
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        measurement = ZrmMeasurement.objects.create(client=client, measured_on=measured_on, measured_by=by,
                                                    version=version, note=note.strip(), corrects=corrects)
        ZrmScore.objects.bulk_create(ZrmScore(measurement=measurement, domain=domain, level=levels[domain])
                                     for domain in domains)
    return measurement


def record_intake(*, client: Client, by: User, measured_on: date, values: dict, special: dict | None = None,
                  corrects: Intake | None = None) -> Intake:
    """Record a life-domain intake. ``special`` holds the special categories (health, addiction); a user who may not
    see a category may not write it either."""
    _check(by, client, roles.RECORDS_DIAGNOSIS)
    _check_date(measured_on)
    _check_correction(corrects, Intake, client)
    special = {key: (value or "").strip() for key, value in (special or {}).items() if key in INTAKE_SPECIAL_FIELDS}
    if (special.get("physical_health") or special.get("mental_health")) and not by.has_role(roles.SEES_HEALTH):
        raise PermissionDenied
    if special.get("addiction") and not by.has_role(roles.SEES_ADDICTION):
        raise PermissionDenied
    intake = Intake(client=client, measured_on=measured_on, measured_by=by, corrects=corrects, **values)
    intake.full_clean(exclude=["client", "measured_by", "corrects"])
    with transaction.atomic():
        intake.save()
        if any(special.values()):
            IntakeSpecialCategories.objects.create(intake=intake, **special)
    return intake


def judge_distance(*, client: Client, by: User, distance: str, reason: str, derived: str = "") -> DistanceJudgement:
    """The professional's own judgement of the distance to the labour market, with the reason in words."""
    _check(by, client, roles.JUDGES_DISTANCE)
    if distance not in DistanceClass.values:
        raise ValidationError({"distance": "Kies klein, middel, groot of zeer groot."})
    if not reason.strip():
        raise ValidationError({"reason": "Geef de reden van uw oordeel."})
    return DistanceJudgement.objects.create(client=client, distance=distance, derived=derived or "",
                                            reason=reason.strip(), judged_by=by, judged_on=timezone.localdate())


def adopt_example_substeps(*, municipality: Municipality, example: str = "heemskerk") -> int:
    """Give a municipality an example set of local sub-steps (Heemskerk's 1 "Rust" and 2.1–2.6). Idempotent."""
    created = 0
    for code, trede, position, name, criterion in EXAMPLE_SETS[example]:
        _, is_new = LadderStep.objects.get_or_create(
            municipality=municipality, code=code,
            defaults={"trede": trede, "position": position, "name": name, "criterion": criterion})
        created += is_new
    return created
