"""VUM export and import: what leaves (only with consent, never special categories, always logged), that it conforms,
that it comes back the same, and that a wrong document writes nothing."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kansrijk.audit.models import AccessLog
from kansrijk.caseload.tests.factories import ClientFactory
from kansrijk.diagnosis.models import Intake, IntakeSpecialCategories
from kansrijk.matching.models import Employer, JobSeekerProfile, ProfileConsent, Vacancy, VacancyStatus
from kansrijk.matching.vum import documents, profiles, services
from kansrijk.matching.vum.documents import read_document
from kansrijk.matching.vum.schemas import VACATURES, WERKZOEKENDEN, validate_item

PROFILE_FIELDS = ("desired_occupations", "desired_sectors", "home_postcode", "max_travel_minutes", "available_from",
                  "summary")
VACANCY_FIELDS = ("title", "description", "occupation", "occupation_code", "sector", "hours_min", "hours_max",
                  "postcode", "place", "education_min", "dutch_min", "driving_licence_required", "banenafspraak",
                  "closes_on")


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def consent(client, by, *, withdrawn=False):
    return ProfileConsent.objects.create(client=client, client_consented_on=date(2026, 1, 5),
                                         client_consent_how="schriftelijk", manager_consented_by=by,
                                         withdrawn_at=timezone.now() if withdrawn else None)


def job_seeker(client, by, **values):
    defaults = {"desired_occupations": "Kok\nMedewerker bediening", "desired_sectors": ["horeca", "zorg_welzijn"],
                "home_postcode": "4622AB", "max_travel_minutes": 45, "available_from": date(2026, 3, 1),
                "summary": "Ik kook graag voor grote groepen."}
    defaults.update(values)
    consent(client, by)
    return JobSeekerProfile.objects.create(client=client, **defaults)


def intake(client, by, **values):
    defaults = {"education": "mbo", "dutch_speaking": "B1", "dutch_listening": "B2", "dutch_reading": "A2",
                "dutch_writing": "A1", "driving_licence": True, "hours_per_week": 24, "transport": "fiets",
                "work_experience": "Tien jaar keukenhulp in een verpleeghuis.", "wishes": "Geheime wens",
                "note": "Notitie voor het gesprek"}
    defaults.update(values)
    record = Intake.objects.create(client=client, measured_by=by, measured_on=date(2026, 2, 1), **defaults)
    IntakeSpecialCategories.objects.create(intake=record, physical_health="Hernia", mental_health="Depressie",
                                           addiction="Gokverslaving")
    return record


def vacancy(world, n=1, **values):
    employer = values.pop("employer", None) or Employer.objects.create(
        municipality=world.muni, name=f"Bakkerij {n}", sector="horeca", postcode="4622 AB", place="Bergen op Zoom",
        address="Markt 1", website="https://bakkerij.example.nl")
    defaults = {"title": f"Bakker {n}", "description": "Brood bakken in de vroege ochtend.", "occupation": "Bakker",
                "occupation_code": "1234", "sector": "horeca", "hours_min": 20, "hours_max": 32, "postcode": "4611AA",
                "place": "Bergen op Zoom", "education_min": "vmbo", "dutch_min": "B1", "driving_licence_required": True,
                "banenafspraak": True, "closes_on": date.today() + timedelta(days=30)}
    defaults.update(values)
    return Vacancy.objects.create(municipality=world.muni, employer=employer, **defaults)


def as_bytes(document) -> bytes:
    return json.dumps(document).encode()


# --- Profiles export -------------------------------------------------------------------------------------------------


def test_profiles_leave_only_with_active_consent(world):
    manager = world.users["klantmanager"]
    job_seeker(world.own, manager)
    withdrawn = ClientFactory(municipality=world.muni, team=world.team, client_number="5010")
    consent(withdrawn, manager, withdrawn=True)
    JobSeekerProfile.objects.create(client=withdrawn, summary="Ingetrokken")
    JobSeekerProfile.objects.create(client=world.teammate, summary="Nooit toestemming")
    job_seeker(world.other_muni_client, manager)  # another municipality's client
    document = services.export_profiles(municipality=world.muni, user=world.users["werkgeversdienstverlener"])
    ids = [item["idWerkzoekende"] for item in document[WERKZOEKENDEN]]
    assert ids == [profiles.pseudonym("9999", "5001")]
    assert "Ingetrokken" not in json.dumps(document) and "Nooit toestemming" not in json.dumps(document)


def test_an_exported_profile_conforms_and_carries_the_work_related_data(world):
    manager = world.users["klantmanager"]
    job_seeker(world.own, manager)
    intake(world.own, manager)
    document = services.export_profiles(municipality=world.muni, user=world.users["beheerder"])
    assert (document["standaard"], document["soort"], document["versie"]) == ("VUM", WERKZOEKENDEN, "0.8.7")
    assert document["gemeente"] == {"cbsCode": "9999", "naam": "Voorbeeldstad"}
    [item] = document[WERKZOEKENDEN]
    assert validate_item(WERKZOEKENDEN, item, "") == []
    assert item["bemiddelingsberoep"] == [{"naamBeroepOngecodeerd": "Kok"},
                                          {"naamBeroepOngecodeerd": "Medewerker bediening"}]
    assert item["sector"] == [{"codeSbi": 56}, {"codeSbi": 86}]
    assert item["mobiliteit"] == {"bemiddelingspostcode": "4622AB", "maximaleReistijd": 45}
    assert item["flexibiliteit"] == {"datumAanvangBeschikbaarVoorWerk": "2026-03-01"}
    assert item["werktijden"] == {"aantalWerkurenPerWeekMaximaal": 24}
    assert item["vervoermiddel"] == [{"codeVervoermiddel": 3, "indicatieBeschikbaarVoorWoonWerkverkeer": 1}]
    assert item["arbeidsmarktkwalificatie"] == {
        "codeWerkEnDenkniveauWerkzoekende": 4,
        "taalbeheersing": [{"codeTaal": "nld", "codeNiveauTaalbeheersingMondeling": 3,
                            "codeNiveauTaalbeheersingSchriftelijk": 2, "codeNiveauTaalbeheersingLezen": 2,
                            "codeNiveauTaalbeheersingLuisteren": 3}],
        "rijbewijs": [{"codeSoortRijbewijs": "B"}],
        "werkervaring": [{"toelichtingWerkervaring": "Tien jaar keukenhulp in een verpleeghuis."}],
    }


def test_no_special_categories_or_identifying_data_leave(world):
    manager = world.users["klantmanager"]
    job_seeker(world.own, manager)
    intake(world.own, manager)
    text = documents.dumps(services.export_profiles(municipality=world.muni, user=world.users["beheerder"]))
    for secret in ("Rugklachten", "Alcohol", "niet_westers", "Hernia", "Depressie", "Gokverslaving", "Geheime wens",
                   "Notitie", "Anna", "Jansen", "111222333", '"5001"', "geslacht", "eisAanWerk",
                   "indicatieLdrRegistratie"):
        assert secret not in text


def test_the_pseudonym_is_stable_and_reveals_nothing(world, settings):
    first = profiles.pseudonym("9999", "5001")
    assert first == profiles.pseudonym("9999", "5001") and first.startswith("9999-") and "5001" not in first
    assert first != profiles.pseudonym("9998", "5001")
    settings.KANSRIJK_VUM_PSEUDONYM_KEY = "een-andere-sleutel"
    assert profiles.pseudonym("9999", "5001") != first


def test_every_exported_profile_leaves_an_access_record(world):
    manager = world.users["klantmanager"]
    job_seeker(world.own, manager)
    job_seeker(world.other_team_client, manager)
    exporter = world.users["werkgeversdienstverlener"]
    services.export_profiles(municipality=world.muni, user=exporter)
    records = AccessLog.objects.filter(user=exporter, view=services.EXPORT_ACCESS_VIEW)
    assert sorted(records.values_list("client_number", flat=True)) == ["5001", "5003"]


def test_the_profile_export_costs_the_same_queries_for_more_clients(world, django_assert_num_queries):
    manager, exporter = world.users["klantmanager"], world.users["beheerder"]
    job_seeker(world.own, manager)
    intake(world.own, manager)
    with CaptureQueriesContext(connection) as queries:
        services.export_profiles(municipality=world.muni, user=exporter)
    small = len(queries)
    assert small <= 6  # consented clients, intakes, and the access records (teams, clients, insert)
    for number in range(6000, 6012):
        client = ClientFactory(municipality=world.muni, team=world.team, client_number=str(number))
        job_seeker(client, manager)
        intake(client, manager)
    with django_assert_num_queries(small):
        services.export_profiles(municipality=world.muni, user=exporter)


# --- Vacancies export ------------------------------------------------------------------------------------------------


def test_open_vacancies_are_exported_conforming(world):
    open_one = vacancy(world, 1)
    vacancy(world, 2, status=VacancyStatus.VERVULD)
    document = services.export_vacancies(municipality=world.muni)
    [item] = document[VACATURES]
    assert validate_item(VACATURES, item, "") == []
    assert item == {
        "idVacature": f"kansrijk-9999-{open_one.pk}", "naamVacature": "Bakker 1",
        "omschrijvingVacature": "Brood bakken in de vroege ochtend.", "codeWerkEnDenkniveauMinimaal": "3",
        "opleiding": [{"codeNiveauOpleiding": 2}], "indicatieLdrRegistratie": 1,
        "sluitingsDatumVacature": open_one.closes_on.isoformat(),
        "werkgever": {
            "handelsnaamOrganisatie": "Bakkerij 1", "webadres": [{"codeWebadres": 3, "url": "https://bakkerij.example.nl"}],
            "adresHouding": [
                {"codeFunctieAdres": "V", "adres": {"adresNederland": {
                    "postcode": "4622AB", "woonplaatsnaam": "Bergen op Zoom", "locatieomschrijving": "Markt 1"}}},
                {"codeFunctieAdres": "E", "adres": {"adresNederland": {
                    "postcode": "4611AA", "woonplaatsnaam": "Bergen op Zoom"}}}],
            "sector": [{"codeSbi": 56}]},
        "sector": {"codeSbi": 56}, "beroep": {"codeBeroepsnaam": "1234", "omschrijvingBeroepsnaam": "Bakker"},
        "werktijden": {"aantalWerkurenPerWeekMinimaal": 20, "aantalWerkurenPerWeekMaximaal": 32},
        "rijbewijs": [{"codeSoortRijbewijs": "B"}],
        "taalbeheersing": [{"codeTaal": "nld", "codeNiveauTaalbeheersingMondeling": 3,
                            "codeNiveauTaalbeheersingSchriftelijk": 3, "codeNiveauTaalbeheersingLezen": 3,
                            "codeNiveauTaalbeheersingLuisteren": 3}],
    }


def test_the_vacancy_export_costs_the_same_queries_for_more_vacancies(world, django_assert_num_queries):
    vacancy(world, 1)
    with django_assert_num_queries(1):
        services.export_vacancies(municipality=world.muni)
    for n in range(2, 20):
        vacancy(world, n)
    with django_assert_num_queries(1):
        assert len(services.export_vacancies(municipality=world.muni)[VACATURES]) == 19


def test_an_export_that_would_not_conform_is_refused(world, monkeypatch):
    vacancy(world, 1)
    monkeypatch.setattr(services.vacancies, "vacature", lambda vacancy, cbs_code: {"naamVacature": 5})
    with pytest.raises(services.VumExportError, match="naamVacature: verwacht tekst"):
        services.export_vacancies(municipality=world.muni)


# --- Round trips and idempotence -------------------------------------------------------------------------------------


def test_vacancies_read_back_in_change_nothing_and_arrive_whole_elsewhere(world):
    originals = [vacancy(world, 1), vacancy(world, 2, hours_min=None, occupation_code="", dutch_min="A0",
                                            education_min="havo_vwo", banenafspraak=False, closes_on=None)]
    data = as_bytes(services.export_vacancies(municipality=world.muni))
    summary = services.import_document(read_document(data), municipality=world.muni)
    assert (summary.ok, summary.created, summary.updated, summary.unchanged) == (True, 0, 0, 2)
    assert Vacancy.objects.count() == 2 and Employer.objects.count() == 2

    summary = services.import_document(read_document(data), municipality=world.other_muni)
    assert (summary.ok, summary.created, summary.employers_created) == (True, 2, 2)
    for original in originals:
        copy = Vacancy.objects.get(municipality=world.other_muni, external_id=f"kansrijk-9999-{original.pk}")
        assert {f: getattr(copy, f) for f in VACANCY_FIELDS} == {f: getattr(original, f) for f in VACANCY_FIELDS}
        assert (copy.employer.name, copy.employer.sector, copy.employer.postcode, copy.employer.place,
                copy.employer.address, copy.employer.website) == (
            original.employer.name, "horeca", "4622AB", "Bergen op Zoom", "Markt 1", "https://bakkerij.example.nl")
    again = services.import_document(read_document(data), municipality=world.other_muni)
    assert (again.created, again.updated, again.unchanged, again.employers_created) == (0, 0, 2, 0)


def test_a_changed_vacancy_is_updated_and_its_employer_found_by_name(world):
    employer = Employer.objects.create(municipality=world.muni, name="Zorggroep West")
    existing = vacancy(world, 1, employer=employer, external_id="uwv-17")
    document = {"vacatures": [
        {"idVacature": "uwv-17", "naamVacature": "Helpende zorg", "werkgever": {
            "handelsnaamOrganisatie": "ZORGGROEP WEST", "sector": [{"codeSbi": 8710}]},
         "werktijden": {"aantalWerkurenPerWeekMaximaal": 24}},
        {"idVacature": "uwv-18", "naamVacature": "Schoonmaker", "werkgever": {"handelsnaamOrganisatie": "Nieuw BV"}},
    ]}
    summary = services.import_document(read_document(as_bytes(document)), municipality=world.muni,
                                       user=world.users["werkgeversdienstverlener"])
    assert (summary.ok, summary.created, summary.updated, summary.employers_created) == (True, 1, 1, 1)
    existing.refresh_from_db()
    employer.refresh_from_db()
    assert (existing.title, existing.hours_min, existing.hours_max, existing.employer_id) == (
        "Helpende zorg", None, 24, employer.pk)
    assert employer.sector == "zorg_welzijn"  # a blank field is filled, filled ones stay
    new = Vacancy.objects.get(external_id="uwv-18")
    assert (new.employer.name, new.status) == ("Nieuw BV", "open")
    assert new.created_by == world.users["werkgeversdienstverlener"]


def test_profiles_read_back_in_restore_the_profile(world):
    manager = world.users["klantmanager"]
    original = job_seeker(world.own, manager)
    intake(world.own, manager)
    data = as_bytes(services.export_profiles(municipality=world.muni, user=world.users["beheerder"]))
    before = {f: getattr(original, f) for f in PROFILE_FIELDS}
    JobSeekerProfile.objects.filter(pk=original.pk).update(desired_occupations="", desired_sectors=[],
                                                           home_postcode="", max_travel_minutes=None,
                                                           available_from=None, summary="")
    summary = services.import_document(read_document(data), municipality=world.muni, user=world.users["beheerder"])
    assert (summary.ok, summary.created, summary.updated) == (True, 0, 1)
    original.refresh_from_db()
    assert {f: getattr(original, f) for f in PROFILE_FIELDS} == before
    assert original.updated_by == world.users["beheerder"]
    assert Intake.objects.filter(client=world.own).count() == 1  # the intake is never written by an exchange
    again = services.import_document(read_document(data), municipality=world.muni)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 1)


def test_profiles_by_client_number_create_a_missing_profile_but_never_a_client(world):
    document = [{"idWerkzoekende": "5002", "persoonlijkePresentatie": "Ik zoek werk in de groenvoorziening.",
                 "sector": [{"codeSbi": 1}, {"codeSbi": 4}]},
                {"idWerkzoekende": "7777"}]
    clients = world.muni.clients.count()
    summary = services.import_document(read_document(as_bytes(document)), municipality=world.muni, key="clientnummer")
    assert not summary.ok
    assert [str(p) for p in summary.problems] == [
        '[1].idWerkzoekende: geen cliënt met cliëntnummer "7777" in Voorbeeldstad; Kansrijk maakt geen cliënten aan '
        'via VUM (cliënten komen uit de import van het klantenbestand)']
    assert not JobSeekerProfile.objects.exists() and world.muni.clients.count() == clients
    summary = services.import_document(read_document(as_bytes(document[:1])), municipality=world.muni,
                                       key="clientnummer")
    assert (summary.ok, summary.created) == (True, 1)
    assert [str(n) for n in summary.notes] == [
        "[0].sector[1].codeSbi: SBI-code 4 hoort bij geen sector van Kansrijk; overgeslagen"]
    profile = JobSeekerProfile.objects.get(client=world.teammate)
    assert (profile.summary, profile.desired_sectors) == ("Ik zoek werk in de groenvoorziening.", ["groen"])


def test_an_unknown_or_foreign_pseudonym_is_an_error(world):
    foreign = profiles.pseudonym("9998", world.other_muni_client.client_number)
    document = {"werkzoekenden": [{"idWerkzoekende": foreign}, {"idWerkzoekende": "9999-00000000"}]}
    summary = services.import_document(read_document(as_bytes(document)), municipality=world.muni)
    assert [p.place for p in summary.problems] == ["werkzoekenden[0].idWerkzoekende",
                                                   "werkzoekenden[1].idWerkzoekende"]
    assert "maakt geen cliënten aan" in summary.problems[0].message
    assert not JobSeekerProfile.objects.exists()


# --- Invalid documents write nothing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("items, expected", [
    ([{"idVacature": "a", "naamVacature": "Kok", "werkgever": {"handelsnaamOrganisatie": "X"},
       "werktijden": {"aantalWerkurenPerWeekMinimaal": 120}}],
     ["vacatures[0].werktijden.aantalWerkurenPerWeekMinimaal: 120 is groter dan 99"]),
    ([{"idVacature": "a", "naamVacature": "Kok", "werkgever": {"handelsnaamOrganisatie": "X"},
       "werktijden": {"aantalWerkurenPerWeekMinimaal": 70}}],
     ["vacatures[0].werktijden.aantalWerkurenPerWeekMinimaal: 70 uur per week is meer dan de 60 die Kansrijk "
      "vastlegt"]),
    ([{"idVacature": "a", "naamVacature": "Kok", "werkgever": {"handelsnaamOrganisatie": "X"},
       "werktijden": {"aantalWerkurenPerWeekMinimaal": 30, "aantalWerkurenPerWeekMaximaal": 20}}],
     ["vacatures[0].werktijden: het minimum aantal uren is groter dan het maximum"]),
    ([{"naamVacature": "Kok", "werkgever": {"handelsnaamOrganisatie": "X"}}],
     ["vacatures[0].idVacature: verplicht voor een import: zonder kenmerk vindt een volgende import de vacature niet "
      "terug"]),
    ([{"idVacature": "a", "werkgever": {}}],
     ["vacatures[0].naamVacature: verplicht: een vacature in Kansrijk heeft een naam",
      "vacatures[0].werkgever.handelsnaamOrganisatie: verplicht: een vacature in Kansrijk hoort bij een werkgever"]),
    ([{"idVacature": "a", "naamVacature": "Kok", "werkgever": {"handelsnaamOrganisatie": "X"}},
      {"idVacature": "a", "naamVacature": "Kok 2", "werkgever": {"handelsnaamOrganisatie": "X"}}],
     ['vacatures[1].idVacature: "a" staat ook op vacatures[0]']),
    ([{"idVacature": "a", "naamVacature": "Kok", "werkgever": {"handelsnaamOrganisatie": "X"}},
      {"idVacature": 7, "naamVacature": ["Kok"], "sluitingsDatumVacature": "morgen"}],
     ["vacatures[1].idVacature: verwacht tekst, maar kreeg een geheel getal",
      "vacatures[1].naamVacature: verwacht tekst, maar kreeg een lijst",
      'vacatures[1].sluitingsDatumVacature: "morgen" is geen geldige datum (verwacht JJJJ-MM-DD)']),
])
def test_an_invalid_vacancy_document_writes_nothing(world, items, expected):
    vacancy(world, 1)
    before = (Vacancy.objects.count(), Employer.objects.count())
    summary = services.import_document(read_document(as_bytes({"vacatures": items})), municipality=world.muni)
    assert [str(problem) for problem in summary.problems] == expected
    assert (summary.ok, summary.created, summary.updated) == (False, 0, 0)
    assert (Vacancy.objects.count(), Employer.objects.count()) == before


def test_a_dry_run_counts_but_writes_nothing(world):
    document = [{"idVacature": "a", "naamVacature": "Kok", "werkgever": {"handelsnaamOrganisatie": "X"}}]
    summary = services.import_document(read_document(as_bytes(document)), municipality=world.muni, dry_run=True)
    assert (summary.ok, summary.created, summary.employers_created) == (True, 1, 1)
    assert not Vacancy.objects.exists() and not Employer.objects.exists()


def test_a_profile_beyond_kansrijks_limits_is_refused(world):
    document = [{"idWerkzoekende": "5001", "mobiliteit": {"maximaleReistijd": 300}}]
    summary = services.import_document(read_document(as_bytes(document)), municipality=world.muni, key="clientnummer")
    assert [str(p) for p in summary.problems] == [
        "[0].mobiliteit.maximaleReistijd: 300 minuten is meer dan de 240 minuten die Kansrijk vastlegt"]
    assert not JobSeekerProfile.objects.exists()


# --- Commands --------------------------------------------------------------------------------------------------------


def test_export_and_import_commands(world, tmp_path):
    vacancy(world, 1)
    target = tmp_path / "vacatures.json"
    _, err = run("export_vum", "--soort", "vacatures", "--out", str(target), "--gemeente", "9999")
    assert "1 vacatures geschreven" in err
    assert json.loads(target.read_text(encoding="utf-8"))["soort"] == "vacatures"
    summary = json.loads(run("import_vum", str(target), "--gemeente", "9998", "--dry-run", "--json")[0])
    assert (summary["ok"], summary["dry_run"], summary["created"], summary["soort"]) == (True, True, 1, "vacatures")
    assert not Vacancy.objects.filter(municipality=world.other_muni).exists()
    out, _ = run("import_vum", str(target), "--gemeente", "9998")
    assert "Geïmporteerd (vacatures): 1 nieuw, 0 gewijzigd, 0 ongewijzigd, 1 nieuwe werkgever(s)." in out
    assert Vacancy.objects.filter(municipality=world.other_muni).count() == 1


def test_the_profile_export_command_names_who_exports(world, tmp_path):
    job_seeker(world.own, world.users["klantmanager"])
    target = tmp_path / "werkzoekenden.json"
    with pytest.raises(CommandError, match="--gebruiker"):
        run("export_vum", "--soort", "werkzoekenden", "--out", str(target))
    with pytest.raises(CommandError, match="geen werkzoekendenprofielen exporteren"):
        run("export_vum", "--soort", "werkzoekenden", "--out", str(target), "--gebruiker", "klantmanager")
    assert not target.exists()
    run("export_vum", "--soort", "werkzoekenden", "--out", str(target), "--gebruiker", "werkgeversdienstverlener")
    assert len(json.loads(target.read_text(encoding="utf-8"))["werkzoekenden"]) == 1
    assert AccessLog.objects.filter(user__username="werkgeversdienstverlener", client=world.own).count() == 1


def test_the_import_command_lists_every_error_and_writes_nothing(world, tmp_path):
    path = tmp_path / "fout.json"
    items = [{"idVacature": "a", "naamVacature": 5},
             {"idVacature": "b", "werktijden": {"aantalWerkurenPerWeekMinimaal": 120}}]
    path.write_text(json.dumps(items), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="2 fout"):
        call_command("import_vum", str(path), stdout=StringIO(), stderr=err)
    assert "[1].werktijden.aantalWerkurenPerWeekMinimaal: 120 is groter dan 99" in err.getvalue()
    path.write_bytes(b"\x00\x01")
    with pytest.raises(CommandError, match="geen geldige JSON"):
        run("import_vum", str(path))
    with pytest.raises(CommandError, match="bestaat niet"):
        run("import_vum", str(tmp_path / "weg.json"))
    assert not Vacancy.objects.exists()
