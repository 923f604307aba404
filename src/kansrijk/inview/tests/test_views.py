"""Web pages of keeping every client in view: contacts (roles, scoping, confidentiality, recording with errors),
client groups, the worklist with reasons and the caseload balance, review campaigns (preview, distribution,
dashboard, marking invitations) and the administrator's configuration in /beheer/."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.roles import Role
from kansrijk.audit.models import AccessLog
from kansrijk.caseload.models import Client
from kansrijk.caseload.tests.factories import ClientFactory
from kansrijk.diagnosis import services as diagnosis
from kansrijk.diagnosis.models import LadderStep
from kansrijk.inview import services
from kansrijk.inview.models import (
    Campaign,
    CampaignInvitation,
    ClientSegment,
    Confidentiality,
    Contact,
    ContactRhythmRule,
    Segment,
    Segmentation,
)
from kansrijk.inview.selectors import CampaignCriteria

TODAY = timezone.localdate()
LONG_AGO = TODAY - timedelta(days=5 * 365)


@pytest.fixture
def running(world):
    """Every client of the world has a benefit running for five years."""
    Client.objects.update(active_spell_start=LONG_AGO)
    return world


def contact(client, by, days_ago=0, confidentiality=Confidentiality.WERK_INKOMEN, **extra):
    values = {"channel": "persoonlijk", "summary": f"Gesprek {days_ago} dagen geleden", **extra}
    return Contact.objects.create(client=client, author=by, contacted_on=TODAY - timedelta(days=days_ago),
                                  confidentiality=confidentiality, **values)


def ladder(world, client, code="3", days_ago=0, by=None):
    step = LadderStep.objects.get(municipality=None, code=code)
    return diagnosis.record_ladder(client=client, by=by or world.users["klantmanager"],
                                   measured_on=TODAY - timedelta(days=days_ago), step_ids=[step.pk])


def own_client(world, manager=None, **extra):
    values = {"municipality": world.muni, "team": world.team, "client_manager": manager or world.users["klantmanager"],
              "active_spell_start": LONG_AGO, **extra}
    return ClientFactory(**values)


# --- Contacts -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_contacts_page_per_role(role, world, login):
    response = login(world.users[role]).get(reverse("inview:contacts", args=[world.own.pk]))
    expected = 200 if role in roles.SEES_TEAM_CLIENTS else 403
    assert response.status_code == expected


def test_contacts_page_needs_login(world, client):
    response = client.get(reverse("inview:contacts", args=[world.own.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("who", ["klantmanager", "teamleider", "wijkteammedewerker"])
def test_contacts_page_out_of_scope_is_404(who, world, login):
    browser = login(world.users[who])
    for client in (world.other_team_client, world.other_muni_client):
        assert browser.get(reverse("inview:contacts", args=[client.pk])).status_code == 404
        assert browser.post(reverse("inview:contacts", args=[client.pk]),
                            {"summary": "x", "channel": "telefoon"}).status_code == 404
    assert not Contact.objects.exists()


def test_contacts_page_logs_access(world, login):
    login(world.users["klantmanager"]).get(reverse("inview:contacts", args=[world.own.pk]))
    log = AccessLog.objects.get()
    assert (log.client_id, log.view, log.outside_caseload) == (world.own.pk, "contacten", False)


def test_confidentiality_per_role(world, login):
    km, wijk = world.users["klantmanager"], world.users["wijkteammedewerker"]
    contact(world.own, km, 1, Confidentiality.SOCIAAL, summary="Sociaal verslag")
    contact(world.own, km, 2, Confidentiality.WERK_INKOMEN, summary="Werkverslag")
    contact(world.own, km, 3, Confidentiality.VERTROUWELIJK, summary="Geheim verslag")
    contact(world.own, wijk, 4, Confidentiality.WERK_INKOMEN, summary="Eigen verslag wijkteam")
    contact(world.own, world.colleague, 5, Confidentiality.VERTROUWELIJK, summary="Geheim van collega")

    def summaries(who):
        html = login(world.users[who]).get(reverse("inview:contacts", args=[world.own.pk])).content.decode()
        return {s for s in ("Sociaal verslag", "Werkverslag", "Geheim verslag", "Eigen verslag wijkteam",
                            "Geheim van collega") if s in html}

    assert summaries("wijkteammedewerker") == {"Sociaal verslag", "Eigen verslag wijkteam"}
    # The client's own client manager reads the confidential ones, also a colleague's.
    assert summaries("klantmanager") == {"Sociaal verslag", "Werkverslag", "Geheim verslag",
                                         "Eigen verslag wijkteam", "Geheim van collega"}
    assert summaries("teamleider") == {"Sociaal verslag", "Werkverslag", "Eigen verslag wijkteam"}


def test_neighbourhood_team_can_only_choose_social(world, login):
    browser = login(world.users["wijkteammedewerker"])
    url = reverse("inview:contacts", args=[world.own.pk])
    html = browser.get(url).content.decode()
    assert 'value="sociaal"' in html and 'value="werk_inkomen"' not in html and 'value="vertrouwelijk"' not in html
    response = browser.post(url, {"contacted_on": TODAY.isoformat(), "channel": "huisbezoek", "summary": "Bezoek",
                                  "confidentiality": "werk_inkomen"})
    assert response.status_code == 400
    assert "Kies een vertrouwelijkheid die uw rol mag gebruiken." in response.content.decode()
    response = browser.post(url, {"contacted_on": TODAY.isoformat(), "channel": "huisbezoek", "summary": "Bezoek",
                                  "confidentiality": "sociaal"})
    assert response.status_code == 302
    saved = Contact.objects.get()
    assert (saved.confidentiality, saved.author, saved.channel) == ("sociaal", world.users["wijkteammedewerker"],
                                                                   "huisbezoek")


def test_record_contact(world, login):
    browser = login(world.users["klantmanager"])
    url = reverse("inview:contacts", args=[world.own.pk])
    page = browser.get(url).content.decode()
    assert f'value="{TODAY.isoformat()}"' in page  # the date defaults to today
    assert "Alleen u en de eigen klantmanager van de cliënt lezen dit verslag." in page  # the levels explained
    follow = TODAY + timedelta(days=14)
    response = browser.post(url, {"contacted_on": (TODAY - timedelta(days=1)).isoformat(), "channel": "telefoon",
                                  "with_whom": "Cliënt en partner", "summary": "Afspraak gemaakt",
                                  "follow_up": "Cv meenemen", "follow_up_on": follow.isoformat(),
                                  "confidentiality": "vertrouwelijk"})
    assert response.status_code == 302 and response["Location"] == url
    saved = Contact.objects.get()
    assert (saved.client, saved.author, saved.channel, saved.with_whom, saved.follow_up, saved.follow_up_on,
            saved.confidentiality) == (world.own, world.users["klantmanager"], "telefoon", "Cliënt en partner",
                                       "Cv meenemen", follow, "vertrouwelijk")
    page = browser.get(url).content.decode()
    assert "Afspraak gemaakt" in page and "Cv meenemen" in page and "Het contact is vastgelegd." in page


def test_record_contact_with_errors(world, login):
    browser = login(world.users["klantmanager"])
    url = reverse("inview:contacts", args=[world.own.pk])
    response = browser.post(url, {"contacted_on": "", "summary": "", "confidentiality": "werk_inkomen"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Controleer het formulier" in html
    for message in ("Vul de datum in.", "Kies het kanaal.", "Schrijf een kort verslag."):
        assert message in html
    assert 'href="#id_channel_0"' in html  # the summary links to the first option of the group
    # The service's rules arrive next to their fields too.
    response = browser.post(url, {"contacted_on": (TODAY + timedelta(days=1)).isoformat(), "channel": "telefoon",
                                  "summary": "Later", "confidentiality": "werk_inkomen"})
    assert response.status_code == 400 and "Een contact kan niet in de toekomst liggen." in response.content.decode()
    response = browser.post(url, {"contacted_on": TODAY.isoformat(), "channel": "telefoon", "summary": "Gesprek",
                                  "follow_up_on": (TODAY - timedelta(days=3)).isoformat(),
                                  "confidentiality": "werk_inkomen"})
    assert response.status_code == 400 and "Het vervolg ligt voor het contact." in response.content.decode()
    response = browser.post(url, {"contacted_on": "31-02-2024", "channel": "fax", "summary": "x",
                                  "confidentiality": "werk_inkomen"})
    html = response.content.decode()
    assert "Vul een geldige datum in" in html and "Kies een van de kanalen." in html
    assert not Contact.objects.exists()


def test_contacts_page_query_count_does_not_grow(world, login):
    browser = login(world.users["klantmanager"])
    url = reverse("inview:contacts", args=[world.own.pk])
    counts = []
    for extra in (3, 12):
        for days in range(extra):
            contact(world.own, world.users["klantmanager"] if days % 2 else world.colleague, days,
                    Confidentiality.SOCIAAL)
        browser.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert browser.get(url).status_code == 200
        counts.append(len(queries))
    assert Contact.objects.count() == 15
    assert counts[0] == counts[1]


def test_contacts_paginated_newest_first(world, login):
    for days in range(55):
        contact(world.own, world.users["klantmanager"], days, Confidentiality.SOCIAAL)
    browser = login(world.users["klantmanager"])
    html = browser.get(reverse("inview:contacts", args=[world.own.pk])).content.decode()
    assert "Gesprek 0 dagen geleden" in html and "Gesprek 49 dagen geleden" in html
    assert "Gesprek 50 dagen geleden" not in html
    html = browser.get(reverse("inview:contacts", args=[world.own.pk]) + "?pagina=2").content.decode()
    assert "Gesprek 54 dagen geleden" in html and "Gesprek 10 dagen geleden" not in html


# --- Client groups --------------------------------------------------------------------------------------------------


@pytest.fixture
def groups(world):
    segmentation = Segmentation.objects.create(municipality=world.muni, name="Klantgroepen Steenwijkerland")
    names = ["Werkfit", "Bijna werkfit", "Ondersteuning nodig"]
    segments = [Segment.objects.create(segmentation=segmentation, name=name, position=i)
                for i, name in enumerate(names)]
    other = Segmentation.objects.create(municipality=world.other_muni, name="Buurdorp-groepen")
    foreign = Segment.objects.create(segmentation=other, name="Elders")
    return segmentation, segments, foreign


def test_client_segment_without_segmentations(world, login):
    browser = login(world.users["klantmanager"])
    html = browser.get(reverse("inview:client-segment", args=[world.own.pk])).content.decode()
    assert "nog geen indeling in klantgroepen" in html
    assert "Klantgroep kiezen" not in browser.get(reverse("inview:contacts", args=[world.own.pk])).content.decode()


def test_place_client_in_segment(world, groups, login):
    segmentation, segments, foreign = groups
    browser = login(world.users["klantmanager"])
    url = reverse("inview:client-segment", args=[world.own.pk])
    field = f"indeling_{segmentation.pk}"
    html = browser.get(url).content.decode()
    assert "Bijna werkfit" in html and "Elders" not in html and "Nog niet ingedeeld" in html
    assert AccessLog.objects.filter(view="klantgroep", client=world.own).exists()
    response = browser.post(url, {field: segments[1].pk})
    assert response.status_code == 302 and response["Location"] == reverse("inview:contacts", args=[world.own.pk])
    assert ClientSegment.objects.get(client=world.own).segment == segments[1]
    html = browser.get(reverse("inview:contacts", args=[world.own.pk])).content.decode()
    assert "Bijna werkfit" in html and "Klantgroep kiezen of wijzigen" in html
    # Once placed the group can be changed, not emptied; a group of another segmentation is refused.
    response = browser.post(url, {field: ""})
    assert response.status_code == 400 and "Kies een klantgroep." in response.content.decode()
    response = browser.post(url, {field: foreign.pk})
    assert response.status_code == 400 and "Kies een klantgroep uit deze indeling." in response.content.decode()
    assert browser.post(url, {field: segments[2].pk}).status_code == 302
    assert ClientSegment.objects.get(client=world.own).segment == segments[2]


def test_client_segment_roles_and_scope(world, groups, login):
    segmentation, segments, _ = groups
    data = {f"indeling_{segmentation.pk}": segments[0].pk}
    assert login(world.users["beheerder"]).post(
        reverse("inview:client-segment", args=[world.own.pk]), data).status_code == 403
    assert login(world.users["klantmanager"]).post(
        reverse("inview:client-segment", args=[world.other_team_client.pk]), data).status_code == 404
    assert login(world.users["teamleider"]).post(
        reverse("inview:client-segment", args=[world.own.pk]), data).status_code == 302
    assert ClientSegment.objects.get().placed_by == world.users["teamleider"]


# --- Worklist -------------------------------------------------------------------------------------------------------


@pytest.fixture
def worklist_world(running):
    """A yearly rhythm for long-term clients; the client manager's own client last seen 400 days ago, a second one
    never diagnosed but recently seen, a third with an expiring exemption."""
    world = running
    km = world.users["klantmanager"]
    ContactRhythmRule.objects.create(municipality=world.muni, name="Langdurig jaarlijks", interval_days=365,
                                     min_benefit_years=2)
    contact(world.own, km, 400)
    ladder(world, world.own, "3", days_ago=30)
    fresh = own_client(world, given_names="Bram", family_name="Nooitgemeten")
    contact(fresh, km, 10)
    exempt = own_client(world, given_names="Cor", family_name="Ontheven")
    contact(exempt, km, 10)
    ladder(world, exempt, "2", days_ago=20)
    diagnosis.record_intake(client=exempt, by=km, measured_on=TODAY - timedelta(days=20),
                            values={"job_search_exemption_until": TODAY + timedelta(days=12)})
    settled = own_client(world, given_names="Dirk", family_name="Inbeeld")
    contact(settled, km, 10)
    ladder(world, settled, "4", days_ago=10)
    world.fresh, world.exempt, world.settled = fresh, exempt, settled
    return world


def test_worklist_shows_every_reason_in_words(worklist_world, login):
    world = worklist_world
    response = login(world.users["klantmanager"]).get(reverse("inview:worklist"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Contact 35 dagen te laat" in html and "Langdurig jaarlijks" in html
    assert "Nog nooit gediagnosticeerd" in html
    assert "Ontheffing van de sollicitatieplicht loopt af op" in html
    assert world.settled.display_name not in html  # nothing due
    assert world.teammate.display_name not in html  # a colleague's client
    assert reverse("caseload:client-detail", args=[world.own.pk]) in html
    assert "3 cliënten vragen aandacht" in html
    # Most urgent first: the overdue contact outweighs the others.
    assert html.index(world.own.display_name) < html.index(world.fresh.display_name)
    logged = set(AccessLog.objects.filter(view="werklijst").values_list("client_id", flat=True))
    assert logged == {world.own.pk, world.fresh.pk, world.exempt.pk}


def test_worklist_filter_by_reason(worklist_world, login):
    world = worklist_world
    html = login(world.users["klantmanager"]).get(
        reverse("inview:worklist"), {"reason": "ontheffing_loopt_af"}).content.decode()
    assert world.exempt.display_name in html
    assert world.own.display_name not in html and world.fresh.display_name not in html
    assert set(AccessLog.objects.values_list("client_id", flat=True)) == {world.exempt.pk}


def test_worklist_htmx_returns_the_results_only(worklist_world, login):
    response = login(worklist_world.users["klantmanager"]).get(reverse("inview:worklist"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "cliënten vragen aandacht" in html


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_worklist_roles(role, world, login):
    response = login(world.users[role]).get(reverse("inview:worklist"))
    assert response.status_code == (200 if role in roles.HAS_WORKLIST else 403)


def test_team_lead_sees_team_worklist_and_balance(worklist_world, login):
    world = worklist_world
    browser = login(world.users["teamleider"])
    html = browser.get(reverse("inview:worklist")).content.decode()
    assert world.own.display_name in html and world.teammate.display_name in html
    assert world.other_team_client.display_name not in html
    assert "Verdeling van de caseload" in html
    balance = html[html.index("Verdeling van de caseload"):]
    km = world.users["klantmanager"]
    assert str(km) in balance and str(world.colleague) in balance
    # klantmanager: own, fresh, exempt, settled = 4 clients, 3 need attention.
    row = balance[balance.index(str(km)):]
    assert "<td>4</td><td>3</td>" in row.replace("\n", "").replace("    ", "")
    # The select offers the lead's teams only and the client managers in them.
    assert "Team Noord" in html and "Team Zuid" not in html
    # One client manager's worklist.
    html = browser.get(reverse("inview:worklist"), {"client_manager": world.colleague.pk}).content.decode()
    results = html[html.index('id="resultaten"'):html.index("Verdeling van de caseload")]
    assert world.teammate.display_name in results and world.own.display_name not in results
    # Another team's id is not a choice: ignored, the lead's own teams are shown.
    html = browser.get(reverse("inview:worklist"), {"team": world.other_team.pk}).content.decode()
    assert world.own.display_name in html and world.other_team_client.display_name not in html


def test_client_manager_has_no_team_filters(worklist_world, login):
    world = worklist_world
    html = login(world.users["klantmanager"]).get(
        reverse("inview:worklist"), {"client_manager": world.colleague.pk}).content.decode()
    assert 'name="client_manager"' not in html and "Verdeling van de caseload" not in html
    assert world.teammate.display_name not in html and world.own.display_name in html


@pytest.mark.parametrize("who", ["klantmanager", "teamleider"])
def test_worklist_query_count_does_not_grow(who, running, login):
    world = running
    counts = []
    for extra in (3, 12):
        for _ in range(extra):
            client = own_client(world)
            contact(client, world.users["klantmanager"], 500)
        browser = login(world.users[who])
        browser.get(reverse("inview:worklist"))
        with CaptureQueriesContext(connection) as queries:
            response = browser.get(reverse("inview:worklist"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert Client.objects.filter(client_manager=world.users["klantmanager"]).count() == 16
    assert counts[0] == counts[1]


def test_worklist_export(worklist_world, login):
    world = worklist_world
    response = login(world.users["klantmanager"]).get(reverse("inview:worklist-export"))
    body = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert "Cliëntnummer;Naam;Klantmanager;Redenen" in body
    assert world.own.client_number in body and "te laat" in body
    assert world.settled.client_number not in body
    assert AccessLog.objects.filter(view="export").count() == 3


def test_navigation_per_role(world, login):
    html = login(world.users["klantmanager"]).get(reverse("core:home")).content.decode()
    assert reverse("inview:worklist") in html and reverse("inview:campaign-list") not in html
    html = login(world.users["teamleider"]).get(reverse("core:home")).content.decode()
    assert reverse("inview:worklist") in html and reverse("inview:campaign-list") in html
    html = login(world.users["wijkteammedewerker"]).get(reverse("core:home")).content.decode()
    assert reverse("inview:worklist") not in html and reverse("inview:campaign-list") not in html


# --- Review campaigns -----------------------------------------------------------------------------------------------


@pytest.fixture
def campaign_world(running):
    """own (klantmanager) and teammate (collega) in Team Noord, an unassigned client in Team Noord, and a client of
    Team Zuid the team lead does not see. The teammate was seen last month."""
    world = running
    world.unassigned = own_client(world, client_manager=None, given_names="Els",
                                  family_name="Zonderklantmanager")
    contact(world.teammate, world.colleague, 30)
    return world


def campaign_data(world, action, **extra):
    return {"name": "Doorlichting langdurig", "municipality": world.muni.pk, "min_benefit_years": 2,
            "no_contact_months": 12, "actie": action, **extra}


@pytest.mark.parametrize("role", [r.value for r in Role])
def test_campaign_pages_roles(role, world, login):
    browser = login(world.users[role])
    expected = 200 if role in roles.RUNS_CAMPAIGNS else 403
    assert browser.get(reverse("inview:campaign-list")).status_code == expected
    assert browser.get(reverse("inview:campaign-new")).status_code == expected


def test_campaign_preview_then_create(campaign_world, login):
    world = campaign_world
    browser = login(world.users["teamleider"])
    response = browser.post(reverse("inview:campaign-new"), campaign_data(world, "voorvertoning"))
    html = response.content.decode()
    assert response.status_code == 200 and not Campaign.objects.exists()
    assert "<strong>2</strong> cliënten voldoen aan deze selectie." in html
    assert "1 daarvan heeft nog geen klantmanager" in html
    response = browser.post(reverse("inview:campaign-new"), campaign_data(world, "starten"))
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("inview:campaign-detail",
                                                                           args=[campaign.pk])
    invitations = dict(campaign.invitations.values_list("client_id", "client_manager_id"))
    assert set(invitations) == {world.own.pk, world.unassigned.pk}
    assert invitations[world.own.pk] == world.users["klantmanager"].pk
    # The unassigned client goes to the least-loaded client manager of the team: the colleague, who has none yet.
    assert invitations[world.unassigned.pk] == world.colleague.pk
    assert campaign.criteria["min_benefit_years"] == 2 and campaign.criteria["no_contact_months"] == 12


def test_campaign_create_errors(campaign_world, login):
    world = campaign_world
    browser = login(world.users["teamleider"])
    url = reverse("inview:campaign-new")
    response = browser.post(url, campaign_data(world, "starten", name=""))
    assert response.status_code == 400 and "Geef de doorlichting een naam." in response.content.decode()
    response = browser.post(url, campaign_data(world, "starten", min_benefit_years=40))
    assert response.status_code == 400
    assert "Geen enkele cliënt voldoet aan deze selectie." in response.content.decode()
    response = browser.post(url, campaign_data(world, "starten", min_benefit_years="twee", trede_max=9,
                                               team=world.other_team.pk, municipality=world.other_muni.pk))
    html = response.content.decode()
    assert response.status_code == 400
    for message in ("Vul een heel aantal jaren in.", "Kies een trede van 1 tot en met 6.", "Kies een van uw teams.",
                    "Kies een gemeente waarvoor u werkt."):
        assert message in html
    assert not Campaign.objects.exists()


def test_campaign_for_a_client_group(campaign_world, login):
    world = campaign_world
    groups = Segmentation.objects.create(municipality=world.muni, name="Klantgroepen")
    zorg = Segment.objects.create(segmentation=groups, name="Zorg")
    services.place_in_segment(client=world.unassigned, segment=zorg, by=world.users["klantmanager"])
    foreign = Segment.objects.create(segmentation=Segmentation.objects.create(municipality=world.other_muni,
                                                                              name="Elders"), name="Werk")
    browser = login(world.users["teamleider"])
    url = reverse("inview:campaign-new")
    assert "Klantgroepen: Zorg" in browser.get(url).content.decode()
    response = browser.post(url, campaign_data(world, "starten", segment=foreign.pk))
    assert response.status_code == 400 and "Kies een klantgroep van uw gemeente." in response.content.decode()
    browser.post(url, campaign_data(world, "starten", segment=zorg.pk))
    campaign = Campaign.objects.get()
    assert list(campaign.invitations.values_list("client_id", flat=True)) == [world.unassigned.pk]
    html = browser.get(reverse("inview:campaign-detail", args=[campaign.pk])).content.decode()
    assert "klantgroep Klantgroepen: Zorg" in html


def test_campaign_dashboard_follows_progress(campaign_world, login):
    world = campaign_world
    lead = world.users["teamleider"]
    campaign = services.create_campaign(by=lead, name="Doorlichting 2026", criteria=CampaignCriteria(
        municipality_id=world.muni.pk, min_benefit_years=2, no_contact_months=12))
    browser = login(lead)
    html = browser.get(reverse("inview:campaign-detail", args=[campaign.pk])).content.decode()
    assert "Doorlichting 2026" in html and "minstens 2 jaar in de bijstand" in html
    assert "geen contact in de laatste 12 maanden" in html
    assert world.own.display_name in html and world.unassigned.display_name in html  # still to invite
    assert AccessLog.objects.filter(view="doorlichting").count() == 2
    services.mark_invited(campaign=campaign, client_ids=[world.own.pk], by=lead)
    services.record_contact(client=world.own, by=world.users["klantmanager"], contacted_on=TODAY,
                            channel="persoonlijk", summary="Kennismaking")
    ladder(world, world.own, "2")
    html = browser.get(reverse("inview:campaign-detail", args=[campaign.pk])).content.decode()
    totals = html[html.index("<tfoot>"):html.index("</tfoot>")]
    assert totals.count("<strong>1</strong> <small>(50%)</small>") == 4
    per_manager = html[html.index("<tbody>"):html.index("</tbody>")]
    km_row = per_manager[per_manager.index(str(world.users["klantmanager"])):]
    assert "1 <small>(100%)</small>" in km_row
    pending = html[html.index("Nog uit te nodigen"):]
    assert world.unassigned.display_name in pending and world.own.display_name not in pending
    html = browser.get(reverse("inview:campaign-list")).content.decode()
    assert "Doorlichting 2026" in html and "1 <small>(50%)</small>" in html


def test_campaign_of_another_municipality_is_404(campaign_world, login):
    world = campaign_world
    other_lead = world.users["teamleider"]
    campaign = Campaign.objects.create(municipality=world.other_muni, name="Elders", created_by=other_lead,
                                       started_on=TODAY)
    browser = login(other_lead)
    assert browser.get(reverse("inview:campaign-detail", args=[campaign.pk])).status_code == 404
    assert browser.post(reverse("inview:campaign-invite", args=[campaign.pk]), {"client": [1]}).status_code == 404
    assert "Elders" not in browser.get(reverse("inview:campaign-list")).content.decode()


def test_client_manager_marks_own_invitations_from_the_worklist(campaign_world, login):
    world = campaign_world
    campaign = services.create_campaign(by=world.users["teamleider"], name="Doorlichting 2026",
                                        criteria=CampaignCriteria(municipality_id=world.muni.pk, min_benefit_years=2,
                                                                  no_contact_months=12))
    browser = login(world.users["klantmanager"])
    html = browser.get(reverse("inview:worklist")).content.decode()
    invite_url = reverse("inview:campaign-invite", args=[campaign.pk])
    assert "Uitnodigen voor de doorlichting" in html and invite_url in html
    assert browser.get(reverse("inview:campaign-detail", args=[campaign.pk])).status_code == 403
    # Someone else's client is not marked.
    response = browser.post(invite_url, {"client": [world.unassigned.pk], "next": reverse("inview:worklist")})
    assert response.status_code == 302
    assert not CampaignInvitation.objects.filter(invited_on__isnull=False).exists()
    response = browser.post(invite_url, {"client": [world.own.pk], "next": reverse("inview:worklist")})
    assert response.status_code == 302 and response["Location"] == reverse("inview:worklist")
    assert CampaignInvitation.objects.get(client=world.own).invited_on == TODAY
    html = browser.get(reverse("inview:worklist")).content.decode()
    assert "1 uitnodiging is gemarkeerd als verstuurd." in html and invite_url not in html
    # A redirect elsewhere is refused.
    response = browser.post(invite_url, {"client": [world.own.pk], "next": "https://example.org/"})
    assert response["Location"] == reverse("inview:worklist")


def test_team_lead_marks_invitations(campaign_world, login):
    world = campaign_world
    campaign = services.create_campaign(by=world.users["teamleider"], name="Doorlichting 2026",
                                        criteria=CampaignCriteria(municipality_id=world.muni.pk, min_benefit_years=2))
    browser = login(world.users["teamleider"])
    detail = reverse("inview:campaign-detail", args=[campaign.pk])
    response = browser.post(reverse("inview:campaign-invite", args=[campaign.pk]),
                            {"client": [world.own.pk, world.unassigned.pk, "x"]})
    assert response.status_code == 302 and response["Location"] == detail
    assert set(CampaignInvitation.objects.filter(invited_on=TODAY).values_list("client_id", flat=True)) == {
        world.own.pk, world.unassigned.pk}
    response = browser.post(reverse("inview:campaign-invite", args=[campaign.pk]), {})
    assert response.status_code == 302
    assert "Kies minstens één cliënt" in browser.get(detail).content.decode()
    for role in ("wijkteammedewerker", "beheerder"):
        assert login(world.users[role]).post(reverse("inview:campaign-invite", args=[campaign.pk]),
                                             {"client": [world.own.pk]}).status_code == 403


def test_closing_a_campaign_takes_it_off_the_worklists(campaign_world, login):
    world = campaign_world
    lead = world.users["teamleider"]
    campaign = services.create_campaign(by=lead, name="Doorlichting 2026", criteria=CampaignCriteria(
        municipality_id=world.muni.pk, min_benefit_years=2, no_contact_months=12))
    manager = login(world.users["klantmanager"])
    assert "Doorlichting 2026" in manager.get(reverse("inview:worklist")).content.decode()
    assert manager.post(reverse("inview:campaign-close", args=[campaign.pk])).status_code == 403

    browser = login(lead)
    response = browser.post(reverse("inview:campaign-close", args=[campaign.pk]), follow=True)
    html = response.content.decode()
    assert "De doorlichting is afgesloten." in html and "Doorlichting afsluiten" not in html
    campaign.refresh_from_db()
    assert campaign.closed_on == TODAY
    assert "Doorlichting 2026" not in manager.get(reverse("inview:worklist")).content.decode()
    # Closed is closed: no second closing, no marking.
    html = browser.post(reverse("inview:campaign-close", args=[campaign.pk]), follow=True).content.decode()
    assert "Deze doorlichting is al afgesloten." in html
    html = manager.post(reverse("inview:campaign-invite", args=[campaign.pk]), {"client": [world.own.pk]},
                        follow=True).content.decode()
    assert "Deze doorlichting is afgesloten" in html
    assert not CampaignInvitation.objects.filter(invited_on__isnull=False).exists()


def test_campaign_list_query_count_does_not_grow(campaign_world, login):
    world = campaign_world
    lead = world.users["teamleider"]
    browser = login(lead)
    groups = Segmentation.objects.create(municipality=world.muni, name="Klantgroepen")
    counts = []
    for n in (1, 3):
        for i in range(n):
            segment = Segment.objects.create(segmentation=groups, name=f"Groep {n}-{i}")
            services.place_in_segment(client=world.own, segment=segment, by=lead)
            services.create_campaign(by=lead, name=f"Doorlichting {n}-{i}", criteria=CampaignCriteria(
                municipality_id=world.muni.pk, team_id=world.team.pk, segment_id=segment.pk))
        browser.get(reverse("inview:campaign-list"))
        with CaptureQueriesContext(connection) as queries:
            browser.get(reverse("inview:campaign-list"))
        counts.append(len(queries))
    assert Campaign.objects.count() == 4
    assert counts[0] == counts[1]


# --- Administration -------------------------------------------------------------------------------------------------


@pytest.fixture
def administrator(world):
    """The functional administrator as in the demo: staff, with the demo group's permissions, not a superuser."""
    from kansrijk.core.management.commands.load_demo import Command

    user = world.users["beheerder"]
    user.is_staff = True
    user.save()
    user.groups.add(Command()._admin_group())
    return user


