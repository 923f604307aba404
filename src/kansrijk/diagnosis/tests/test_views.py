"""Web pages of the diagnosis: who may use them, scoping, access logging, the ladder's question flow and sub-steps,
the ZRM's completeness, the intake's special categories, corrections, the distance judgement, query counts and the
progress chart with its table."""

from datetime import timedelta

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from django.utils import timezone

from kansrijk.accounts import roles
from kansrijk.accounts.roles import Role
from kansrijk.audit.models import AccessLog
from kansrijk.diagnosis import selectors, services
from kansrijk.diagnosis.instruments import ZRM_DOMAINS
from kansrijk.diagnosis.models import (
    DistanceJudgement,
    Intake,
    IntakeSpecialCategories,
    LadderMeasurement,
    LadderStep,
    ZrmMeasurement,
)

TODAY = timezone.localdate()
PAGES = {
    "diagnosis:overview": roles.SEES_TEAM_CLIENTS,
    "diagnosis:ladder-new": roles.RECORDS_DIAGNOSIS,
    "diagnosis:zrm-new": roles.RECORDS_DIAGNOSIS,
    "diagnosis:intake-new": roles.RECORDS_DIAGNOSIS,
}
LOGGED_AS = {"diagnosis:overview": "diagnose", "diagnosis:ladder-new": "tredemeting", "diagnosis:zrm-new": "zrm",
             "diagnosis:intake-new": "keukentafelgesprek"}


@pytest.fixture
def heemskerk(world):
    services.adopt_example_substeps(municipality=world.muni)
    return world


def step_id(world, code) -> int:
    return next(s.pk for s in services.steps_for(world.muni.pk) if s.code == code)


def levels(version="2017", level=3, **overrides):
    return {key: overrides.get(key, level) for key, _ in ZRM_DOMAINS[version]}


def zrm_post(version="2017", level=3, **overrides):
    data = {key: str(value) for key, value in levels(version, level).items()}
    data.update(overrides)
    data.update(version=version, measured_on=TODAY.isoformat(), note="")
    return data


def record_ladder(world, code="2.3", days_ago=0, by=None, **kwargs):
    return services.record_ladder(client=world.own, by=by or world.users["klantmanager"],
                                  measured_on=TODAY - timedelta(days=days_ago), step_ids=[step_id(world, code)],
                                  **kwargs)


def record_zrm(world, level=3, days_ago=0, **kwargs):
    return services.record_zrm(client=world.own, by=world.users["klantmanager"],
                               measured_on=TODAY - timedelta(days=days_ago), version="2017", levels=levels(level=level),
                               **kwargs)


# --- Who may use the pages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("role", list(Role))
def test_pages_by_role(name, role, heemskerk, login):
    response = login(heemskerk.users[role.value]).get(reverse(name, args=[heemskerk.own.pk]))
    assert response.status_code == (200 if role in PAGES[name] else 403)


@pytest.mark.parametrize("name", [*PAGES, "diagnosis:distance"])
def test_anonymous_goes_to_login(name, world, client):
    method = client.post if name == "diagnosis:distance" else client.get
    response = method(reverse(name, args=[world.own.pk]))
    assert response.status_code == 302 and "/account/" in response["Location"]


@pytest.mark.parametrize("name", [*PAGES, "diagnosis:distance"])
@pytest.mark.parametrize("who", ["other_team_client", "other_muni_client"])
def test_client_outside_scope_is_not_found(name, who, world, login):
    client = login(world.users["klantmanager"])
    target = getattr(world, who)
    if name == "diagnosis:distance":
        response = client.post(reverse(name, args=[target.pk]), {"distance": "groot", "reason": "x"})
    else:
        response = client.get(reverse(name, args=[target.pk]))
    assert response.status_code == 404
    assert not DistanceJudgement.objects.exists()
    assert not AccessLog.objects.filter(client_id=target.pk).exists()


@pytest.mark.parametrize("name", PAGES)
def test_every_page_records_the_access(name, heemskerk, login):
    login(heemskerk.users["klantmanager"]).get(reverse(name, args=[heemskerk.own.pk]))
    log = AccessLog.objects.get()
    assert (log.client_id, log.view, log.user) == (heemskerk.own.pk, LOGGED_AS[name], heemskerk.users["klantmanager"])


