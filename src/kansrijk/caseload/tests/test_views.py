"""Web pages of the caseload register: scoping, filters, query counts, special categories, import flow."""

import io
import re
from datetime import date

import pytest
from django.urls import reverse

from kansrijk.caseload.models import BenefitSpell, Client, ImportRun
from kansrijk.caseload.tests.factories import BenefitSpellFactory, ClientFactory

HEADER = ("Dossiernr;Clientnummer;geboortejaar;geslacht;Kode groep;Startdatum periodiek algemeen;"
          "Einddatum periodiek algemeen;Oorspronkelijke begindatum uitkeringsdossier;Omschrijving leefvorm;"
          "Oorzaak bijstandsafhankelijkheid\n")


def test_client_manager_sees_own_team_only(world, login):
    response = login(world.users["klantmanager"]).get(reverse("caseload:client-list"))
    numbers = {c.client_number for c in response.context["page"]}
    assert numbers == {"5001", "5002"}
    assert response.context["page"].paginator.count == 2


def test_team_lead_also_sees_unassigned_clients_to_place_them(world, login):
    unassigned = ClientFactory(municipality=world.muni, team=None, client_number="7777")
    ClientFactory(municipality=world.other_muni, team=None, client_number="8888")
    response = login(world.users["teamleider"]).get(reverse("caseload:client-list"), {"zonder_team": "on"})
    assert [c.pk for c in response.context["page"]] == [unassigned.pk]
    response = login(world.users["klantmanager"]).get(reverse("caseload:client-detail", args=[unassigned.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("params,expected", [
    ({"q": "jansen"}, {"5001"}),
    ({"q": "JAN"}, {"5001"}),
    ({"q": "111222333"}, {"5001"}),
    ({"q": "5002"}, {"5002"}),
    ({"q": "50"}, {"5001", "5002"}),
    ({"duration": "5-10"}, {"5002"}),
    ({"duration": "lt1"}, {"5001"}),
    ({"age_class": "50+"}, {"5002"}),
    ({"age_class": "<30"}, set()),
    ({"household": "Alleenstaande ouder"}, {"5002"}),
])
def test_filters(params, expected, world, login):
    today = date.today()
    Client.objects.filter(pk=world.own.pk).update(active_spell_start=today.replace(day=1), birth_year=1990)
    Client.objects.filter(pk=world.teammate.pk).update(active_spell_start=date(today.year - 6, 1, 1),
                                                       birth_year=today.year - 60, household="Alleenstaande ouder")
    response = login(world.users["teamleider"]).get(reverse("caseload:client-list"), params)
    assert {c.client_number for c in response.context["page"]} == expected


def test_filter_by_client_manager_and_team(world, login):
    client = login(world.users["teamleider"])
    response = client.get(reverse("caseload:client-list"), {"client_manager": world.colleague.pk})
    assert {c.client_number for c in response.context["page"]} == {"5002"}
    response = client.get(reverse("caseload:client-list"), {"team": world.team.pk})
    assert response.context["page"].paginator.count == 2


def test_list_query_count_does_not_grow_with_page_size(world, login, django_assert_max_num_queries):
    client = login(world.users["teamleider"])
    client.get(reverse("caseload:client-list"))  # warm the session
    # 13: the access records read the user's teams once, to record which shown clients lie outside them.
    with django_assert_max_num_queries(13) as few:
        client.get(reverse("caseload:client-list"))
    ClientFactory.create_batch(60, municipality=world.muni, team=world.team, client_manager=world.colleague)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("caseload:client-list"))
    assert len(response.context["page"]) == 50


def test_api_list_query_count_is_fixed(world, login, django_assert_max_num_queries):
    client = login(world.users["teamleider"])
    client.get(reverse("api:client-list"))
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("api:client-list"))
    ClientFactory.create_batch(40, municipality=world.muni, team=world.team, client_manager=world.colleague)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("api:client-list")).json()["count"] == 42