def test_demo_group_configures_steps_groups_and_rhythms(administrator):
    codenames = set(Permission.objects.filter(group__user=administrator).values_list("codename", flat=True))
    for model in ("ladderstep", "segmentation", "segment", "contactrhythmrule"):
        assert {f"{action}_{model}" for action in ("add", "change", "view", "delete")} <= codenames
    assert "add_contact" not in codenames and "add_campaign" not in codenames


def test_admin_pages_load(world, administrator, groups, login):
    segmentation, segments, foreign = groups
    rule = ContactRhythmRule.objects.create(municipality=world.muni, name="FIP", interval_days=14,
                                            segment=segments[2])
    ContactRhythmRule.objects.create(municipality=world.other_muni, name="Van Buurdorp", interval_days=30)
    browser = login(administrator)
    for name in ("inview_segmentation_changelist", "inview_segmentation_add", "inview_contactrhythmrule_changelist",
                 "inview_contactrhythmrule_add", "diagnosis_ladderstep_changelist", "diagnosis_ladderstep_add",
                 "diagnosis_ladderstep_adopt_example"):
        assert browser.get(reverse(f"admin:{name}")).status_code == 200, name
    assert browser.get(reverse("admin:inview_segmentation_change", args=[segmentation.pk])).status_code == 200
    html = browser.get(reverse("admin:inview_contactrhythmrule_changelist")).content.decode()
    assert "FIP" in html and "klantgroep Klantgroepen Steenwijkerland: Ondersteuning nodig" in html
    assert "Van Buurdorp" not in html  # the administrator works for Voorbeeldstad only
    assert browser.get(reverse("admin:inview_contactrhythmrule_change", args=[rule.pk])).status_code == 200


