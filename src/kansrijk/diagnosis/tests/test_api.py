"""The diagnosis API: ladder, ZRM, intakes and distance nested under a client, and the choosable steps."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kansrijk.audit.models import AccessLog
from kansrijk.diagnosis import services
from kansrijk.diagnosis.instruments import ZRM_DOMAINS
from kansrijk.diagnosis.models import DistanceJudgement, IntakeSpecialCategories, LadderMeasurement, LadderStep

ALL_2017 = {key: 3 for key, _label in ZRM_DOMAINS["2017"]}


def url(name, client, **extra):
    return reverse(f"api:client-{name}-list", kwargs={"client_pk": client.pk, **extra})


def problem(response):
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    return response.json()


def invalid(response) -> set[str]:
    assert response.status_code == 400, response.content
    return {param["name"] for param in problem(response)["invalidParams"]}


def ladder(world, client, code="3", days_ago=10, by="klantmanager"):
    step = LadderStep.objects.get(municipality=None, code=code)
    return services.record_ladder(client=client, by=world.users[by], step_ids=[step.pk],
                                  measured_on=timezone.localdate() - timedelta(days=days_ago))


# --- permissions and scope -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ladder", "zrm", "intakes", "distance"])
@pytest.mark.parametrize("role, status", [("klantmanager", 200), ("teamleider", 200), ("wijkteammedewerker", 200),
                                          ("beheerder", 403), ("beleidsmedewerker", 403), ("aanbieder", 403),
                                          ("werkgeversdienstverlener", 403)])
def test_reading_per_role(world, api_login, name, role, status):
    response = api_login(world.users[role]).get(url(name, world.own))
    assert response.status_code == status
    if status == 403:
        assert problem(response)["status"] == 403


@pytest.mark.parametrize("name", ["ladder", "zrm", "intakes", "distance"])
def test_outside_scope_is_404_for_read_and_write(world, api_login, name):
    api = api_login(world.users["klantmanager"])
    for client in (world.other_team_client, world.other_muni_client):
        assert api.get(url(name, client)).status_code == 404
        assert api.post(url(name, client), {}).status_code == 404
    assert api.get(reverse("api:client-ladder-list", kwargs={"client_pk": 999999})).status_code == 404
    assert not AccessLog.objects.exists()


@pytest.mark.parametrize("role, status", [("klantmanager", 201), ("wijkteammedewerker", 201), ("teamleider", 403),
                                          ("beheerder", 403)])
def test_recording_a_ladder_step_per_role(world, api_login, role, status):
    response = api_login(world.users[role]).post(url("ladder", world.own), {"steps": ["3"]})
    assert response.status_code == status
    assert LadderMeasurement.objects.count() == (1 if status == 201 else 0)


# --- ladder ----------------------------------------------------------------------------------------------------------


def test_ladder_history_with_substeps_and_access_log(world, api_login):
    services.adopt_example_substeps(municipality=world.muni)
    api = api_login(world.users["klantmanager"])
    response = api.post(url("ladder", world.own), {"steps": ["2.3", "2.4"], "note": "Af en toe een tegenprestatie"})
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["trede"] == 2 and created["step"]["code"] == "2.4" and sorted(created["substeps"]) == ["2.3", "2.4"]
    assert created["measured_by"] == str(world.users["klantmanager"])
    history = api.get(url("ladder", world.own)).json()["results"]
    assert [m["id"] for m in history] == [created["id"]]
    views = list(AccessLog.objects.values_list("view", "client_id"))
    assert views == [("api_trede", world.own.pk), ("api_trede", world.own.pk)]


def test_ladder_by_step_ids_and_correction(world, api_login):
    api = api_login(world.users["klantmanager"])
    first = api.post(url("ladder", world.own), {"steps": ["2"]}).json()
    step4 = LadderStep.objects.get(municipality=None, code="4")
    response = api.post(url("ladder", world.own), {"step_ids": [step4.pk], "corrects": first["id"]})
    assert response.status_code == 201 and response.json()["corrects"] == first["id"]
    history = {m["id"]: m for m in api.get(url("ladder", world.own)).json()["results"]}
    assert history[first["id"]]["corrected_by"] == response.json()["id"]
    # A record of another client cannot be corrected through this one.
    other = ladder(world, world.teammate)
    assert invalid(api.post(url("ladder", world.own), {"steps": ["3"], "corrects": other.pk})) == {"corrects"}


def test_ladder_override_needs_a_reason(world, api_login):
    api = api_login(world.users["klantmanager"])
    answers = {"sociale_contacten": True}  # proposes trede 2
    assert invalid(api.post(url("ladder", world.own), {"steps": ["4"], "answers": answers})) == {"override_reason"}
    response = api.post(url("ladder", world.own), {"steps": ["4"], "answers": answers,
                                                   "override_reason": "Start volgende week als vrijwilliger."})
    assert response.status_code == 201
    assert response.json()["proposed_trede"] == 2 and response.json()["trede"] == 4


def test_ladder_invalid_input(world, api_login):
    api = api_login(world.users["klantmanager"])
    assert invalid(api.post(url("ladder", world.own), {})) == {"steps"}
    assert invalid(api.post(url("ladder", world.own), {"steps": ["9"]})) == {"steps"}
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    assert invalid(api.post(url("ladder", world.own), {"steps": ["3"], "measured_on": future})) == {"measured_on"}
    body = problem(api.post(url("ladder", world.own), {"steps": ["9"]}))
    assert body["status"] == 400 and "9" in body["invalidParams"][0]["reason"]


def test_ladder_list_has_a_fixed_query_count(world, api_login):
    api = api_login(world.users["klantmanager"])
    ladder(world, world.own)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert api.get(url("ladder", world.own)).status_code == 200
        return len(queries)

    one = count()
    services.adopt_example_substeps(municipality=world.muni)
    for days in (20, 30, 40):
        api.post(url("ladder", world.own), {"steps": ["2.1", "2.2"],
                                            "measured_on": (timezone.localdate() - timedelta(days=days)).isoformat()})
    assert count() == one


def test_ladder_steps_of_the_municipality(world, api_login):
    api = api_login(world.users["klantmanager"])
    assert [s["code"] for s in api.get(reverse("api:ladderstep-list")).json()] == ["1", "2", "3", "4", "5", "6"]
    services.adopt_example_substeps(municipality=world.muni)
    codes = [s["code"] for s in api.get(reverse("api:ladderstep-list")).json()]
    assert codes == ["1", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6", "3", "4", "5", "6"]
    assert invalid(api.get(reverse("api:ladderstep-list"), {"gemeente": "9998"})) == {"gemeente"}
    assert api_login(world.users["aanbieder"]).get(reverse("api:ladderstep-list")).status_code == 403


# --- ZRM -----------------------------------------------------------------------------------------------------------


def test_zrm_recorded_and_shown_per_role(world, api_login):
    api = api_login(world.users["klantmanager"])
    response = api.post(url("zrm", world.own), {"version": "2017", "levels": {**ALL_2017, "financien": 1}})
    assert response.status_code == 201, response.content
    assert response.json()["levels"]["financien"] == 1 and len(response.json()["levels"]) == 13
    lead = api_login(world.users["teamleider"]).get(url("zrm", world.own)).json()["results"][0]["levels"]
    assert "geestelijke_gezondheid" not in lead and "middelengebruik" not in lead and lead["financien"] == 1
    team = api_login(world.users["wijkteammedewerker"]).get(url("zrm", world.own)).json()["results"][0]["levels"]
    assert team["geestelijke_gezondheid"] == 3
    assert AccessLog.objects.filter(view="api_zrm").count() == 3


def test_zrm_half_score_missing_domain_and_wrong_version(world, api_login):
    api = api_login(world.users["klantmanager"])
    levels = {**ALL_2017, "financien": 2.5}
    del levels["justitie"]
    assert invalid(api.post(url("zrm", world.own), {"version": "2017", "levels": levels})) == {
        "levels.financien", "levels.justitie"}
    reasons = {p["name"]: p["reason"] for p in problem(api.post(url("zrm", world.own), {
        "version": "2017", "levels": levels}))["invalidParams"]}
    assert "halve" in reasons["levels.financien"] and "domein" in reasons["levels.justitie"]
    assert invalid(api.post(url("zrm", world.own), {"version": "2013", "levels": ALL_2017})) >= {
        "levels.werk_opleiding", "levels.dagbesteding"}
    assert invalid(api.post(url("zrm", world.own), {"version": "1999", "levels": ALL_2017})) == {"version"}
    assert invalid(api.post(url("zrm", world.own), {"version": "2017", "levels": {**ALL_2017, "financien": "3"}})) == {
        "levels.financien"}
    assert not world.own.zrm_measurements.exists()


def test_zrm_older_version(world, api_login):
    levels = {key: 4 for key, _label in ZRM_DOMAINS["2013"]}
    response = api_login(world.users["wijkteammedewerker"]).post(url("zrm", world.own), {"version": "2013",
                                                                                      "levels": levels})
    assert response.status_code == 201 and response.json()["version"] == "2013"
    assert len(response.json()["levels"]) == 11


# --- intakes -------------------------------------------------------------------------------------------------------


INTAKE = {"housing": "stabiel", "debts": "regeling", "dutch_speaking": "B1", "education": "mbo",
          "motivation_willing": "ja", "client_role": "coproducent", "hours_per_week": 20,
          "work_exemption_until": None, "regime": "participatiewet"}


def test_intake_with_special_categories_per_role(world, api_login):
    api = api_login(world.users["klantmanager"])
    response = api.post(url("intakes", world.own), {**INTAKE, "special_categories": {
        "physical_health": "Rugklachten", "addiction": "Alcohol, in behandeling"}})
    assert response.status_code == 201, response.content
    assert response.json()["special_categories"] == {"physical_health": "Rugklachten", "mental_health": "",
                                                     "addiction": "Alcohol, in behandeling"}
    assert IntakeSpecialCategories.objects.get().physical_health == "Rugklachten"
    seen = api_login(world.users["teamleider"]).get(url("intakes", world.own)).json()["results"][0]
    assert seen["special_categories"] is None and seen["housing"] == "stabiel" and seen["hours_per_week"] == 20
    assert "Rugklachten" not in str(seen)
    team = api_login(world.users["wijkteammedewerker"]).get(url("intakes", world.own)).json()["results"][0]
    assert team["special_categories"]["addiction"] == "Alcohol, in behandeling"
    assert AccessLog.objects.filter(view="api_keukentafelgesprek").count() == 3


def test_intake_special_categories_need_the_role(world, api_login, monkeypatch):
    # No role that records a diagnosis lacks health today; the rule stands on its own (services.record_intake).
    from kansrijk.accounts import roles

    monkeypatch.setattr(roles, "SEES_HEALTH", frozenset({"teamleider"}))
    api = api_login(world.users["wijkteammedewerker"])
    response = api.post(url("intakes", world.own), {**INTAKE, "special_categories": {"mental_health": "Somber"}})
    assert response.status_code == 403 and problem(response)["status"] == 403
    assert not world.own.intakes.exists()
    assert api.post(url("intakes", world.own), INTAKE).status_code == 201


def test_intake_invalid_input(world, api_login):
    api = api_login(world.users["klantmanager"])
    assert invalid(api.post(url("intakes", world.own), {**INTAKE, "housing": "kasteel", "hours_per_week": 80})) == {
        "housing", "hours_per_week"}
    assert invalid(api.post(url("intakes", world.own), {**INTAKE, "measured_on": "2999-01-01"})) == {"measured_on"}


def test_intake_list_has_a_fixed_query_count(world, api_login):
    api = api_login(world.users["klantmanager"])
    api.post(url("intakes", world.own), INTAKE)

    def count():
        with CaptureQueriesContext(connection) as queries:
            api.get(url("intakes", world.own))
        return len(queries)

    one = count()
    for _ in range(3):
        api.post(url("intakes", world.own), {**INTAKE, "special_categories": {"physical_health": "Astma"}})
    assert count() == one


# --- distance --------------------------------------------------------------------------------------------------------


def test_distance_indicator_and_judgement(world, api_login):
    api = api_login(world.users["klantmanager"])
    empty = api.get(url("distance", world.own)).json()
    assert empty["derived"] is None and empty["judgement"] is None and "diagnose" in empty["reasons"][0]
    ladder(world, world.own, "2")
    shown = api.get(url("distance", world.own)).json()
    assert shown["derived"] == "zeer_groot" and shown["value"] == "zeer_groot" and "Trede 2" in shown["reasons"][0]
    response = api.post(url("distance", world.own), {"distance": "groot", "reason": "Net begonnen als vrijwilliger."})
    assert response.status_code == 201 and response.json()["derived"] == "zeer_groot"
    shown = api.get(url("distance", world.own)).json()
    assert shown["value"] == "groot" and shown["derived"] == "zeer_groot" and shown["label"] == "Groot"
    assert shown["judgement"]["reason"] == "Net begonnen als vrijwilliger."
    assert AccessLog.objects.filter(view="api_afstand", client=world.own).count() == 4


def test_distance_judgement_rules(world, api_login):
    assert api_login(world.users["wijkteammedewerker"]).post(url("distance", world.own), {
        "distance": "groot", "reason": "x"}).status_code == 403
    api = api_login(world.users["klantmanager"])
    assert invalid(api.post(url("distance", world.own), {"distance": "enorm", "reason": "x"})) == {"distance"}
    assert invalid(api.post(url("distance", world.own), {"distance": "groot", "reason": ""})) == {"reason"}
    assert invalid(api.post(url("distance", world.own), {"distance": "groot", "reason": "   "})) == {"reason"}
    assert not DistanceJudgement.objects.exists()


def test_schema_documents_the_endpoints(world, api_login):
    schema = api_login(world.users["klantmanager"]).get(reverse("api:schema"), HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in ("/api/v1/clients/{client_pk}/ladder/", "/api/v1/clients/{client_pk}/zrm/",
                 "/api/v1/clients/{client_pk}/intakes/", "/api/v1/clients/{client_pk}/distance/",
                 "/api/v1/ladder-steps/"):
        assert path in text
