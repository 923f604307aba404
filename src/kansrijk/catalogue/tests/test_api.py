import io
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kansrijk.catalogue import exchange, services
from kansrijk.catalogue.models import Approach, Assessment, LocalOffer

from .factories import approach, working_element
from .test_services import ALL_SCORES


@pytest.fixture
def catalogue(world):
    working_element("hc-tijd-en-caseload")
    fip = approach(slug="fip", name="FIP Sittard-Geleen", goal="activering", approach_types=["life_first"],
                   target_groups=["algemeen"], effect_level=3, description="Frequent, intensief en persoonlijk contact.",
                   sources={"name": "seed-000:L300", "effect_level": "seed-000:L823-L832"},
                   results=[{"description": "Beëindigde uitkeringen", "value": 71, "source": "seed-000:L823"}])
    zorg = approach(slug="opleiden-in-de-zorg", name="Opleiden in de zorg", goal="werk",
                    approach_types=["work_first", "human_capital_first"], target_groups=["algemeen"],
                    ladder_steps=["3", "4"], job_guarantee="2 jaar, minimaal 24 uur per week")
    return fip, zorg


def problem(response):
    assert response["Content-Type"].startswith("application/problem+json"), response.content
    return response.json()


def test_list_search_and_filters(world, login, catalogue):
    api = login(world.users["klantmanager"])
    assert [a["slug"] for a in api.get("/api/v1/approaches/").json()["results"]] == ["fip", "opleiden-in-de-zorg"]
    found = api.get("/api/v1/approaches/", {"q": "intensief persoonlijk"}).json()["results"]
    assert [a["slug"] for a in found] == ["fip"]
    found = api.get("/api/v1/approaches/?approach_type=work_first&ladder_step=4").json()["results"]
    assert [a["slug"] for a in found] == ["opleiden-in-de-zorg"]
    assert found[0]["approach_types"] == ["work_first", "human_capital_first"]


def test_unknown_filter_value_is_a_problem_detail(world, login, catalogue):
    response = login(world.users["klantmanager"]).get("/api/v1/approaches/?goal=geld&ladder_step=9")
    assert response.status_code == 400
    names = {param["name"] for param in problem(response)["invalidParams"]}
    assert names == {"goal", "ladder_step"}


def test_detail_carries_facts_with_their_sources(world, login, catalogue):
    data = login(world.users["aanbieder"]).get("/api/v1/approaches/fip/").json()
    assert data["sources"]["effect_level"] == "seed-000:L823-L832"
    assert data["results"][0] == {"description": "Beëindigde uitkeringen", "value": "71.00", "unit": "",
                                  "period": "", "source": "seed-000:L823"}
    assert data["effect_level"] == 3 and data["local_offers"] == []


def test_list_query_count_does_not_grow(world, login, catalogue):
    api = login(world.users["klantmanager"])
    api.get("/api/v1/approaches/")
    with CaptureQueriesContext(connection) as few:
        api.get("/api/v1/approaches/")
    for n in range(20):
        approach(target_groups=["ouderen"], working_elements=["hc-tijd-en-caseload"])
    with CaptureQueriesContext(connection) as many:
        assert len(api.get("/api/v1/approaches/").json()["results"]) == 22
    assert len(many) == len(few)


