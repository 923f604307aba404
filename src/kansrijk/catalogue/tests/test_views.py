"""Web pages of the catalogue: wiring, permissions, rendering, query counts. The rules themselves are tested on
the services and selectors (test_services.py, test_exchange.py)."""

import io
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kansrijk.catalogue.models import Approach, Assessment, AssessmentScore, LocalOffer
from kansrijk.catalogue.vocabulary import Checklist, Dimension

from .factories import approach, working_element

SEED_000_TITLE = "Kansrijke aanpakken voor langdurig bijstandsgerechtigden"


def full_assessment(**overrides) -> dict:
    data = {}
    for dimension in Dimension.values:
        data[f"score_{dimension}"] = "1"
        data[f"reasoning_{dimension}"] = f"Onderbouwing voor {dimension}."
    data.update(checklist_recent="ja", note_recent="Gestart in 2019.", effect_level="2", conclusion="Kansrijk.")
    data.update(overrides)
    return data


@pytest.fixture
def catalogue(world):
    """Three approaches: a shipped one with sources and results, a local one of the own municipality, and a
    shipped one offered locally."""
    element = working_element("hc-tijd-en-caseload", label="Tijd en een kleine caseload",
                              description="Klantmanagers hebben tijd voor de cliënt.", source="seed-000:L100-L102")
    zorg = approach(slug="opleiden-in-de-zorg", name="Opleiden in de zorg", kind="traject",
                    description="Leren en werken bij een zorginstelling.", goal="werk",
                    approach_types=["human_capital_first"], target_groups=["algemeen"], ladder_steps=["3"],
                    regimes=["participatiewet"], provider="Werkbedrijf Lucrato", cost_per_participant_eur=1600,
                    benefit_retained=True, effect_level=2, working_elements=["hc-tijd-en-caseload"],
                    pitfalls=["Te weinig kandidaten bij een volgende start."],
                    results=[{"description": "Uitstroom naar werk", "value": 11, "unit": "deelnemers",
                              "period": "2018-2019", "source": "seed-000:L400-L401"}],
                    sources={"name": "seed-000:L12", "description": "seed-000:L12-L15",
                             "provider": "seed-000:L20-L21", "pitfalls": "seed-000:L30"})
    taal = approach(slug="taalcafe", name="Taalcafé", kind="initiatief", description="Cliënten oefenen Nederlands.",
                    goal="activering", approach_types=["life_first"], target_groups=["statushouders"],
                    ladder_steps=["1", "2"], effect_level=1)
    local = approach(owner=world.muni, slug="eigen-werkgeversdag", name="Werkgeversdag Voorbeeldstad",
                     description="Speeddates met werkgevers.", goal="werk", approach_types=["work_first"])
    LocalOffer.objects.create(municipality=world.muni, approach=taal, capacity=12, contact_person="Fatima de Vries",
                              intake_moments="Elke maandag", notes="Bij de bibliotheek.")
    return {"zorg": zorg, "taal": taal, "local": local, "element": element}


def slugs(response):
    return [row["approach"].slug for row in response.context["rows"]]


# --- Access --------------------------------------------------------------------------------------------------------


def test_anonymous_user_goes_to_the_login_page(client, catalogue):
    response = client.get(reverse("catalogue:list"))
    assert response.status_code == 302 and "next=" in response["Location"]


@pytest.mark.parametrize("name,method", [
    ("catalogue:assess", "get"), ("catalogue:assess", "post"),
    ("catalogue:local-offer", "get"), ("catalogue:local-offer", "post"),
    ("catalogue:edit", "get"), ("catalogue:retire", "post"),
])
def test_client_manager_may_not_change_the_catalogue(world, login, catalogue, name, method):
    response = getattr(login(world.users["klantmanager"]), method)(reverse(name, args=["taalcafe"]))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["catalogue:import", "catalogue:create", "catalogue:export"])
def test_client_manager_may_not_import_create_or_export(world, login, catalogue, name):
    assert login(world.users["klantmanager"]).get(reverse(name)).status_code == 403
    assert login(world.users["klantmanager"]).post(reverse(name)).status_code == 403


def test_policy_analyst_may_assess_but_not_manage(world, login, catalogue):
    analyst = login(world.users["beleidsmedewerker"])
    assert analyst.get(reverse("catalogue:assess", args=["taalcafe"])).status_code == 200
    assert analyst.get(reverse("catalogue:local-offer", args=["taalcafe"])).status_code == 403
    assert analyst.get(reverse("catalogue:import")).status_code == 403