def test_distance_is_only_for_the_client_manager(world, login):
    for role in ("teamleider", "wijkteammedewerker", "beheerder"):
        response = login(world.users[role]).post(reverse("diagnosis:distance", args=[world.own.pk]),
                                                 {"distance": "groot", "reason": "Eigen oordeel"})
        assert response.status_code == 403
    assert login(world.users["klantmanager"]).get(reverse("diagnosis:distance", args=[world.own.pk])).status_code == 405
    assert not DistanceJudgement.objects.exists()


# --- Participatieladder ---------------------------------------------------------------------------------------------


def test_ladder_form_offers_the_municipalitys_substeps_and_explains_the_highest_counts(heemskerk, login):
    response = login(heemskerk.users["klantmanager"]).get(reverse("diagnosis:ladder-new", args=[heemskerk.own.pk]))
    html = response.content.decode()
    assert [step.code for _option, step in response.context["form"].step_options()] == [
        "1", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3", "4", "5", "6"]
    assert "de hoogste telt" in html
    assert "Heeft de cliënt minstens wekelijks sociale contacten buitenshuis?" in html
    assert f'value="{TODAY.isoformat()}"' in html


def test_ladder_with_several_substeps_registers_the_highest(heemskerk, login):
    response = login(heemskerk.users["klantmanager"]).post(
        reverse("diagnosis:ladder-new", args=[heemskerk.own.pk]),
        {"steps": [step_id(heemskerk, c) for c in ("2.2", "2.4", "2.3")], "measured_on": TODAY.isoformat(),
         "note": "Doet vrijwilligerswerk bij de voedselbank", "actie": "opslaan"})
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnosis:overview", args=[heemskerk.own.pk])
    measurement = LadderMeasurement.objects.get()
    assert (measurement.step.code, measurement.trede) == ("2.4", 2)
    assert sorted(s.code for s in measurement.substeps.all()) == ["2.2", "2.3", "2.4"]
    assert measurement.measured_by == heemskerk.users["klantmanager"]


def test_ladder_needs_a_step(heemskerk, login):
    response = login(heemskerk.users["klantmanager"]).post(
        reverse("diagnosis:ladder-new", args=[heemskerk.own.pk]), {"measured_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "Kies minstens één trede of substap" in response.content.decode()
    assert not LadderMeasurement.objects.exists()


def test_override_reason_required_when_deviating_from_the_proposal(heemskerk, login):
    client = login(heemskerk.users["klantmanager"])
    url = reverse("diagnosis:ladder-new", args=[heemskerk.own.pk])
    data = {"vraag_betaald_werk": "nee", "vraag_onbetaald_werk": "nee", "vraag_georganiseerd": "ja",
            "steps": [step_id(heemskerk, "4")], "measured_on": TODAY.isoformat(), "actie": "opslaan"}
    response = client.post(url, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "override_reason" in form.errors
    assert "De vragen wijzen op trede 3; u kiest trede 4. Geef de reden van de afwijking." in form.errors[
        "override_reason"]
    html = response.content.decode()
    assert 'id="id_override_reason-fout"' in html and "Controleer het formulier" in html
    assert "Voorstel: trede 3" in html
    assert not LadderMeasurement.objects.exists()

    response = client.post(url, {**data, "override_reason": "Start volgende week als vrijwilliger"})
    assert response.status_code == 302
    measurement = LadderMeasurement.objects.get()
    assert (measurement.trede, measurement.proposed_trede) == (4, 3)
    assert measurement.override_reason == "Start volgende week als vrijwilliger"
    assert measurement.answers == {"betaald_werk": False, "onbetaald_werk": False, "georganiseerd": True}


def test_choice_that_matches_the_proposal_needs_no_reason(heemskerk, login):
    response = login(heemskerk.users["klantmanager"]).post(
        reverse("diagnosis:ladder-new", args=[heemskerk.own.pk]),
        {"vraag_sociale_contacten": "ja", "steps": [step_id(heemskerk, "2.1"), step_id(heemskerk, "2.5")],
         "measured_on": TODAY.isoformat(), "actie": "opslaan"})
    assert response.status_code == 302
    assert LadderMeasurement.objects.get().step.code == "2.5"


def test_live_proposal_with_htmx_saves_nothing(heemskerk, login):
    response = login(heemskerk.users["klantmanager"]).post(
        reverse("diagnosis:ladder-new", args=[heemskerk.own.pk]),
        {"vraag_georganiseerd": "ja", "steps": [step_id(heemskerk, "2.4")], "measured_on": TODAY.isoformat()},
        HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Voorstel: trede 3" in html and "<html" not in html
    assert "Geef bij het vastleggen de reden van de afwijking" in html
    assert not LadderMeasurement.objects.exists()


def test_without_javascript_the_proposal_is_shown_to_confirm(heemskerk, login):
    response = login(heemskerk.users["klantmanager"]).post(
        reverse("diagnosis:ladder-new", args=[heemskerk.own.pk]),
        {"vraag_sociale_contacten": "ja", "measured_on": TODAY.isoformat(), "actie": "voorstel"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Voorstel: trede 2" in html and "Bevestig het voorstel" in html
    assert response.context["form"]["vraag_sociale_contacten"].value() == "ja"
    assert not LadderMeasurement.objects.exists()


def test_future_date_is_refused_next_to_the_field(heemskerk, login):
    response = login(heemskerk.users["klantmanager"]).post(
        reverse("diagnosis:ladder-new", args=[heemskerk.own.pk]),
        {"steps": [step_id(heemskerk, "3")], "measured_on": (TODAY + timedelta(days=2)).isoformat(),
         "actie": "opslaan"})
    assert response.status_code == 400
    assert response.context["form"].errors["measured_on"] == ["Een meting kan niet in de toekomst liggen."]


# --- Zelfredzaamheidsmatrix -----------------------------------------------------------------------------------------


def test_zrm_form_has_a_row_per_domain_and_level_names_as_headers(world, login):
    response = login(world.users["wijkteammedewerker"]).get(reverse("diagnosis:zrm-new", args=[world.own.pk]))
    html = response.content.decode()
    assert [f.name for f in response.context["form"].domain_rows()] == [k for k, _ in ZRM_DOMAINS["2017"]]
    for name in ("Acute problematiek", "Niet zelfredzaam", "Beperkt zelfredzaam", "Voldoende zelfredzaam",
                 "Volledig zelfredzaam", "Geestelijke gezondheid", "Justitie"):
        assert name in html
    assert html.count('type="radio"') == 13 * 5


def test_zrm_all_domains_required_and_no_half_scores(world, login):
    client = login(world.users["klantmanager"])
    url = reverse("diagnosis:zrm-new", args=[world.own.pk])
    data = zrm_post()
    del data["justitie"]
    data["financien"] = "2.5"
    response = client.post(url, data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["justitie"] == ["Vul elk domein in."]
    assert errors["financien"] == ["Kies een heel niveau van 1 tot en met 5 (geen halve scores)."]
    assert 'href="#id_justitie_0"' in response.content.decode()
    assert not ZrmMeasurement.objects.exists()

    response = client.post(url, zrm_post(level=4, financien="2"))
    assert response.status_code == 302
    measurement = ZrmMeasurement.objects.get()
    assert measurement.version == "2017"
    assert {s.domain: s.level for s in measurement.scores.all()} == levels(level=4, financien=2)


def test_zrm_switching_version_reloads_the_form(world, login):
    client = login(world.users["klantmanager"])
    url = reverse("diagnosis:zrm-new", args=[world.own.pk])
    response = client.get(url, {"versie": "2013"})
    assert [f.name for f in response.context["form"].domain_rows()] == [k for k, _ in ZRM_DOMAINS["2013"]]
    assert client.post(url, zrm_post("2013")).status_code == 302
    assert ZrmMeasurement.objects.get().version == "2013"
    # A score for a domain of the other version is not taken.
    response = client.post(url, zrm_post("2013", werk_opleiding="3"))
    assert ZrmMeasurement.objects.count() == 2
    assert ZrmMeasurement.objects.first().scores.count() == 11


def test_zrm_is_refused_to_a_role_that_may_not_see_every_domain(world, login, monkeypatch):
    real = selectors.visible_zrm_domains
    monkeypatch.setattr(selectors, "visible_zrm_domains",
                        lambda user, version: [d for d in real(user, version) if d[0] != "middelengebruik"])
    client = login(world.users["wijkteammedewerker"])
    url = reverse("diagnosis:zrm-new", args=[world.own.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "U kunt geen ZRM vastleggen" in response.content.decode()
    assert "form" not in response.context
    assert client.post(url, zrm_post()).status_code == 403
    assert not ZrmMeasurement.objects.exists()


# --- Keukentafelgesprek ---------------------------------------------------------------------------------------------


def intake_post(**extra):
    data = {"measured_on": TODAY.isoformat(), "housing": "onzeker", "debts": "regeling", "dutch_speaking": "B1",
            "education": "mbo", "motivation_willing": "ja", "client_role": "coproducent", "hours_per_week": "16",
            "childcare_needed": "True", "transport": "fiets", "driving_licence": "False",
            "job_search_exemption_until": (TODAY + timedelta(days=90)).isoformat(), "regime": "participatiewet"}
    data.update(extra)
    return data


def test_intake_form_groups_fields_per_life_domain(world, login):
    response = login(world.users["klantmanager"]).get(reverse("diagnosis:intake-new", args=[world.own.pk]))
    html = response.content.decode()
    for legend in ("Wonen", "Financiën en schulden", "Gezondheid", "Verslaving", "Taal: Nederlands per vaardigheid",
                   "Opleiding en werk", "Wensen en talenten", "Motivatie en rol van de cliënt", "Belastbaarheid",
                   "Praktische zaken", "Ontheffingen", "Regeling"):
        assert f"<legend>{legend}</legend>" in html
    for name in ("physical_health", "mental_health", "addiction", "dutch_writing", "motivation_ready",
                 "work_exemption_until", "childcare_arranged"):
        assert f'name="{name}"' in html


def test_intake_is_recorded_with_its_special_categories(world, login):
    response = login(world.users["klantmanager"]).post(
        reverse("diagnosis:intake-new", args=[world.own.pk]),
        intake_post(physical_health="Rugpijn, kan niet tillen", addiction=""))
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert (intake.housing, intake.hours_per_week, intake.childcare_needed, intake.driving_licence) == (
        "onzeker", 16, True, False)
    assert intake.childcare_arranged is None
    assert intake.job_search_exemption_until == TODAY + timedelta(days=90)
    assert intake.special_categories.physical_health == "Rugpijn, kan niet tillen"


def test_intake_errors_next_to_the_field(world, login):
    response = login(world.users["klantmanager"]).post(
        reverse("diagnosis:intake-new", args=[world.own.pk]), intake_post(hours_per_week="70", housing="kasteel"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["hours_per_week"] == ["Ten hoogste 60 uur per week."]
    assert "housing" in errors
    assert not Intake.objects.exists()


def test_intake_special_categories_hidden_from_team_lead_and_not_writable(world, login):
    services.record_intake(client=world.own, by=world.users["klantmanager"], measured_on=TODAY,
                           values={"housing": "stabiel", "hours_per_week": 20},
                           special={"physical_health": "Rugpijn", "mental_health": "Somber",
                                    "addiction": "Cannabis"})
    lead = login(world.users["teamleider"])
    html = lead.get(reverse("diagnosis:overview", args=[world.own.pk])).content.decode()
    assert "Stabiel" in html
    for secret in ("Rugpijn", "Somber", "Cannabis", "Lichamelijke gezondheid", "Verslaving"):
        assert secret not in html
    url = reverse("diagnosis:intake-new", args=[world.own.pk])
    assert lead.get(url).status_code == 403
    assert lead.post(url, intake_post(physical_health="Door de teamleider")).status_code == 403
    assert Intake.objects.count() == 1

    html = login(world.users["klantmanager"]).get(reverse("diagnosis:overview", args=[world.own.pk])).content.decode()
    for secret in ("Rugpijn", "Somber", "Cannabis"):
        assert secret in html


def test_zrm_health_domains_hidden_from_team_lead_also_in_the_average(world, login):
    services.record_zrm(client=world.own, by=world.users["klantmanager"], measured_on=TODAY, version="2017",
                        levels=levels(level=4, geestelijke_gezondheid=1, lichamelijke_gezondheid=1,
                                      middelengebruik=1))
    response = login(world.users["teamleider"]).get(reverse("diagnosis:overview", args=[world.own.pk]))
    html = response.content.decode()
    assert "Geestelijke gezondheid" not in html and "Middelengebruik" not in html
    assert response.context["progress"][0]["zrm"] == 4.0
    response = login(world.users["klantmanager"]).get(reverse("diagnosis:overview", args=[world.own.pk]))
    assert "Geestelijke gezondheid" in response.content.decode()
    assert response.context["progress"][0]["zrm"] == round((10 * 4 + 3) / 13, 1)


# --- Corrections ----------------------------------------------------------------------------------------------------


def test_ladder_correction_creates_a_new_version_and_shows_the_old_as_corrected(heemskerk, login):
    old = record_ladder(heemskerk, "2.3", days_ago=3, answers={"sociale_contacten": True}, note="Eerste gesprek")
    client = login(heemskerk.users["klantmanager"])
    url = reverse("diagnosis:ladder-new", args=[heemskerk.own.pk]) + f"?corrigeer={old.pk}"
    response = client.get(url)
    form = response.context["form"]
    assert form["steps"].value() == [step_id(heemskerk, "2.3")]
    assert form["vraag_sociale_contacten"].value() == "ja" and form["note"].value() == "Eerste gesprek"
    assert "U corrigeert de tredemeting" in response.content.decode()

    response = client.post(url, {"steps": [step_id(heemskerk, "2.2")], "vraag_sociale_contacten": "ja",
                                 "measured_on": old.measured_on.isoformat(), "actie": "opslaan"})
    assert response.status_code == 302
    new = LadderMeasurement.objects.exclude(pk=old.pk).get()
    assert new.corrects == old and new.step.code == "2.2"

    response = client.get(reverse("diagnosis:overview", args=[heemskerk.own.pk]))
    html = response.content.decode()
    assert response.context["ladder"] == new
    assert f"gecorrigeerd door {heemskerk.users['klantmanager']}" in html
    assert f"?corrigeer={old.pk}" not in html and f"?corrigeer={new.pk}" in html
    # The old version cannot be corrected a second time.
    response = client.post(url, {"steps": [step_id(heemskerk, "2.1")], "measured_on": TODAY.isoformat(),
                                 "actie": "opslaan"})
    assert response.status_code == 400
    assert "al gecorrigeerd" in response.content.decode()
    assert LadderMeasurement.objects.count() == 2


def test_zrm_and_intake_corrections_prefill_and_keep_the_old_version(world, login):
    client = login(world.users["klantmanager"])
    old_zrm = record_zrm(world, level=2, days_ago=5)
    response = client.get(reverse("diagnosis:zrm-new", args=[world.own.pk]), {"corrigeer": old_zrm.pk})
    assert response.context["form"]["financien"].value() == 2
    response = client.post(reverse("diagnosis:zrm-new", args=[world.own.pk]) + f"?corrigeer={old_zrm.pk}",
                           zrm_post(level=3))
    assert response.status_code == 302
    assert ZrmMeasurement.objects.get(corrects=old_zrm).scores.count() == 13

    old = services.record_intake(client=world.own, by=world.users["klantmanager"], measured_on=TODAY,
                                 values={"housing": "geen", "wishes": "Werken in de zorg"},
                                 special={"mental_health": "Angstklachten"})
    url = reverse("diagnosis:intake-new", args=[world.own.pk]) + f"?corrigeer={old.pk}"
    form = client.get(url).context["form"]
    assert (form["housing"].value(), form["wishes"].value(), form["mental_health"].value()) == (
        "geen", "Werken in de zorg", "Angstklachten")
    response = client.post(url, intake_post(housing="onzeker", wishes="Werken in de zorg",
                                            mental_health="Angstklachten, in behandeling"))
    assert response.status_code == 302
    new = Intake.objects.get(corrects=old)
    assert new.housing == "onzeker"
    assert IntakeSpecialCategories.objects.get(intake=new).mental_health == "Angstklachten, in behandeling"

    html = client.get(reverse("diagnosis:overview", args=[world.own.pk])).content.decode()
    assert html.count("gecorrigeerd door") == 2


def test_correcting_another_clients_record_is_not_found(world, login):
    other = services.record_ladder(client=world.teammate, by=world.colleague, measured_on=TODAY,
                                   step_ids=[LadderStep.objects.get(municipality=None, code="3").pk])
    client = login(world.users["klantmanager"])
    for name in ("diagnosis:ladder-new", "diagnosis:zrm-new", "diagnosis:intake-new"):
        url = reverse(name, args=[world.own.pk])
        assert client.get(url, {"corrigeer": other.pk}).status_code == 404
        assert client.get(url, {"corrigeer": "x"}).status_code == 404


# --- Distance to the labour market ----------------------------------------------------------------------------------


def test_overview_shows_the_indicator_with_reasons(heemskerk, login):
    record_ladder(heemskerk, "2.3")
    response = login(heemskerk.users["teamleider"]).get(reverse("diagnosis:overview", args=[heemskerk.own.pk]))
    html = response.content.decode()
    assert response.context["indicator"].label == "Zeer groot"
    assert "Trede 2 op de Participatieladder" in html and "geen risicoscore" in html
    assert "Uw eigen oordeel geven" not in html  # the team lead does not judge


def test_distance_judgement(heemskerk, login):
    record_ladder(heemskerk, "2.3")
    client = login(heemskerk.users["klantmanager"])
    url = reverse("diagnosis:distance", args=[heemskerk.own.pk])
    response = client.post(url, {"distance": "groot", "reason": ""})
    assert response.status_code == 400
    assert response.context["distance_form"].errors["reason"] == ["Geef de reden van uw oordeel."]
    assert not DistanceJudgement.objects.exists()

    response = client.post(url, {"distance": "groot", "reason": "Werkt al twee dagen als vrijwilliger"})
    assert response.status_code == 302
    assert response["Location"] == reverse("diagnosis:overview", args=[heemskerk.own.pk])
    judgement = DistanceJudgement.objects.get()
    assert (judgement.distance, judgement.derived, judgement.judged_by) == (
        "groot", "zeer_groot", heemskerk.users["klantmanager"])

    response = client.get(reverse("diagnosis:overview", args=[heemskerk.own.pk]))
    html = response.content.decode()
    assert response.context["indicator"].label == "Groot"
    assert "Werkt al twee dagen als vrijwilliger" in html and "oordeel van de professional" in html
    assert "Zeer groot" in html  # the derived indication stays visible
    assert "Uw oordeel over de afstand tot de arbeidsmarkt is vastgelegd." in html


# --- Overview: queries, chart, client page --------------------------------------------------------------------------


def _measure(world, count):
    for i in range(count):
        record_ladder(world, ["2.1", "2.3", "3"][i % 3], days_ago=30 * (count - i))
        record_zrm(world, level=1 + i % 5, days_ago=30 * (count - i))
        services.record_intake(client=world.own, by=world.users["klantmanager"],
                               measured_on=TODAY - timedelta(days=30 * (count - i)),
                               values={"hours_per_week": 10 + i}, special={"physical_health": f"Klacht {i}"})


def test_overview_query_count_does_not_grow_with_the_history(heemskerk, login, django_assert_max_num_queries):
    client = login(heemskerk.users["klantmanager"])
    url = reverse("diagnosis:overview", args=[heemskerk.own.pk])
    _measure(heemskerk, 1)
    old = LadderMeasurement.objects.get()
    record_ladder(heemskerk, "2.4", corrects=old)
    client.get(url)
    with django_assert_max_num_queries(16) as few:
        client.get(url)
    _measure(heemskerk, 9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert len(response.context["ladders"]) == 11 and len(response.context["intakes"]) == 10


def test_progress_chart_uses_vendored_chartjs_and_has_a_table(heemskerk, login):
    assert finders.find("kansrijk/vendor/chart.umd.js"), "run `make assets` (npm ci) to vendor Chart.js"
    record_ladder(heemskerk, "2.1", days_ago=60)
    record_zrm(heemskerk, level=2, days_ago=60)
    record_ladder(heemskerk, "3", days_ago=1)
    response = login(heemskerk.users["klantmanager"]).get(reverse("diagnosis:overview", args=[heemskerk.own.pk]))
    html = response.content.decode()
    assert "/static/kansrijk/vendor/chart.umd.js" in html
    assert "cdn" not in html.lower() and "https://" not in html
    assert 'id="voortgang-data"' in html and 'id="voortgang-grafiek"' in html
    assert '<table class="data progress-table">' in html
    assert [(row["trede"] if "trede" in row else None, row.get("zrm")) for row in response.context["progress"]] == [
        (2, 2.0), (3, None)]
    assert response.context["chart"]["trede"] == [2, 3]


def test_overview_without_measurements(world, login):
    response = login(world.users["wijkteammedewerker"]).get(reverse("diagnosis:overview", args=[world.own.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nog geen trede vastgelegd." in html and "voortgang-grafiek" not in html
    assert "Nog geen trede of ZRM vastgelegd" in html


def test_client_page_shows_the_diagnosis_in_brief_with_links(heemskerk, login):
    record_ladder(heemskerk, "2.4", days_ago=2)
    response = login(heemskerk.users["klantmanager"]).get(reverse("caseload:client-detail", args=[heemskerk.own.pk]))
    html = response.content.decode()
    assert "Diagnose en contact" in html
    assert "2.4 Vrijwilligerswerk (op dit moment) maximaal haalbaar" in html
    assert reverse("diagnosis:overview", args=[heemskerk.own.pk]) in html
    assert reverse("diagnosis:zrm-new", args=[heemskerk.own.pk]) in html
    response = login(heemskerk.users["teamleider"]).get(reverse("caseload:client-detail", args=[heemskerk.own.pk]))
    html = response.content.decode()
    assert reverse("diagnosis:overview", args=[heemskerk.own.pk]) in html
    assert reverse("diagnosis:zrm-new", args=[heemskerk.own.pk]) not in html


@pytest.mark.parametrize("name", ["diagnosis:ladder-new", "diagnosis:zrm-new", "diagnosis:intake-new"])
@pytest.mark.parametrize("raw", ["%C2%B2", "abc", "99999999999999999999999"])
def test_an_odd_correction_id_is_not_found_not_a_crash(name, raw, world, login):
    url = f"{reverse(name, args=[world.own.pk])}?corrigeer={raw}"
    assert login(world.users["klantmanager"]).get(url).status_code == 404


def test_a_form_shown_again_with_errors_records_the_access_too(heemskerk, login):
    browser = login(heemskerk.users["klantmanager"])
    response = browser.post(reverse("diagnosis:ladder-new", args=[heemskerk.own.pk]),
                            {"measured_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert AccessLog.objects.filter(view="tredemeting", client=heemskerk.own).count() == 1


def test_a_substep_in_use_cannot_be_deleted_in_beheer(heemskerk, login):
    from kansrijk.core.management.commands.load_demo import Command

    admin_user = heemskerk.users["beheerder"]
    admin_user.is_staff = True
    admin_user.save()
    admin_user.groups.add(Command()._admin_group())
    record_ladder(heemskerk, code="2.3")
    used = LadderStep.objects.get(municipality=heemskerk.muni, code="2.3")
    unused = LadderStep.objects.get(municipality=heemskerk.muni, code="2.5")
    browser = login(admin_user)
    assert browser.get(reverse("admin:diagnosis_ladderstep_delete", args=[used.pk])).status_code == 403
    assert browser.post(reverse("admin:diagnosis_ladderstep_delete", args=[unused.pk]),
                        {"post": "yes"}).status_code == 302
    assert not LadderStep.objects.filter(pk=unused.pk).exists() and LadderStep.objects.filter(pk=used.pk).exists()
    changelist = browser.get(reverse("admin:diagnosis_ladderstep_changelist")).content.decode()
    assert "delete_selected" not in changelist
