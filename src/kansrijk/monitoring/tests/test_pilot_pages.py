"""Pilot evaluation through the database: the rule for participants, the FIP design on demo-like data at smaller
scale, the pages (roles, query counts, suppression), the API, the command and the demo generator."""

import io
import json
import random
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse

from kansrijk.caseload.models import BenefitSpell, Client
from kansrijk.catalogue.tests.factories import approach
from kansrijk.monitoring.pilots import selectors, services
from kansrijk.monitoring.pilots.analysis import EvaluationError
from kansrijk.monitoring.pilots.models import Pilot, PilotEvaluation, PilotParticipant
from kansrijk.trajectories.models import Provider, Referral, Trajectory

START = date(2023, 7, 1)


def build(world, *, participants=60, others=240, seed=1, effect=0.2, prefix="9", slugs=("fip-test", "werkfit-test")):
    """Clients with a running benefit at START; ``participants`` of them with an accepted trajectory of the pilot's
    approach in the period (younger more often); outflow within 12 months more likely for participants."""
    rng = random.Random(seed)
    fip = approach(name="FIP", slug=slugs[0])
    other = approach(name="Werkfit", slug=slugs[1])
    provider = Provider.objects.create(name=f"Brug {prefix}")
    clients = [Client(municipality=world.muni, client_number=f"{prefix}{i:05d}", birth_year=rng.randint(1960, 2000),
                      sex=rng.choice("MV"), household=rng.choice(["Alleenstaand", "Gehuwd"]), team=world.team)
               for i in range(participants + others)]
    Client.objects.bulk_create(clients)
    spells = []
    for index, client in enumerate(clients):
        taking_part = index < participants
        ended = rng.random() < (0.2 + (effect if taking_part else 0))
        end = START + timedelta(days=rng.randint(30, 360)) if ended else None
        reason = rng.choice(["Werkaanvaarding", "Verhuizing"]) if ended else ""
        spells.append(BenefitSpell(client=client, municipality=world.muni, original_start=date(2019, 1, 1),
                                   first_period_start=date(2019, 1, 1), last_period_start=date(2019, 1, 1),
                                   end_date=end, end_reason=reason))
    BenefitSpell.objects.bulk_create(spells)
    referrals = [Referral(client=client, approach=fip if index < participants else other, provider=provider,
                          referred_by=world.users["klantmanager"], referred_on=START, question="?",
                          status="geaccepteerd")
                 for index, client in enumerate(clients[:participants + 5])]
    Referral.objects.bulk_create(referrals)
    Trajectory.objects.bulk_create(
        Trajectory(referral=r, client_id=r.client_id, provider=provider, srg_provision="overige",
                   accepted_on=START + timedelta(days=20)) for r in referrals)
    return fip, clients


def pilot_of(world, fip, **extra):
    return services.create_pilot(municipality=world.muni, by=world.users["beleidsmedewerker"], approach=fip,
                                 name="FIP-pilot", starts_on=START, ends_on=START + timedelta(days=60), **extra)


def test_participants_follow_the_rule_and_are_matched_to_distinct_non_participants(world):
    fip, clients = build(world)
    # A trajectory of the approach after the period: neither participant nor comparison.
    late = Referral.objects.create(client=clients[-1], approach=fip, provider=Provider.objects.first(),
                                   referred_by=world.users["klantmanager"], referred_on=START, question="?")
    Trajectory.objects.create(referral=late, client=clients[-1], provider=late.provider, srg_provision="overige",
                              accepted_on=START + timedelta(days=200))
    pilot = pilot_of(world, fip)
    evaluation = services.evaluate_pilot(pilot=pilot, by=world.users["beleidsmedewerker"])
    groups = evaluation.results["groepen"]
    assert groups["deelnemers_regel"] == groups["deelnemers"] == 60
    assert groups["kandidaten"] == 240 - 1 + 3  # the late one out; world's own clients have running spells too
    rows = list(PilotParticipant.objects.filter(pilot=pilot))
    assert {r.client_id for r in rows} == {c.pk for c in clients[:60]}
    matched = [r.matched_with_id for r in rows if r.matched_with_id]
    assert len(matched) == len(set(matched)) == groups["paren"] >= 50
    assert not set(matched) & {c.pk for c in clients[:60]} and clients[-1].pk not in matched
    pilot.refresh_from_db()
    assert pilot.status == "geevalueerd"
    assert evaluation.parameters["kenmerken"][:2] == ["age_class", "sex"]