@pytest.mark.parametrize("role", ["klantmanager", "aanbieder", "wijkteammedewerker"])
def test_every_role_reads_the_catalogue(world, login, catalogue, role):
    user = login(world.users[role])
    for url in (reverse("catalogue:list"), reverse("catalogue:detail", args=["taalcafe"]),
                reverse("catalogue:what-works"), reverse("catalogue:compare") + "?a=taalcafe&a=opleiden-in-de-zorg"):
        assert user.get(url).status_code == 200, url


def test_navigation_links_to_the_catalogue(world, login, catalogue):
    html = login(world.users["aanbieder"]).get(reverse("core:home")).content.decode()
    assert f'href="{reverse("catalogue:list")}"' in html


# --- List, search and filters --------------------------------------------------------------------------------------


@pytest.mark.parametrize("params,expected", [
    ({}, ["opleiden-in-de-zorg", "taalcafe", "eigen-werkgeversdag"]),
    ({"q": "zorginstelling"}, ["opleiden-in-de-zorg"]),
    ({"q": "clienten"}, ["taalcafe"]),
    ({"kind": "initiatief"}, ["taalcafe"]),
    ({"goal": "activering"}, ["taalcafe"]),
    ({"approach_types": ["work_first", "life_first"]}, ["taalcafe", "eigen-werkgeversdag"]),
    ({"target_groups": "statushouders"}, ["taalcafe"]),
    ({"ladder_steps": "2.3"}, ["taalcafe"]),
    ({"regimes": "participatiewet"}, ["opleiden-in-de-zorg"]),
    ({"effect_level_min": "2"}, ["opleiden-in-de-zorg"]),
    ({"max_cost": "2000"}, ["opleiden-in-de-zorg"]),
    ({"offered_locally": "ja"}, ["taalcafe"]),
    ({"offered_locally": "nee"}, ["opleiden-in-de-zorg", "eigen-werkgeversdag"]),
    ({"offered_locally": "alle"}, ["opleiden-in-de-zorg", "taalcafe", "eigen-werkgeversdag"]),
])
def test_list_searches_and_filters(world, login, catalogue, params, expected):
    response = login(world.users["klantmanager"]).get(reverse("catalogue:list"), params)
    assert response.status_code == 200
    assert sorted(slugs(response)) == sorted(expected)


def test_list_hides_retired_approaches_unless_asked(world, login, catalogue):
    Approach.objects.filter(slug="taalcafe").update(retired_at="2024-01-01T00:00:00Z", retired_reason="Gestopt")
    user = login(world.users["klantmanager"])
    assert "taalcafe" not in slugs(user.get(reverse("catalogue:list")))
    response = user.get(reverse("catalogue:list"), {"include_retired": "on"})
    assert "taalcafe" in slugs(response)
    assert "Uit de catalogus gehaald" in response.content.decode()


def test_list_shows_an_invalid_filter_and_ignores_it(world, login, catalogue):
    response = login(world.users["klantmanager"]).get(reverse("catalogue:list"), {"kind": "onzin", "goal": "werk"})
    assert response.status_code == 200
    assert response.context["form"].errors["kind"]
    assert sorted(slugs(response)) == ["eigen-werkgeversdag", "opleiden-in-de-zorg"]


def test_list_renders_rows_badges_and_compare_checkboxes(world, login, catalogue):
    html = login(world.users["klantmanager"]).get(reverse("catalogue:list")).content.decode()
    assert 'hx-get="/catalogus/"' in html and 'hx-push-url="true"' in html
    assert f'action="{reverse("catalogue:compare")}"' in html
    assert 'name="a" value="taalcafe"' in html
    assert "Aangeboden" in html  # the taalcafé is offered in Voorbeeldstad, in words, not only colour
    assert "Human-capital-first" in html and "Statushouders" in html
    assert "<caption" in html and '<th scope="col">' in html
    for legend in ("Type aanpak", "Doelgroep", "Trede Participatieladder", "Regeling", "Fase"):
        assert f"<legend>{legend}" in html


