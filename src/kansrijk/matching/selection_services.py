"""Writing the stepped selection: the user's decision on the shortlist (invite, not invite with a reason, or decide
later) and what came of each invitation. A human decides and the decision is recorded with who, when and the reasons
that were shown (BRIEF §7). Each service checks role and scope and runs in one transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.models import User
from kansrijk.caseload.selectors import clients_for
from kansrijk.catalogue.models import LocalOffer

from .models import CandidateInvitation, CandidateSelection, InvitationStatus
from .selection import SelectionCriteria, select_candidates

REASON_MAX = 1000
# Which status may follow which. ``afgezien`` ends it: a new chance is a new selection.
TRANSITIONS = {
    InvitationStatus.VOORGESTELD: {InvitationStatus.UITGENODIGD, InvitationStatus.AFGEZIEN},
    InvitationStatus.UITGENODIGD: {InvitationStatus.AANGEMELD, InvitationStatus.AFGEZIEN},
    InvitationStatus.AANGEMELD: {InvitationStatus.AFGEZIEN},
    InvitationStatus.AFGEZIEN: set(),
}


def create_selection(*, by: User, criteria: SelectionCriteria, invite: list[int],
                     exclude: dict[int, str] | None = None) -> CandidateSelection:
    """Record a selection: the criteria as applied, the count at every step and every client of the shortlist shown,
    with the recommendation as shown. Clients in ``invite`` are invited; clients in ``exclude`` are not, with the
    reason (required); the others stay ``voorgesteld`` to decide later. The shortlist is computed again here, so a
    client who no longer meets the criteria cannot be invited by a stale page."""
    exclude = exclude or {}
    result = select_candidates(by, criteria)
    shown = {item.client_id: item for item in result.shortlist}
    errors = {}
    invite = list(dict.fromkeys(invite))
    if set(invite) & set(exclude):
        errors["invite"] = "Een cliënt kan niet tegelijk worden uitgenodigd en niet worden uitgenodigd."
    elif not set(invite) <= set(shown) or not set(exclude) <= set(shown):
        errors["invite"] = ("Niet iedere gekozen cliënt staat (nog) op de shortlist. Bekijk de selectie opnieuw en "
                            "kies dan.")
    missing = [shown[pk].client for pk, reason in exclude.items() if pk in shown and not (reason or "").strip()]
    if missing:
        names = ", ".join(client.display_name for client in missing if client is not None)
        errors["exclude"] = f"Geef de reden waarom u deze cliënt niet uitnodigt: {names}."
    if any(len(reason or "") > REASON_MAX for reason in exclude.values()):
        errors["exclude"] = f"Een reden is hooguit {REASON_MAX} tekens."
    if not shown:
        errors["criteria"] = "Niemand staat op de shortlist; er valt niets vast te leggen."
    if errors:
        raise ValidationError(errors)
    now = timezone.now()
    offer = LocalOffer.objects.filter(municipality_id=criteria.municipality_id, approach_id=criteria.approach_id,
                                      active=True).first()
    invited = set(invite)
    with transaction.atomic():
        selection = CandidateSelection.objects.create(
            municipality_id=criteria.municipality_id, approach_id=criteria.approach_id, local_offer=offer,
            created_by=by, created_at=now, counts=result.counts,
            criteria=criteria.as_dict() | {"approach": result.candidate.slug})
        rows = []
        for item in result.shortlist:
            status, reason, decided = InvitationStatus.VOORGESTELD, "", False
            if item.client_id in invited:
                status, decided = InvitationStatus.UITGENODIGD, True
            elif item.client_id in exclude:
                status, reason, decided = InvitationStatus.AFGEZIEN, exclude[item.client_id].strip(), True
            rows.append(CandidateInvitation(
                selection=selection, client_id=item.client_id,
                client_manager_id=item.client.client_manager_id if item.client else None,
                status=status, reason=reason, rank=item.rank, score=item.score,
                explanation=item.recommendation.explanation(),
                invited_by=by if status == InvitationStatus.UITGENODIGD else None,
                invited_at=now if status == InvitationStatus.UITGENODIGD else None,
                decided_by=by if decided else None, decided_at=now if decided else None))
        CandidateInvitation.objects.bulk_create(rows, batch_size=1000)
    return selection


def may_update_in_scope(user: User, invitation: CandidateInvitation, status: str | None = None) -> bool:
    """For an invitation of a client in the user's scope: the client's own client manager records every step;
    whoever made the selection may still decide on the clients they proposed (invite or not)."""
    own = (user.has_role(roles.RECORDS_INVITATION_OUTCOME)
           and invitation.client.client_manager_id == user.pk and bool(TRANSITIONS[invitation.status]))
    proposer = (user.has_role(roles.SELECTS_CANDIDATES) and invitation.selection.created_by_id == user.pk
                and invitation.status == InvitationStatus.VOORGESTELD
                and (status is None or status in TRANSITIONS[InvitationStatus.VOORGESTELD]))
    return own or proposer


def may_update(user: User, invitation: CandidateInvitation, status: str | None = None) -> bool:
    return (may_update_in_scope(user, invitation, status)
            and clients_for(user).filter(pk=invitation.client_id).exists())


def next_statuses(invitation: CandidateInvitation) -> list[tuple[str, str]]:
    """The statuses that may follow the current one, as choices."""
    return [(status.value, status.label) for status in InvitationStatus if status in TRANSITIONS[invitation.status]]


def update_invitation(*, invitation: CandidateInvitation, by: User, status: str,
                      reason: str = "") -> CandidateInvitation:
    """Move an invitation on: voorgesteld → uitgenodigd or afgezien; uitgenodigd → aangemeld or afgezien; aangemeld →
    afgezien (drop-out). ``afgezien`` needs the reason. Records who and when."""
    reason = (reason or "").strip()
    with transaction.atomic():
        # The status as it is now, not as the page showed it: the client manager and the team lead may both decide.
        invitation.status = (CandidateInvitation.objects.select_for_update().values_list("status", flat=True)
                             .get(pk=invitation.pk))
        if not may_update(by, invitation, status):
            raise PermissionDenied
        errors = {}
        if status not in InvitationStatus.values:
            errors["status"] = "Kies een status: uitgenodigd, aangemeld of afgezien."
        elif status not in TRANSITIONS[invitation.status]:
            errors["status"] = (f"Van ‘{invitation.get_status_display().lower()}’ kan de status niet naar "
                                f"‘{InvitationStatus(status).label.lower()}’.")
        if status == InvitationStatus.AFGEZIEN and not reason:
            errors["reason"] = "Geef de reden waarom de cliënt niet (meer) meedoet of niet wordt uitgenodigd."
        if len(reason) > REASON_MAX:
            errors["reason"] = f"Een reden is hooguit {REASON_MAX} tekens."
        if errors:
            raise ValidationError(errors)
        now = timezone.now()
        invitation.status = status
        invitation.reason = reason if status == InvitationStatus.AFGEZIEN else invitation.reason
        invitation.decided_by, invitation.decided_at = by, now
        if status == InvitationStatus.UITGENODIGD:
            invitation.invited_by, invitation.invited_at = by, now
        invitation.save(update_fields=["status", "reason", "decided_by", "decided_at", "invited_by", "invited_at"])
    return invitation
