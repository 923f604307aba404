"""Contacts, client groups and caseload review campaigns. Each service checks the actor's role and scope and runs in
one transaction."""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.models import User
from kansrijk.accounts.roles import Role
from kansrijk.caseload.models import Client
from kansrijk.caseload.selectors import clients_for

from .models import Campaign, CampaignInvitation, Channel, ClientSegment, Confidentiality, Contact, Segment
from .selectors import CampaignCriteria, campaign_selection


def _check(user: User, client: Client, allowed: frozenset) -> None:
    if not user.has_role(allowed) or not clients_for(user).filter(pk=client.pk).exists():
        raise PermissionDenied


def record_contact(*, client: Client, by: User, contacted_on: date, channel: str, summary: str,
                   with_whom: str = "", follow_up: str = "", follow_up_on: date | None = None,
                   confidentiality: str | None = None) -> Contact:
    """Record a contact. Without a confidentiality level it is "werk en inkomen" for the work-and-income roles and
    "sociaal" for the others: the neighbourhood team writes only what it may read back (the Mens Centraal split)."""
    _check(by, client, roles.RECORDS_CONTACTS)
    sees_work_income = by.has_role(roles.SEES_WORK_INCOME_CONTACTS)
    if confidentiality is None:
        confidentiality = Confidentiality.WERK_INKOMEN if sees_work_income else Confidentiality.SOCIAAL
    errors = {}
    if contacted_on > timezone.localdate():
        errors["contacted_on"] = "Een contact kan niet in de toekomst liggen."
    if channel not in Channel.values:
        errors["channel"] = "Kies het kanaal."
    if not summary.strip():
        errors["summary"] = "Schrijf een kort verslag."
    if confidentiality not in Confidentiality.values:
        errors["confidentiality"] = "Kies de vertrouwelijkheid."
    elif not sees_work_income and confidentiality != Confidentiality.SOCIAAL:
        errors["confidentiality"] = "Het wijkteam legt alleen het sociale deel vast (vertrouwelijkheid: sociaal)."
    if follow_up_on is not None and follow_up_on < contacted_on:
        errors["follow_up_on"] = "Het vervolg ligt voor het contact."
    if errors:
        raise ValidationError(errors)
    contact = Contact(client=client, contacted_on=contacted_on, channel=channel, summary=summary.strip(),
                      with_whom=with_whom.strip(), follow_up=follow_up.strip(), follow_up_on=follow_up_on,
                      confidentiality=confidentiality, author=by)
    contact.full_clean(exclude=["client", "author"])
    contact.save()
    return contact


def place_in_segment(*, client: Client, segment: Segment, by: User) -> ClientSegment:
    """Place a client in a group of a segmentation (one group per segmentation)."""
    _check(by, client, roles.RECORDS_DIAGNOSIS | roles.ASSIGNS_CLIENTS)
    if segment.segmentation.municipality_id != client.municipality_id:
        raise ValidationError({"segment": "Deze klantgroep hoort bij een andere gemeente."})
    with transaction.atomic():
        placed, _ = ClientSegment.objects.update_or_create(
            client=client, segmentation=segment.segmentation,
            defaults={"segment": segment, "placed_by": by, "placed_on": timezone.localdate()})
    return placed


def create_campaign(*, by: User, name: str, criteria: CampaignCriteria) -> Campaign:
    """Select the clients that meet the criteria within the team lead's scope and spread them over client managers:
    a client with a client manager stays with them; the others go to the least-loaded client manager of their team."""
    if not by.has_role(roles.RUNS_CAMPAIGNS):
        raise PermissionDenied
    if not name.strip():
        raise ValidationError({"name": "Geef de doorlichting een naam."})
    municipality = by.municipalities.filter(pk=criteria.municipality_id).first()
    if municipality is None:
        raise ValidationError({"municipality": "Kies een gemeente waarvoor u werkt."})
    if criteria.team_id is not None and not by.teams.filter(pk=criteria.team_id, municipality=municipality).exists():
        raise ValidationError({"team": "Kies een van uw eigen teams in deze gemeente."})
    if criteria.segment_id is not None and not Segment.objects.filter(
            pk=criteria.segment_id, segmentation__municipality=municipality).exists():
        raise ValidationError({"segment": "Kies een klantgroep van deze gemeente."})
    today = timezone.localdate()
    selection = campaign_selection(by, criteria, today=today)
    rows = list(selection.values_list("pk", "client_manager_id", "team_id"))
    if not rows:
        raise ValidationError({"criteria": "Geen enkele cliënt voldoet aan deze selectie."})
    managers_by_team: dict[int, list[int]] = {}
    for user_id, team_id in User.objects.filter(role=Role.KLANTMANAGER, is_active=True,
                                                teams__in={team for _, _, team in rows if team}).values_list(
            "pk", "teams"):
        managers_by_team.setdefault(team_id, []).append(user_id)
    load = Counter(manager for _, manager, _ in rows if manager)
    invitations = []
    for client_id, manager_id, team_id in rows:
        if manager_id is None and managers_by_team.get(team_id):
            manager_id = min(managers_by_team[team_id], key=lambda pk: (load[pk], pk))
            load[manager_id] += 1
        invitations.append((client_id, manager_id))
    with transaction.atomic():
        campaign = Campaign.objects.create(municipality=municipality, name=name.strip(), criteria=criteria.as_dict(),
                                           created_by=by, started_on=today)
        CampaignInvitation.objects.bulk_create(
            (CampaignInvitation(campaign=campaign, client_id=client_id, client_manager_id=manager_id)
             for client_id, manager_id in invitations), batch_size=2000)
    return campaign


def mark_invited(*, campaign: Campaign, client_ids: list[int], by: User, invited_on: date | None = None) -> int:
    """Mark invitations as sent: by the client manager for their own, by a team lead for any in the campaign."""
    if campaign.closed_on is not None:
        raise ValidationError({"campaign": "Deze doorlichting is afgesloten; er kan niets meer worden gemarkeerd."})
    if not by.has_role(roles.HAS_WORKLIST | roles.RUNS_CAMPAIGNS) or not by.municipalities.filter(
            pk=campaign.municipality_id).exists():
        raise PermissionDenied
    # Only clients in the user's own scope; a client manager marks only their own invitations.
    invitations = CampaignInvitation.objects.filter(campaign=campaign, client_id__in=client_ids,
                                                    client__in=clients_for(by))
    if not by.has_role(roles.RUNS_CAMPAIGNS):
        invitations = invitations.filter(client_manager=by)
    return invitations.filter(invited_on__isnull=True).update(invited_on=invited_on or timezone.localdate())


def close_campaign(*, campaign: Campaign, by: User) -> Campaign:
    """End a review: its open invitations leave the worklists; the dashboard stays readable."""
    if not (by.has_role(roles.RUNS_CAMPAIGNS) and by.municipalities.filter(pk=campaign.municipality_id).exists()):
        raise PermissionDenied
    if campaign.closed_on is not None:
        raise ValidationError({"campaign": "Deze doorlichting is al afgesloten."})
    campaign.closed_on = timezone.localdate()
    campaign.save(update_fields=["closed_on"])
    return campaign