def test_htmx_request_gets_only_the_table(world, login):
    response = login(world.users["klantmanager"]).get(reverse("caseload:client-list"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<table" in html and "<html" not in html


def test_client_page_shows_spells_as_timeline_and_table(world, login):
    BenefitSpellFactory(client=world.own, original_start=date(2010, 1, 1), ended=True)
    response = login(world.users["klantmanager"]).get(reverse("caseload:client-detail", args=[world.own.pk]))
    html = response.content.decode()
    assert html.count('class="bar') == 2
    # Positions are SVG coordinates (no inline styles under the CSP): a decimal point even in the Dutch interface.
    timeline = html.split('class="timeline"')[1].split("</svg>")[0]
    assert re.search(r'x="\d+(\.\d+)?" y="1" width="\d+\.\d+"', timeline) and "," not in timeline
    assert "lopend" in html
    assert len(response.context["timeline"]) == 2


@pytest.mark.parametrize("role,health,addiction,origin,spells", [
    ("klantmanager", True, True, True, True),
    ("teamleider", False, False, False, True),
    ("wijkteammedewerker", True, True, False, False),
])
def test_special_categories_and_income_data_per_role(role, health, addiction, origin, spells, world, login):
    client = login(world.users[role])
    html = client.get(reverse("caseload:client-detail", args=[world.own.pk])).content.decode()
    assert ("Rugklachten" in html) is health
    assert ("Alcohol" in html) is addiction
    assert ("Niet-westerse migratieachtergrond" in html) is origin
    assert ("Uitkeringsperioden" in html) is spells
    api = client.get(reverse("api:client-detail", args=[world.own.pk])).json()
    special = api["special_categories"] or {}
    assert ("health" in special) is health
    assert ("migration_background" in special) is origin
    assert (api["spells"] is not None) is spells


def test_team_lead_assigns_client(world, login):
    unassigned = ClientFactory(municipality=world.muni, team=None)
    response = login(world.users["teamleider"]).post(
        reverse("caseload:client-assign", args=[unassigned.pk]),
        {"team": world.team.pk, "client_manager": world.colleague.pk})
    assert response.status_code == 302
    unassigned.refresh_from_db()
    assert unassigned.team == world.team and unassigned.client_manager == world.colleague


def test_assignment_to_manager_outside_team_is_refused_in_dutch(world, login):
    from kansrijk.caseload.tests.factories import UserFactory

    outsider = UserFactory(username="buiten", municipalities=[world.muni], teams=[world.other_team])
    client = login(world.users["teamleider"])
    response = client.post(reverse("caseload:client-assign", args=[world.own.pk]),
                           {"team": world.team.pk, "client_manager": outsider.pk}, follow=True)
    assert "Kies een geldig team" in response.content.decode()
    world.own.refresh_from_db()
    assert world.own.client_manager == world.users["klantmanager"]


def _upload(client, content: bytes, name="export.csv"):
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("caseload:import-upload"), {"file": upload, "municipality": client.muni_pk})


@pytest.fixture
def admin_client(world, login):
    client = login(world.users["beheerder"])
    client.muni_pk = world.muni.pk
    return client


def test_import_flow_preview_then_import(world, admin_client, settings, tmp_path):
    settings.KANSRIJK_UPLOAD_DIR = tmp_path
    body = HEADER + "1;9001;1970;V;PW;01-01-2015;;01-01-2015;Alleenstaande;11\n"
    response = _upload(admin_client, body.encode())
    run = ImportRun.objects.get(status=ImportRun.Status.PREVIEW)
    assert response.status_code == 302 and response["Location"].endswith(f"/import/{run.pk}/")
    preview = admin_client.get(response["Location"])
    assert preview.context["result"].summary["created"] == 2
    assert not Client.objects.filter(client_number="9001").exists()  # nothing written by the preview
    done = admin_client.post(reverse("caseload:import-confirm", args=[run.pk]), follow=True)
    assert "De import is voltooid." in done.content.decode()
    assert Client.objects.get(client_number="9001").active_spell_start == date(2015, 1, 1)
    assert not list(tmp_path.iterdir())  # the stored upload is removed


def test_import_flow_with_errors_reports_line_and_column_and_writes_nothing(world, admin_client, settings,
                                                                            tmp_path):
    settings.KANSRIJK_UPLOAD_DIR = tmp_path
    body = (HEADER + "1;9001;1970;V;PW;01-01-2015;;01-01-2015;Alleenstaande;11\n"
            "2;9002;1970;Q;PW;31-02-2015;;01-01-2015;Alleenstaande;11\n")
    _upload(admin_client, body.encode())
    run = ImportRun.objects.get(status=ImportRun.Status.PREVIEW)
    html = admin_client.get(reverse("caseload:import-preview", args=[run.pk])).content.decode()
    assert "Onbekende code voor geslacht" in html and "bestaat niet als datum" in html
    rejected = admin_client.get(reverse("caseload:import-rejected", args=[run.pk])).content.decode("utf-8-sig")
    assert rejected.splitlines()[1].startswith("3;2;9002")
    admin_client.post(reverse("caseload:import-confirm", args=[run.pk]), {"mode": "skip_invalid"})
    assert set(Client.objects.filter(client_number__startswith="900").values_list("client_number", flat=True)) \
        == {"9001"}


def test_cancel_discards_the_upload(world, admin_client, settings, tmp_path):
    settings.KANSRIJK_UPLOAD_DIR = tmp_path
    _upload(admin_client, (HEADER + "1;9001;1970;V;PW;01-01-2015;;01-01-2015;A;11\n").encode())
    run = ImportRun.objects.get(status=ImportRun.Status.PREVIEW)
    admin_client.post(reverse("caseload:import-cancel", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == ImportRun.Status.CANCELLED and not list(tmp_path.iterdir())
    assert admin_client.get(reverse("caseload:import-preview", args=[run.pk])).status_code == 404


def test_upload_form_refuses_other_file_types_in_dutch(world, admin_client):
    response = _upload(admin_client, b"%PDF-1.4", name="export.pdf")
    assert "Kies een CSV- of XLSX-bestand." in response.content.decode()
    assert not ImportRun.objects.exists()


def test_unreadable_file_shows_clear_error(world, admin_client, settings, tmp_path):
    settings.KANSRIJK_UPLOAD_DIR = tmp_path
    _upload(admin_client, b"Naam;Adres\nJan;Straat 1\n")
    run = ImportRun.objects.get(status=ImportRun.Status.PREVIEW)
    html = admin_client.get(reverse("caseload:import-preview", args=[run.pk])).content.decode()
    assert "De verplichte kolom &#x27;Clientnummer&#x27; ontbreekt in de kopregel." in html
    assert BenefitSpell.objects.count() == 4  # only the world's own spells
