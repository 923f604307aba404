"""Recording the client manager's decision on a recommended approach. The service checks role and scope and keeps
a snapshot of the reasons shown, so the decision can be read back as it was made (a human decides; BRIEF §7)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from kansrijk.accounts import roles
from kansrijk.accounts.models import User
from kansrijk.caseload.models import Client
from kansrijk.caseload.selectors import client_detail
from kansrijk.catalogue.models import Approach

from .models import Decision, RecommendationDecision
from .selectors import active_offer, recommendations_for


def record_decision(*, client: Client, approach: Approach, by: User, decision: str,
                    reason: str = "") -> RecommendationDecision:
    """Record that ``by`` chose (``gekozen``) or did not choose (``niet_gekozen``, with a reason) ``approach`` for
    ``client``. Only a client manager (``roles.RECOMMENDS_APPROACHES``) for a client in scope
    (``client_detail``), else PermissionDenied; the approach must be in the active local offer of the client's
    municipality, else ValidationError. The recommendation as shown now (status, rank, reasons) is stored with it."""
    if not by.has_role(roles.RECOMMENDS_APPROACHES) or client_detail(user=by, pk=client.pk) is None:
        raise PermissionDenied
    errors = {}
    if decision not in Decision.values:
        errors["decision"] = "Kies ‘gekozen’ of ‘niet gekozen’."
    reason = (reason or "").strip()
    if decision == Decision.NIET_GEKOZEN and not reason:
        errors["reason"] = "Geef de reden waarom deze aanpak niet is gekozen."
    if not active_offer(client.municipality_id).filter(approach=approach).exists():
        errors["approach"] = "Deze aanpak wordt in de gemeente van de cliënt nu niet aangeboden."
    if errors:
        raise ValidationError(errors)
    shown = recommendations_for(by, client).for_approach(approach.pk)
    with transaction.atomic():
        return RecommendationDecision.objects.create(
            client=client, approach=approach, decision=decision, reason=reason, decided_by=by,
            explanation=shown.explanation() if shown else {}, rank=shown.rank if shown else None)