def test_administrator_creates_changes_and_retires_an_own_approach(world, login, catalogue):
    api = login(world.users["beheerder"])
    created = api.post("/api/v1/approaches/", {
        "slug": "buurtkamer", "name": "Buurtkamer", "kind": "aanpak", "goal": "activering",
        "target_groups": ["vrouwen"], "ladder_steps": ["1", "2.1"], "pitfalls": ["Werving kost tijd"],
        "results": [{"description": "Bezoekers", "value": 40, "period": "2025"}]}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["owner"] == "9999" and created.json()["ladder_steps"] == ["1", "2.1"]
    changed = api.patch("/api/v1/approaches/buurtkamer/", {"capacity": 12}, content_type="application/json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["capacity"] == 12 and changed.json()["version"] == 2
    assert changed.json()["results"][0]["description"] == "Bezoekers"
    retired = api.post("/api/v1/approaches/buurtkamer/retire/", {"reason": "Gestopt"}, content_type="application/json")
    assert retired.json()["retired"] is True and retired.json()["retired_reason"] == "Gestopt"


def test_national_catalogue_is_not_changed_through_the_api(world, login, catalogue):
    api = login(world.users["beheerder"])
    response = api.patch("/api/v1/approaches/fip/", {"name": "Anders"}, content_type="application/json")
    assert response.status_code == 403
    response = api.post("/api/v1/approaches/fip/retire/", {"reason": "x"}, content_type="application/json")
    assert response.status_code == 400 and problem(response)["status"] == 400


def test_invalid_local_approach_is_rejected_with_problem_details(world, login, catalogue):
    response = login(world.users["beheerder"]).post("/api/v1/approaches/", {
        "slug": "fout", "name": "Fout", "kind": "aanpak", "trede_min": 5, "trede_max": 2, "target_groups": ["katten"]},
        content_type="application/json")
    assert response.status_code == 400
    assert "target_groups" in {p["name"] for p in problem(response)["invalidParams"]}
    assert not Approach.objects.filter(slug="fout").exists()


@pytest.mark.parametrize("role", ["klantmanager", "beleidsmedewerker", "aanbieder"])
def test_only_administrators_write_the_catalogue(world, login, catalogue, role):
    api = login(world.users[role])
    assert api.post("/api/v1/approaches/", {"slug": "x", "name": "X", "kind": "aanpak"},
                    content_type="application/json").status_code == 403
    assert api.put("/api/v1/approaches/fip/local-offer/", {"capacity": 1},
                   content_type="application/json").status_code == 403


def test_analyst_assesses_and_history_is_listed(world, login, catalogue):
    api = login(world.users["beleidsmedewerker"])
    body = {"scores": {d: {"score": s, "reasoning": r} for d, (s, r) in ALL_SCORES.items()},
            "checklist": {"recent": {"answer": "ja"}}, "effect_level": 3, "conclusion": "Kansrijk"}
    created = api.post("/api/v1/approaches/fip/assessments/", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert {s["dimension"]: s["score_label"] for s in created.json()["scores"]}["onderbouwing"] == "+"
    del body["scores"]["vernieuwing"]
    rejected = api.post("/api/v1/approaches/fip/assessments/", body, content_type="application/json")
    assert rejected.status_code == 400 and "vernieuwing" in {p["name"] for p in problem(rejected)["invalidParams"]}
    assert Assessment.objects.count() == 1
    history = login(world.users["klantmanager"]).get("/api/v1/approaches/fip/assessments/").json()
    assert len(history) == 1 and history[0]["assessor"]
    assert login(world.users["klantmanager"]).post("/api/v1/approaches/fip/assessments/", body,
                                                   content_type="application/json").status_code == 403


def test_local_offer_through_the_api(world, login, catalogue):
    api = login(world.users["beheerder"])
    response = api.put("/api/v1/approaches/fip/local-offer/", {"capacity": 300, "contact_person": "Fatima de Vries",
                                                               "intake_moments": "elk kwartaal"},
                       content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["municipality"] == "9999"
    listed = login(world.users["klantmanager"]).get("/api/v1/approaches/?offered_locally=true").json()["results"]
    assert [a["slug"] for a in listed] == ["fip"] and listed[0]["offered_locally"] is True
    api = login(world.users["beheerder"])
    assert api.delete("/api/v1/approaches/fip/local-offer/").status_code == 204
    assert not LocalOffer.objects.get().active
    other = api.put("/api/v1/approaches/fip/local-offer/", {"gemeente": "9998"}, content_type="application/json")
    assert other.status_code == 400


def test_compare_working_elements_and_what_works(world, login, catalogue):
    api = login(world.users["werkgeversdienstverlener"])
    compared = api.get("/api/v1/approaches/compare/?slug=opleiden-in-de-zorg&slug=fip").json()
    assert [a["slug"] for a in compared] == ["opleiden-in-de-zorg", "fip"]
    assert api.get("/api/v1/approaches/compare/").status_code == 400
    assert api.get("/api/v1/working-elements/").json()[0]["key"] == "hc-tijd-en-caseload"
    works = api.get("/api/v1/what-works/").json()
    types = {group["key"]: [a["slug"] for a in group["approaches"]] for group in works["approach_types"]}
    assert types["life_first"] == ["fip"]


def test_export_and_import_through_the_api(world, login, catalogue):
    admin = login(world.users["beheerder"])
    services.set_local_offer(approach=catalogue[0], municipality=world.muni, values={"capacity": 300},
                             by=world.users["beheerder"])
    exported = admin.get("/api/v1/catalogue/export/?file_format=json")
    assert exported.status_code == 200 and "kansrijk-catalogus-" in exported["Content-Disposition"]
    document = json.loads(exported.content)
    assert {a["slug"]: a["local_offer"] for a in document["approaches"]}["fip"]["capacity"] == 300
    workbook = load_workbook(io.BytesIO(admin.get("/api/v1/catalogue/export/?file_format=xlsx").content))
    assert workbook.sheetnames == ["Aanpakken", "Resultaten", "Werkzame elementen"]

    document["approaches"].append({"slug": "nieuw-uit-buurdorp", "name": "Nieuw", "kind": "traject"})
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "catalogus.json"
    checked = admin.post("/api/v1/catalogue/import/", {"file": upload, "dry_run": "true"})
    assert checked.status_code == 200 and checked.json()["created"] == 1 and checked.json()["dry_run"] is True
    assert not Approach.objects.filter(slug="nieuw-uit-buurdorp").exists()

    document["approaches"][-1]["kind"] = "fabriek"
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "catalogus.json"
    rejected = admin.post("/api/v1/catalogue/import/", {"file": upload})
    assert rejected.status_code == 422
    assert any("veld kind" in p for p in problem(rejected)["problems"])
    assert login(world.users["klantmanager"]).get("/api/v1/catalogue/export/").status_code == 403


def test_anonymous_gets_no_catalogue(client, world, catalogue):
    assert client.get("/api/v1/approaches/").status_code in (401, 403)


def test_exchange_helpers_are_reused_by_the_api(world, catalogue):
    # The API import is the same service as the command and the web page: a bad file is refused identically.
    with pytest.raises(exchange.CatalogueFileError):
        exchange.parse_catalogue_file(b"x", "x.txt")