def test_htmx_request_gets_only_the_results(world, login, catalogue):
    response = login(world.users["klantmanager"]).get(reverse("catalogue:list"), {"q": "taal"},
                                                      HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and "Taalcafé" in html
    assert [t.name for t in response.templates][0] == "catalogue/_approach_table.html"


def test_list_query_count_does_not_grow_with_the_number_of_approaches(world, login, catalogue):
    user = login(world.users["klantmanager"])
    user.get(reverse("catalogue:list"))  # warm up session and caches
    with CaptureQueriesContext(connection) as few:
        assert len(user.get(reverse("catalogue:list")).context["rows"]) == 3
    for number in range(27):
        made = approach(slug=f"extra-{number}", name=f"Extra {number}", target_groups=["jongeren"],
                        approach_types=["work_first"], working_elements=["hc-tijd-en-caseload"],
                        results=[{"description": "Werk", "value": 1, "unit": "", "period": "", "source": ""}])
        LocalOffer.objects.create(municipality=world.muni, approach=made)
    with CaptureQueriesContext(connection) as many:
        assert len(user.get(reverse("catalogue:list")).context["rows"]) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


# --- Detail --------------------------------------------------------------------------------------------------------


def test_detail_shows_facts_with_their_source(world, login, catalogue):
    response = login(world.users["klantmanager"]).get(reverse("catalogue:detail", args=["opleiden-in-de-zorg"]))
    html = response.content.decode()
    assert "Leren en werken bij een zorginstelling." in html
    assert re.search(rf"Bron: <cite>{SEED_000_TITLE}</cite>, regels 12–15", html)  # description
    assert re.search(rf"Bron: <cite>{SEED_000_TITLE}</cite>, regels 20–21", html)  # provider
    assert "Uitstroom naar werk" in html and "11 deelnemers" in html and "regels 400–401" in html  # result's source
    assert "Tijd en een kleine caseload" in html and "Klantmanagers hebben tijd voor de cliënt." in html
    assert "Te weinig kandidaten bij een volgende start." in html
    assert "2 — goed onderbouwd" in html
    assert "€ 1.600" in html
    assert "Deze aanpak wordt niet aangeboden in uw gemeente." in html
    assert "Beoordelen" not in html and "Lokaal aanbod aanpassen" not in html  # a client manager only reads


def test_detail_shows_the_local_offer_and_the_links_for_each_role(world, login, catalogue):
    html = login(world.users["beheerder"]).get(reverse("catalogue:detail", args=["taalcafe"])).content.decode()
    assert "Fatima de Vries" in html and "12 plaatsen" in html and "Elke maandag" in html
    assert reverse("catalogue:local-offer", args=["taalcafe"]) in html
    assert reverse("catalogue:edit", args=["taalcafe"]) not in html  # shipped: not the municipality's own
    html = login(world.users["beleidsmedewerker"]).get(reverse("catalogue:detail", args=["taalcafe"])).content.decode()
    assert reverse("catalogue:assess", args=["taalcafe"]) in html
    own = reverse("catalogue:detail", args=["eigen-werkgeversdag"])
    html = login(world.users["beheerder"]).get(own).content.decode()
    assert reverse("catalogue:edit", args=["eigen-werkgeversdag"]) in html
    assert reverse("catalogue:retire", args=["eigen-werkgeversdag"]) in html


def test_detail_of_an_unknown_approach_is_404(world, login):
    assert login(world.users["klantmanager"]).get(reverse("catalogue:detail", args=["bestaat-niet"])).status_code == 404


def test_detail_shows_the_assessment_history_newest_first(world, login, catalogue):
    analyst = login(world.users["beleidsmedewerker"])
    url = reverse("catalogue:assess", args=["taalcafe"])
    analyst.post(url, full_assessment(conclusion="Eerste oordeel."))
    analyst.post(url, full_assessment(score_vernieuwing="-2", conclusion="Tweede oordeel."))
    response = analyst.get(reverse("catalogue:detail", args=["taalcafe"]))
    history = response.context["history"]
    assert [item["assessment"].conclusion for item in history] == ["Tweede oordeel.", "Eerste oordeel."]
    html = response.content.decode()
    assert "-- <small>zeer negatief</small>" in html  # the latest, in symbol and words
    assert "Onderbouwing voor vernieuwing." in html and "Gestart in 2019." in html


# --- Compare and what works ----------------------------------------------------------------------------------------


def test_compare_shows_up_to_four_approaches_side_by_side(world, login, catalogue):
    user = login(world.users["klantmanager"])
    response = user.get(reverse("catalogue:compare"), {"a": ["taalcafe", "opleiden-in-de-zorg"]})
    assert [a.slug for a in response.context["approaches"]] == ["taalcafe", "opleiden-in-de-zorg"]
    html = response.content.decode()
    for label in ("Uitvoerder", "Toelating: trede", "Met behoud van uitkering", "Resultaten", "Laatste beoordeling",
                  "Werkzame elementen", "Lokaal aangeboden", "Kosten per deelnemer"):
        assert f'<th scope="row">{label}</th>' in html
    assert "Ja, in uw gemeente" in html and "Werkbedrijf Lucrato" in html
    for number in range(4):
        approach(slug=f"vijf-{number}")
    response = user.get(reverse("catalogue:compare"), {"a": ["taalcafe"] + [f"vijf-{n}" for n in range(4)]})
    assert len(response.context["approaches"]) == 4 and response.context["too_many"]


def test_compare_without_choice_explains_how(world, login, catalogue):
    html = login(world.users["klantmanager"]).get(reverse("catalogue:compare")).content.decode()
    assert "Geselecteerde aanpakken vergelijken" in html


def test_what_works_lists_approaches_and_working_elements_with_sources(world, login, catalogue):
    catalogue["element"].target_group = "statushouders"
    catalogue["element"].category = "doelgroep"
    catalogue["element"].save()
    response = login(world.users["klantmanager"]).get(reverse("catalogue:what-works"))
    html = response.content.decode()
    assert "Statushouders" in html and "Taalcafé" in html and "1 — goed beschreven" in html
    assert "Tijd en een kleine caseload" in html and "Klantmanagers hebben tijd voor de cliënt." in html
    assert re.search(rf"Bron: <cite>{SEED_000_TITLE}</cite>, regels 100–102", html)
    assert "Trede 2" in html and "Algemene werkzame elementen" in html
    assert "Werkgeversdag Voorbeeldstad" not in html  # the research's approaches only


# --- Assessment ----------------------------------------------------------------------------------------------------


def test_assessment_form_shows_six_dimensions_with_help_and_the_checklist(world, login, catalogue):
    html = login(world.users["beleidsmedewerker"]).get(reverse("catalogue:assess", args=["taalcafe"])).content.decode()
    for dimension in Dimension:
        assert f"<legend>{dimension.label}" in html
    assert "Probleemanalyse en interventielogica" in html
    assert str(Checklist.RECENT.label) in html
    assert "++ (zeer positief)" in html and "-- (zeer negatief)" in html


def test_assess_post_records_an_assessment(world, login, catalogue):
    response = login(world.users["beleidsmedewerker"]).post(reverse("catalogue:assess", args=["taalcafe"]),
                                                             full_assessment(), follow=True)
    assert response.redirect_chain[-1][0] == reverse("catalogue:detail", args=["taalcafe"])
    assessment = Assessment.objects.get()
    assert assessment.assessor == world.users["beleidsmedewerker"] and assessment.effect_level == 2
    assert assessment.checklist == {"recent": {"answer": "ja", "note": "Gestart in 2019."}}
    assert assessment.scores.count() == 6
    assert "De beoordeling is opgeslagen." in response.content.decode()


def test_assess_without_reasoning_shows_a_dutch_error_and_writes_nothing(world, login, catalogue):
    response = login(world.users["beleidsmedewerker"]).post(
        reverse("catalogue:assess", args=["taalcafe"]), full_assessment(reasoning_effectiviteit="  ",
                                                                        score_vernieuwing=""))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["reasoning_effectiviteit"] == ["Onderbouw de score."]
    assert form.errors["score_vernieuwing"] == ["Kies een score van ++ tot --."]
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'href="#id_reasoning_effectiviteit"' in html
    assert 'href="#id_score_vernieuwing_0"' in html
    assert 'aria-describedby="id_reasoning_effectiviteit-fout"' in html
    assert not Assessment.objects.exists() and not AssessmentScore.objects.exists()


def test_assess_checklist_note_without_answer_asks_for_the_answer(world, login, catalogue):
    response = login(world.users["beleidsmedewerker"]).post(
        reverse("catalogue:assess", args=["taalcafe"]), full_assessment(checklist_recent="", note_recent="Weet niet"))
    assert response.context["form"].errors["checklist_recent"] == ["Antwoord met ja, nee of onbekend."]
    assert not Assessment.objects.exists()


# --- Local offer ---------------------------------------------------------------------------------------------------


def test_local_offer_set_and_withdraw(world, login, catalogue):
    admin = login(world.users["beheerder"])
    url = reverse("catalogue:local-offer", args=["opleiden-in-de-zorg"])
    assert admin.get(url).status_code == 200
    response = admin.post(url, {"municipality": world.muni.pk, "capacity": "15", "contact_person": "Jan Jansen",
                                "contact_email": "jan@voorbeeldstad.nl", "cost_per_participant_eur": "1250,50",
                                "intake_moments": "Elk kwartaal", "actie": "opslaan"})
    assert response.status_code == 302
    offer = LocalOffer.objects.get(approach=catalogue["zorg"], municipality=world.muni)
    assert offer.active and offer.capacity == 15 and str(offer.cost_per_participant_eur) == "1250.50"
    assert offer.updated_by == world.users["beheerder"]
    assert 'value="Jan Jansen"' in admin.get(url).content.decode()  # the form shows the current terms
    response = admin.post(url, {"municipality": world.muni.pk, "contact_email": "geen-adres", "actie": "intrekken"})
    assert response.status_code == 302
    offer.refresh_from_db()
    assert not offer.active


def test_local_offer_with_an_invalid_email_shows_the_error_next_to_the_field(world, login, catalogue):
    response = login(world.users["beheerder"]).post(
        reverse("catalogue:local-offer", args=["opleiden-in-de-zorg"]),
        {"municipality": world.muni.pk, "contact_email": "geen-adres", "actie": "opslaan"})
    assert response.status_code == 200 and response.context["form"].errors["contact_email"]
    assert not LocalOffer.objects.filter(approach=catalogue["zorg"]).exists()


def test_local_offer_empty_post_shows_the_form_again(world, login, catalogue):
    # An empty POST (a browser that lost the form, a probe) is an invalid form like any other, not a server error.
    response = login(world.users["beheerder"]).post(reverse("catalogue:local-offer", args=["opleiden-in-de-zorg"]))
    assert response.status_code == 200 and response.context["form"].errors["municipality"]
    assert not LocalOffer.objects.filter(approach=catalogue["zorg"]).exists()


def test_local_offer_only_for_own_municipality(world, login, catalogue):
    response = login(world.users["beheerder"]).post(
        reverse("catalogue:local-offer", args=["opleiden-in-de-zorg"]),
        {"municipality": world.other_muni.pk, "actie": "opslaan"})
    assert response.context["form"].errors["municipality"]
    assert not LocalOffer.objects.filter(approach=catalogue["zorg"]).exists()


def test_retired_approach_cannot_be_offered(world, login, catalogue):
    Approach.objects.filter(slug="opleiden-in-de-zorg").update(retired_at="2024-01-01T00:00:00Z")
    admin = login(world.users["beheerder"])
    url = reverse("catalogue:local-offer", args=["opleiden-in-de-zorg"])
    assert "Deze aanpak kan niet meer worden aangeboden." in admin.get(url).content.decode()
    response = admin.post(url, {"municipality": world.muni.pk, "actie": "opslaan"})
    assert "uit de catalogus gehaald" in response.content.decode()
    assert not LocalOffer.objects.filter(approach=catalogue["zorg"]).exists()


# --- Own approaches ------------------------------------------------------------------------------------------------


def approach_post(**overrides) -> dict:
    data = {"name": "Fietsproject Noord", "kind": "aanpak", "description": "Cliënten knappen fietsen op.",
            "goal": "activering", "approach_types": ["life_first"], "target_groups": ["algemeen", "jongeren"],
            "ladder_steps": ["2", "3"], "regimes": ["participatiewet"], "trede_min": "2", "trede_max": "3",
            "cost_per_participant_eur": "750", "benefit_retained": "ja", "job_search_exemption": "onbekend",
            "working_elements": ["hc-tijd-en-caseload"],
            "pitfalls": "Vervoer naar de werkplaats.\n\nWeinig begeleiders.",
            "owner": ""}
    data.update(overrides)
    return data


def test_create_a_local_approach(world, login, catalogue):
    admin = login(world.users["beheerder"])
    assert admin.get(reverse("catalogue:create")).status_code == 200
    response = admin.post(reverse("catalogue:create"), approach_post(owner=world.muni.pk))
    assert response.status_code == 302
    made = Approach.objects.get(slug="fietsproject-noord")
    assert response["Location"] == reverse("catalogue:detail", args=[made.slug])
    assert made.owner == world.muni and made.benefit_retained is True and made.job_search_exemption is None
    assert sorted(made.target_groups) == ["algemeen", "jongeren"] and made.ladder_steps == ["2", "3"]
    assert made.pitfalls == ["Vervoer naar de werkplaats.", "Weinig begeleiders."]
    assert [e.key for e in made.working_elements.all()] == ["hc-tijd-en-caseload"]
    assert made.trede_min == 2 and str(made.cost_per_participant_eur) == "750.00"


def test_create_reports_problems_next_to_the_fields(world, login, catalogue):
    response = login(world.users["beheerder"]).post(
        reverse("catalogue:create"), approach_post(owner=world.muni.pk, slug="taalcafe", trede_min="4"))
    form = response.context["form"]
    assert form.errors["slug"] == ["Deze sleutel is al in gebruik; kies een andere."]
    response = login(world.users["beheerder"]).post(
        reverse("catalogue:create"), approach_post(owner=world.muni.pk, trede_min="4", trede_max="2"))
    assert response.context["form"].errors["trede_min"] == ["hoger dan trede_max"]
    response = login(world.users["beheerder"]).post(reverse("catalogue:create"),
                                                    approach_post(owner=world.muni.pk, slug="import"))
    assert response.context["form"].errors["slug"]
    assert not Approach.objects.filter(name="Fietsproject Noord").exists()


def test_edit_own_approach_keeps_what_the_form_does_not_show(world, login, catalogue):
    local = catalogue["local"]
    local.results.create(description="20 werkgevers", source="")
    Approach.objects.filter(pk=local.pk).update(sources={"description": "eigen-notitie:L1"})
    admin = login(world.users["beheerder"])
    url = reverse("catalogue:edit", args=[local.slug])
    html = admin.get(url).content.decode()
    assert "Speeddates met werkgevers." in html and 'name="slug"' not in html
    response = admin.post(url, approach_post(name="Werkgeversdag", description="Nieuwe omschrijving."))
    assert response.status_code == 302
    local.refresh_from_db()
    assert local.name == "Werkgeversdag" and local.description == "Nieuwe omschrijving." and local.version == 2
    assert [r.description for r in local.results.all()] == ["20 werkgevers"]
    assert local.sources == {"description": "eigen-notitie:L1"}


def test_edit_is_forbidden_for_shipped_and_other_municipalities_approaches(world, login, catalogue):
    other = approach(owner=world.other_muni, slug="van-buurdorp")
    admin = login(world.users["beheerder"])
    assert admin.get(reverse("catalogue:edit", args=["taalcafe"])).status_code == 403
    assert admin.post(reverse("catalogue:edit", args=[other.slug]), approach_post()).status_code == 403


def test_retire_own_approach_with_a_reason(world, login, catalogue):
    admin = login(world.users["beheerder"])
    url = reverse("catalogue:retire", args=["eigen-werkgeversdag"])
    assert admin.get(url).status_code == 405
    response = admin.post(url, {"reason": ""}, follow=True)
    assert response.redirect_chain[-1][0].endswith("#uit-de-catalogus-halen")
    assert "Niet uit de catalogus gehaald: Geef een reden op." in response.content.decode()
    assert Approach.objects.get(slug="eigen-werkgeversdag").retired_at is None
    response = admin.post(url, {"reason": "Geen werkgevers meer gevonden."}, follow=True)
    local = Approach.objects.get(slug="eigen-werkgeversdag")
    assert local.retired_at is not None and local.retired_reason == "Geen werkgevers meer gevonden."
    html = response.content.decode()
    assert "Uit de catalogus gehaald" in html and "Geen werkgevers meer gevonden." in html
    assert reverse("catalogue:local-offer", args=["eigen-werkgeversdag"]) not in html  # no longer offerable


def test_retire_of_a_shipped_approach_is_refused(world, login, catalogue):
    response = login(world.users["beheerder"]).post(reverse("catalogue:retire", args=["taalcafe"]),
                                                    {"reason": "Weg ermee"}, follow=True)
    assert "landelijke catalogus" in response.content.decode()
    assert Approach.objects.get(slug="taalcafe").retired_at is None


# --- Exchange files ------------------------------------------------------------------------------------------------


def test_export_json_with_the_local_offer(world, login, catalogue):
    response = login(world.users["beleidsmedewerker"]).get(reverse("catalogue:export"), {"format": "json"})
    assert response.status_code == 200
    assert re.fullmatch(r'attachment; filename="kansrijk-catalogus-\d{4}-\d{2}-\d{2}\.json"',
                        response["Content-Disposition"])
    document = json.loads(response.content)
    by_slug = {entry["slug"]: entry for entry in document["approaches"]}
    assert set(by_slug) == {"opleiden-in-de-zorg", "taalcafe", "eigen-werkgeversdag"}
    assert by_slug["taalcafe"]["local_offer"]["capacity"] == 12


def test_export_xlsx(world, login, catalogue):
    response = login(world.users["beheerder"]).get(reverse("catalogue:export"), {"format": "xlsx"})
    assert response.status_code == 200 and response["Content-Disposition"].endswith('.xlsx"')
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    assert "Aanpakken" in workbook.sheetnames
    assert login(world.users["beheerder"]).get(reverse("catalogue:export"), {"format": "pdf"}).status_code == 400


def upload(name, data: bytes):
    file = io.BytesIO(data)
    file.name = name
    return file


def test_import_with_a_bad_file_lists_problems_and_writes_nothing(world, login, catalogue):
    document = {"format": "kansrijk-catalogus", "version": 1, "approaches": [
        {"slug": "nieuw-project", "name": "Nieuw project", "kind": "aanpak"},
        {"slug": "Fout Slug", "name": "", "kind": "onbekend", "trede_min": 9},
    ]}
    before = Approach.objects.count()
    response = login(world.users["beheerder"]).post(reverse("catalogue:import"), {
        "file": upload("catalogus.json", json.dumps(document).encode()), "municipality": world.muni.pk})
    html = response.content.decode()
    assert response.context["summary"].problems
    assert "Er is niets opgeslagen." in html
    assert "aanpak 2 (Fout Slug), veld slug" in html and "aanpak 2 (Fout Slug), veld trede_min" in html
    assert Approach.objects.count() == before


def test_import_dry_run_then_for_real(world, login, catalogue):
    admin = login(world.users["beheerder"])
    document = {"format": "kansrijk-catalogus", "version": 1, "approaches": [
        {"slug": "nieuw-project", "name": "Nieuw project", "kind": "aanpak"},
        {"slug": "taalcafe", "name": "Taalcafé (kopie)", "kind": "initiatief", "local_offer": {"capacity": 30}},
    ]}
    data = json.dumps(document).encode()
    response = admin.post(reverse("catalogue:import"), {"file": upload("c.json", data), "municipality": world.muni.pk,
                                                        "dry_run": "on"})
    html = response.content.decode()
    assert "Controle geslaagd" in html and "bestaan al in de landelijke catalogus" in html
    assert not Approach.objects.filter(slug="nieuw-project").exists()
    response = admin.post(reverse("catalogue:import"), {"file": upload("c.json", data), "municipality": world.muni.pk})
    assert "Import voltooid" in response.content.decode()
    assert Approach.objects.get(slug="nieuw-project").owner == world.muni
    assert Approach.objects.get(slug="taalcafe").name == "Taalcafé"  # not overwritten
    assert LocalOffer.objects.get(approach__slug="taalcafe", municipality=world.muni).capacity == 30


def test_import_of_an_unreadable_file_is_a_form_error(world, login, catalogue):
    admin = login(world.users["beheerder"])
    response = admin.post(reverse("catalogue:import"), {"file": upload("c.json", b"{niet json"),
                                                        "municipality": world.muni.pk})
    assert "geen leesbare JSON" in response.context["form"].errors["file"][0]
    response = admin.post(reverse("catalogue:import"), {"file": upload("c.csv", b"a;b"), "municipality": world.muni.pk})
    assert response.context["form"].errors["file"] == ["Kies een JSON- of XLSX-bestand (.json of .xlsx)."]
    html = admin.get(reverse("catalogue:import")).content.decode()
    assert 'name="dry_run"' in html and "checked" in html


def test_catalogue_speaks_english_when_chosen(world, client):
    from django.conf import settings

    client.force_login(world.users["klantmanager"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    content = client.get("/catalogus/").content.decode()
    assert "Catalogue of approaches" in content and "Catalogus van aanpakken" not in content
