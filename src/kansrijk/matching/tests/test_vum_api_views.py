"""The VUM exchange through the API and the web page."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kansrijk.audit.models import AccessLog
from kansrijk.matching.models import Employer, JobSeekerProfile, Vacancy
from kansrijk.matching.tests.test_vum import job_seeker, vacancy
from kansrijk.matching.vum import profiles
from kansrijk.matching.vum.schemas import validate_item

GOOD = [{"idVacature": "a", "naamVacature": "Kok", "werkgever": {"handelsnaamOrganisatie": "Eethuis"}}]
BAD = {"vacatures": [GOOD[0], {"idVacature": "b", "naamVacature": "Kok",
                                "werkgever": {"handelsnaamOrganisatie": "Eethuis"},
                                "werktijden": {"aantalWerkurenPerWeekMinimaal": 120}}]}


def test_api_exports_envelopes(world, api_login):
    vacancy(world, 1)
    job_seeker(world.own, world.users["klantmanager"])
    api = api_login(world.users["werkgeversdienstverlener"])
    body = api.get(reverse("api:vum-vacancies")).json()
    assert body["soort"] == "vacatures" and validate_item("vacatures", body["vacatures"][0], "") == []
    body = api.get(reverse("api:vum-profiles")).json()
    assert [item["idWerkzoekende"] for item in body["werkzoekenden"]] == [profiles.pseudonym("9999", "5001")]
    assert AccessLog.objects.filter(client=world.own, view="vum_export_werkzoekenden").count() == 1
    response = api.get(reverse("api:vum-vacancies") + "?gemeente=9998")
    assert response.status_code == 400 and response.json()["invalidParams"][0]["name"] == "gemeente"


def test_api_import_checks_then_imports(world, api_login):
    api = api_login(world.users["werkgeversdienstverlener"])
    url = reverse("api:vum-vacancies-import")
    response = api.post(url + "?dry_run=1", json.dumps(GOOD))
    assert response.status_code == 200
    assert (response.json()["dry_run"], response.json()["created"]) == (True, 1)
    assert not Vacancy.objects.exists()
    response = api.post(url, json.dumps(GOOD))
    assert (response.status_code, response.json()["created"], response.json()["employers_created"]) == (200, 1, 1)
    response = api.post(url, json.dumps(GOOD))
    assert (response.json()["created"], response.json()["unchanged"]) == (0, 1)


def test_api_import_rejects_with_every_place(world, api_login):
    api = api_login(world.users["beheerder"])
    response = api.post(reverse("api:vum-vacancies-import"), json.dumps(BAD))
    assert response.status_code == 422 and response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "import-rejected"
    assert body["invalidParams"] == [{"name": "vacatures[1].werktijden.aantalWerkurenPerWeekMinimaal",
                                      "code": "invalid", "reason": "120 is groter dan 99"}]
    assert not Vacancy.objects.exists() and not Employer.objects.exists()


def test_api_import_of_an_unreadable_or_wrong_document_is_a_400(world, api_login):
    api = api_login(world.users["beheerder"])
    profiles_document = json.dumps({"werkzoekenden": []}).encode()
    for body, reason in ((b"", "leeg"), (b"{nee", "geen geldige JSON"),
                         (profiles_document, "bevat werkzoekenden, maar gekozen is vacatures")):
        response = api.generic("POST", reverse("api:vum-vacancies-import"), body, content_type="application/json")
        assert response.status_code == 400
        assert reason in response.json()["invalidParams"][0]["reason"]
    response = api.post(reverse("api:vum-profiles-import") + "?sleutel=bsn", "[]")
    assert response.status_code == 400 and response.json()["invalidParams"][0]["name"] == "sleutel"


def test_api_profile_import_by_client_number(world, api_login):
    api = api_login(world.users["beheerder"])
    document = {"werkzoekenden": [{"idWerkzoekende": "5001", "persoonlijkePresentatie": "Handig met hout."}]}
    response = api.post(reverse("api:vum-profiles-import") + "?sleutel=clientnummer", json.dumps(document))
    assert response.status_code == 200 and response.json()["created"] == 1
    assert JobSeekerProfile.objects.get(client=world.own).summary == "Handig met hout."
    response = api_login(world.users["werkgeversdienstverlener"]).post(reverse("api:vum-profiles-import"), "[]")
    assert response.status_code == 403


# --- Web page --------------------------------------------------------------------------------------------------------


def upload(content, name="vum.json", **data):
    return {"file": SimpleUploadedFile(name, content, content_type="application/json"), **data}


def test_the_exchange_page_offers_downloads_by_role(world, login):
    job_seeker(world.own, world.users["klantmanager"])
    page = login(world.users["werkgeversdienstverlener"]).get(reverse("vum:exchange")).content.decode()
    assert reverse("vum:export-vacancies") in page and reverse("vum:export-profiles") in page
    assert "In Voorbeeldstad gaf 1 cliënt toestemming" in page
    assert reverse("vum:exchange") in login(world.users["beheerder"]).get(reverse("core:home")).content.decode()


def test_downloads_are_attachments_and_profiles_are_logged(world, login):
    vacancy(world, 1)
    job_seeker(world.own, world.users["klantmanager"])
    web = login(world.users["beheerder"])
    response = web.get(reverse("vum:export-vacancies"))
    assert response["Content-Disposition"].startswith('attachment; filename="vum-vacatures-9999-')
    assert len(json.loads(response.content)["vacatures"]) == 1
    response = web.get(reverse("vum:export-profiles"))
    assert len(json.loads(response.content)["werkzoekenden"]) == 1
    assert AccessLog.objects.filter(user=world.users["beheerder"], client=world.own).count() == 1


def test_upload_check_only_then_import(world, login):
    web = login(world.users["werkgeversdienstverlener"])
    municipality = world.muni.pk
    page = web.post(reverse("vum:exchange"), upload(json.dumps(GOOD).encode(), municipality=municipality,
                                                    dry_run="on")).content.decode()
    assert "Controle geslaagd" in page and not Vacancy.objects.exists()
    response = web.post(reverse("vum:exchange"), upload(json.dumps(GOOD).encode(), municipality=municipality))
    assert "Import voltooid" in response.content.decode() and Vacancy.objects.count() == 1


def test_upload_errors_are_listed_with_their_place(world, login):
    web = login(world.users["werkgeversdienstverlener"])
    page = web.post(reverse("vum:exchange"), upload(json.dumps(BAD).encode(),
                                                    municipality=world.muni.pk)).content.decode()
    assert "Het bestand bevat 1 fout" in page and "Er is niets opgeslagen." in page
    assert "<code>vacatures[1].werktijden.aantalWerkurenPerWeekMinimaal</code>" in page
    assert "120 is groter dan 99" in page
    page = web.post(reverse("vum:exchange"), upload(b"niet json", municipality=world.muni.pk)).content.decode()
    assert "geen geldige JSON" in page and 'class="error-summary"' in page
    assert not Vacancy.objects.exists()


def test_the_employer_services_team_cannot_import_profiles(world, login):
    web = login(world.users["werkgeversdienstverlener"])
    document = json.dumps({"werkzoekenden": [{"idWerkzoekende": "5001"}]}).encode()
    page = web.post(reverse("vum:exchange"), upload(document, municipality=world.muni.pk,
                                                    sleutel="clientnummer")).content.decode()
    assert "die mag u met uw rol niet importeren" in page
    assert not JobSeekerProfile.objects.exists()
