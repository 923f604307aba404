"""The in-view API: contacts nested under a client, the worklist and review campaigns."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kansrijk.audit.models import AccessLog
from kansrijk.caseload.models import Client
from kansrijk.caseload.tests.factories import ClientFactory
from kansrijk.inview import services
from kansrijk.inview.models import (
    Campaign,
    CampaignInvitation,
    ClientSegment,
    Contact,
    ContactRhythmRule,
    Segment,
    Segmentation,
)
from kansrijk.inview.selectors import CampaignCriteria, Reason


def contacts_url(client):
    return reverse("api:client-contacts-list", kwargs={"client_pk": client.pk})


def problem(response):
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    return response.json()


def invalid(response) -> set[str]:
    assert response.status_code == 400, response.content
    return {param["name"] for param in problem(response)["invalidParams"]}


def contact(world, client, days_ago=1, by="klantmanager", **extra):
    values = {"channel": "persoonlijk", "summary": "Gesprek", **extra}
    return services.record_contact(client=client, by=world.users[by],
                                   contacted_on=timezone.localdate() - timedelta(days=days_ago), **values)


@pytest.fixture
def rhythm(world):
    Client.objects.filter(pk__in=[world.own.pk, world.teammate.pk]).update(active_spell_start=date(2018, 1, 1))
    ContactRhythmRule.objects.create(municipality=world.muni, name="Langdurig jaarlijks", interval_days=365,
                                     min_benefit_years=2)
    return world


# --- contacts ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role, read, write", [
    ("klantmanager", 200, 201), ("teamleider", 200, 201), ("wijkteammedewerker", 200, 201),
    ("beheerder", 403, 403), ("beleidsmedewerker", 403, 403), ("aanbieder", 403, 403),
    ("werkgeversdienstverlener", 403, 403)])
def test_contacts_per_role(world, api_login, role, read, write):
    api = api_login(world.users[role])
    assert api.get(contacts_url(world.own)).status_code == read
    body = {"contacted_on": timezone.localdate().isoformat(), "channel": "telefoon", "summary": "Gebeld",
            "confidentiality": "sociaal"}
    assert api.post(contacts_url(world.own), body).status_code == write


def test_contacts_outside_scope_are_404(world, api_login):
    api = api_login(world.users["klantmanager"])
    for client in (world.other_team_client, world.other_muni_client):
        assert api.get(contacts_url(client)).status_code == 404
        assert api.post(contacts_url(client), {"summary": "x"}).status_code == 404
    assert not AccessLog.objects.exists() and not Contact.objects.exists()


def test_recording_and_reading_contacts(world, api_login):
    api = api_login(world.users["klantmanager"])
    response = api.post(contacts_url(world.own), {
        "contacted_on": timezone.localdate().isoformat(), "channel": "huisbezoek", "with_whom": "cliënt en partner",
        "summary": "Huisbezoek over de schulden.", "follow_up": "Schuldhulp bellen",
        "follow_up_on": (timezone.localdate() + timedelta(days=7)).isoformat()})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["confidentiality"] == "werk_inkomen" and created["author"] == str(world.users["klantmanager"])
    listed = api.get(contacts_url(world.own)).json()["results"]
    assert [c["id"] for c in listed] == [created["id"]] and listed[0]["follow_up"] == "Schuldhulp bellen"
    assert list(AccessLog.objects.values_list("view", flat=True)) == ["api_contacten", "api_contacten"]


def test_contacts_respect_confidentiality_per_role(world, api_login):
    social = contact(world, world.own, confidentiality="sociaal")
    work = contact(world, world.own)
    secret = contact(world, world.own, confidentiality="vertrouwelijk")

    def seen(role):
        return {c["id"] for c in api_login(world.users[role]).get(contacts_url(world.own)).json()["results"]}

    assert seen("wijkteammedewerker") == {social.pk}
    assert seen("teamleider") == {social.pk, work.pk}
    assert seen("klantmanager") == {social.pk, work.pk, secret.pk}


def test_neighbourhood_team_records_the_social_part_only(world, api_login):
    api = api_login(world.users["wijkteammedewerker"])
    body = {"contacted_on": timezone.localdate().isoformat(), "channel": "persoonlijk", "summary": "Koffie gedronken"}
    for level in ("werk_inkomen", "vertrouwelijk"):
        response = api.post(contacts_url(world.own), {**body, "confidentiality": level})
        assert response.status_code == 400, response.content
        assert [p["name"] for p in problem(response)["invalidParams"]] == ["confidentiality"]
    assert not Contact.objects.exists()
    response = api.post(contacts_url(world.own), body)
    assert response.status_code == 201 and response.json()["confidentiality"] == "sociaal"
    # What the neighbourhood team wrote, it can read back.
    assert [c["id"] for c in api.get(contacts_url(world.own)).json()["results"]] == [response.json()["id"]]


def test_contact_invalid_input_is_a_problem_detail(world, api_login):
    api = api_login(world.users["klantmanager"])
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert invalid(api.post(contacts_url(world.own), {"contacted_on": tomorrow, "channel": "duif", "summary": " ",
                                                      "confidentiality": "geheim"})) == {
        "contacted_on", "channel", "summary", "confidentiality"}
    assert invalid(api.post(contacts_url(world.own), {"channel": "telefoon", "summary": "x"})) == {"contacted_on"}
    assert not Contact.objects.exists()


def test_contact_list_has_a_fixed_query_count(world, api_login):
    api = api_login(world.users["klantmanager"])
    contact(world, world.own)

    def count():
        with CaptureQueriesContext(connection) as queries:
            api.get(contacts_url(world.own))
        return len(queries)

    one = count()
    for days in range(2, 12):
        contact(world, world.own, days_ago=days, by="teamleider")
    assert count() == one


# --- worklist -------------------------------------------------------------------------------------------------------


def test_worklist_items_with_reasons_and_access_log(rhythm, api_login):
    api = api_login(rhythm.users["klantmanager"])
    response = api.get(reverse("api:worklist"))
    assert response.status_code == 200
    items = response.json()["results"]
    assert [item["client_number"] for item in items] == [rhythm.own.client_number]
    item = items[0]
    assert item["client_id"] == rhythm.own.pk and item["name"] == "Anna Jansen"
    assert item["client_manager"] == {"id": rhythm.users["klantmanager"].pk, "name": str(rhythm.users["klantmanager"])}
    assert item["client_url"].endswith(f"/api/v1/clients/{rhythm.own.pk}/")
    assert [r["code"] for r in item["reasons"]] == [Reason.NEVER_CONTACTED, Reason.NEVER_DIAGNOSED]
    assert all(set(r) == {"code", "text", "days"} and r["text"] for r in item["reasons"])
    assert list(AccessLog.objects.values_list("view", "client_id")) == [("api_werklijst", rhythm.own.pk)]

    contact(rhythm, rhythm.own, days_ago=400)
    reason = api.get(reverse("api:worklist")).json()["results"][0]["reasons"][0]
    assert reason["code"] == Reason.OVERDUE and reason["days"] == 35 and "te laat" in reason["text"]
    only = api.get(reverse("api:worklist"), {"reason": Reason.NEVER_DIAGNOSED}).json()["results"]
    assert len(only) == 1
    assert api.get(reverse("api:worklist"), {"reason": Reason.CAMPAIGN}).json()["results"] == []
    assert invalid(api.get(reverse("api:worklist"), {"reason": "onzin"})) == {"reason"}


def test_worklist_team_filters_only_for_the_team_lead(rhythm, api_login):
    api = api_login(rhythm.users["klantmanager"])
    response = api.get(reverse("api:worklist"), {"team": rhythm.team.pk})
    assert response.status_code == 403 and problem(response)["status"] == 403
    assert api.get(reverse("api:worklist"), {"client_manager": rhythm.colleague.pk}).status_code == 403

    lead = api_login(rhythm.users["teamleider"])
    numbers = {i["client_number"] for i in lead.get(reverse("api:worklist")).json()["results"]}
    assert numbers == {rhythm.own.client_number, rhythm.teammate.client_number}
    team = lead.get(reverse("api:worklist"), {"team": rhythm.team.pk}).json()["results"]
    numbers = {i["client_number"] for i in team}
    assert numbers == {rhythm.own.client_number, rhythm.teammate.client_number}
    one = lead.get(reverse("api:worklist"), {"client_manager": rhythm.colleague.pk}).json()["results"]
    assert [i["client_number"] for i in one] == [rhythm.teammate.client_number]
    assert invalid(lead.get(reverse("api:worklist"), {"team": rhythm.other_team.pk})) == {"team"}
    assert invalid(lead.get(reverse("api:worklist"), {"team": "x", "client_manager": 99999})) == {
        "team", "client_manager"}


@pytest.mark.parametrize("role, status", [("klantmanager", 200), ("teamleider", 200), ("wijkteammedewerker", 403),
                                          ("beheerder", 403), ("beleidsmedewerker", 403)])
def test_worklist_per_role(world, api_login, role, status):
    assert api_login(world.users[role]).get(reverse("api:worklist")).status_code == status


def test_worklist_query_count_does_not_grow(rhythm, api_login):
    api = api_login(rhythm.users["klantmanager"])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(reverse("api:worklist")).status_code == 200
        return len(queries)

    one = count()
    for number in range(10):
        ClientFactory(municipality=rhythm.muni, team=rhythm.team, client_manager=rhythm.users["klantmanager"],
                      active_spell_start=date(2019, 1, 1), client_number=f"77{number}")
    assert count() == one
    assert AccessLog.objects.filter(view="api_werklijst").count() == 1 + 11


# --- campaigns ------------------------------------------------------------------------------------------------------


def test_campaign_create_list_detail_and_invited(rhythm, api_login):
    lead = api_login(rhythm.users["teamleider"])
    response = lead.post(reverse("api:campaign-list"), {"name": "Doorlichting 2026", "min_benefit_years": 2,
                                                        "no_contact_months": 12})
    assert response.status_code == 201, response.content
    campaign = response.json()
    assert campaign["progress"] == {"total": 2, "invited": 0, "reached": 0, "seen": 0, "diagnosed": 0}
    assert campaign["criteria"]["min_benefit_years"] == 2 and campaign["municipality"] == "9999"
    managers = {row["client_manager"]["id"]: row["total"] for row in campaign["per_manager"]}
    assert managers == {rhythm.users["klantmanager"].pk: 1, rhythm.colleague.pk: 1}

    listed = lead.get(reverse("api:campaign-list")).json()["results"]
    assert [c["id"] for c in listed] == [campaign["id"]] and listed[0]["progress"]["total"] == 2

    # The client manager marks their own invitation; the colleague's is not theirs to mark.
    manager = api_login(rhythm.users["klantmanager"])
    invited = reverse("api:campaign-invited", args=[campaign["id"]])
    marked = manager.post(invited, {"client_ids": [rhythm.own.pk, rhythm.teammate.pk]})
    assert marked.status_code == 200 and marked.json() == {"marked": 1}
    contact(rhythm, rhythm.own, days_ago=0)
    detail = lead.get(reverse("api:campaign-detail", args=[campaign["id"]]))
    assert detail.status_code == 200, detail.content
    detail = detail.json()
    assert detail["progress"] == {"total": 2, "invited": 1, "reached": 1, "seen": 1, "diagnosed": 0}
    assert lead.post(invited, {"client_ids": [rhythm.teammate.pk]}).json() == {"marked": 1}
    assert not CampaignInvitation.objects.filter(invited_on__isnull=True).exists()
    # A campaign id that is no number, or too large for the database, is not found (it once answered 500).
    base = reverse("api:campaign-list")
    for bad in ("null", "123456789012345678901"):
        assert lead.get(f"{base}{bad}/").status_code == 404
        assert lead.post(f"{base}{bad}/close/").status_code == 404
        assert manager.post(f"{base}{bad}/invited/", {"client_ids": [rhythm.own.pk]}).status_code == 404


def test_closing_a_campaign(rhythm, api_login):
    lead = api_login(rhythm.users["teamleider"])
    campaign = lead.post(reverse("api:campaign-list"), {"name": "Doorlichting 2026", "min_benefit_years": 2}).json()
    close = reverse("api:campaign-close", args=[campaign["id"]])
    assert api_login(rhythm.users["klantmanager"]).post(close).status_code == 403
    response = lead.post(close)
    assert response.status_code == 200 and response.json()["closed_on"] == timezone.localdate().isoformat()
    assert invalid(lead.post(close)) == {"campaign"}
    invited = reverse("api:campaign-invited", args=[campaign["id"]])
    assert invalid(lead.post(invited, {"client_ids": [rhythm.own.pk]})) == {"campaign"}
    assert not CampaignInvitation.objects.filter(invited_on__isnull=False).exists()


def test_campaign_permissions_and_invalid_input(rhythm, api_login):
    manager = api_login(rhythm.users["klantmanager"])
    assert manager.get(reverse("api:campaign-list")).status_code == 403
    assert manager.post(reverse("api:campaign-list"), {"name": "x"}).status_code == 403
    assert api_login(rhythm.users["wijkteammedewerker"]).get(reverse("api:campaign-list")).status_code == 403

    lead = api_login(rhythm.users["teamleider"])
    assert invalid(lead.post(reverse("api:campaign-list"), {"name": " "})) == {"name"}
    assert invalid(lead.post(reverse("api:campaign-list"), {"name": "x", "trede_max": 9})) == {"trede_max"}
    assert invalid(lead.post(reverse("api:campaign-list"), {"name": "x", "gemeente": "9998"})) == {"gemeente"}
    assert invalid(lead.post(reverse("api:campaign-list"), {"name": "x", "team": rhythm.other_team.pk})) == {"team"}
    # Nobody matches: more than forty years on benefit.
    assert invalid(lead.post(reverse("api:campaign-list"), {"name": "x", "min_benefit_years": 40})) == {"criteria"}
    elsewhere = Segment.objects.create(name="Werk", segmentation=Segmentation.objects.create(
        municipality=rhythm.other_muni, name="Elders"))
    assert invalid(lead.post(reverse("api:campaign-list"), {"name": "x", "segment": elsewhere.pk})) == {"segment"}
    assert not Campaign.objects.exists()


def test_campaign_for_a_client_group(rhythm, api_login):
    zorg = Segment.objects.create(name="Zorg", segmentation=Segmentation.objects.create(municipality=rhythm.muni,
                                                                                        name="Klantgroepen"))
    services.place_in_segment(client=rhythm.teammate, segment=zorg, by=rhythm.users["teamleider"])
    response = api_login(rhythm.users["teamleider"]).post(reverse("api:campaign-list"),
                                                      {"name": "Zorg in beeld", "segment": zorg.pk})
    assert response.status_code == 201, response.content
    assert response.json()["criteria"]["segment_id"] == zorg.pk
    assert list(CampaignInvitation.objects.values_list("client_id", flat=True)) == [rhythm.teammate.pk]


def test_campaign_of_another_municipality_is_404(rhythm, api_login, world):
    from kansrijk.caseload.tests.factories import UserFactory

    other_lead = UserFactory(username="tl-buurdorp", role="teamleider", municipalities=[world.other_muni],
                             teams=[world.foreign_team])
    Client.objects.filter(pk=world.other_muni_client.pk).update(active_spell_start=date(2019, 1, 1))
    campaign = services.create_campaign(by=other_lead, name="Buurdorp",
                                        criteria=CampaignCriteria(municipality_id=world.other_muni.pk))
    lead = api_login(rhythm.users["teamleider"])
    assert lead.get(reverse("api:campaign-detail", args=[campaign.pk])).status_code == 404
    manager = api_login(rhythm.users["klantmanager"])
    assert manager.post(reverse("api:campaign-invited", args=[campaign.pk]), {"client_ids": [1]}).status_code == 404
    assert lead.post(reverse("api:campaign-invited", args=[campaign.pk]), {"client_ids": [1]}).status_code == 404


def test_a_team_lead_of_another_team_neither_sees_nor_marks_the_campaign(rhythm, api_login):
    from kansrijk.caseload.tests.factories import UserFactory

    zuid_lead = UserFactory(username="tl-zuid", role="teamleider", municipalities=[rhythm.muni],
                            teams=[rhythm.other_team])
    campaign = services.create_campaign(by=rhythm.users["teamleider"], name="Noord",
                                        criteria=CampaignCriteria(municipality_id=rhythm.muni.pk))
    other = api_login(zuid_lead)
    assert other.get(reverse("api:campaign-detail", args=[campaign.pk])).status_code == 404
    assert other.get(reverse("api:campaign-list")).json()["results"] == []
    # Through the service directly: clients outside the lead's teams are not marked.
    assert services.mark_invited(campaign=campaign, client_ids=[rhythm.own.pk, rhythm.teammate.pk],
                                 by=zuid_lead) == 0
    assert not CampaignInvitation.objects.filter(invited_on__isnull=False).exists()


def test_create_campaign_checks_team_and_client_group_itself(rhythm):
    lead = rhythm.users["teamleider"]
    with pytest.raises(ValidationError) as error:
        services.create_campaign(by=lead, name="x", criteria=CampaignCriteria(
            municipality_id=rhythm.muni.pk, team_id=rhythm.foreign_team.pk))
    assert "team" in error.value.message_dict
    elsewhere = Segment.objects.create(name="Werk", segmentation=Segmentation.objects.create(
        municipality=rhythm.other_muni, name="Elders"))
    with pytest.raises(ValidationError) as error:
        services.create_campaign(by=lead, name="x", criteria=CampaignCriteria(
            municipality_id=rhythm.muni.pk, segment_id=elsewhere.pk))
    assert "segment" in error.value.message_dict
    assert not Campaign.objects.exists()


@pytest.mark.parametrize("query", ["team=%C2%B2", "client_manager=%C2%B2", "team=99999999999999999999999"])
def test_odd_worklist_filters_are_a_problem_not_a_crash(rhythm, api_login, query):
    response = api_login(rhythm.users["teamleider"]).get(f"{reverse('api:worklist')}?{query}")
    assert response.status_code == 400 and problem(response)["invalidParams"]


def test_absurd_ids_in_a_body_are_a_problem_not_a_crash(rhythm, api_login):
    lead = api_login(rhythm.users["teamleider"])
    campaign = services.create_campaign(by=rhythm.users["teamleider"], name="Noord",
                                        criteria=CampaignCriteria(municipality_id=rhythm.muni.pk))
    invited = reverse("api:campaign-invited", args=[campaign.pk])
    assert invalid(lead.post(invited, {"client_ids": [10**25]})) == {"client_ids"}
    assert invalid(lead.post(invited, {"client_ids": [0]})) == {"client_ids"}
    assert invalid(lead.post(reverse("api:campaign-list"), {"name": "x", "team": 10**25})) == {"team"}


# --- client groups --------------------------------------------------------------------------------------------------


@pytest.fixture
def groups(world):
    """Steenwijkerland-style groups in the users' municipality and a segmentation of the other municipality."""
    own = Segmentation.objects.create(municipality=world.muni, name="Klantgroepen")
    world.zorg = Segment.objects.create(segmentation=own, name="Zorg", position=1)
    world.werk = Segment.objects.create(segmentation=own, name="Werk", position=2)
    world.foreign = Segment.objects.create(name="Elders", segmentation=Segmentation.objects.create(
        municipality=world.other_muni, name="Andere indeling"))
    return world


