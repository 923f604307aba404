"""Stepped candidate selection: the SQL filter agrees with ``recommend`` (property test), the bulk facts equal the
single-client facts, funnel counts, scope, special categories, fixed query counts and the service's rules."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kansrijk.caseload.models import Client, ClientSpecialCategories
from kansrijk.caseload.tests.factories import BenefitSpellFactory, ClientFactory
from kansrijk.catalogue.models import LocalOffer
from kansrijk.catalogue.tests.factories import approach
from kansrijk.diagnosis.instruments import ZRM_DOMAINS
from kansrijk.diagnosis.models import (
    Intake,
    IntakeSpecialCategories,
    LadderMeasurement,
    LadderStep,
    ZrmMeasurement,
    ZrmScore,
)
from kansrijk.inview.models import ClientSegment, Segment, Segmentation
from kansrijk.matching import selection, selection_services
from kansrijk.matching.models import CandidateInvitation
from kansrijk.matching.recommendations import Candidate, recommend
from kansrijk.matching.selection import SelectionCriteria, entry_criteria_filter, facts_for, with_latest
from kansrijk.matching.selectors import client_facts

TODAY = timezone.localdate()
LEVELS = ["", "A0", "A1", "A2", "B1", "B2", "C1", "C2"]


def typical(world, **values):
    """An approach with seed 000-like entry criteria, offered in the world's municipality."""
    values = {"slug": "opleiden-in-de-zorg", "name": "Opleiden in de zorg", "trede_min": 2, "trede_max": 4,
              "min_hours_per_week": 16, "age_min": 27, "age_max": 67, "regimes": ["participatiewet"],
              "approach_types": ["human_capital_first"]} | values
    capacity = values.pop("capacity", None)
    created = approach(**values)
    LocalOffer.objects.create(municipality=world.muni, approach=created, capacity=capacity)
    return created


def ladder(world, client, trede, days_ago=10, corrects=None):
    step = LadderStep.objects.get(municipality=None, code=str(trede))
    return LadderMeasurement.objects.create(client=client, trede=trede, step=step, measured_by=world.users["klantmanager"],
                                            measured_on=TODAY - timedelta(days=days_ago), corrects=corrects)


def intake(world, client, days_ago=10, corrects=None, **values):
    return Intake.objects.create(client=client, measured_by=world.users["klantmanager"],
                                 measured_on=TODAY - timedelta(days=days_ago), corrects=corrects, **values)


def zrm(world, client, low=(), days_ago=10):
    measurement = ZrmMeasurement.objects.create(client=client, measured_by=world.users["klantmanager"],
                                                measured_on=TODAY - timedelta(days=days_ago), version="2017")
    ZrmScore.objects.bulk_create(ZrmScore(measurement=measurement, domain=key, level=2 if key in low else 4)
                                 for key, _label in ZRM_DOMAINS["2017"])
    return measurement


def own_client(world, **values):
    client = ClientFactory(municipality=world.muni, team=world.team, client_manager=world.users["klantmanager"],
                           **values)
    BenefitSpellFactory(client=client)
    Client.objects.filter(pk=client.pk).update(active_spell_start=TODAY - timedelta(days=3 * 365))
    client.refresh_from_db()
    return client


def criteria(world, created, **values):
    return SelectionCriteria(municipality_id=world.muni.pk, approach_id=created.pk, **values)


# --- The SQL filter and the rules agree -------------------------------------------------------------------------------

