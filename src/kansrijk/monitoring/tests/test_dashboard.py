"""The dashboard through the database: the built set of ``test_results`` written as trajectories, measurements and
prices, read by the selectors (query counts, cache), the page, exports, API, roles, and the client's mark at the end
of a trajectory."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from kansrijk.caseload.models import BenefitSpell, Client
from kansrijk.catalogue.models import LocalOffer
from kansrijk.catalogue.tests.factories import approach
from kansrijk.diagnosis.models import LadderMeasurement, LadderStep, ZrmMeasurement, ZrmScore
from kansrijk.inview.models import Contact, ContactRhythmRule
from kansrijk.monitoring import results_selectors
from kansrijk.trajectories import services
from kansrijk.trajectories.models import Provider, Referral, Trajectory
from kansrijk.trajectories.tests.factories import accepted, delivery

from .test_results import PERIOD, expected_results, ladder_specs, trajectory_specs, zrm_specs

QUERY = {"van": "2024-01-01", "tot_en_met": "2024-12-31"}


def load(world):
    """The set of ``test_results`` in the world's municipality: A's price on the menukaart, B's in the catalogue
    only, C without a price."""
    user = world.users["klantmanager"]
    approaches = {"Aanpak A": approach(name="Aanpak A"), "Aanpak B": approach(name="Aanpak B"),
                  "Aanpak C": approach(name="Aanpak C")}
    offer = LocalOffer.objects.create(municipality=world.muni, approach=approaches["Aanpak A"],
                                      cost_per_participant_eur=Decimal("1000.00"))
    approaches["Aanpak B"].cost_per_participant_eur = Decimal("500.00")
    approaches["Aanpak B"].save()
    providers = {name: Provider.objects.create(name=name) for name in ("P1", "P2", "P3")}
    teams = {"Team Noord": world.team, "Team Zuid": world.other_team}
    clients = {}
    for spec in trajectory_specs():
        client = Client.objects.create(municipality=world.muni, client_number=f"R{spec['client']}", birth_year=1980,
                                       sex="V", team=teams[spec["team"]])
        clients[spec["client"]] = client
        referral = Referral.objects.create(
            client=client, approach=approaches[spec["approach"]], provider=providers[spec["provider"]],
            local_offer=offer if spec["approach"] == "Aanpak A" else None, referred_by=user,
            referred_on=spec["start"] - timedelta(days=5), question="Werk", status="geaccepteerd")
        Trajectory.objects.create(
            referral=referral, client=client, provider=providers[spec["provider"]], srg_provision="overige",
            accepted_on=spec["start"] - timedelta(days=2), start_on=spec["start"], end_on=spec["end"],
            status="beeindigd" if spec["end"] else "lopend", end_reason=spec["reason"], result=spec["result"],
            satisfaction=spec["satisfaction"])
    steps = {step.trede: step for step in LadderStep.objects.filter(municipality=None)}
    wrong = None
    for spec in ladder_specs():
        record = LadderMeasurement.objects.create(
            client=clients[spec["client"]], measured_on=spec["on"], trede=spec["trede"], step=steps[spec["trede"]],
            measured_by=user, corrects=wrong if spec.get("corrects") else None)
        if spec.get("corrected"):
            wrong = record
    for spec in zrm_specs():
        record = ZrmMeasurement.objects.create(client=clients[spec["client"]], measured_on=spec["on"],
                                               version="2017", measured_by=user)
        ZrmScore.objects.bulk_create(ZrmScore(measurement=record, domain=d, level=v)
                                     for d, v in spec["scores"].items())
    return clients


def test_the_dashboard_from_the_database_matches_the_hand_computation(world, django_assert_num_queries):
    load(world)
    # trajectories, ladder, ZRM, scores, spells, placements, rules, contacts, clients
    with django_assert_num_queries(9):
        result = results_selectors.dashboard(world.muni.pk, PERIOD)
    assert result["resultaten"] == expected_results()
    assert result["kpi"]["slagingspercentage"] == {"waarde": 25.53, "teller": 12, "noemer": 47, "vorige": None,
                                                   "verschil": None}
    assert result["kpi"]["tevredenheid"]["waarde"] == 6.6
    assert result["kpi"]["periode"] == {"van": "2024-01-01", "tot_en_met": "2024-12-31"}


def test_query_count_does_not_grow_and_the_cache_follows_edits(world, django_assert_num_queries):
    load(world)
    with django_assert_num_queries(13):  # the data version (4), the computation (9)
        first = results_selectors.cached_dashboard(world.muni.pk, PERIOD)
    with django_assert_num_queries(4):  # only the data version
        assert results_selectors.cached_dashboard(world.muni.pk, PERIOD) == first
    # A running trajectory of group B ends in work (an update: the save signal changes the version).
    trajectory = Trajectory.objects.filter(referral__approach__name="Aanpak B", end_on__isnull=True).first()
    trajectory.end_on, trajectory.status = date(2024, 10, 1), "beeindigd"
    trajectory.end_reason, trajectory.result = "werk_gevonden", "werk_regulier"
    trajectory.save()
    again = results_selectors.cached_dashboard(world.muni.pk, PERIOD)
    assert again["resultaten"]["totaal"]["beeindigd"] == 48


def test_clients_in_view_from_contacts_and_spells(world):
    """Twelve long-term clients with the yearly rhythm: ten seen in the last year, two not; the world's four clients
    in this municipality (spells since 2018, no contact) are not in view either. At 31-12-2024: 10 of 15."""
    ContactRhythmRule.objects.create(municipality=world.muni, name="Jaarlijks", interval_days=365,
                                     min_benefit_years=2)
    for index in range(12):
        client = Client.objects.create(municipality=world.muni, client_number=f"V{index}", birth_year=1970, sex="M",
                                       client_manager=world.users["klantmanager"])
        BenefitSpell.objects.create(client=client, municipality=world.muni, original_start=date(2019, 1, 1),
                                    first_period_start=date(2019, 1, 1), last_period_start=date(2019, 1, 1))
        seen = date(2024, 6, 1) if index < 10 else date(2023, 6, 1)
        Contact.objects.create(client=client, contacted_on=seen, channel="telefoon", author=world.users["klantmanager"],
                               summary="Gesprek")
        # A contact after the peildatum does not count for it.
        Contact.objects.create(client=client, contacted_on=date(2025, 2, 1), channel="telefoon",
                               author=world.users["klantmanager"], summary="Later")
    kpi = results_selectors.dashboard(world.muni.pk, PERIOD)["kpi"]
    assert (kpi["in_beeld"]["teller"], kpi["in_beeld"]["noemer"]) == (None, 15)  # 5 not in view: under 10
    # The client manager has these 12 and the world's own client; a colleague has one.
    assert kpi["caseload"] | {"vorige": None, "verschil": None} == {
        "waarde": 7.0, "klantmanagers": 2, "mediaan": 7.0, "minimum": 1, "maximum": 13, "zonder_klantmanager": 1,
        "peildatum": "2024-12-31", "vorige": None, "verschil": None}


def test_analyst_sees_the_dashboard(world, login):
    load(world)
    response = login(world.users["beleidsmedewerker"]).get(reverse("monitoring:dashboard"), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Slagingspercentage trajecten" in html and 'id="kpi-tevredenheid"' in html
    assert 'id="resultaten-aanpak-data"' in html and "<td>1833.33</td>" in html.replace(",", ".")
    assert '<abbr title="minder dan 10 personen: onderdrukt">&lt;10</abbr>' in html
    for name in ("Jansen", "Anna", "R1<"):
        assert name not in html


@pytest.mark.parametrize("role", ["klantmanager", "aanbieder", "wijkteammedewerker", "werkgeversdienstverlener"])
def test_only_aggregate_roles(world, login, api_login, role):
    assert login(world.users[role]).get(reverse("monitoring:dashboard")).status_code == 403
    assert api_login(world.users[role]).get(reverse("api:monitoring-kpi")).status_code == 403


def test_bad_period_is_explained(world, login, api_login):
    response = login(world.users["teamleider"]).get(reverse("monitoring:dashboard"),
                                                     {"van": "2024-12-31", "tot_en_met": "2024-01-01"})
    assert "De periode begint na het einde" in response.content.decode()
    problem = api_login(world.users["teamleider"]).get(reverse("api:monitoring-results"), {"tot_en_met": "2999-01-01"})
    assert problem.status_code == 400 and problem["Content-Type"] == "application/problem+json"
    assert [p["name"] for p in problem.json()["invalidParams"]] == ["tot_en_met"]
    # A period's dates are not a peildatum: the message names what is wrong with this date.
    assert problem.json()["invalidParams"][0]["reason"] == ("Deze datum ligt in de toekomst: over later zijn nog "
                                                            "geen gegevens.")


@pytest.mark.parametrize("table", ["kpi", "resultaten-aanpak", "resultaten-team"])
def test_exports_open(world, login, table):
    load(world)
    client = login(world.users["beleidsmedewerker"])
    url = reverse("monitoring:dashboard-export")
    csv_text = client.get(url, {**QUERY, "tabel": table, "formaat": "csv"}).content.decode("utf-8-sig")
    assert "periode 01-01-2024 tot en met 31-12-2024" in csv_text
    rows = list(load_workbook(io.BytesIO(client.get(url, {**QUERY, "tabel": table, "formaat": "xlsx"}).content))
                .active.iter_rows(values_only=True))
    if table == "resultaten-aanpak":
        assert ("Aanpak A", 32, 22, 12, 54.55) in [tuple(r[:5]) for r in rows]
        assert ("Aanpak C", "<10") in [tuple(r[:2]) for r in rows]
    assert client.get(url, {**QUERY, "tabel": table, "formaat": "png"}).content.startswith(b"\x89PNG")
    assert b"<svg" in client.get(url, {**QUERY, "tabel": table, "formaat": "svg"}).content
    assert client.get(url, {**QUERY, "tabel": "personen"}).status_code == 404


def test_api_results_and_kpi(world, api_login):
    load(world)
    api = api_login(world.users["beleidsmedewerker"])
    body = api.get(reverse("api:monitoring-results"), QUERY).json()
    assert body["gemeente"] == "9999" and body["onderdrukt_onder"] == 10
    assert body["aanpak"][0] == expected_results()["aanpak"][0]
    kpi = api.get(reverse("api:monitoring-kpi"), QUERY).json()
    assert kpi["vorige_periode"] == {"van": "2023-01-01", "tot_en_met": "2023-12-31"}
    assert kpi["tevredenheid"]["waarde"] == 6.6 and kpi["slagingspercentage"]["waarde"] == 25.53


def test_the_client_mark_at_the_end_of_a_trajectory(world, login, api_login):
    setup = delivery(world)
    trajectory = accepted(world, setup)
    today = timezone.localdate()
    with pytest.raises(Exception, match="1 tot en met 10"):
        services.end_trajectory(trajectory=trajectory, by=world.users["aanbieder"], end_on=today,
                                reason="doel_bereikt", result="ladder_omhoog", satisfaction=11)
    response = login(world.users["aanbieder"]).post(
        reverse("referrals:trajectory-end", args=[trajectory.pk]),
        {"end_on": today.isoformat(), "reason": "doel_bereikt", "result": "ladder_omhoog", "satisfaction": "0"})
    assert "Vul een heel getal van 1 tot en met 10 in." in response.content.decode()
    other = accepted(world, setup, client=world.teammate)
    api = api_login(world.users["aanbieder"])
    answer = api.post(reverse("api:trajectory-end", args=[other.pk]),
                      {"end_on": today.isoformat(), "reason": "doel_bereikt", "result": "ladder_omhoog",
                       "satisfaction": 8})
    assert answer.status_code == 200, answer.content
    assert answer.json()["satisfaction"] == 8
    login(world.users["aanbieder"]).post(
        reverse("referrals:trajectory-end", args=[trajectory.pk]),
        {"end_on": today.isoformat(), "reason": "doel_bereikt", "result": "ladder_omhoog", "satisfaction": "7"})
    trajectory.refresh_from_db()
    assert trajectory.satisfaction == 7 and trajectory.end_on == today