def test_admin_rule_validation(world, administrator, groups, login):
    segmentation, segments, foreign = groups
    browser = login(administrator)
    url = reverse("admin:inview_contactrhythmrule_add")
    data = {"municipality": world.muni.pk, "name": "Trede 1-2", "interval_days": 91, "trede_min": 3, "trede_max": 2,
            "segment": foreign.pk, "active": "on"}
    html = browser.post(url, data).content.decode()
    assert "De trede &#x27;tot en met&#x27; ligt onder de trede &#x27;vanaf&#x27;." in html
    assert not ContactRhythmRule.objects.exists()
    data.update(trede_min=1, segment="")
    assert browser.post(url, data).status_code == 302
    assert ContactRhythmRule.objects.get().trede_max == 2


def test_admin_segmentation_with_groups(world, administrator, login):
    browser = login(administrator)
    data = {"municipality": world.muni.pk, "name": "Zes klantgroepen", "description": "",
            "segments-TOTAL_FORMS": 2, "segments-INITIAL_FORMS": 0, "segments-MIN_NUM_FORMS": 0,
            "segments-MAX_NUM_FORMS": 1000,
            "segments-0-position": 1, "segments-0-name": "Direct bemiddelbaar", "segments-0-description": "",
            "segments-1-position": 2, "segments-1-name": "Zorg", "segments-1-description": ""}
    response = browser.post(reverse("admin:inview_segmentation_add"), data)
    assert response.status_code == 302
    assert list(Segmentation.objects.get().segments.values_list("name", flat=True)) == ["Direct bemiddelbaar", "Zorg"]


