"""Writes of pilot evaluation: defining a pilot and running its evaluation. Each write is one transaction."""

from __future__ import annotations

import time
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kansrijk.catalogue.models import Approach

from . import analysis, selectors
from .models import Pilot, PilotEvaluation, PilotParticipant, PilotStatus


def check_pilot(*, municipality, approach: Approach | None, name: str, starts_on: date | None,
                ends_on: date | None) -> dict[str, str]:
    """Field → why it cannot be used (Dutch), shared by the form and the API."""
    errors = {}
    if not (name or "").strip():
        errors["name"] = _("Geef de pilot een naam.")
    if approach is None:
        errors["approach"] = _("Kies de aanpak van de pilot.")
    elif approach.owner_id not in (None, municipality.pk):
        errors["approach"] = _("Deze aanpak is van een andere gemeente.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("Het einde van de instroomperiode ligt vóór de start.")
    return errors


def create_pilot(*, municipality, by, approach: Approach, name: str, starts_on: date, ends_on: date,
                 description: str = "") -> Pilot:
    errors = check_pilot(municipality=municipality, approach=approach, name=name, starts_on=starts_on,
                         ends_on=ends_on)
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    status = PilotStatus.LOPEND if starts_on <= today else PilotStatus.CONCEPT
    return Pilot.objects.create(municipality=municipality, approach=approach, name=name.strip(), starts_on=starts_on,
                                ends_on=ends_on, description=description.strip(), status=status, created_by=by)


def evaluate_pilot(*, pilot: Pilot, by=None, today: date | None = None) -> PilotEvaluation:
    """Build the comparison group, estimate the effects and store the aggregates; the participants by rule and their
    matches are written as the pilot's snapshot. Raises ``analysis.EvaluationError`` when it cannot be done."""
    today = today or timezone.localdate()
    end = selectors.follow_up_end(pilot)
    if end > today:
        raise analysis.EvaluationError(
            _("De uitstroom wordt %(months)s maanden na de start gemeten: evalueer deze pilot vanaf %(date)s.")
            % {"months": analysis.FOLLOW_UP_MONTHS, "date": end.strftime("%d-%m-%Y")})
    started = time.perf_counter()
    frame, by_rule = selectors.pilot_frame(pilot)
    results, pairs = analysis.evaluate_with_pairs(frame, participants_by_rule=len(by_rule))
    results["start"] = pilot.starts_on.isoformat()
    results["meting_tot"] = end.isoformat()
    parameters = {"kaliper_sd": analysis.CALIPER_SD, "volgperiode_maanden": analysis.FOLLOW_UP_MONTHS,
                  "tredevenster_maanden": list(analysis.LADDER_WINDOW_MONTHS), "kenmerken": analysis.COVARIATES,
                  "verhouding": "1:1", "zonder_teruglegging": True, "seconden": round(time.perf_counter() - started, 2)}
    matched = dict(pairs)
    with transaction.atomic():
        evaluation = PilotEvaluation.objects.create(pilot=pilot, run_by=by, parameters=parameters, results=results)
        PilotParticipant.objects.filter(pilot=pilot).delete()
        PilotParticipant.objects.bulk_create(
            [PilotParticipant(pilot=pilot, client_id=client_id, accepted_on=day, matched_with_id=matched.get(client_id))
             for client_id, day in sorted(by_rule.items())], batch_size=1000)
        if pilot.status != PilotStatus.GEEVALUEERD:
            pilot.status = PilotStatus.GEEVALUEERD
            pilot.save(update_fields=["status"])
    return evaluation
