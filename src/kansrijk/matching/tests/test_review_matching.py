"""Findings of the review of issue 5's work matching: the employer team cannot name a client it may not know by
proposing it by id, and a stale page cannot overwrite a decision made in the meantime."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from kansrijk.matching import selection_services
from kansrijk.matching.employers import selectors, services
from kansrijk.matching.models import CandidateInvitation, MatchProposal

from .test_employers import consent, employer, seekers, vacancy  # noqa: F401 (fixtures)
from .test_selection import criteria, people, typical  # noqa: F401 (fixtures)


def test_employer_team_cannot_propose_an_unconsented_client_by_id(world, vacancy, seekers, login):  # noqa: F811
    page = login(world.users["werkgeversdienstverlener"])
    page.post(reverse("employers:vacancy-propose", args=[vacancy.pk]), {"client": world.own.pk,
                                                                      "status": "voorgesteld"})
    assert not MatchProposal.objects.exists()
    # By the code on the list it may (the suggestion stays anonymous), and by id once both consented.
    code = selectors.anonymous_code(vacancy.pk, world.own.pk)
    page.post(reverse("employers:vacancy-propose", args=[vacancy.pk]), {"code": code, "status": "voorgesteld"})
    consent(world, world.teammate)
    page.post(reverse("employers:vacancy-propose", args=[vacancy.pk]), {"client": world.teammate.pk,
                                                                      "status": "voorgesteld"})
    assert set(MatchProposal.objects.values_list("client_id", flat=True)) == {world.own.pk, world.teammate.pk}


def test_api_employer_team_cannot_propose_an_unconsented_client_by_id(world, vacancy, seekers,  # noqa: F811
                                                                      api_login):
    api = api_login(world.users["werkgeversdienstverlener"])
    response = api.post(reverse("api:match-proposal-list"), {"vacancy": vacancy.pk, "client": world.own.pk})
    assert response.status_code == 400 and response.json()["invalidParams"][0]["name"] == "client"
    assert not MatchProposal.objects.exists()
    # The client manager still proposes a client of the team by id.
    km = api_login(world.users["klantmanager"])
    assert km.post(reverse("api:match-proposal-list"), {"vacancy": vacancy.pk, "client": world.teammate.pk}
                   ).status_code == 201


def test_a_stale_proposal_cannot_be_moved_twice(world, vacancy, seekers):  # noqa: F811
    consent(world, world.own)
    km = world.users["klantmanager"]
    proposal = services.propose(by=km, vacancy=vacancy, client=world.own, status="voorgedragen")
    stale = MatchProposal.objects.get(pk=proposal.pk)
    services.advance_proposal(by=km, proposal=proposal, status="aangenomen")
    with pytest.raises(ValidationError):
        services.advance_proposal(by=world.users["werkgeversdienstverlener"], proposal=stale, status="afgewezen",
                                  reason="Te laat gezien")
    proposal.refresh_from_db()
    assert proposal.status == "aangenomen"
    assert [step["status"] for step in proposal.history] == ["voorgedragen", "aangenomen"]


def test_a_stale_invitation_cannot_undo_a_decision(world, people):  # noqa: F811
    manager = world.users["klantmanager"]
    saved = selection_services.create_selection(by=manager, criteria=criteria(world, typical(world)), invite=[])
    invitation = saved.invitations.get(client=people["fits"])
    stale = CandidateInvitation.objects.select_related("client", "selection").get(pk=invitation.pk)
    selection_services.update_invitation(invitation=invitation, by=manager, status="afgezien",
                                         reason="Wil niet meedoen")
    with pytest.raises((PermissionDenied, ValidationError)):
        selection_services.update_invitation(invitation=stale, by=manager, status="uitgenodigd")
    invitation.refresh_from_db()
    assert (invitation.status, invitation.reason) == ("afgezien", "Wil niet meedoen")