def test_admin_adopt_heemskerk_example(world, administrator, login):
    browser = login(administrator)
    changelist = reverse("admin:diagnosis_ladderstep_changelist")
    assert reverse("admin:diagnosis_ladderstep_adopt_example") in browser.get(changelist).content.decode()
    url = reverse("admin:diagnosis_ladderstep_adopt_example")
    assert "Rust (altijd tijdelijk)" in browser.get(url).content.decode()
    response = browser.post(url, {"municipality": world.muni.pk})
    assert response.status_code == 302 and response["Location"] == f"{changelist}?gemeente={world.muni.pk}"
    assert LadderStep.objects.filter(municipality=world.muni).count() == 7
    browser.post(url, {"municipality": world.muni.pk})  # idempotent
    assert LadderStep.objects.filter(municipality=world.muni).count() == 7
    # Not for a municipality the administrator does not work for.
    response = browser.post(url, {"municipality": world.other_muni.pk})
    assert response.status_code == 200 and not LadderStep.objects.filter(municipality=world.other_muni).exists()
    html = browser.get(changelist, {"gemeente": world.muni.pk}).content.decode()
    assert "Parttime werk" in html


def test_admin_national_steps_are_read_only(world, administrator, login):
    browser = login(administrator)
    national = LadderStep.objects.get(municipality=None, code="3")
    response = browser.post(reverse("admin:diagnosis_ladderstep_change", args=[national.pk]),
                            {"code": "3", "trede": 3, "name": "Anders", "position": 0, "active": "on"})
    assert response.status_code == 403
    assert LadderStep.objects.get(pk=national.pk).name != "Anders"
    assert browser.post(reverse("admin:diagnosis_ladderstep_delete", args=[national.pk]),
                        {"post": "yes"}).status_code == 403
    # A sub-step of the own municipality is created with a municipality, never national.
    response = browser.post(reverse("admin:diagnosis_ladderstep_add"),
                            {"code": "2.9", "trede": 2, "name": "Eigen substap", "position": 29, "active": "on"})
    assert response.status_code == 200 and not LadderStep.objects.filter(code="2.9").exists()
    response = browser.post(reverse("admin:diagnosis_ladderstep_add"),
                            {"municipality": world.muni.pk, "code": "2.9", "trede": 2, "name": "Eigen substap",
                             "position": 29, "active": "on"})
    assert response.status_code == 302
    assert LadderStep.objects.get(code="2.9").municipality == world.muni


def test_admin_only_for_staff(world, login):
    assert login(world.users["beheerder"]).get(
        reverse("admin:inview_contactrhythmrule_changelist")).status_code == 302