def segments_url(client):
    return reverse("api:client-segments-list", kwargs={"client_pk": client.pk})


def test_segmentations_of_own_municipalities(groups, api_login):
    listed = api_login(groups.users["klantmanager"]).get(reverse("api:segmentation-list")).json()["results"]
    assert [(s["name"], s["municipality"], [g["name"] for g in s["segments"]]) for s in listed] == [
        ("Klantgroepen", "9999", ["Zorg", "Werk"])]
    assert api_login(groups.users["aanbieder"]).get(reverse("api:segmentation-list")).status_code == 403


@pytest.mark.parametrize("role, read, write", [
    ("klantmanager", 200, 201), ("teamleider", 200, 201), ("wijkteammedewerker", 200, 201),
    ("beheerder", 403, 403), ("beleidsmedewerker", 403, 403), ("aanbieder", 403, 403)])
def test_client_segments_per_role(groups, api_login, role, read, write):
    api = api_login(groups.users[role])
    assert api.get(segments_url(groups.own)).status_code == read
    assert api.post(segments_url(groups.own), {"segment": groups.zorg.pk}).status_code == write


def test_placing_replaces_within_a_segmentation_and_is_logged(groups, api_login):
    api = api_login(groups.users["klantmanager"])
    assert api.post(segments_url(groups.own), {"segment": groups.zorg.pk}).status_code == 201
    response = api.post(segments_url(groups.own), {"segment": groups.werk.pk})
    assert response.status_code == 201 and response.json()["segment"]["name"] == "Werk"
    listed = api.get(segments_url(groups.own)).json()["results"]
    assert [(row["segmentation"], row["segment"]["name"]) for row in listed] == [("Klantgroepen", "Werk")]
    assert AccessLog.objects.filter(view="api_klantgroep", client=groups.own).count() == 3


def test_placing_refuses_unknown_and_foreign_groups(groups, api_login):
    api = api_login(groups.users["klantmanager"])
    assert invalid(api.post(segments_url(groups.own), {"segment": groups.foreign.pk})) == {"segment"}
    assert invalid(api.post(segments_url(groups.own), {"segment": 999999})) == {"segment"}
    assert invalid(api.post(segments_url(groups.own), {})) == {"segment"}
    assert api.post(segments_url(groups.other_team_client), {"segment": groups.zorg.pk}).status_code == 404
    assert not ClientSegment.objects.exists()