def test_the_fip_design_is_reproduced_at_smaller_scale(world):
    """FIP: participants against as many comparable non-participants, ended benefits compared (seed 000 L778-780,
    L823). Built-in effect of 20 points; the estimate and its interval must find it."""
    fip, _clients = build(world, participants=100, others=400, effect=0.25)
    results = services.evaluate_pilot(pilot=pilot_of(world, fip)).results
    assert results["groepen"]["paren"] >= 90
    outflow = results["effecten"]["uitstroom"]
    assert outflow["n_deelnemers"] == outflow["n_vergelijking"] == results["groepen"]["paren"]
    assert outflow["ci_laag"] > 0 and outflow["ci_laag"] < outflow["verschil"] < outflow["ci_hoog"]
    assert results["effectladder"]["niveau"] == 3


def test_no_evaluation_before_twelve_months(world):
    fip, _clients = build(world, participants=12, others=30)
    pilot = services.create_pilot(municipality=world.muni, by=world.users["teamleider"], approach=fip, name="Nu",
                                  starts_on=date.today() - timedelta(days=30), ends_on=date.today())
    with pytest.raises(EvaluationError, match="evalueer deze pilot vanaf"):
        services.evaluate_pilot(pilot=pilot)
    assert not PilotEvaluation.objects.exists()


def test_evaluation_reads_a_constant_number_of_queries(world, django_assert_max_num_queries):
    fip, _clients = build(world, participants=20, others=60)
    pilot = pilot_of(world, fip)
    with django_assert_max_num_queries(6):
        selectors.pilot_frame(pilot)
    build(world, participants=40, others=100, seed=2, prefix="7", slugs=("a-test", "b-test"))  # more data
    with django_assert_max_num_queries(6):
        selectors.pilot_frame(pilot)


@pytest.fixture
def evaluated(world):
    fip, _clients = build(world)
    pilot = pilot_of(world, fip)
    services.evaluate_pilot(pilot=pilot)
    return pilot


def test_pages_show_aggregates_and_suppress_small_cells(world, login, evaluated):
    client = login(world.users["beleidsmedewerker"])
    page = client.get(reverse("monitoring:pilot-detail", args=[evaluated.pk])).content.decode()
    assert "Kanttekeningen" in page and "95%-betrouwbaarheidsinterval" in page
    assert "Balans van de kenmerken" in page and "&lt;10" in page  # the world's 3 extra clients: a small cell
    for client_obj in Client.objects.filter(municipality=world.muni)[:20]:
        assert client_obj.client_number not in page
    assert reverse("catalogue:assess", args=[evaluated.approach.slug]) in page
    lead_page = login(world.users["teamleider"]).get(reverse("monitoring:pilot-detail", args=[evaluated.pk]))
    assert reverse("catalogue:assess", args=[evaluated.approach.slug]) not in lead_page.content.decode()
    export = client.get(reverse("monitoring:pilot-export", args=[evaluated.pk]), {"tabel": "balans"})
    assert export.status_code == 200 and "<10" in export.content.decode("utf-8-sig")


def test_the_list_page_has_a_constant_number_of_queries(world, login, evaluated, django_assert_max_num_queries):
    client = login(world.users["beleidsmedewerker"])
    client.get(reverse("monitoring:pilot-list"))
    with django_assert_max_num_queries(8) as one:
        client.get(reverse("monitoring:pilot-list"))
    for number in range(5):
        pilot_of(world, evaluated.approach, description=str(number))
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert client.get(reverse("monitoring:pilot-list")).status_code == 200


def test_defining_a_pilot_explains_mistakes_in_dutch(world, login):
    fip = approach(name="FIP", slug="fip-test")
    client = login(world.users["teamleider"])
    response = client.post(reverse("monitoring:pilot-create"), {
        "name": "Pilot", "approach": fip.pk, "starts_on": "2024-05-01", "ends_on": "2024-04-01"})
    assert response.status_code == 200
    assert "Het einde van de instroomperiode ligt vóór de start." in response.content.decode()
    assert not Pilot.objects.exists()
    response = client.post(reverse("monitoring:pilot-create"), {
        "name": "Pilot", "approach": fip.pk, "starts_on": "2024-05-01", "ends_on": "2024-07-01"})
    pilot = Pilot.objects.get()
    assert response.status_code == 302 and pilot.created_by == world.users["teamleider"]