maybe_level = st.sampled_from(LEVELS)
client_strategy = st.fixed_dictionaries({
    "birth_year": st.integers(TODAY.year - 70, TODAY.year - 18),
    "trede": st.one_of(st.none(), st.integers(1, 6)),
    "corrected_trede": st.one_of(st.none(), st.integers(1, 6)),
    "intake": st.one_of(st.none(), st.fixed_dictionaries({
        "regime": st.sampled_from(["", "participatiewet", "ioaw", "ww"]),
        "hours_per_week": st.one_of(st.none(), st.integers(0, 40)),
        "dutch_speaking": maybe_level, "dutch_listening": maybe_level, "dutch_reading": maybe_level,
        "dutch_writing": maybe_level,
        "driving_licence": st.one_of(st.none(), st.booleans()),
    })),
    "older_intake": st.one_of(st.none(), st.fixed_dictionaries({
        "regime": st.sampled_from(["", "participatiewet", "ww"]), "hours_per_week": st.integers(0, 40)})),
})
candidate_strategy = st.fixed_dictionaries({
    "regimes": st.sampled_from([(), ("participatiewet",), ("participatiewet", "ioaw"), ("ww",)]),
    "trede_min": st.one_of(st.none(), st.integers(0, 6)),
    "trede_max": st.one_of(st.none(), st.integers(1, 6)),
    "min_hours_per_week": st.one_of(st.none(), st.sampled_from([0.0, 8.0, 16.0, 16.5, 24.0, 32.0])),
    "age_min": st.one_of(st.none(), st.integers(18, 55)),
    "age_max": st.one_of(st.none(), st.integers(30, 67)),
    "language_level": st.sampled_from(["", "Taalniveau B1 of hoger", "A2", "A0", "goede beheersing", "C2"]),
    "entry_criteria": st.sampled_from(["", "Rijbewijs B vereist.", "Motivatie."]),
    "capacity": st.sampled_from([None, 0, 5]),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(client_strategy, min_size=1, max_size=6), terms=candidate_strategy)
def test_sql_filter_agrees_with_recommend(world, people, terms):
    """For random clients and random entry criteria: a client passes the SQL filter exactly when ``recommend`` for
    that client alone says "mogelijk" (unknown facts are possible, to ask) — the filter never drifts from the rules."""
    candidate = Candidate(approach_id=1, slug="x", name="X", **terms)
    created = []
    for person in people:
        client = own_client(world, birth_year=person["birth_year"])
        created.append(client)
        if person["trede"] is not None:
            first = ladder(world, client, person["trede"], days_ago=20)
            if person["corrected_trede"] is not None:  # a correction of the latest: the correction counts
                ladder(world, client, person["corrected_trede"], days_ago=20, corrects=first)
        if person["older_intake"] is not None:
            intake(world, client, days_ago=400, **person["older_intake"])
        if person["intake"] is not None:
            intake(world, client, days_ago=5, **person["intake"])
    ids = [c.pk for c in created]
    passed = set(with_latest(Client.objects.filter(pk__in=ids)).filter(entry_criteria_filter(candidate, TODAY))
                 .values_list("pk", flat=True))
    for client in created:
        [rec] = recommend(client_facts(client, today=TODAY), [candidate])
        assert (client.pk in passed) == rec.possible, (rec.unmet, rec.to_ask)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(people=st.lists(client_strategy, min_size=1, max_size=5), low=st.sets(st.sampled_from(
    ["financien", "sociaal_netwerk", "tijdsbesteding", "lichamelijke_gezondheid", "middelengebruik"])))
def test_bulk_facts_equal_single_client_facts(world, people, low):
    created = []
    for person in people:
        client = own_client(world, birth_year=person["birth_year"])
        created.append(client)
        if person["trede"] is not None:
            ladder(world, client, person["trede"])
        if person["intake"] is not None:
            intake(world, client, wishes="Ik wil graag in de zorg werken", work_experience="schoonmaak",
                   education="vmbo", debts="regeling", **person["intake"])
        if low:
            zrm(world, client, low=("werk_opleiding",), days_ago=300)
            zrm(world, client, low=low)
    rows = list(with_latest(Client.objects.filter(pk__in=[c.pk for c in created])).values_list(
        "pk", "birth_year", "active_spell_start", "latest_trede", "latest_intake_id"))
    bulk = facts_for(rows, TODAY)
    for client in created:
        assert bulk[client.pk] == client_facts(client, today=TODAY)


# --- Funnel, scope, special categories, query counts ------------------------------------------------------------------


@pytest.fixture
def people(world):
    """Own clients: fits (trede 3, 24 h, Participatiewet), unknown (nothing measured), too far (trede 1), WW; the
    colleague's client fits too, and a client of the other team. The world's own client runs a benefit, nothing
    known."""
    Client.objects.filter(pk=world.own.pk).update(active_spell_start=TODAY - timedelta(days=3 * 365))
    fits = own_client(world, birth_year=TODAY.year - 40, family_name="Fit")
    ladder(world, fits, 3)
    intake(world, fits, regime="participatiewet", hours_per_week=24)
    unknown = own_client(world, birth_year=TODAY.year - 35, family_name="Onbekend")
    far = own_client(world, birth_year=TODAY.year - 45, family_name="Ver")
    ladder(world, far, 1)
    ww = own_client(world, birth_year=TODAY.year - 50, family_name="Ww")
    intake(world, ww, regime="ww", hours_per_week=30)
    teammate = ClientFactory(municipality=world.muni, team=world.team, client_manager=world.colleague,
                             birth_year=TODAY.year - 30, active_spell_start=TODAY - timedelta(days=800))
    other_team = ClientFactory(municipality=world.muni, team=world.other_team, birth_year=TODAY.year - 30,
                               active_spell_start=TODAY - timedelta(days=800))
    return {"fits": fits, "unknown": unknown, "far": far, "ww": ww, "teammate": teammate, "other_team": other_team}


def test_funnel_and_reasons_for_a_client_manager(world, people):
    created = typical(world)
    result = selection.select_candidates(world.users["klantmanager"], criteria(world, created))
    # world.own (running benefit, nothing known) + the four own clients; far and ww fail a criterion.
    assert result.counts == {"caseload": 5, "filtered": 5, "meets_criteria": 3, "shortlist": 3}
    ids = result.shown_ids
    assert people["fits"].pk == ids[0]  # the trede fits the approach type: a higher score
    assert set(ids) == {people["fits"].pk, people["unknown"].pk, world.own.pk}
    first = result.shortlist[0].recommendation
    assert "De cliënt staat op trede 3; een human-capital-first" in first.reasons[0].text
    unknown = next(item for item in result.shortlist if item.client_id == people["unknown"].pk).recommendation
    assert {r.code for r in unknown.to_ask} >= {"regeling", "trede", "uren"}


def test_team_lead_sees_the_teams_clients_and_filters_narrow(world, people):
    created = typical(world)
    lead = world.users["teamleider"]
    result = selection.select_candidates(lead, criteria(world, created))
    assert people["teammate"].pk in result.shown_ids and people["other_team"].pk not in result.shown_ids
    assert result.counts["caseload"] == 6  # own team only: world.own, teammate, the four
    segmentation = Segmentation.objects.create(municipality=world.muni, name="Klantgroepen")
    group = Segment.objects.create(segmentation=segmentation, name="FIP")
    ClientSegment.objects.create(client=people["fits"], segmentation=segmentation, segment=group,
                                 placed_by=lead, placed_on=TODAY)
    narrowed = selection.select_candidates(lead, criteria(world, created, segment_id=group.pk, min_benefit_years=2))
    assert narrowed.counts == {"caseload": 6, "filtered": 1, "meets_criteria": 1, "shortlist": 1}
    with pytest.raises(ValidationError) as error:
        selection.select_candidates(lead, criteria(world, created, team_id=world.other_team.pk))
    assert error.value.message_dict["team"] == ["Kies een van uw eigen teams in deze gemeente."]


@pytest.mark.parametrize("role", ["beleidsmedewerker", "wijkteammedewerker", "aanbieder", "beheerder"])
def test_other_roles_may_not_select(world, role):
    created = typical(world)
    with pytest.raises(PermissionDenied):
        selection.select_candidates(world.users[role], criteria(world, created))


def test_capacity_zero_selects_nobody_and_says_why(world, people):
    created = typical(world, capacity=0)
    result = selection.select_candidates(world.users["klantmanager"], criteria(world, created))
    assert result.counts["meets_criteria"] == 0
    assert [r.text for r in result.offer_unmet] == ["Er zijn nu geen plaatsen vrij (capaciteit 0)."]


def test_an_approach_not_offered_here_is_refused(world):
    created = approach(slug="elders", name="Elders")
    with pytest.raises(ValidationError) as error:
        selection.select_candidates(world.users["klantmanager"], criteria(world, created))
    assert error.value.message_dict["approach"] == ["Deze aanpak wordt in deze gemeente nu niet aangeboden."]


def test_special_categories_and_sex_change_nothing(world, people):
    created = typical(world)
    user = world.users["klantmanager"]
    before = selection.select_candidates(user, criteria(world, created))
    for client in Client.objects.filter(client_manager=user):
        ClientSpecialCategories.objects.update_or_create(client=client, defaults={
            "health": "Ernstige klachten", "addiction": "Alcohol", "migration_background": "niet_westers"})
    Client.objects.filter(client_manager=user).update(sex="V")
    for found in Intake.objects.filter(client__client_manager=user):
        IntakeSpecialCategories.objects.create(intake=found, physical_health="Rug", mental_health="Depressie",
                                               addiction="Drugs")
    after = selection.select_candidates(user, criteria(world, created))
    assert after.counts == before.counts
    assert [(i.client_id, i.score, [r.text for r in i.recommendation.reasons]) for i in after.shortlist] == \
           [(i.client_id, i.score, [r.text for r in i.recommendation.reasons]) for i in before.shortlist]


def test_queries_do_not_grow_with_the_shortlist(world):
    created = typical(world)
    user = world.users["klantmanager"]
    selection.select_candidates(user, criteria(world, created))  # the kept candidates
    counts = []
    for extra in (3, 30):
        for _n in range(extra):
            client = own_client(world, birth_year=TODAY.year - 40)
            ladder(world, client, 3)
            intake(world, client, regime="participatiewet", hours_per_week=20)
            zrm(world, client, low=("financien",))
        with CaptureQueriesContext(connection) as queries:
            result = selection.select_candidates(user, criteria(world, created, limit=100))
        counts.append(len(queries))
        assert result.counts["shortlist"] >= extra
    assert counts[0] == counts[1] <= 12


# --- Recording: the human decides ---------------------------------------------------------------------------------


def test_create_selection_records_decisions_and_snapshot(world, people):
    created = typical(world)
    user = world.users["klantmanager"]
    chosen = criteria(world, created)
    with pytest.raises(ValidationError) as error:
        selection_services.create_selection(by=user, criteria=chosen, invite=[people["fits"].pk],
                                            exclude={people["unknown"].pk: "  "})
    assert error.value.message_dict["exclude"] == [
        f"Geef de reden waarom u deze cliënt niet uitnodigt: {people['unknown'].display_name}."]
    with pytest.raises(ValidationError) as error:
        selection_services.create_selection(by=user, criteria=chosen, invite=[people["far"].pk])
    assert "staat (nog) op de shortlist" in error.value.message_dict["invite"][0]
    assert not CandidateInvitation.objects.exists()
    saved = selection_services.create_selection(by=user, criteria=chosen, invite=[people["fits"].pk],
                                                exclude={people["unknown"].pk: "Verhuist binnenkort"})
    rows = {i.client_id: i for i in saved.invitations.all()}
    assert rows[people["fits"].pk].status == "uitgenodigd" and rows[people["fits"].pk].invited_by == user
    assert rows[people["unknown"].pk].status == "afgezien" and rows[people["unknown"].pk].reason == "Verhuist binnenkort"
    assert rows[world.own.pk].status == "voorgesteld"
    assert rows[people["fits"].pk].explanation["reasons"][0]["code"] == "type"
    assert saved.counts["meets_criteria"] == 3 and saved.criteria["approach"] == "opleiden-in-de-zorg"


def test_status_changes_need_the_right_person_and_a_reason(world, people):
    created = typical(world)
    lead, manager = world.users["teamleider"], world.users["klantmanager"]
    saved = selection_services.create_selection(by=lead, criteria=criteria(world, created), invite=[])
    proposal = saved.invitations.get(client=people["fits"])
    selection_services.update_invitation(invitation=proposal, by=lead, status="uitgenodigd")
    with pytest.raises(PermissionDenied):  # once invited, the client manager records what came of it
        selection_services.update_invitation(invitation=proposal, by=lead, status="aangemeld")
    with pytest.raises(PermissionDenied):
        selection_services.update_invitation(invitation=proposal, by=world.colleague, status="aangemeld")
    with pytest.raises(ValidationError) as error:
        selection_services.update_invitation(invitation=proposal, by=manager, status="afgezien")
    assert error.value.message_dict["reason"] == [
        "Geef de reden waarom de cliënt niet (meer) meedoet of niet wordt uitgenodigd."]
    with pytest.raises(ValidationError) as error:
        selection_services.update_invitation(invitation=proposal, by=manager, status="voorgesteld")
    assert error.value.message_dict["status"] == ["Van ‘uitgenodigd’ kan de status niet naar ‘voorgesteld’."]
    selection_services.update_invitation(invitation=proposal, by=manager, status="aangemeld")
    proposal.refresh_from_db()
    assert proposal.status == "aangemeld" and proposal.decided_by == manager


# --- Pages, API, command ------------------------------------------------------------------------------------------


def test_pages_preview_invite_and_follow(world, people, login):
    from django.urls import reverse

    from kansrijk.audit.models import AccessLog

    created = typical(world)
    web = login(world.users["klantmanager"])
    url = reverse("selection:new")
    query = {"gemeente": world.muni.pk, "aanpak": created.pk}
    page = web.get(url, query)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Voldoen aan de toelatingscriteria" in html and people["fits"].display_name in html
    assert people["far"].display_name not in html
    assert AccessLog.objects.filter(view="kandidatenselectie", client_id=people["fits"].pk).exists()
    partial = web.get(url, query, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and b"Shortlist" in partial.content
    shown = [people["fits"].pk, people["unknown"].pk, world.own.pk]
    refused = web.post(url, {**query, "getoond": shown, f"besluit-{people['unknown'].pk}": "niet_uitnodigen",
                             f"besluit-{people['fits'].pk}": "uitnodigen"})
    assert refused.status_code == 400
    assert "Geef de reden waarom u deze cliënt niet uitnodigt" in refused.content.decode()
    done = web.post(url, {**query, "getoond": shown, f"besluit-{people['fits'].pk}": "uitnodigen"})
    assert done.status_code == 302
    invitation = CandidateInvitation.objects.get(client=people["fits"])
    detail = web.get(done["Location"])
    assert detail.status_code == 200 and "Uitgenodigd" in detail.content.decode()
    listing = web.get(reverse("selection:invitations"))
    assert people["fits"].display_name in listing.content.decode()
    moved = web.post(reverse("selection:invitation-update", args=[invitation.pk]),
                     {"status": "afgezien", "reason": ""})
    assert moved.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == "uitgenodigd"  # no reason: not changed
    web.post(reverse("selection:invitation-update", args=[invitation.pk]), {"status": "aangemeld"})
    invitation.refresh_from_db()
    assert invitation.status == "aangemeld"
    client_page = web.get(reverse("caseload:client-detail", args=[people["fits"].pk]))
    assert "Uitnodigingen voor aanpakken" in client_page.content.decode()
    other = login(world.users["beleidsmedewerker"])
    assert other.get(url, query).status_code == 403


def test_api_preview_create_and_status(world, people, api_login):
    from kansrijk.audit.models import AccessLog

    typical(world)
    api = api_login(world.users["klantmanager"])
    preview = api.post("/api/v1/candidate-selections/preview/", {"approach": "opleiden-in-de-zorg"})
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["counts"]["meets_criteria"] == 3
    assert body["shortlist"][0]["client"] == people["fits"].pk and body["shortlist"][0]["reasons"]
    assert AccessLog.objects.filter(view="api_kandidatenselectie").count() == 3
    bad = api.post("/api/v1/candidate-selections/", {"approach": "opleiden-in-de-zorg",
                                                     "exclude": [{"client": people["fits"].pk, "reason": ""}]})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert bad.json()["invalidParams"][0]["name"] == "exclude"
    made = api.post("/api/v1/candidate-selections/", {"approach": "opleiden-in-de-zorg",
                                                      "invite": [people["fits"].pk]})
    assert made.status_code == 201
    invitation = next(i for i in made.json()["invitations"] if i["client"] == people["fits"].pk)
    assert invitation["status"] == "uitgenodigd"
    listed = api.get("/api/v1/candidate-invitations/?status=uitgenodigd").json()
    assert [row["client"] for row in listed["results"]] == [people["fits"].pk]
    moved = api.post(f"/api/v1/candidate-invitations/{invitation['id']}/status/", {"status": "aangemeld"})
    assert moved.status_code == 200 and moved.json()["status"] == "aangemeld"
    unknown = api.post("/api/v1/candidate-selections/preview/", {"approach": "bestaat-niet"})
    assert unknown.status_code == 400


def test_command_prints_the_funnel_and_shortlist(world, people, capsys):
    import json

    from django.core.management import call_command

    typical(world)
    call_command("select_candidates", "opleiden-in-de-zorg", "--gemeente", "9999", "--json")
    data = json.loads(capsys.readouterr().out)
    # The whole municipality: also the teammate and the other team's client (and the world's other clients).
    assert data["counts"]["meets_criteria"] >= 5
    assert data["shortlist"][0]["reasons"]
    call_command("select_candidates", "opleiden-in-de-zorg", "--gemeente", "9999", "--user", "klantmanager")
    out = capsys.readouterr().out
    assert "Voldoen aan de toelatingscriteria" in out and "+ De cliënt staat op trede 3" in out
