"""Employers, vacancies, consent, proposals, placements and two-way matching against the database: consent gating
(anonymous without, named with), scope, access records, query counts, Dutch errors, the API, the command and stats."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from kansrijk.audit.models import AccessLog
from kansrijk.caseload.tests.factories import BenefitSpellFactory, ClientFactory
from kansrijk.diagnosis.models import Intake, LadderMeasurement, LadderStep
from kansrijk.matching.employers import selectors, services
from kansrijk.matching.models import (
    Employer,
    JobSeekerProfile,
    MatchProposal,
    ProfileConsent,
    ProposalStatus,
    Vacancy,
    VacancyStatus,
)

TODAY = timezone.localdate()


@pytest.fixture
def employer(world):
    return Employer.objects.create(municipality=world.muni, name="Zorggroep De Linde", sector="zorg_welzijn",
                                   place="Voorbeeldstad", postcode="8331 AB")


@pytest.fixture
def vacancy(world, employer):
    return services.save_vacancy(by=world.users["werkgeversdienstverlener"], data={
        "employer": employer, "title": "Helpende zorg", "sector": "zorg_welzijn", "hours_min": 16, "hours_max": 32,
        "postcode": "8331", "opens_on": TODAY - timedelta(days=2)}, instruments=["jobcoach"])


def diagnose(client, by, *, trede=4, hours=32, wishes="Werken in de zorg"):
    # On benefit now: the import keeps this date; the factories do not.
    type(client).objects.filter(pk=client.pk).update(active_spell_start=TODAY - timedelta(days=900))
    step = LadderStep.objects.filter(municipality__isnull=True, trede=trede).first()
    LadderMeasurement.objects.create(client=client, measured_on=TODAY, measured_by=by, trede=trede, step=step)
    Intake.objects.create(client=client, measured_on=TODAY, measured_by=by, hours_per_week=hours, wishes=wishes,
                          dutch_speaking="B1", driving_licence=True)
    JobSeekerProfile.objects.create(client=client, desired_occupations="Helpende", home_postcode="8331 CD")


@pytest.fixture
def seekers(world):
    km = world.users["klantmanager"]
    diagnose(world.own, km)
    diagnose(world.teammate, km)
    diagnose(world.other_team_client, km)
    return [world.own, world.teammate, world.other_team_client]


def consent(world, client):
    return services.record_consent(by=world.users["klantmanager"] if client.client_manager_id ==
                                   world.users["klantmanager"].pk else world.colleague, client=client,
                                   consented_on=TODAY, how="mondeling")


# --- Consent gating -------------------------------------------------------------------------------------------------


def test_employer_team_sees_only_codes_without_consent_and_no_access_record(world, vacancy, seekers):
    wdv = world.users["werkgeversdienstverlener"]
    rows = selectors.candidates_for_vacancy(wdv, vacancy)
    assert {r.match.seeker.client_id for r in rows} == {c.pk for c in seekers}
    assert all(r.client is None for r in rows)
    assert all(r.code.startswith("K-") and r.code not in (str(c.pk), c.client_number) for r in rows for c in seekers)
    assert not AccessLog.objects.filter(user=wdv).exists()


def test_consent_of_client_and_manager_names_the_candidate_and_logs_it(world, vacancy, seekers):
    wdv = world.users["werkgeversdienstverlener"]
    consent(world, world.own)
    rows = {r.match.seeker.client_id: r for r in selectors.candidates_for_vacancy(wdv, vacancy)}
    assert rows[world.own.pk].client == world.own and rows[world.own.pk].consented
    assert rows[world.teammate.pk].client is None
    assert list(AccessLog.objects.filter(user=wdv).values_list("client_id", flat=True)) == [world.own.pk]


def test_withdrawn_consent_makes_the_candidate_anonymous_again(world, vacancy, seekers):
    wdv = world.users["werkgeversdienstverlener"]
    consent(world, world.own)
    services.withdraw_consent(by=world.users["klantmanager"], client=world.own, note="Op verzoek van de cliënt")
    rows = selectors.candidates_for_vacancy(wdv, vacancy)
    assert all(r.client is None for r in rows)
    assert ProfileConsent.objects.filter(client=world.own).count() == 1  # history kept


def test_vacancy_page_and_csv_show_no_name_without_consent(world, vacancy, seekers, login):
    client = login(world.users["werkgeversdienstverlener"])
    page = client.get(reverse("employers:vacancy-detail", args=[vacancy.pk])).content.decode()
    export = client.get(reverse("employers:matching-list-export")).content.decode()
    for text in (page, export):
        assert "Jansen" not in text and "5001" not in text
    assert selectors.anonymous_code(vacancy.pk, world.own.pk) in page
    consent(world, world.own)
    assert "Jansen" in client.get(reverse("employers:vacancy-detail", args=[vacancy.pk])).content.decode()


def test_client_manager_sees_own_clients_named_others_anonymous(world, vacancy, seekers):
    rows = {r.match.seeker.client_id: r for r in
            selectors.candidates_for_vacancy(world.users["klantmanager"], vacancy)}
    assert rows[world.own.pk].client is not None
    assert rows[world.teammate.pk].client is None and rows[world.other_team_client.pk].client is None
    lead = {r.match.seeker.client_id: r for r in selectors.candidates_for_vacancy(world.users["teamleider"], vacancy)}
    assert lead[world.teammate.pk].client is not None and lead[world.other_team_client.pk].client is None


def test_codes_differ_per_vacancy(world, employer, vacancy):
    other = Vacancy.objects.create(municipality=world.muni, employer=employer, title="Schoonmaker")
    assert selectors.anonymous_code(vacancy.pk, world.own.pk) != selectors.anonymous_code(other.pk, world.own.pk)


def test_candidate_pool_prefilters_in_sql(world, vacancy, seekers):
    km = world.users["klantmanager"]
    low = ClientFactory(municipality=world.muni, team=world.team, client_manager=km, client_number="6001")
    BenefitSpellFactory(client=low)
    diagnose(low, km, trede=2)
    few_hours = ClientFactory(municipality=world.muni, team=world.team, client_manager=km, client_number="6002")
    BenefitSpellFactory(client=few_hours)
    diagnose(few_hours, km, hours=8)
    ids = {row["id"] for row, _f in selectors.candidate_pool(world.muni.pk, today=TODAY, hours_min=16)}
    assert world.own.pk in ids and low.pk not in ids and few_hours.pk not in ids
    assert world.other_muni_client.pk not in ids


def test_candidate_list_runs_a_fixed_number_of_queries(world, vacancy, seekers, django_assert_max_num_queries):
    km = world.users["klantmanager"]
    for number in range(20):
        extra = ClientFactory(municipality=world.muni, team=world.team, client_manager=km,
                              client_number=f"70{number:02d}")
        BenefitSpellFactory(client=extra)
        diagnose(extra, km)
    wdv = world.users["werkgeversdienstverlener"]
    with django_assert_max_num_queries(6):
        selectors.candidates_for_vacancy(wdv, vacancy)
    with django_assert_max_num_queries(12):
        selectors.candidates_for_vacancy(km, vacancy)  # names: clients, access records


def test_vacancies_for_client_with_factors(world, vacancy, seekers, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        matches = selectors.vacancies_for_client(world.users["klantmanager"], world.own)
    assert matches[0].vacancy.vacancy_id == vacancy.pk and matches[0].possible
    assert any(f.code == "wens" for f in matches[0].reasons)
    with pytest.raises(PermissionDenied):
        selectors.vacancies_for_client(world.users["werkgeversdienstverlener"], world.own)


def test_special_categories_and_sex_do_not_change_candidates(world, vacancy, seekers):
    before = [(r.match.seeker.client_id, r.match.score) for r in
              selectors.candidates_for_vacancy(world.users["werkgeversdienstverlener"], vacancy)]
    type(world.own).objects.filter(pk=world.own.pk).update(sex="M" if world.own.sex != "M" else "V")
    world.own.special_categories.health = "Zware rugklachten"
    world.own.special_categories.migration_background = "westers"
    world.own.special_categories.save()
    after = [(r.match.seeker.client_id, r.match.score) for r in
             selectors.candidates_for_vacancy(world.users["werkgeversdienstverlener"], vacancy)]
    assert before == after


# --- Proposals ------------------------------------------------------------------------------------------------------


def test_putting_forward_without_consent_is_refused_in_dutch(world, vacancy, seekers):
    with pytest.raises(ValidationError) as exc:
        services.propose(by=world.users["klantmanager"], vacancy=vacancy, client=world.own, status="voorgedragen")
    assert "toestemming" in exc.value.message_dict["status"][0]
    proposal = services.propose(by=world.users["klantmanager"], vacancy=vacancy, client=world.own)
    with pytest.raises(ValidationError):
        services.advance_proposal(by=world.users["klantmanager"], proposal=proposal, status="voorgedragen")
    consent(world, world.own)
    services.advance_proposal(by=world.users["werkgeversdienstverlener"], proposal=proposal, status="voorgedragen")
    with pytest.raises(ValidationError) as exc:
        services.advance_proposal(by=world.users["klantmanager"], proposal=proposal, status="afgewezen")
    assert exc.value.message_dict["reason"] == ["Geef de reden van de afwijzing."]
    services.advance_proposal(by=world.users["klantmanager"], proposal=proposal, status="afgewezen",
                              reason="Werkgever koos een ander")
    proposal.refresh_from_db()
    assert [s["status"] for s in proposal.history] == ["voorgesteld", "voorgedragen", "afgewezen"]
    assert proposal.explanation["status"] == "mogelijk" and proposal.explanation["reasons"]


def test_employer_team_suggests_an_anonymous_candidate_by_code(world, vacancy, seekers, login):
    client = login(world.users["werkgeversdienstverlener"])
    code = selectors.anonymous_code(vacancy.pk, world.teammate.pk)
    client.post(reverse("employers:vacancy-propose", args=[vacancy.pk]), {"code": code, "status": "voorgesteld"})
    assert MatchProposal.objects.filter(client=world.teammate, vacancy=vacancy, status="voorgesteld").exists()
    client.post(reverse("employers:vacancy-propose", args=[vacancy.pk]), {"code": "K-00000000",
                                                                          "status": "voorgesteld"})
    assert MatchProposal.objects.count() == 1


def test_a_proposal_made_at_the_same_moment_is_refused_in_dutch(world, vacancy, seekers, monkeypatch):
    services.propose(by=world.users["klantmanager"], vacancy=vacancy, client=world.own)
    # The other proposal's check ran before this one was saved: the unique constraint decides, not a crash.
    with monkeypatch.context() as patched:
        patched.setattr(services.MatchProposal.objects, "filter", lambda **kwargs: MatchProposal.objects.none())
        with pytest.raises(ValidationError) as exc:
            services.propose(by=world.users["klantmanager"], vacancy=vacancy, client=world.own)
    assert exc.value.message_dict == {"client": ["Deze kandidaat is al voorgesteld voor deze vacature."]}
    assert MatchProposal.objects.filter(client=world.own, vacancy=vacancy).count() == 1


def test_client_manager_cannot_propose_a_client_outside_scope(world, vacancy, seekers):
    with pytest.raises(PermissionDenied):
        services.propose(by=world.users["klantmanager"], vacancy=vacancy, client=world.other_team_client)


# --- Vacancies, employers, placements -------------------------------------------------------------------------------


def test_vacancy_validation_in_dutch(world, employer):
    wdv = world.users["werkgeversdienstverlener"]
    with pytest.raises(ValidationError) as exc:
        services.save_vacancy(by=wdv, data={"employer": employer, "title": "X", "hours_min": 30, "hours_max": 20,
                                            "opens_on": TODAY, "closes_on": TODAY - timedelta(days=1),
                                            "postcode": "abc"}, instruments=[])
    errors = exc.value.message_dict
    assert errors["hours_max"] == ["Het maximum aantal uren moet minstens zo groot zijn als het minimum."]
    assert errors["closes_on"] == ["De sluitingsdatum kan niet voor de openingsdatum liggen."]
    assert "postcode" in errors
    with pytest.raises(PermissionDenied):
        services.save_vacancy(by=world.users["klantmanager"], data={"employer": employer, "title": "X"},
                              instruments=[])


def test_vacancy_form_shows_dutch_errors(world, employer, login):
    client = login(world.users["werkgeversdienstverlener"])
    response = client.post(reverse("employers:vacancy-new"), {
        "employer": employer.pk, "title": "Kok", "hours_min": 30, "hours_max": 10, "places": 1,
        "opens_on": TODAY.isoformat()})
    assert response.status_code == 400
    assert "Het maximum aantal uren moet minstens zo groot zijn als het minimum." in response.content.decode()
    response = client.post(reverse("employers:vacancy-new"), {
        "employer": employer.pk, "title": "Kok", "hours_min": 20, "hours_max": 30, "places": 1,
        "opens_on": TODAY.isoformat(), "instruments": ["jobcoach", "proefplaatsing"]})
    vacancy = Vacancy.objects.get(title="Kok")
    assert response.status_code == 302
    assert sorted(vacancy.instruments.values_list("instrument", flat=True)) == ["jobcoach", "proefplaatsing"]


def test_employer_of_another_municipality_does_not_exist(world, login):
    other = Employer.objects.create(municipality=world.other_muni, name="Elders B.V.")
    client = login(world.users["werkgeversdienstverlener"])
    assert client.get(reverse("employers:employer-detail", args=[other.pk])).status_code == 404
    assert "Elders" not in client.get(reverse("employers:employer-list")).content.decode()


def test_placement_needs_loonwaarde_with_loonkostensubsidie_and_fills_the_vacancy(world, employer, vacancy):
    km = world.users["klantmanager"]
    with pytest.raises(ValidationError) as exc:
        services.record_placement(by=km, client=world.own, employer=employer, vacancy=vacancy, kind="tijdelijk",
                                  started_on=TODAY, instruments=["loonkostensubsidie"])
    assert exc.value.message_dict["loonwaarde_pct"] == [
        "Vul de vastgestelde loonwaarde in: die is verplicht bij loonkostensubsidie."]
    placement = services.record_placement(by=km, client=world.own, employer=employer, vacancy=vacancy,
                                          kind="tijdelijk", started_on=TODAY, instruments=["loonkostensubsidie"],
                                          loonwaarde_pct=60)
    vacancy.refresh_from_db()
    assert vacancy.status == VacancyStatus.VERVULD
    with pytest.raises(ValidationError):
        services.end_placement(by=km, placement=placement, ended_on=TODAY, reason="")
    services.end_placement(by=km, placement=placement, ended_on=TODAY, reason="Vaste baan elders")


def test_consent_form_asks_for_both_consents(world, login):
    client = login(world.users["klantmanager"])
    response = client.post(reverse("matching:consent", args=[world.own.pk]), {
        "client_consented_on": TODAY.isoformat(), "client_consent_how": "mondeling"})
    assert response.status_code == 400
    assert "Geef ook uw eigen akkoord als klantmanager." in response.content.decode()
    response = client.post(reverse("matching:consent", args=[world.own.pk]), {
        "client_consented_on": TODAY.isoformat(), "client_consent_how": "mondeling", "manager_agrees": "on"})
    assert response.status_code == 302 and selectors.active_consent(world.own) is not None


def test_job_seeker_page_logs_access(world, login):
    client = login(world.users["teamleider"])
    assert client.get(reverse("matching:job-seeker", args=[world.own.pk])).status_code == 200
    assert AccessLog.objects.filter(user=world.users["teamleider"], view="werkzoekende").count() == 1


# --- Weekly list, API, command, stats -------------------------------------------------------------------------------


def test_matching_list_new_vacancies_first(world, employer, vacancy, seekers):
    old = Vacancy.objects.create(municipality=world.muni, employer=employer, title="Schoonmaker",
                                 opens_on=TODAY - timedelta(days=40))
    year, week, _day = TODAY.isocalendar()
    result = selectors.matching_list(world.users["werkgeversdienstverlener"], world.muni.pk, year, week)
    titles = [item.vacancy.title for item in result.vacancies]
    new_first = [item.new for item in result.vacancies]
    assert set(titles) == {"Helpende zorg", "Schoonmaker"} and old.pk
    assert new_first == sorted(new_first, reverse=True)
    assert selectors.parse_week("2026-W07") == (2026, 7) and selectors.parse_week("2026-W60") is None


def test_matching_list_command_is_anonymous(world, vacancy, seekers):
    out = StringIO()
    call_command("matching_list", "--json", "--gemeente", "9999", stdout=out)
    data = json.loads(out.getvalue())
    assert data["vacancies"][0]["title"] == "Helpende zorg"
    assert "Jansen" not in out.getvalue() and data["vacancies"][0]["candidates"][0]["code"].startswith("K-")


def test_api_candidates_and_proposal_without_consent(world, vacancy, seekers, api_login):
    api = api_login(world.users["werkgeversdienstverlener"])
    rows = api.get(reverse("api:vacancy-candidates", args=[vacancy.pk])).json()
    assert all(r["client"] is None and r["name"] == "" for r in rows)
    response = api.post(reverse("api:match-proposal-list"), {"vacancy": vacancy.pk, "code": rows[0]["code"],
                                                             "status": "voorgedragen"})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "status"


def test_api_vacancy_create_with_problem_details(world, employer, api_login):
    api = api_login(world.users["werkgeversdienstverlener"])
    response = api.post(reverse("api:vacancy-list"), {"employer": employer.pk, "title": "Kok", "hours_min": 30,
                                                      "hours_max": 10})
    assert response.status_code == 400
    assert response.json()["invalidParams"][0]["name"] == "hours_max"
    response = api.post(reverse("api:vacancy-list"), {"employer": employer.pk, "title": "Kok", "hours_min": 10,
                                                      "instruments": ["proefplaatsing"]})
    assert response.status_code == 201 and response.json()["instruments"] == ["proefplaatsing"]
    assert api_login(world.users["klantmanager"]).post(reverse("api:vacancy-list"), {
        "employer": employer.pk, "title": "Kok"}).status_code == 403


def test_api_consent_and_placement(world, employer, api_login):
    api = api_login(world.users["klantmanager"])
    url = reverse("api:client-consents-list", kwargs={"client_pk": world.own.pk})
    assert api.post(url, {"client_consented_on": str(TODAY), "client_consent_how": "digitaal",
                          "manager_agrees": False}).status_code == 400
    assert api.post(url, {"client_consented_on": str(TODAY), "client_consent_how": "digitaal",
                          "manager_agrees": True}).status_code == 201
    url = reverse("api:client-placements-list", kwargs={"client_pk": world.own.pk})
    response = api.post(url, {"employer": employer.pk, "kind": "vast", "started_on": str(TODAY),
                              "instruments": ["loonkostensubsidie"]})
    assert response.status_code == 400 and response.json()["invalidParams"][0]["name"] == "loonwaarde_pct"
    assert api.post(url, {"employer": employer.pk, "kind": "vast", "started_on": str(TODAY),
                          "instruments": ["loonkostensubsidie"], "loonwaarde_pct": 70}).status_code == 201


def test_stats_count_employers_and_vacancies(world, vacancy):
    out = StringIO()
    call_command("stats", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["employers"] == 1 and data["vacancies"] == 1 and data["placements"] == 0


@pytest.mark.django_db
def test_demo_writes_consistent_employer_data(world):
    from kansrijk.matching.employers.synthetic import write_demo_employers
    written = write_demo_employers(world.muni, seed=1, today=date(2026, 3, 2))
    assert written["employers"] == 60 and written["vacancies"] == 150
    assert write_demo_employers(world.muni) is None
    # Every proposal past "voorgesteld" (other than turned down) has consent behind it.
    shared = MatchProposal.objects.filter(status__in=[ProposalStatus.VOORGEDRAGEN, ProposalStatus.GESPREK])
    assert not shared.exclude(client__profile_consents__withdrawn_at__isnull=True).exists()


def test_proposal_list_names_and_logs_in_bulk(world, employer, seekers, api_login, django_assert_max_num_queries):
    km = world.users["klantmanager"]
    vacancies = [Vacancy.objects.create(municipality=world.muni, employer=employer, title=f"Functie {n}")
                 for n in range(5)]
    for v in vacancies:
        services.propose(by=km, vacancy=v, client=world.own)
        services.propose(by=world.colleague, vacancy=v, client=world.teammate)
    api = api_login(km)
    with django_assert_max_num_queries(12):
        data = api.get(reverse("api:match-proposal-list")).json()["results"]
    assert {r["client"] for r in data} == {world.own.pk, None}
    assert AccessLog.objects.filter(user=km, view="api_voorstellen").count() == 5