def test_evaluate_button_runs_the_evaluation_or_says_why_not(world, login):
    fip, _clients = build(world)
    pilot = pilot_of(world, fip)
    client = login(world.users["beheerder"])
    response = client.post(reverse("monitoring:pilot-evaluate", args=[pilot.pk]), follow=True)
    assert PilotEvaluation.objects.filter(pilot=pilot).count() == 1
    assert "De evaluatie is uitgevoerd." in response.content.decode()


def test_another_municipalitys_pilot_is_not_found(world, login, api_login, evaluated):
    evaluated.municipality = world.other_muni
    evaluated.save()
    assert login(world.users["beleidsmedewerker"]).get(
        reverse("monitoring:pilot-detail", args=[evaluated.pk])).status_code == 404
    assert api_login(world.users["beleidsmedewerker"]).get(
        reverse("api:monitoring-pilot-detail", args=[evaluated.pk])).status_code == 404


def test_api_defines_and_evaluates_a_pilot(world, api_login):
    fip, _clients = build(world)
    api = api_login(world.users["beleidsmedewerker"])
    bad = api.post(reverse("api:monitoring-pilots"), {"aanpak": "bestaat-niet", "name": "X",
                                                      "starts_on": "2023-07-01", "ends_on": "2023-06-01"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"aanpak"}
    bad = api.post(reverse("api:monitoring-pilots"), {"aanpak": fip.slug, "name": "X",
                                                      "starts_on": "2023-07-01", "ends_on": "2023-06-01"})
    assert {p["name"] for p in bad.json()["invalidParams"]} == {"ends_on"}
    created = api.post(reverse("api:monitoring-pilots"), {"aanpak": fip.slug, "name": "FIP", "starts_on": "2023-07-01",
                                                          "ends_on": "2023-08-31"})
    assert created.status_code == 201
    pk = created.json()["id"]
    evaluation = api.post(reverse("api:monitoring-pilot-evaluate", args=[pk]))
    assert evaluation.status_code == 201
    body = evaluation.json()["results"]
    assert body["effecten"]["uitstroom"]["methode"] == "newcombe"
    assert body["kanttekeningen"][0]["tekst"].startswith("Dit is geen experiment")
    assert len(api.get(reverse("api:monitoring-pilot-evaluations", args=[pk])).json()) == 1
    assert [p["id"] for p in api.get(reverse("api:monitoring-pilots")).json()] == [pk]


def test_command_prints_the_evaluation_as_json(world, evaluated):
    out = io.StringIO()
    call_command("evaluate_pilot", str(evaluated.pk), "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["pilot"] == evaluated.pk and data["groepen"]["deelnemers"] == 60
    assert {"uitstroom", "uitstroom_werk", "trede"} == set(data["effecten"])
    assert "client_id" not in out.getvalue()


def test_demo_pilot_builds_an_fip_like_design(world):
    """The demo generator on a small caseload: participants by rule from one approach in two months."""
    from kansrijk.diagnosis.models import LadderStep
    from kansrijk.monitoring.pilots.synthetic import APPROACH_SLUG, write_demo_pilot

    for trede in range(1, 7):
        LadderStep.objects.get_or_create(municipality=None, code=str(trede), defaults={"trede": trede,
                                                                                        "name": f"Trede {trede}"})
    approach(name="FIP", slug=APPROACH_SLUG)
    Provider.objects.create(name="Re-integratiebureau De Brug")
    today = date(2025, 9, 15)
    rng = random.Random(4)
    clients = [Client(municipality=world.muni, client_number=f"8{i:05d}", birth_year=rng.randint(1960, 2000),
                      sex="V", team=world.team, client_manager=world.users["klantmanager"]) for i in range(400)]
    Client.objects.bulk_create(clients)
    BenefitSpell.objects.bulk_create(
        BenefitSpell(client=c, municipality=world.muni, original_start=date(2018, 1, 1),
                     first_period_start=date(2018, 1, 1), last_period_start=date(2018, 1, 1),
                     end_date=date(2024, 3, 1) if i % 5 == 0 else None, end_reason="Verhuizing" if i % 5 == 0 else "")
        for i, c in enumerate(clients))
    written = write_demo_pilot(world.muni, by=world.users["beleidsmedewerker"], today=today)
    pilot = written["pilot"]
    assert pilot.starts_on == date(2023, 9, 1) and written["participants"] == 402 // 3  # with the world's 2
    assert write_demo_pilot(world.muni, by=world.users["beleidsmedewerker"], today=today) is None
    frame, by_rule = selectors.pilot_frame(pilot)
    assert len(by_rule) == 134 and int(frame["participant"].sum()) == 134
    assert frame["ladder_change"].notna().sum() > 100
